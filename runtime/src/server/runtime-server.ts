/**
 * The runtime's HTTP and websocket server.
 *
 *   GET /healthz          → 200 {"status":"ok"} (no token; for container health checks)
 *   GET /api/*            → token required (`?token=` or `Authorization: Bearer`), Origin checked
 *   GET /api/serving?lesson=<id>[&session=<id>] → the lesson's serving answer (serving-service.ts) as the
 *                         session's learner (the session id hello answered; required with isolateLearners),
 *                         `X-Cache: hit|miss`
 *   GET /ws (upgrade)     → Origin checked; token in `?token=` or in the first message (hello)
 *   GET /instructor?token=<instructor token>  → the class dashboard page (instructor-page.ts)
 *   GET /instructor/code?token=<instructor token>&learner=<row's learner> → that learner's current code as
 *                         JSON (class-activity.ts `LearnerCode`); 404 before any reached the runtime;
 *                         with `&lesson=<id>`, the code their last check of that lesson graded
 *   GET /instructor/ws?token=<instructor token> (upgrade) → Origin checked; the class's rows as JSON
 *                         (`{"kind":"class","students":[…],"groups":[…]}`, class-activity.ts) now and after every change;
 *                         takes a comment to a plan group (protocol/instructor-messages.ts)
 *   GET / without a token → a page that says to open the URL printed by `streamlab start`
 *   GET /<file>           → the built workbench
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { RuntimeConfig } from '../config.js';
import type { JobServices } from '../jobs/ipc.js';
import { PROTOCOL_VERSION } from '../protocol/index.js';
import { CheckQueue } from '../lessons/check-queue.js';
import { newToken, originAllowed, ownOrigins, tokenMatches } from './auth.js';
import { ClassActivity, CommentRefused } from './class-activity.js';
import { decodeInstructorMessage } from '../protocol/instructor-messages.js';
import { learnerOf, parseRoster, RosterError, type RosterEntry } from './roster.js';
import { Connection } from './connection.js';
import { INSTRUCTOR_PAGE } from './instructor-page.js';
import { DatabaseService } from './database-service.js';
import { learnerUrl } from '../connectors/postgres/restricted-role.js';
import { dropSessionSchema, provisionSessionSchema, removeLeftoverSessionSchemas, sessionRolesAllowed, type SessionSchema } from '../connectors/postgres/session-schemas.js';
import { removeInterruptedWrites } from '../checkpoint/learner-checkpoints.js';
import { LessonsService } from './lessons-service.js';
import type { ServerContext } from './server-context.js';
import { RunQueue } from './run-queue.js';
import { RequestError } from './request-error.js';
import { ServingService } from './serving-service.js';
import { Session } from './session.js';
import { TopicsService } from './topics-service.js';
import { WorkbenchAssets } from './workbench-assets.js';

/** Options of `startRuntimeServer` beyond the configuration. */
export interface RuntimeServerOptions {
  config: RuntimeConfig;
  /**
   * Services the runtime (and its runs) use; usually the embedded ones or the configured ones. A promise
   * lets the server answer before a slow service (embedded PostgreSQL) is up; requests wait for it.
   */
  services: JobServices | Promise<JobServices>;
  /** The `workbench/` package directory; no static files when absent. */
  workbenchDir?: string;
  /** Build the workbench when its dist is missing (the CLI does; tests do not). */
  buildWorkbench?: boolean;
  /** Runtime version announced in hello. */
  version?: string;
  /** Where to report what the server does on its own (building the workbench). */
  log?: (line: string) => void;
  /** Bind exactly `config.port` (fail when taken) instead of falling back to a free port. */
  strictPort?: boolean;
  /**
   * Where learner runs keep their checkpoints (one folder per lesson); `checkpoints/` in the data
   * directory by default, or a temporary folder removed on close when there is no data directory.
   */
  checkpointsDir?: string;
}

/** A started runtime server. */
export interface RuntimeServer {
  readonly host: string;
  readonly port: number;
  readonly token: string;
  /** The URL to open, with the token. */
  readonly url: string;
  /** The instructor's dashboard, with its own token. */
  readonly instructorUrl: string;
  /** True when the preferred port was taken and another one is used. */
  readonly portFallback: boolean;
  /** Resolves once the workbench can be served (built, when it had to be built), or will not be. */
  readonly workbenchReady: Promise<void>;
  /** Stops accepting connections, stops every run and closes every client. */
  close(): Promise<void>;
}

/** The roster file's students; a file that cannot be read or used stops the start with the reason. */
function readRoster(file: string): RosterEntry[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`Cannot read the roster ${file}: ${(e as Error).message}`);
  }
  try {
    return parseRoster(text);
  } catch (e) {
    if (e instanceof RosterError) throw new Error(`${file}: ${e.message}`);
    throw e;
  }
}

/** Starts the runtime server. */
export async function startRuntimeServer(options: RuntimeServerOptions): Promise<RuntimeServer> {
  const { config } = options;
  const token = config.token ?? newToken();
  const instructorToken = config.instructorToken ?? newToken();
  if (tokenMatches(token, instructorToken)) throw new Error('The instructor\'s token must differ from the learners\' token.');
  const roster = config.roster ? readRoster(config.roster) : [];
  if (roster.some((e) => tokenMatches(e.token, instructorToken))) throw new Error('The instructor\'s token must differ from every student\'s token on the roster.');
  /** Who a learner token is: a roster student, null for the shared token, undefined when refused. */
  const learner = (given: unknown) => learnerOf(given, token, roster);
  const activity = new ClassActivity(Date.now, roster.map((e) => e.student));
  const log = options.log ?? (() => {});
  const sessions = new Map<string, Session>();
  // The learner's topic prefix comes from the config and applies to runs and to the Topics panel alike.
  const services = Promise.resolve(options.services).then((s) => (config.topicPrefix ? { ...s, topicPrefix: config.topicPrefix } : s));
  // A failed service start leaves that service unconfigured; its requests then say so.
  const settled = services.catch((): JobServices => ({}));
  const topics = new TopicsService(settled.then((s) => s.kafka), config.topicPrefix);
  // The learner's queries and runs reach PostgreSQL as a role confined to the learner's schema; the
  // admin URL stays with the runtime's own work (a check's database).
  // On a runtime learners share, each session gets a role of its own and the shared learner role is not
  // made: its URL is the admin's, used only when the admin may not make roles (as `learnerUrl` does).
  const sessionRoles = config.isolateLearners
    ? settled.then(({ pg: admin }) => (admin ? sessionRolesAllowed(admin) : null))
    : Promise.resolve(null);
  const learnerServices = settled.then(async ({ pg: admin, ...s }): Promise<JobServices> => {
    let pg: string | undefined;
    if (admin && config.isolateLearners) {
      const roles = (await sessionRoles)!;
      if (roles.allowed === 'unreachable') log(`streamlab: PostgreSQL could not be prepared for learner queries: ${roles.message}`);
      if (roles.allowed === 'no') log('streamlab: the configured PostgreSQL user may not create roles, so learner queries use it as configured.');
      pg = roles.allowed === 'unreachable' ? undefined : admin;
    } else if (admin) {
      pg = await learnerUrl(admin, log);
    }
    return pg ? { ...s, pg } : s;
  });
  const database = new DatabaseService(config.isolateLearners ? undefined : learnerServices.then((s) => s.pg));
  const lessons = new LessonsService(config.lessonsDir);
  const serving = new ServingService(lessons, database);
  // What the sessions of a killed runtime that learners shared left behind goes before any new session
  // makes topics or a schema.
  const leftovers = config.isolateLearners ? removeLeftovers() : Promise.resolve();
  const assets = options.workbenchDir ? new WorkbenchAssets(options.workbenchDir, log) : null;
  const queue = new RunQueue(config.limits.maxRunsTotal);
  const temporaryCheckpoints = !options.checkpointsDir && !config.dataDir ? mkdtempSync(join(tmpdir(), 'streamlab-checkpoints-')) : null;
  const checkpointsDir = options.checkpointsDir ?? temporaryCheckpoints ?? join(config.dataDir!, 'checkpoints');
  // A process killed between a checkpoint file's write and its rename leaves a hidden temporary file.
  const interrupted = removeInterruptedWrites(checkpointsDir);
  if (interrupted.length > 0) log(`Removed ${interrupted.length} unfinished checkpoint write${interrupted.length === 1 ? '' : 's'} left by a stopped run.`);
  // The sessions of a runtime learners share end with it: their saved state does too.
  if (config.isolateLearners) rmSync(join(checkpointsDir, 'learners'), { recursive: true, force: true });
  const context: ServerContext = {
    config,
    token,
    learnerOf: learner,
    version: options.version ?? '0.1.0',
    lessons,
    topics,
    activity,
    checks: new CheckQueue(config.limits.maxConcurrentChecks),
    sessionFor(id) {
      const existing = id ? sessions.get(id) : undefined;
      if (existing) return existing;
      const session = config.isolateLearners
        ? isolatedSession()
        : new Session(undefined, config.limits, learnerServices, topics, database, serving, queue, checkpointsDir, (s) => void sessions.delete(s.id));
      sessions.set(session.id, session);
      return session;
    },
    services: () => settled,
    async features() {
      const s = await learnerServices;
      const f: string[] = [];
      if (s.kafka) f.push('kafka');
      if (s.pg) f.push('postgres');
      f.push('export.pyspark');
      return f;
    },
  };

  /**
   * A session of a runtime several learners share: its topics live under a prefix of its own (inside the
   * configured one), its checkpoints in a folder of its own, and its tables in a PostgreSQL schema of its
   * own that only its own role can use (session-schemas.ts), so no learner reads, empties, drops or
   * resumes from another's; all of them go when the session ends.
   */
  function isolatedSession(): Session {
    const id = randomUUID();
    const hex = id.replace(/-/g, '').slice(0, 12);
    const tag = `learner-${hex}`;
    const prefix = `${config.topicPrefix}${tag}.`;
    const own = new TopicsService(leftovers.then(() => settled).then((s) => s.kafka), prefix);
    const ownSchema = leftovers.then(() => sessionSchema(hex));
    ownSchema.catch(() => undefined);
    const ownServices = Promise.all([learnerServices, ownSchema]).then(([s, schema]): JobServices => ({ ...s, ...(schema ? { pg: schema.url } : {}), topicPrefix: prefix }));
    ownServices.catch(() => undefined);
    const ownDatabase = new DatabaseService(ownServices.then((s) => s.pg));
    const ownCheckpoints = join(checkpointsDir, 'learners', tag);
    return new Session(id, config.limits, ownServices, own, ownDatabase, new ServingService(lessons, ownDatabase), queue, ownCheckpoints, async (s) => {
      sessions.delete(s.id);
      rmSync(ownCheckpoints, { recursive: true, force: true });
      await Promise.allSettled([
        own.deleteWithPrefix('').catch(() => 0).finally(() => own.close()),
        (async () => {
          await ownDatabase.close();
          const schema = await ownSchema.catch(() => null);
          const admin = (await settled).pg;
          if (schema && admin) await dropSessionSchema(admin, schema).catch((e: unknown) => log(`streamlab: the PostgreSQL schema ${schema.schema} of an ended session could not be dropped: ${e instanceof Error ? e.message : String(e)}`));
        })(),
      ]);
    });
  }

  /**
   * A new session's own schema and role, or null when the runtime has no PostgreSQL, or when its user may
   * not create roles (then sessions share the learner URL, as the runtime's other requests do).
   */
  async function sessionSchema(hex: string): Promise<SessionSchema | null> {
    const admin = (await settled).pg;
    if (!admin || (await sessionRoles)?.allowed !== 'yes') return null;
    try {
      return await provisionSessionSchema(admin, hex, config.topicPrefix);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      log(`streamlab: a learner's PostgreSQL schema could not be made: ${message}`);
      throw new RequestError('unavailable', `Your PostgreSQL schema could not be made: ${message}`);
    }
  }

  /** Removes learner topics and schemas of this runtime's sessions that a killed process left; one line says how many. */
  async function removeLeftovers(): Promise<void> {
    const { kafka, pg: admin } = await settled;
    const failed = (what: string) => (e: unknown) => {
      log(`streamlab: ${what} left by an earlier run could not be removed: ${e instanceof Error ? e.message : String(e)}`);
      return 0;
    };
    const [topicCount, schemaCount] = await Promise.all([
      kafka ? topics.deleteMatching((name) => /^learner-[0-9a-f]{12}\./.test(name)).catch(failed('learner topics')) : 0,
      admin ? removeLeftoverSessionSchemas(admin, config.topicPrefix).catch(failed('learner schemas')) : 0,
    ]);
    if (topicCount + schemaCount > 0) {
      log(`streamlab: removed what learner sessions of an earlier run left: ${topicCount} topic${topicCount === 1 ? '' : 's'}, ${schemaCount} PostgreSQL schema${schemaCount === 1 ? '' : 's'} with ${schemaCount === 1 ? 'its role' : 'their roles'}.`);
    }
  }

  let allowed: string[] = [];
  // ws closes frames over maxPayload with 1009 but no reason; the cap proper is checked per message in
  // Connection (which gives a reason), and ws's limit only bounds what is buffered before that check.
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.maxFrameBytes * 4 });
  const server = createServer((req, res) => {
    handleHttp(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Internal error\n');
    });
  });
  server.on('upgrade', (req, socket, head) => handleUpgrade(req, socket, head));
  server.on('clientError', (_e, socket) => socket.destroy());

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://streamlab.invalid');
    const path = url.pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') return text(res, 405, 'Method not allowed\n');
    if (path === '/healthz') return json(res, 200, { status: 'ok' });
    if (path === '/api' || path.startsWith('/api/') || path === '/ws') {
      if (!originAllowed(req.headers.origin, allowed)) return json(res, 403, { error: 'This origin may not use the runtime.' });
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (learner(url.searchParams.get('token') ?? bearer) === undefined) return json(res, 401, { error: 'A valid token is required.' });
      if (path === '/api/info') return json(res, 200, { name: 'streamlab', version: context.version, protocol: PROTOCOL_VERSION, features: await context.features() });
      if (path === '/api/serving') return serveAnswer(res, url.searchParams.get('lesson'), url.searchParams.get('session'));
      return json(res, 404, { error: 'No such endpoint.' });
    }
    if (path === '/instructor') {
      if (!tokenMatches(instructorToken, url.searchParams.get('token'))) return html(res, 401, NO_TOKEN_PAGE);
      return html(res, 200, INSTRUCTOR_PAGE);
    }
    if (path === '/instructor/code') {
      // A learner's code is the instructor's to read: no learner's token (shared or a student's) opens it.
      if (!originAllowed(req.headers.origin, allowed)) return json(res, 403, { error: 'This origin may not use the runtime.' });
      if (!tokenMatches(instructorToken, url.searchParams.get('token') ?? /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1])) {
        return json(res, 401, { error: 'The instructor\'s token is required.' });
      }
      const who = url.searchParams.get('learner');
      if (!who) return json(res, 400, { error: 'Name the learner: /instructor/code?learner=<the row\'s learner>.' });
      const lessonId = url.searchParams.get('lesson');
      const code = lessonId ? activity.checkedCodeOf(who, lessonId) : activity.codeOf(who);
      if (!code) return json(res, 404, { error: lessonId ? `No check of ${who} graded lesson ${lessonId} yet.` : `No code of ${who} has reached the runtime yet.` });
      return json(res, 200, code);
    }
    if (path === '/' || path === '/index.html') {
      if (learner(url.searchParams.get('token')) === undefined) return html(res, 401, NO_TOKEN_PAGE);
      if (assets?.status === 'building') return html(res, 503, BUILDING_PAGE);
    }
    if (assets && (await assets.serve(path, req, res))) return;
    if (path === '/' || path === '/index.html') return html(res, 503, NO_WORKBENCH_PAGE);
    return text(res, 404, 'Not found\n');
  }

  /**
   * The serving layer's answer for a lesson; errors as JSON with the status their code means. Learners of
   * a runtime they share each have tables of their own, so there the request names the session whose
   * tables answer (a session id is known only to the page that holds it, like its websocket session).
   */
  async function serveAnswer(res: ServerResponse, lessonId: string | null, sessionId: string | null): Promise<void> {
    if (!lessonId) return json(res, 400, { error: 'Name the lesson: /api/serving?lesson=<id>.' });
    let answering = serving;
    if (config.isolateLearners) {
      if (!sessionId) return json(res, 400, { error: 'This runtime serves several learners: name your session, /api/serving?lesson=<id>&session=<the session id hello answered>.' });
      const session = sessions.get(sessionId);
      if (!session) return json(res, 409, { error: 'That session has ended: reload the page to start a new one.' });
      answering = session.serving;
    }
    try {
      const answer = await answering.answer(lessonId);
      res.setHeader('x-cache', answer.cache.status);
      return json(res, 200, answer);
    } catch (e) {
      if (!(e instanceof RequestError)) throw e;
      const status = e.code === 'not-found' ? 404 : e.code === 'unavailable' ? 503 : 409;
      return json(res, status, { error: e.message });
    }
  }

  // Sockets opened without the token that have not shown it yet: capped, since each one costs memory
  // and anyone who can reach the port can open them.
  let unauthenticated = 0;
  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => {});
    const url = new URL(req.url ?? '/', 'http://streamlab.invalid');
    if (url.pathname === '/instructor/ws') return instructorUpgrade(req, socket, head, url);
    if (url.pathname !== '/ws') return refuse(socket, 404, 'Not Found');
    if (!originAllowed(req.headers.origin, allowed)) return refuse(socket, 403, 'Forbidden');
    const queryToken = url.searchParams.get('token');
    const student = queryToken !== null ? learner(queryToken) : undefined;
    if (queryToken !== null && student === undefined) return refuse(socket, 401, 'Unauthorized');
    if (queryToken === null && unauthenticated >= config.maxUnauthenticatedSockets) return refuse(socket, 503, 'Service Unavailable');
    let counted = queryToken === null;
    if (counted) unauthenticated++;
    const release = () => {
      if (counted) unauthenticated--;
      counted = false;
    };
    socket.once('close', release);
    wss.handleUpgrade(req, socket, head, (ws) => {
      // Without a token in the URL, the first message must be a hello with the token.
      new Connection(ws, context, queryToken !== null, { helloTimeoutMs: config.helloTimeoutMs, onAuthenticated: release, student: student ?? null });
    });
  }

  /**
   * The dashboard's socket: the instructor's token only (a learner's is refused), Origin checked. It hears
   * the class; it may send one thing, a comment to a plan group (instructor-messages.ts), decoded strictly.
   */
  function instructorUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void {
    if (!originAllowed(req.headers.origin, allowed)) return refuse(socket, 403, 'Forbidden');
    if (!tokenMatches(instructorToken, url.searchParams.get('token'))) return refuse(socket, 401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => {
      let timer: NodeJS.Timeout | null = null;
      const push = () => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ kind: 'class', students: activity.snapshot(), groups: activity.planGroups() }));
      };
      // Changes come in bursts (a run's statuses); one message per burst is enough for a person.
      const stop = activity.subscribe(() => {
        timer ??= setTimeout(() => {
          timer = null;
          push();
        }, 100);
      });
      ws.on('message', (data, isBinary) => {
        const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
        if (isBinary || bytes.length > config.maxFrameBytes) return ws.close(1008, 'The dashboard sends JSON comments only.');
        const decoded = decodeInstructorMessage(bytes.toString('utf8'));
        if (!decoded.ok) return ws.send(JSON.stringify({ kind: 'comment.error', id: decoded.id, message: decoded.message }));
        const m = decoded.message;
        try {
          const { comment, students } = activity.comment(m.lessonId, m.students, m.text);
          ws.send(JSON.stringify({ kind: 'comment.ok', id: m.id, commentId: comment.commentId, students }));
        } catch (e) {
          if (!(e instanceof CommentRefused)) throw e;
          ws.send(JSON.stringify({ kind: 'comment.error', id: m.id, message: e.message }));
        }
      });
      ws.on('close', () => {
        stop();
        if (timer) clearTimeout(timer);
      });
      ws.on('error', () => {});
      push();
    });
  }

  const { port, fallback } = await listen(server, config.host, config.port, options.strictPort ?? false);
  allowed = [...ownOrigins(config.host, port), ...config.allowedOrigins.map((o) => o.toLowerCase().replace(/\/$/, ''))];
  const workbenchReady = assets && options.buildWorkbench ? assets.ensureBuilt().then(() => undefined) : Promise.resolve();
  const displayHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host.includes(':') ? `[${config.host}]` : config.host;

  let closing: Promise<void> | null = null;
  return {
    host: config.host,
    port,
    token,
    url: `http://${displayHost}:${port}/?token=${encodeURIComponent(token)}`,
    instructorUrl: `http://${displayHost}:${port}/instructor?token=${encodeURIComponent(instructorToken)}`,
    portFallback: fallback,
    workbenchReady,
    close() {
      closing ??= (async () => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        // close() waits for every connection to end; one the open page keeps busy would hold it for ever.
        server.closeAllConnections();
        await closed;
        await Promise.allSettled([...sessions.values()].map((s) => s.close()));
        await leftovers.catch(() => undefined);
        await Promise.allSettled([topics.close(), database.close()]);
        if (temporaryCheckpoints) rmSync(temporaryCheckpoints, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}

async function listen(server: Server, host: string, port: number, strict: boolean): Promise<{ port: number; fallback: boolean }> {
  const attempt = (p: number) => new Promise<number>((resolve, reject) => {
    const onError = (e: Error) => {
      server.off('listening', onListening);
      reject(e);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(p, host);
  });
  try {
    return { port: await attempt(port), fallback: false };
  } catch (e) {
    if (strict || port === 0 || (e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    return { port: await attempt(0), fallback: true };
  }
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(text);
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(body);
}

function html(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(body);
}

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem}code{background:#8882;padding:.1em .3em;border-radius:3px}</style>
</head><body><h1>${title}</h1>${body}</body></html>
`;

const NO_TOKEN_PAGE = page('Streamlab needs its link',
  '<p>This page needs the token that keeps other sites from running code on your machine.</p>'
  + '<p>Open the URL printed by <code>streamlab start</code> (the line that begins with <code>Streamlab ready:</code>).</p>');
const BUILDING_PAGE = page('Streamlab is building the workbench',
  '<p>The workbench is being built for the first time. Reload this page in a few seconds.</p>');
const NO_WORKBENCH_PAGE = page('Streamlab runtime',
  '<p>The runtime is running, but the workbench is not built. Run <code>npm run build</code> and reload.</p>');
