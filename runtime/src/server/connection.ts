/**
 * One websocket connection speaking the Streamlab protocol.
 *
 *   frame → (binary? → error binary-frame) → decode (→ error reply) → before hello: only hello
 *   hello → token check (unless the URL carried it; failure closes with 4401) → version → session
 *   request → handler → `<kind>.ok` | error reply (RequestError as is, anything else scrubbed)
 *
 * Nothing a client sends can throw out of this class.
 */
import { randomUUID } from 'node:crypto';
import type { RawData, WebSocket } from 'ws';
import {
  PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS, decodeClientMessage, negotiateVersion, serverMessageForVersion,
  type ClientMessage, type ClientMessageOf, type ErrorCode, type ServerMessage, type ServerMessageOf,
} from '../protocol/index.js';
import { tokenMatches } from './auth.js';
import { RequestError, toErrorReply } from './request-error.js';
import type { ServerContext } from './server-context.js';
import type { EventSink, Session } from './session.js';

/** Close code for a missing or wrong token. */
export const CLOSE_UNAUTHORIZED = 4401;
/** Unsent bytes beyond which logs, records and batches are dropped for a client. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
/** Close code for a frame over the size cap (RFC 6455 "message too big"). */
export const CLOSE_TOO_BIG = 1009;

/** The protocol on one socket. */
export class Connection {
  private session: Session | null = null;
  /** The version `hello` negotiated; until then only replies of every version's shape are sent. */
  private version = PROTOCOL_VERSION;
  private readonly sink: EventSink = (e) => this.send(e);

  constructor(private readonly ws: WebSocket, private readonly ctx: ServerContext, private authenticated: boolean) {
    ws.on('message', (data, isBinary) => this.onFrame(data, isBinary));
    ws.on('close', () => this.session?.detach(this.sink));
    ws.on('error', () => {});
  }

  private send(current: ServerMessage): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    const message = serverMessageForVersion(current, this.version);
    if (message === null) return;
    // A client that does not read must not grow the runtime's memory: shed the high-volume events.
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES && (message.kind === 'run.log' || message.kind === 'topics.record' || message.kind === 'run.batch')) return;
    try {
      this.ws.send(JSON.stringify(message));
    } catch {
      // A socket closing under us; nothing to report to.
    }
  }

  private error(id: string | null, code: ErrorCode, message: string): void {
    this.send({ kind: 'error', id, code, message });
  }

  private onFrame(data: RawData, isBinary: boolean): void {
    if (isBinary) {
      if (rawLength(data) > this.ctx.config.maxFrameBytes) {
        this.ws.close(CLOSE_TOO_BIG, `Frame over the ${this.ctx.config.maxFrameBytes}-byte limit`);
        return;
      }
      this.error(null, 'binary-frame', 'Binary frames are not part of the protocol: send JSON text.');
      return;
    }
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    if (bytes.length > this.ctx.config.maxFrameBytes) {
      this.ws.close(CLOSE_TOO_BIG, `Frame over the ${this.ctx.config.maxFrameBytes}-byte limit`);
      return;
    }
    const text = bytes.toString('utf8');
    const decoded = decodeClientMessage(text);
    if (!decoded.ok) {
      this.error(decoded.id, decoded.code, decoded.message);
      return;
    }
    const message = decoded.message;
    if (message.kind !== 'hello' && !this.session) {
      this.error(message.id, 'hello-required', 'Send hello first.');
      return;
    }
    this.handle(message).then(
      (reply) => {
        if (reply) this.send(reply);
      },
      (e: unknown) => {
        const { code, message: text } = toErrorReply(e);
        this.error(message.id, code, text);
      },
    );
  }

  private async handle(m: ClientMessage): Promise<ServerMessage | null> {
    const ctx = this.ctx;
    switch (m.kind) {
      case 'hello':
        return this.hello(m);
      case 'lessons.list':
        return { kind: 'lessons.list.ok', id: m.id, lessons: await ctx.lessons.list() };
      case 'lessons.get':
        return { kind: 'lessons.get.ok', id: m.id, lesson: await ctx.lessons.get(m.lessonId) };
      case 'run.start': {
        const run = await this.session!.startRun(m, ctx.config.limits.maxRowsPerBatch, m.lessonId ? await ctx.lessons.models(m.lessonId) : []);
        return { kind: 'run.start.ok', id: m.id, runId: run.runId, mode: run.mode };
      }
      case 'run.stop':
        await this.session!.stopRun(m.runId);
        return { kind: 'run.stop.ok', id: m.id, runId: m.runId };
      case 'run.step': {
        const run = this.session!.run(m.runId);
        try {
          const done = await run.step(m.batches !== undefined ? { batches: m.batches } : { advanceMs: m.advanceMs });
          return { kind: 'run.step.ok', id: m.id, runId: m.runId, ...done };
        } catch (e) {
          throw new RequestError('invalid-request', e instanceof Error ? e.message : String(e));
        }
      }
      case 'check.run':
        return this.checkRun(m);
      case 'topics.list':
        return { kind: 'topics.list.ok', id: m.id, topics: await ctx.topics.list() };
      case 'topics.tail':
        return { kind: 'topics.tail.ok', id: m.id, tailId: await this.session!.tail(m.topic, m.from) };
      case 'topics.untail':
        await this.session!.untail(m.tailId);
        return { kind: 'topics.untail.ok', id: m.id, tailId: m.tailId };
      case 'topics.produce':
        return { kind: 'topics.produce.ok', id: m.id, topic: m.topic, ...(await ctx.topics.produce(m)) };
      case 'topics.create':
        await ctx.topics.create(m.topic, m.partitions);
        return { kind: 'topics.create.ok', id: m.id, topic: m.topic };
      case 'topics.delete':
        await ctx.topics.delete(m.topic);
        return { kind: 'topics.delete.ok', id: m.id, topic: m.topic };
      case 'db.tables':
        return { kind: 'db.tables.ok', id: m.id, tables: await ctx.database.tables() };
      case 'db.query':
        return { kind: 'db.query.ok', id: m.id, ...(await ctx.database.query(m.sql)) };
      case 'export.pyspark':
        return this.exportPySpark(m);
    }
  }

  /** Exports in a child process (exporting runs the learner's program up to `start()`). */
  private async exportPySpark(m: ClientMessageOf<'export.pyspark'>): Promise<ServerMessage> {
    const { exportInChildProcess, ExportError, ExportBusyError } = await import('../export/isolated-export.js');
    try {
      const result = await exportInChildProcess(m.files, m.files[0]!.path, m.lessonId ? { title: `lesson ${m.lessonId}` } : {});
      const warnings = result.stubs.map((s) => `${s.name} (${s.where}) has no PySpark equivalent: it is exported as a stub to write in Python.`);
      return { kind: 'export.pyspark.ok', id: m.id, source: result.code, warnings };
    } catch (e) {
      if (e instanceof ExportBusyError) throw new RequestError('busy', e.message);
      if (e instanceof ExportError) throw new RequestError('invalid-request', e.message);
      throw e;
    }
  }

  /** Grades in the background: the reply names the check, `check.result` follows. */
  private async checkRun(m: ClientMessageOf<'check.run'>): Promise<ServerMessage> {
    const lesson = await this.ctx.lessons.lesson(m.lessonId);
    const checkId = `check-${randomUUID().slice(0, 8)}`;
    void (async () => {
      let tests: ServerMessageOf<'check.result'>['tests'];
      try {
        const { gradeSubmission } = await import('../lessons/grade-submission.js');
        const services = await this.ctx.services();
        const result = await gradeSubmission({ lesson, files: m.files, services, ...(this.ctx.lessons.directory ? { lessonsRoot: this.ctx.lessons.directory } : {}) });
        tests = result.tests.map((t) => ({ name: t.name, status: t.status, message: t.message, durationMs: t.durationMs }));
      } catch (e) {
        tests = [{ name: 'the checks run', status: 'failed', message: toErrorReply(e).message, durationMs: 0 }];
      }
      this.send({ kind: 'check.result', checkId, lessonId: lesson.id, tests });
    })();
    return { kind: 'check.run.ok', id: m.id, checkId };
  }

  private async hello(m: ClientMessageOf<'hello'>): Promise<ServerMessage | null> {
    if (!this.authenticated) {
      if (!tokenMatches(this.ctx.token, m.token)) {
        this.error(m.id, 'unauthorized', 'A valid token is required: open the URL printed by `streamlab start`.');
        this.ws.close(CLOSE_UNAUTHORIZED, 'unauthorized');
        return null;
      }
      this.authenticated = true;
    }
    const version = negotiateVersion(m.versions, SUPPORTED_PROTOCOL_VERSIONS);
    if (version === null) {
      throw new RequestError('version-mismatch', `This runtime speaks protocol version${SUPPORTED_PROTOCOL_VERSIONS.length > 1 ? 's' : ''} ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')}; the client offered ${m.versions.join(', ')}. Update the older side.`);
    }
    this.version = version;
    if (!this.session) {
      this.session = this.ctx.sessionFor(m.session);
      this.session.attach(this.sink);
    }
    return {
      kind: 'hello.ok', id: m.id, version,
      server: { name: 'streamlab', version: this.ctx.version },
      features: await this.ctx.features(),
      session: this.session.id,
    };
  }
}

function rawLength(data: RawData): number {
  return Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : (data as ArrayBuffer | Buffer).byteLength;
}
