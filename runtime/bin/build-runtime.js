#!/usr/bin/env node
/**
 * The runtime as plain JavaScript, so `streamlab` starts without compiling TypeScript first.
 *
 *   runtime/src/**.ts  →  runtime/dist/<fingerprint>/**.js (+ .js.map back to the sources)
 *                         runtime/dist/<fingerprint>/job/job-child.mjs, sync-reader-worker.mjs
 *                         (the job process's script and its worker, each one file; sandbox-process.ts)
 *
 * The fingerprint is a hash of the sources and of this file, so a build is never stale: a changed
 * source means another folder, built on the next start (about two seconds). `npm ci` builds once
 * (the root's `prepare`); `streamlab` builds when the sources changed since. A build is written to a
 * temporary folder and renamed into place, so processes starting together never see half of one, and
 * a running process keeps its own build while a newer one is made. The newest builds are kept.
 *
 * Run as a script (`node runtime/bin/build-runtime.js`), it builds when needed and says so.
 */
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The runtime package's folder. */
export const RUNTIME_DIR = fileURLToPath(new URL('..', import.meta.url));
const SRC = join(RUNTIME_DIR, 'src');
const DIST = join(RUNTIME_DIR, 'dist');
/** Written last into a build: a folder without it is not a build. */
const MARK = 'build.json';
/** How many builds stay in runtime/dist (a running process may still load modules from an older one). */
const KEEP = 3;
/** A build started from this recently stays too, however many were made since. */
const IN_USE_MS = 2 * 3_600_000;

/** The runtime's TypeScript sources, tests left out, in a stable order. */
function sourceFiles(dir = SRC) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) out.push(path);
  }
  return out.sort();
}

/** A hash of the sources, of this file and of the esbuild that compiles them. */
function fingerprint(files, esbuildVersion) {
  const hash = createHash('sha256');
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  hash.update(esbuildVersion);
  for (const file of files) {
    hash.update(`\0${relative(SRC, file).split(sep).join('/')}\0`);
    hash.update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * The build of the current sources, made first if there is none.
 * @param {{ onBuild?: () => void }} [options] onBuild is called before a build is made (not when one is current)
 * @returns the build's folder and whether this call made it
 * @throws when there are no sources here or the build cannot be written (a read-only install)
 */
export async function runtimeBuild(options = {}) {
  if (!existsSync(SRC)) throw new Error('the runtime has no sources here');
  const files = sourceFiles();
  // esbuild's version from its manifest: loading esbuild itself is only worth it to build.
  const esbuildVersion = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('esbuild/package.json'), 'utf8')).version;
  const dir = join(DIST, fingerprint(files, esbuildVersion));
  if (existsSync(join(dir, MARK))) {
    try {
      // Marks the build as in use, so a newer one does not prune it from under this process.
      const now = new Date();
      utimesSync(join(dir, MARK), now, now);
    } catch {
      // A read-only install keeps every build anyway.
    }
    return { dir, built: false };
  }
  options.onBuild?.();
  mkdirSync(DIST, { recursive: true });
  const tmp = mkdtempSync(join(DIST, '.building-'));
  try {
    await compile(await import('esbuild'), files, tmp);
    writeFileSync(join(tmp, MARK), `${JSON.stringify({ builtAt: new Date().toISOString(), sources: files.length })}\n`);
    // mkdtemp makes the folder for its owner alone. A build is read by whoever runs the runtime: an
    // image builds it as root and runs it as another user, who must find it current rather than
    // build it again (and, unable to write there, fall back to the TypeScript sources).
    chmodSync(tmp, 0o755);
    try {
      renameSync(tmp, dir);
    } catch (e) {
      // Another process finished the same build first; theirs is as good.
      if (!existsSync(join(dir, MARK))) throw e;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  prune(dir);
  return { dir, built: true };
}

async function compile(esbuild, files, outdir) {
  const entries = files.filter((f) => !f.endsWith('.d.ts'));
  await esbuild.build({
    entryPoints: entries,
    outbase: SRC,
    outdir,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'silent',
  });
  await esbuild.build({
    entryPoints: {
      'job-child': join(SRC, 'jobs', 'child', 'job-child.ts'),
      'sync-reader-worker': join(SRC, 'connectors', 'kafka', 'sync-reader-worker.ts'),
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir: join(outdir, 'job'),
    outExtension: { '.js': '.mjs' },
    // The job process may read only these two files: no source maps beside them. Learner frames are
    // mapped by the pipeline's own map (stack-remap.ts), not by Node.
    sourcemap: false,
    logLevel: 'silent',
    external: ['pg-native'],
    // CommonJS dependencies (kafkajs, pg) call require() for Node built-ins.
    banner: { js: "import { createRequire as __slCreateRequire } from 'node:module'; const require = __slCreateRequire(import.meta.url);" },
  });
}

/**
 * Removes builds beyond the newest ones that no process started from in the last two hours, and
 * temporary folders of builds that died an hour ago or more.
 */
function prune(keep) {
  try {
    const now = Date.now();
    const builds = [];
    for (const name of readdirSync(DIST)) {
      const path = join(DIST, name);
      if (path === keep) continue;
      if (name.startsWith('.building-')) {
        if (now - statSync(path).mtimeMs > 3_600_000) rmSync(path, { recursive: true, force: true });
      } else if (existsSync(join(path, MARK))) {
        builds.push({ path, at: statSync(join(path, MARK)).mtimeMs });
      }
    }
    builds.sort((a, b) => b.at - a.at);
    for (const old of builds.slice(KEEP - 1)) if (now - old.at > IN_USE_MS) rmSync(old.path, { recursive: true, force: true });
  } catch {
    // Old builds only take space.
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (!existsSync(SRC)) {
    console.log('streamlab: no runtime sources here; nothing to build.');
  } else {
    const started = Date.now();
    const { dir, built } = await runtimeBuild();
    const where = relative(process.cwd(), dir) || dir;
    console.log(built ? `streamlab: runtime built in ${((Date.now() - started) / 1000).toFixed(1)} s (${where}).` : `streamlab: runtime build is current (${where}).`);
  }
}
