/**
 * The repository stands alone: no source, test, script or document reaches for a folder beside the
 * checkout. What it once read from there (the Spark conformance scenarios, the semantics they pin, the
 * broker and infrastructure research) lives in `test/conformance/` and `docs/spec/`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SKIP = new Set(['node_modules', 'dist', 'dist-static', 'test-results', '.git', 'coverage']);
const TEXT = /\.(ts|mts|mjs|js|json|md|py|ya?ml|sh)$/;
// Built from parts so that this file does not match itself.
const BESIDE = new RegExp(['\\.\\./', 'shared/'].join(''));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (SKIP.has(name)) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return TEXT.test(name) ? [path] : [];
  });
}

describe('the repository on its own', () => {
  it('names no folder beside the checkout in any source, test, script or document', () => {
    const dirs = ['runtime', 'workbench', 'lessons', 'test', 'scripts', 'bench', 'docs', 'compose', 'k8s', '.ci'];
    const all = [...dirs.flatMap((d) => files(join(root, d))), join(root, 'README.md')];
    expect(all.length).toBeGreaterThan(500);
    const offending = all.filter((f) => BESIDE.test(readFileSync(f, 'utf8'))).map((f) => relative(root, f));
    expect(offending).toEqual([]);
  });
});
