/**
 * Realistic submissions for lessons 01–04 (`fixtures/NN/*.ts`), graded through the grader with a fixed
 * seed: every `correct-*` one (right, but written differently from the solution) gets every point,
 * every `wrong-*` one (a mistake the lesson is about) and every `cheat-*` one (output that is not
 * computed) loses points. A `cheat-*` one written against one check's fixed scenario fails that check:
 * the check's random cases are what it cannot have written down. A `fitted-*` one is right on
 * everything the visible checks show (their day, their producers) and on nothing else: it passes every
 * visible check and fails exactly the lesson's hidden ones, whose inputs come from the hidden seed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, it } from 'vitest';
import { findLesson, loadLessons } from '../../runtime/src/lessons/load-lessons.js';
import type { Lesson } from '../../runtime/src/lessons/lesson-schema.js';
import { gradeSubmission } from '../../runtime/src/lessons/grade-submission.js';

const LESSONS = fileURLToPath(new URL('../../lessons', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const SEED = 20261121;
/** The checks a hard-coded submission targets: it passed them when they fed only the lesson's fixed data. */
const TARGETS: Record<string, string[]> = {
  '03/cheat-append-literal-windows.ts': ['append-starts'],
  '03/cheat-append-writes-nothing.ts': ['append-starts', 'append-waits'],
};
const cases = ['01', '02', '03', '04'].flatMap((n) => readdirSync(`${FIXTURES}${n}`).filter((f) => f.endsWith('.ts')).sort().map((f) => [`${n}/${f}`, n, f] as const));

let lessons: Lesson[];
beforeAll(async () => {
  lessons = await loadLessons(LESSONS);
});

// Each grade is independent of the others (its own check process, sandboxes and in-memory Kafka, a
// fixed seed) and spends most of its time waiting on them: two run at once (the tier's maxConcurrency).
describe.concurrent.each(cases)('%s', (_name, n, file) => {
  it(file.startsWith('correct-') ? 'gets every point' : 'loses points', async ({ expect }) => {
    const lesson = findLesson(lessons, n)!;
    const r = await gradeSubmission({ lesson, files: [{ path: 'solution.ts', content: readFileSync(`${FIXTURES}${n}/${file}`, 'utf8') }], seed: SEED });
    if (file.startsWith('correct-')) expect(r.tests.filter((t) => t.status !== 'passed').map((t) => [t.id, t.message])).toEqual([]);
    else if (file.startsWith('fitted-')) {
      expect(Object.keys(lesson.hidden)).not.toEqual([]);
      expect(r.tests.filter((t) => t.status !== 'passed').map((t) => t.id), r.tests.map((t) => `${t.id}: ${t.message}`).join('\n')).toEqual(Object.keys(lesson.hidden));
    } else expect(r.score, r.tests.map((t) => `${t.id}: ${t.status}`).join('\n')).toBeLessThan(r.maxScore);
    const targets = TARGETS[`${n}/${file}`] ?? [];
    expect(r.tests.filter((t) => targets.includes(t.id)).map((t) => [t.id, t.status])).toEqual(targets.map((id) => [id, 'failed']));
  });
});
