/**
 * The type checker (runtime, tests, lessons and workbench) and ESLint (which also enforces the
 * engine's purity) run as part of `npm test`, so a type error or a lint failure fails the run.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

function run(bin: string, args: string[]): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [fileURLToPath(new URL(`../../node_modules/${bin}`, import.meta.url)), ...args], { cwd: root, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}`.trim() };
}

// The checks take seconds on an idle machine and several minutes on a loaded one; the bound only
// catches a hang.
describe('static checks', () => {
  it.each([
    ['the runtime, tests and lessons', 'tsconfig.json'],
    ['the workbench', 'workbench/tsconfig.json'],
  ])('%s type-check (%s)', (_what, project) => {
    expect(run('typescript/bin/tsc', ['-p', project, '--noEmit'])).toEqual({ status: 0, output: '' });
  }, 900_000);

  it('ESLint reports nothing', () => {
    expect(run('eslint/bin/eslint.js', ['.'])).toEqual({ status: 0, output: '' });
  }, 900_000);
});
