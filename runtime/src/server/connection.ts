/**
 * One websocket connection speaking the Streamlab protocol.
 *
 *   open  → hello deadline armed: no successful hello within `helloTimeoutMs` closes with 4408
 *   frame → (binary? → error binary-frame) → decode (→ error reply) → before hello: only hello
 *   hello → token check (unless the URL carried it; failure closes with 4401) → version → session
 *           → hello.ok → the last run.status of each run the session has going (a reloaded page resumes them)
 *   request → its handler in the table (one per kind) → `<kind>.ok` with the handler's fields
 *           | error reply (RequestError as is, anything else scrubbed)
 *
 * Nothing a client sends can throw out of this class.
 */
import { randomUUID } from 'node:crypto';
import type { RawData, WebSocket } from 'ws';
import {
  PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS, decodeClientMessage, negotiateVersion, replyKind, serverMessageForVersion,
  type ClientKind, type ClientMessageOf, type ErrorCode, type ReplyFields, type ReplyOf, type ServerMessage, type ServerMessageOf,
} from '../protocol/index.js';
import { RequestError, toErrorReply } from './request-error.js';
import type { ServerContext } from './server-context.js';
import type { EventSink, Session } from './session.js';

/** Close code for a missing or wrong token. */
export const CLOSE_UNAUTHORIZED = 4401;
/** Close code for a socket that did not complete `hello` in time. */
export const CLOSE_HELLO_TIMEOUT = 4408;

/** How the server admits a socket: its hello deadline, and who to tell once it has shown the token. */
export interface Admission {
  helloTimeoutMs: number;
  /** Called once, when the socket has proved it holds the token (or immediately when the URL carried it). */
  onAuthenticated(): void;
  /** The roster student whose token the URL carried (null: the shared token, or none yet). */
  student?: string | null;
}
/** Unsent bytes beyond which logs, records and batches are dropped for a client. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
/** Close code for a frame over the size cap (RFC 6455 "message too big"). */
export const CLOSE_TOO_BIG = 1009;

/** Answers one request kind with its reply's fields, or null when it answered otherwise (a refused hello). */
type RequestHandler<K extends ClientKind> = (m: ClientMessageOf<K>) => Promise<ReplyFields<K> | null>;
/** A handler for every request kind. */
type RequestHandlers = { [K in ClientKind]: RequestHandler<K> };

/** The protocol on one socket. */
export class Connection {
  private session: Session | null = null;
  /** The version `hello` negotiated; until then only replies of every version's shape are sent. */
  private version = PROTOCOL_VERSION;
  private readonly sink: EventSink = (e) => this.send(e);
  private helloTimer: NodeJS.Timeout | null;
  /** The roster student this connection is (null: the shared token). */
  private student: string | null;
  /** Stops this socket hearing the instructor's comments. */
  private stopComments: (() => void) | null = null;

  constructor(private readonly ws: WebSocket, private readonly ctx: ServerContext, private authenticated: boolean, private readonly admission: Admission) {
    this.student = admission.student ?? null;
    if (authenticated) admission.onAuthenticated();
    const seconds = admission.helloTimeoutMs / 1000;
    this.helloTimer = setTimeout(() => this.ws.close(CLOSE_HELLO_TIMEOUT, `No hello within ${seconds} s`), admission.helloTimeoutMs);
    ws.on('message', (data, isBinary) => this.onFrame(data, isBinary));
    ws.on('close', () => {
      if (this.helloTimer) clearTimeout(this.helloTimer);
      this.session?.detach(this.sink);
      this.stopComments?.();
      if (this.session) this.ctx.activity?.closed(this.session.id);
    });
    ws.on('error', () => {});
  }

  private send(current: ServerMessage): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (this.session) this.ctx.activity?.sent(this.session.id, current);
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
    if (this.session) this.ctx.activity?.received(this.session.id, message);
    this.handle(message).then(
      (reply) => {
        if (reply) this.send(reply);
        // After hello's reply, so the page knows its session before it hears of the session's runs.
        if (reply?.kind === 'hello.ok') {
          this.session?.repeatStatuses();
          // The instructor's comments so far, then each new one (once per socket, even after a second hello).
          if (this.session && this.ctx.activity && !this.stopComments && this.ws.readyState === this.ws.OPEN) {
            const heard = this.ctx.activity.listenForComments(this.session.id, (c) => this.send(c));
            this.stopComments = heard.stop;
            for (const c of heard.comments) this.send(c);
          }
        }
      },
      (e: unknown) => {
        const { code, message: text } = toErrorReply(e);
        this.error(message.id, code, text);
      },
    );
  }

  /** Dispatches through the handler table; the reply is `<kind>.ok` with the handler's fields. */
  private async handle<K extends ClientKind>(m: ClientMessageOf<K>): Promise<ReplyOf<K> | null> {
    // TypeScript cannot follow K from the message into the table and back: the table's type is the check.
    const handler = this.handlers[m.kind] as RequestHandler<K>;
    const fields = await handler(m);
    return fields === null ? null : ({ kind: replyKind(m.kind), id: m.id, ...fields } as unknown as ReplyOf<K>);
  }

  /** One handler per request kind: the compiler holds the table to the protocol's kinds and replies. */
  private readonly handlers: RequestHandlers = {
    hello: (m) => this.hello(m),
    'lessons.list': async () => ({ lessons: await this.ctx.lessons.list() }),
    'lessons.get': async (m) => {
      const lesson = await this.ctx.lessons.get(m.lessonId);
      // Opening a lesson makes its topics, with their partitions; without a Kafka the lesson still opens.
      await this.session!.topics.ensure(lesson.data?.topics ?? []).catch(() => undefined);
      return { lesson };
    },
    'run.start': async (m) => {
      const ctx = this.ctx;
      const models = m.lessonId ? await ctx.lessons.models(m.lessonId) : [];
      const plan = m.lessonId ? await ctx.lessons.dataPlan(m.lessonId) : null;
      const services = m.lessonId ? await ctx.lessons.runServices(m.lessonId) : {};
      const lake = m.lessonId ? await ctx.lessons.lakeFiles(m.lessonId) : null;
      const run = await this.session!.startRun(m, ctx.config.limits.maxRowsPerBatch, models, plan, services, lake);
      return { runId: run.runId, mode: run.mode };
    },
    'run.replay': async (m) => {
      const { run, data } = this.session!.runData(m.runId);
      return { runId: m.runId, ...(await data.replay(run.clockMs())) };
    },
    'run.extra': async (m) => {
      const { run, data } = this.session!.runData(m.runId);
      return { runId: m.runId, ...(await data.extra(m.extraId, run.clockMs())) };
    },
    'run.stop': async (m) => {
      await this.session!.stopRun(m.runId);
      return { runId: m.runId };
    },
    'run.crash': async (m) => {
      try {
        this.session!.run(m.runId).crash();
      } catch (e) {
        if (e instanceof RequestError) throw e;
        throw new RequestError('invalid-request', e instanceof Error ? e.message : String(e));
      }
      return { runId: m.runId };
    },
    'run.step': async (m) => {
      const run = this.session!.run(m.runId);
      try {
        const done = await run.step(m.batches !== undefined ? { batches: m.batches } : { advanceMs: m.advanceMs });
        return { runId: m.runId, ...done };
      } catch (e) {
        throw new RequestError('invalid-request', e instanceof Error ? e.message : String(e));
      }
    },
    'check.run': (m) => this.checkRun(m),
    'topics.list': async () => ({ topics: await this.session!.topics.list() }),
    'topics.tail': async (m) => ({ tailId: await this.session!.tail(m.topic, m.from) }),
    'topics.untail': async (m) => {
      await this.session!.untail(m.tailId);
      return { tailId: m.tailId };
    },
    'topics.produce': async (m) => ({ topic: m.topic, ...(await this.session!.topics.produce(m)) }),
    'topics.create': async (m) => {
      await this.session!.topics.create(m.topic, m.partitions);
      return { topic: m.topic };
    },
    'topics.clear': async (m) => ({ topic: m.topic, partitions: await this.session!.topics.clear(m.topic) }),
    'topics.delete': async (m) => {
      await this.session!.topics.delete(m.topic);
      return { topic: m.topic };
    },
    'db.tables': async () => ({ tables: await this.session!.database.tables() }),
    'db.query': async (m) => this.session!.database.query(m.sql),
    'export.pyspark': (m) => this.exportPySpark(m),
    'checkpoints.reset': async (m) => ({ lessonId: m.lessonId ?? null, removed: await this.session!.resetCheckpoints(m.lessonId) }),
    'lesson.progress': async (m) => {
      // A lesson that does not exist answers not-found and leaves the dashboard as it was.
      await this.ctx.lessons.lesson(m.lessonId);
      this.ctx.activity?.progressed(this.session!.id, { lessonId: m.lessonId, step: m.step, steps: m.steps, title: m.title, files: m.files });
      return { lessonId: m.lessonId, step: m.step };
    },
  };

  /** Exports in a child process (exporting runs the learner's program up to `start()`). */
  private async exportPySpark(m: ClientMessageOf<'export.pyspark'>): Promise<ReplyFields<'export.pyspark'>> {
    const { exportInChildProcess, ExportError, ExportBusyError } = await import('../export/isolated-export.js');
    try {
      const result = await exportInChildProcess(m.files, m.files[0]!.path, m.lessonId ? { title: `lesson ${m.lessonId}`, models: await this.ctx.lessons.models(m.lessonId) } : {});
      const warnings = result.stubs.map((s) => `${s.name} (${s.where}) has no PySpark equivalent: it is exported as a stub to write in Python.`);
      return { source: result.code, warnings };
    } catch (e) {
      if (e instanceof ExportBusyError) throw new RequestError('busy', e.message);
      if (e instanceof ExportError) throw new RequestError('invalid-request', e.message);
      throw e;
    }
  }

  /** The runtime's PostgreSQL for a lesson whose checks write tables (the check process makes a role per sandbox from it). */
  private async checkDatabase(lesson: { tables: readonly string[] }): Promise<{ database?: string }> {
    if (lesson.tables.length === 0) return {};
    const { pg } = await this.ctx.services();
    return pg ? { database: pg } : {};
  }

  /**
   * Grades in the background: the reply names the check; `check.status` says whether it waits for a
   * grading slot (and where it stands) or runs; `check.result` follows.
   */
  private async checkRun(m: ClientMessageOf<'check.run'>): Promise<ReplyFields<'check.run'>> {
    const lesson = await this.ctx.lessons.lesson(m.lessonId);
    // The check's id is also the namespace of the schemas and roles it makes (see check-namespace.ts).
    const checkId = `check-${randomUUID().replace(/-/g, '').slice(0, 8)}`;
    void (async () => {
      let result: ServerMessageOf<'check.result'>;
      try {
        const { gradeSubmission } = await import('../lessons/grade-submission.js');
        const { learnerView } = await import('../lessons/grade-report.js');
        const full = await this.ctx.checks.run(
          async () => gradeSubmission({ lesson, files: m.files, namespace: checkId, ...(await this.checkDatabase(lesson)), ...(this.ctx.lessons.directory ? { lessonsRoot: this.ctx.lessons.directory } : {}) }),
          (status) => this.send({ kind: 'check.status', checkId, lessonId: lesson.id, ...status }),
        );
        // The learner sees a hidden check's outcome and category, never its data, nor the hidden seed
        // that rebuilds it; the instructor's dashboard keeps both seeds, which reproduce this grade.
        const graded = learnerView(full);
        if (this.session) this.ctx.activity?.checked(this.session.id, full, { files: m.files, starter: lesson.starter });
        result = {
          kind: 'check.result', checkId, lessonId: lesson.id, score: graded.score, maxScore: graded.maxScore, seed: String(graded.seed),
          tests: graded.tests.map((t) => ({
            id: t.id, name: t.name, status: t.status, message: t.message, durationMs: t.durationMs,
            points: t.points, maxPoints: t.maxPoints, file: t.file, line: t.line, diff: t.diff,
          })),
        };
      } catch (e) {
        result = { kind: 'check.result', checkId, lessonId: lesson.id, tests: [{ name: 'the checks run', status: 'failed', message: toErrorReply(e).message, durationMs: 0 }] };
      }
      this.send(result);
    })();
    return { checkId };
  }

  /** Null when the token was refused: the socket is closed, and the error was sent already. */
  private async hello(m: ClientMessageOf<'hello'>): Promise<ReplyFields<'hello'> | null> {
    if (!this.authenticated) {
      const student = this.ctx.learnerOf(m.token);
      if (student === undefined) {
        this.error(m.id, 'unauthorized', 'A valid token is required: open the URL printed by `streamlab start`.');
        this.ws.close(CLOSE_UNAUTHORIZED, 'unauthorized');
        return null;
      }
      this.authenticated = true;
      this.student = student;
      this.admission.onAuthenticated();
    }
    const version = negotiateVersion(m.versions, SUPPORTED_PROTOCOL_VERSIONS);
    if (version === null) {
      throw new RequestError('version-mismatch', `This runtime speaks protocol version${SUPPORTED_PROTOCOL_VERSIONS.length > 1 ? 's' : ''} ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')}; the client offered ${m.versions.join(', ')}. Update the older side.`);
    }
    this.version = version;
    if (!this.session) {
      if (this.helloTimer) clearTimeout(this.helloTimer);
      this.helloTimer = null;
      if (this.ws.readyState !== this.ws.OPEN) return null;
      this.session = this.ctx.sessionFor(m.session);
      this.session.attach(this.sink);
      this.ctx.activity?.opened(this.session.id, this.student);
    }
    return {
      version,
      server: { name: 'streamlab', version: this.ctx.version },
      features: await this.ctx.features(),
      session: this.session.id,
    };
  }
}

function rawLength(data: RawData): number {
  return Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : (data as ArrayBuffer | Buffer).byteLength;
}
