/**
 * Realistic submissions for lessons 01–04 (`fixtures/NN/*.ts`), graded through the grader with a fixed
 * seed: every `correct-*` one (right, but written differently from the solution) gets every point,
 * every `wrong-*` one (a mistake the lesson is about) and every `cheat-*` one (output that is not
 * computed) loses points.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { findLesson, loadLessons } from '../../runtime/src/lessons/load-lessons.js';
import type { Lesson } from '../../runtime/src/lessons/lesson-schema.js';
import { gradeSubmission } from '../../runtime/src/lessons/grade-submission.js';

const LESSONS = fileURLToPath(new URL('../../lessons', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const SEED = 20261121;
const cases = ['01', '02', '03', '04'].flatMap((n) => readdirSync(`${FIXTURES}${n}`).filter((f) => f.endsWith('.ts')).sort().map((f) => [`${n}/${f}`, n, f] as const));

let lessons: Lesson[];
beforeAll(async () => {
  lessons = await loadLessons(LESSONS);
});

describe.each(cases)('%s', (_name, n, file) => {
  it(file.startsWith('correct-') ? 'gets every point' : 'loses points', async () => {
    const lesson = findLesson(lessons, n)!;
    const r = await gradeSubmission({ lesson, files: [{ path: 'solution.ts', content: readFileSync(`${FIXTURES}${n}/${file}`, 'utf8') }], seed: SEED });
    if (file.startsWith('correct-')) expect(r.tests.filter((t) => t.status !== 'passed').map((t) => [t.id, t.message])).toEqual([]);
    else expect(r.score, r.tests.map((t) => `${t.id}: ${t.status}`).join('\n')).toBeLessThan(r.maxScore);
  });
});
