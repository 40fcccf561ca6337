import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileLearnerFiles } from '../../../runtime/src/jobs/compile.js';
import { typecheckLearnerFiles } from '../../../runtime/src/jobs/typecheck.js';
import { repoRoot } from '../../e2e/runtime-process.js';

const lessonsDir = join(repoRoot, 'lessons');
const starter03 = readFileSync(join(lessonsDir, '03-structured-windows', 'starter.ts'), 'utf8');

describe('typecheckLearnerFiles', () => {
  it('reports a wrong argument type at the learner\'s line with TypeScript\'s message', async () => {
    const content = starter03.replace('.load()', '.load()\n    .withWatermark("ts", 30)');
    const errors = await typecheckLearnerFiles([{ path: 'starter.ts', content }]);
    const line = content.split('\n').findIndex((l) => l.includes('withWatermark')) + 1;
    expect(errors).toEqual([{
      code: 'type-error',
      file: 'starter.ts',
      line,
      column: 26,
      message: "Argument of type 'number' is not assignable to parameter of type 'string'.",
      stack: `Argument of type 'number' is not assignable to parameter of type 'string'.\n    at starter.ts:${line}:26\n    ${content.split('\n')[line - 1]}`,
    }]);
  }, 120_000);

  it('reports every error of every file, in order, and checks imports between the learner\'s files', async () => {
    const errors = await typecheckLearnerFiles([
      { path: 'main.ts', content: 'import { rate } from "./util";\nconst a: string = rate();\nconst b: number = "x";\nconsole.log(a, b);\n' },
      { path: 'util.ts', content: 'export function rate(): number { return 1; }\nexport const u: boolean = 3;\n' },
    ]);
    expect(errors.map((e) => [e.file, e.line, e.message])).toEqual([
      ['main.ts', 2, "Type 'number' is not assignable to type 'string'."],
      ['main.ts', 3, "Type 'string' is not assignable to type 'number'."],
      ['util.ts', 2, "Type 'number' is not assignable to type 'boolean'."],
    ]);
  }, 120_000);

  it('accepts every lesson\'s starter and solution', async () => {
    const lessons = readdirSync(lessonsDir).filter((d) => /^\d\d-/.test(d));
    expect(lessons.length).toBeGreaterThanOrEqual(6);
    for (const lesson of lessons) {
      for (const file of ['starter.ts', 'solution.ts']) {
        const path = join(lessonsDir, lesson, file);
        if (!existsSync(path)) continue;
        expect({ lesson, file, errors: await typecheckLearnerFiles([{ path: file, content: readFileSync(path, 'utf8') }]) }).toEqual({ lesson, file, errors: [] });
      }
    }
  }, 120_000);
});

describe('compileLearnerFiles with typecheck', () => {
  it('refuses code with type errors and lists them all; without the option it bundles', async () => {
    const files = [{ path: 'main.ts', content: 'const a: number = "x";\nconst b: string = 1;\nconsole.log(a, b);\n' }];
    const checked = await compileLearnerFiles(files, undefined, { typecheck: true });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.errors.map((e) => [e.code, e.line])).toEqual([['type-error', 1], ['type-error', 2]]);
    expect(checked.error).toEqual(checked.errors[0]);
    expect((await compileLearnerFiles(files)).ok).toBe(true);
  }, 120_000);

  it('reports a syntax error as esbuild does, not as type errors', async () => {
    const result = await compileLearnerFiles([{ path: 'main.ts', content: 'const a = ;\n' }], undefined, { typecheck: true });
    expect(result.ok ? null : [result.error.code, result.error.line, result.errors.length]).toEqual(['compile-error', 1, 1]);
  }, 120_000);
});
