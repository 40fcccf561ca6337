/**
 * The lessons tier: every lesson's checks pass on its solution and fail on its starter (each failing
 * check named), graded through the same code the workbench's Check button and `streamlab grade` use,
 * with the learner's code in the sandbox; the checks the report names are exactly the ones the front
 * matter gives points to; and `streamlab grade --dir` over three lesson-03 submissions gives 100 %, 0
 * and a partial score, in CSV, JSON and JUnit (its grades of the solution and the starter are lesson
 * 03's: each is graded once; `--file` on one passing submission is grade-cli.test.ts's).
 *
 * Each grade is a run of its own (its own check process, sandboxes, seed and database namespace), so a
 * lesson's grades run side by side (the project's maxConcurrency bounds how many).
 */
import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLessons } from '../../runtime/src/lessons/load-lessons.js';
import type { Lesson } from '../../runtime/src/lessons/lesson-schema.js';
import type { GradeResult, StudentGrade } from '../../runtime/src/lessons/grade-types.js';
import { gradeSubmission } from '../../runtime/src/lessons/grade-submission.js';
import { runGradeCommand } from '../../runtime/src/lessons/grade-command.js';
import { databaseUrl } from '../services/inject.js';

const LESSONS = fileURLToPath(new URL('../../lessons', import.meta.url));
const IDS = ['01-kafka-basics', '02-dstream-temperature', '03-structured-windows', '04-report-topic-and-output-modes', '06-stream-inference'];

let lessons: Lesson[];

beforeAll(async () => {
  lessons = await loadLessons(LESSONS);
});

const files = (l: Lesson, which: 'starter' | 'solution') => Object.entries(l[which]).map(([path, content]) => ({ path, content }));

/**
 * `streamlab grade --dir` over three lesson-03 submissions: alice hands in the solution, bob the
 * untouched starter (as a folder), carol rounds the averages to integers. Run once; its grades of alice
 * and bob are also lesson 03's solution and starter grades below.
 */
interface FolderRun { dir: string; code: number; stdout: string; stderr: string; grades: StudentGrade[] }
let folderRun: Promise<FolderRun> | undefined;
const gradeFolder = () => (folderRun ??= (async () => {
  const dir = await mkdtemp(join(tmpdir(), 'grade-dir-'));
  await mkdir(join(dir, 'submissions', 'bob'), { recursive: true });
  await cp(join(LESSONS, '03-structured-windows', 'solution.ts'), join(dir, 'submissions', 'alice.ts'));
  await cp(join(LESSONS, '03-structured-windows', 'starter.ts'), join(dir, 'submissions', 'bob', 'starter.ts'));
  await cp(fileURLToPath(new URL('./fixtures/03/wrong-rounded-average.ts', import.meta.url)), join(dir, 'submissions', 'carol.ts'));
  let stdout = '';
  let stderr = '';
  const code = await runGradeCommand(
    ['--lesson', '03', '--seed', '1234', '--hidden-seed', '99', '--dir', join(dir, 'submissions'), '--csv', join(dir, 'grades.csv'), '--json', join(dir, 'grades.json'), '--junit', join(dir, 'grades.xml')],
    { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } },
  );
  const grades = JSON.parse(await readFile(join(dir, 'grades.json'), 'utf8')) as StudentGrade[];
  return { dir, code, stdout, stderr, grades };
})());

afterAll(async () => {
  if (folderRun) await rm((await folderRun).dir, { recursive: true, force: true });
});

/** A lesson's grade of its solution or starter; lesson 03's are alice's and bob's in the folder run. */
async function gradeLesson(lesson: Lesson, which: 'starter' | 'solution'): Promise<GradeResult> {
  if (lesson.id === '03-structured-windows') {
    const student = which === 'solution' ? 'alice' : 'bob';
    return (await gradeFolder()).grades.find((g) => g.student === student)!.result;
  }
  return gradeSubmission({ lesson, files: files(lesson, which), entry: `${which}.ts` });
}

describe('streamlab grade --dir over three lesson-03 submissions', () => {
  it('scores the solution 100 %, the starter 0 and rounded averages partially, in CSV, JSON and JUnit', async () => {
    const { dir, code, stdout, stderr, grades: json } = await gradeFolder();
    expect(code).toBe(1);
    expect(stderr.split('\n').filter((l) => l.startsWith('grading '))).toEqual(['grading 1/3: alice', 'grading 2/3: bob', 'grading 3/3: carol']);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('11 passed, 16 failed');
    expect(await readFile(join(dir, 'grades.csv'), 'utf8')).toBe([
      'student,passed,total,points,max_points,update-averages,event-time-windows,late-kept,late-dropped,append-starts,append-waits,append-final,report-topic,unseen-day,seed,hidden_seed,reason',
      'alice,9,9,20,20,passed,passed,passed,passed,passed,passed,passed,passed,passed,1234,99,',
      'bob,0,9,0,20,failed,failed,failed,failed,failed,failed,failed,failed,failed,1234,99,',
      'carol,2,9,3,20,failed,failed,failed,failed,passed,passed,failed,failed,failed,1234,99,',
      '',
    ].join('\n'));
    expect(json.map((g) => [g.student, g.result.score, g.result.maxScore, g.result.seed])).toEqual([['alice', 20, 20, 1234], ['bob', 0, 20, 1234], ['carol', 3, 20, 1234]]);
    const xml = await readFile(join(dir, 'grades.xml'), 'utf8');
    expect(xml.match(/<testsuite name="[^"]*" tests="\d+" failures="\d+"/g)).toEqual([
      '<testsuite name="alice · 03-structured-windows" tests="9" failures="0"',
      '<testsuite name="bob · 03-structured-windows" tests="9" failures="9"',
      '<testsuite name="carol · 03-structured-windows" tests="9" failures="7"',
    ]);
  });
});

describe.concurrent.each(IDS)('lesson %s', (id) => {
  it('passes every check on solution.ts, with each check worth its front matter points', async () => {
    const lesson = lessons.find((l) => l.id === id)!;
    const r = await gradeLesson(lesson, 'solution');
    expect(r.tests.map((t) => [t.id, t.status, t.message, t.points])).toEqual(Object.entries(lesson.points).map(([check, points]) => [check, 'passed', null, points]));
    expect([r.score, r.maxScore, r.reason]).toEqual([Object.values(lesson.points).reduce((a, b) => a + b, 0), r.maxScore, null]);
  });

  it('fails every check on starter.ts', async () => {
    const lesson = lessons.find((l) => l.id === id)!;
    const r = await gradeLesson(lesson, 'starter');
    expect(r.tests.map((t) => [t.id, t.status])).toEqual(Object.keys(lesson.points).map((check) => [check, 'failed']));
    expect([r.passed, r.score, r.reason]).toEqual([0, 0, null]);
    // Each failure says why in the learner's words, never as an assertion library's dump.
    for (const t of r.tests) expect(t.message).not.toMatch(/AssertionError|expected \[|toEqual|import_streamlab/);
  });
});

describe.concurrent('lesson 06 on held-out submissions (the in-memory cluster)', () => {
  const [c1, c2, c3, c4] = ['answers-every-input', 'answers-bad-rows', 'nothing-extra', 'udf-variant'];
  const cases: [string, Record<string, 'passed' | 'failed'>][] = [
    // Bad rows kept as NaN by the model and answered with when/otherwise, no union: as correct.
    ['correct-keep-and-when.ts', { [c1!]: 'passed', [c2!]: 'passed', [c3!]: 'passed', [c4!]: 'passed' }],
    // handleInvalid "skip": bad rows vanish without an answer.
    ['wrong-skip-bad-rows.ts', { [c1!]: 'passed', [c2!]: 'failed', [c3!]: 'failed', [c4!]: 'passed' }],
    // Probabilities rounded to 3 digits: the right shape, not Spark's numbers.
    ['wrong-rounded-probabilities.ts', { [c1!]: 'failed', [c2!]: 'failed', [c3!]: 'passed', [c4!]: 'passed' }],
    // One fixed answer for every input, whatever it says.
    ['cheat-fixed-answers.ts', { [c1!]: 'failed', [c2!]: 'failed', [c3!]: 'passed', [c4!]: 'passed' }],
    // One record per input keyed by its id, in the answer's shape, with values that mean nothing: only
    // nothing-extra, which counts records and reads keys, passes; the value checks catch it.
    ['cheat-arbitrary-values.ts', { [c1!]: 'failed', [c2!]: 'failed', [c3!]: 'passed', [c4!]: 'failed' }],
    // Spark's answers for the lesson's ten example readings written down by id, in both variants.
    ['cheat-spark-answers-by-id.ts', { [c1!]: 'failed', [c2!]: 'failed', [c3!]: 'passed', [c4!]: 'failed' }],
  ];
  it.each(cases)('grades %s', async (file, want) => {
    const lesson = lessons.find((l) => l.id === '06-stream-inference')!;
    const content = await readFile(fileURLToPath(new URL(`./fixtures/06/${file}`, import.meta.url)), 'utf8');
    const r = await gradeSubmission({ lesson, files: [{ path: file, content }], entry: file });
    expect(Object.fromEntries(r.tests.map((t) => [t.id, t.status]))).toEqual(want);
  });
});

/** Lesson 05 writes tables: its checks get the run's PostgreSQL, where each sandbox has a schema and role of its own. */
describe('lesson 05-locations-micro-batch-vs-flow', () => {
  it('passes every check on solution.ts, with each check worth its front matter points, and fails every check on starter.ts', async () => {
    const lesson = lessons.find((l) => l.id === '05-locations-micro-batch-vs-flow')!;
    const solved = await gradeSubmission({ lesson, files: files(lesson, 'solution'), entry: 'solution.ts', database: databaseUrl() });
    expect(solved.tests.map((t) => [t.id, t.status, t.message, t.points])).toEqual(Object.entries(lesson.points).map(([check, points]) => [check, 'passed', null, points]));
    expect(solved.tests).toHaveLength(6);
    const started = await gradeSubmission({ lesson, files: files(lesson, 'starter'), entry: 'starter.ts', database: databaseUrl() });
    expect(started.tests.map((t) => [t.id, t.status])).toEqual(Object.keys(lesson.points).map((check) => [check, 'failed']));
    for (const t of started.tests) expect(t.message).not.toMatch(/AssertionError|expected \[|toEqual|import_streamlab/);
  });
});

/**
 * Lesson 07 reads a lake of CSV files (each sandbox gets its own folder of them) and writes PostgreSQL.
 * Held-out submissions: written differently but right; a replayed report counted twice; no watermark;
 * a serving view that never retires the speed view.
 */
describe.concurrent('lesson 07-lambda-architecture', () => {
  const lesson = () => lessons.find((l) => l.id === '07-lambda-architecture')!;

  it('passes every check on solution.ts, with each check worth its front matter points, and fails every check on starter.ts', async () => {
    const solved = await gradeSubmission({ lesson: lesson(), files: files(lesson(), 'solution'), entry: 'solution.ts', database: databaseUrl() });
    expect(solved.tests.map((t) => [t.id, t.status, t.message, t.points])).toEqual(Object.entries(lesson().points).map(([check, points]) => [check, 'passed', null, points]));
    expect(solved.tests).toHaveLength(7);
    const started = await gradeSubmission({ lesson: lesson(), files: files(lesson(), 'starter'), entry: 'starter.ts', database: databaseUrl() });
    expect(started.tests.map((t) => [t.id, t.status])).toEqual(Object.keys(lesson().points).map((check) => [check, 'failed']));
    for (const t of started.tests) expect(t.message).not.toMatch(/AssertionError|expected \[|toEqual|import_streamlab/);
  });

  const failing = (...ids: string[]) => (id: string) => (ids.includes(id) ? 'failed' : 'passed');
  const cases: [string, (id: string) => 'passed' | 'failed'][] = [
    ['correct-sql-filters.ts', failing()],
    ['wrong-counts-replays-twice.ts', failing('speed-event-time', 'speed-watermark', 'speed-exactly-once', 'serving-merge', 'serving-recomputed')],
    ['wrong-no-watermark.ts', failing('speed-watermark')],
    ['wrong-speed-never-retires.ts', failing('serving-recomputed')],
    // No watermark, and the one report the fixed world drops left out by name: passed speed-watermark
    // while that check fed only the fixed world.
    ['cheat-drops-the-known-late-report.ts', failing('speed-watermark')],
  ];
  it.each(cases)('grades %s', async (file, want) => {
    const content = await readFile(fileURLToPath(new URL(`./fixtures/07/${file}`, import.meta.url)), 'utf8');
    const r = await gradeSubmission({ lesson: lesson(), files: [{ path: file, content }], entry: file, database: databaseUrl(), seed: 20261121 });
    expect(Object.fromEntries(r.tests.map((t) => [t.id, t.status]))).toEqual(Object.fromEntries(Object.keys(lesson().points).map((id) => [id, want(id)])));
  });
});
