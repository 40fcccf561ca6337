/**
 * The runtime's build (runtime/bin/build-runtime.js), which `streamlab` runs: one folder per state of
 * the sources, every source compiled beside its source map, the job process's script in it, and the
 * runtime's own errors reported at the TypeScript lines. The first start after a change says that it
 * builds first, and the build can be read by every user.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RUNTIME_DIR, runtimeBuild } from '../../runtime/bin/build-runtime.js';

const SRC = join(RUNTIME_DIR, 'src');

function sources(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

describe('the runtime build', () => {
  it('is one folder for the current sources, made once, with every source compiled and the job script', async () => {
    const first = await runtimeBuild();
    const again = await runtimeBuild();
    expect(again).toEqual({ dir: first.dir, built: false });
    expect(dirname(first.dir)).toBe(join(RUNTIME_DIR, 'dist'));
    expect(basename(first.dir)).toMatch(/^[0-9a-f]{16}$/);
    const missing = sources().map((f) => relative(SRC, f).replace(/\.ts$/, '.js')).filter((f) => !existsSync(join(first.dir, f)));
    expect(missing).toEqual([]);
    expect(['job/job-child.mjs', 'job/sync-reader-worker.mjs'].filter((f) => !existsSync(join(first.dir, f)))).toEqual([]);
    // Each map names the source it was made from.
    const map = JSON.parse(readFileSync(join(first.dir, 'jobs', 'job-run.js.map'), 'utf8')) as { sources: string[] };
    expect(map.sources.map((s) => resolve(join(first.dir, 'jobs'), s))).toEqual([join(SRC, 'jobs', 'job-run.ts')]);
  }, 120_000);

  it("reports the runtime's own errors at the lines of its TypeScript sources, as `streamlab` runs it", async () => {
    const { dir } = await runtimeBuild();
    const source = readFileSync(join(SRC, 'config.ts'), 'utf8').split('\n');
    const line = source.findIndex((l) => l.includes('STREAMLAB_CONFIG names a missing file')) + 1;
    expect(line).toBeGreaterThan(0);
    const script = `process.setSourceMapsEnabled(true);
const { loadConfig } = await import(${JSON.stringify(pathToFileURL(join(dir, 'config.js')).href)});
try { loadConfig({}, { STREAMLAB_CONFIG: 'no-such-file.yaml' }); } catch (e) { console.log(e.stack.split('\\n')[1]); }`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toMatch(new RegExp(`\\(${join(SRC, 'config.ts').replace(/[/.]/g, '\\$&')}:${line}:\\d+\\)$`));
  }, 120_000);
});

describe('streamlab', () => {
  it('says why it waits when it builds first, and starts silently from a current build', () => {
    // A copy of the runtime whose sources have no build yet: the first start after a change.
    const root = mkdtempSync(join(tmpdir(), 'streamlab-build-'));
    try {
      cpSync(join(RUNTIME_DIR, 'bin'), join(root, 'runtime', 'bin'), { recursive: true });
      cpSync(SRC, join(root, 'runtime', 'src'), { recursive: true });
      cpSync(join(RUNTIME_DIR, 'package.json'), join(root, 'runtime', 'package.json'));
      symlinkSync(join(RUNTIME_DIR, '..', 'node_modules'), join(root, 'node_modules'));
      const start = () => spawnSync(process.execPath, [join(root, 'runtime', 'bin', 'streamlab.js'), '--version'], { encoding: 'utf8' });
      const first = start();
      expect(first.status).toBe(0);
      expect(first.stderr).toMatch(/^streamlab: the runtime changed since its last build; building it first \(a few seconds, once per change\)…\nstreamlab: runtime built in \d+\.\d s\.\n$/);
      expect(first.stdout).toMatch(/^streamlab \d+\.\d+\.\d+\n$/);
      // The build is for every user, not only its maker's: an image builds as root and runs as another.
      const builds = readdirSync(join(root, 'runtime', 'dist'));
      expect(builds).toEqual([expect.stringMatching(/^[0-9a-f]{16}$/)]);
      expect(statSync(join(root, 'runtime', 'dist', builds[0]!)).mode & 0o777).toBe(0o755);
      const again = start();
      expect(again.stderr).toBe('');
      expect(again.stdout).toBe(first.stdout);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 180_000);
});
