/**
 * The runtime's build (runtime/bin/build-runtime.js), which `streamlab` runs: one folder per state of
 * the sources, every source compiled beside its source map, the job process's script in it, and the
 * runtime's own errors reported at the TypeScript lines.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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
