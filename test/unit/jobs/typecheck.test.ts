import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileLearnerFiles } from '../../../runtime/src/jobs/compile.js';
import { TypecheckService, typecheckLearnerFiles } from '../../../runtime/src/jobs/typecheck.js';
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

describe('the type-check worker', () => {
  const wrong = [{ path: 'main.ts', content: 'const a: number = "x";\nconsole.log(a);\n' }];

  it('ends a check that passes its deadline with one error saying so, and serves the next check with a new worker', async () => {
    // A cold worker cannot load the compiler in 1 ms: the deadline passes first, as it would for types that expand without end.
    const service = new TypecheckService({ warmMs: 1, coldMs: 1 });
    try {
      expect(await service.check(wrong)).toEqual([{
        code: 'type-error', file: null, line: null, column: null,
        message: 'TypeScript did not finish checking your files within 1 ms, so the pipeline did not start. Types that expand without end (deeply nested or recursive generic types) do this; simplify them.',
        stack: 'TypeScript did not finish checking your files within 1 ms, so the pipeline did not start. Types that expand without end (deeply nested or recursive generic types) do this; simplify them.',
      }]);
    } finally {
      service.close();
    }
    const fresh = new TypecheckService();
    try {
      const [first, second] = await Promise.all([fresh.check(wrong), fresh.check([{ path: 'ok.ts', content: 'export const n: number = 1;\n' }])]);
      expect(first.map((e) => e.line)).toEqual([1]);
      expect(second).toEqual([]);
    } finally {
      fresh.close();
    }
  }, 180_000);

  it('answers queued checks when it is closed', async () => {
    const service = new TypecheckService();
    const pending = [service.check(wrong), service.check(wrong)];
    service.close();
    expect((await Promise.all(pending)).map((errors) => errors.map((e) => e.message))).toEqual([
      ['The runtime is stopping; the files were not type-checked.'],
      ['The runtime is stopping; the files were not type-checked.'],
    ]);
  });
});
