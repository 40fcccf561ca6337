/**
 * What lets a folder's grading resume and keeps hidden checks hidden: the state file (a grade is kept
 * by a key of the lesson, the seed and the files; a cut-short or edited line is skipped), the learner's
 * view of a grade, how many grades the machine carries, and a resumed run's progress.
 */
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gradeAll, machineJobs, type Student } from '../../../runtime/src/lessons/grade-command.js';
import { formatResult, learnerView } from '../../../runtime/src/lessons/grade-report.js';
import { lessonFingerprint, loadGradeState, recordGrade, submissionKey, writeGradeState } from '../../../runtime/src/lessons/grade-state.js';
import { failedGrade, gradeFromReport } from '../../../runtime/src/lessons/grade-submission.js';
import { lessonFrontMatter } from '../../../runtime/src/lessons/lesson-schema.js';

const work = await mkdtemp(join(tmpdir(), 'streamlab-grade-state-'));
afterAll(() => rm(work, { recursive: true, force: true }));

const lesson = { id: '03-x', points: { 'on-time': 2, 'late-data': 3 }, hidden: { 'late-data': 'late records' } };
const graded = gradeFromReport(lesson, 11, {
  errors: [],
  checks: [
    { id: 'on-time', title: 'averages on-time readings', status: 'passed', durationMs: 5, failure: null },
    { id: 'late-data', title: 'drops sensor-9 at 10:00:30', status: 'failed', durationMs: 5, failure: { message: 'expected [sensor-9, 41.5]', file: 'alice.ts', line: 7, diff: { columns: ['sensor', 'avg'], missing: [['sensor-9', 41.5]], unexpected: [] } } },
  ],
}, 'unused', 4242);

describe('the grading state', () => {
  it('keeps a grade by lesson, seeds, student and files, and skips lines a kill cut short or someone edited', async () => {
    const file = join(work, 'grades.state.jsonl');
    const files = [{ path: 'a.ts', content: 'x' }];
    const seeds = { seed: 11, hiddenSeed: 4242 };
    const key = submissionKey('f1', seeds, 'alice', files);
    expect(submissionKey('f1', seeds, 'alice', [{ path: 'a.ts', content: 'y' }])).not.toBe(key);
    expect(submissionKey('f2', seeds, 'alice', files)).not.toBe(key);
    expect(submissionKey('f1', { seed: 12, hiddenSeed: 4242 }, 'alice', files)).not.toBe(key);
    expect(submissionKey('f1', { seed: 11, hiddenSeed: 4243 }, 'alice', files)).not.toBe(key);
    expect(submissionKey('f1', seeds, 'bob', files)).not.toBe(key);
    expect(submissionKey('f1', { seed: 11, hiddenSeed: 4242 }, 'alice', [{ path: 'a.ts', content: 'x' }])).toBe(key);

    await recordGrade(file, key, 'alice', graded);
    // A write cut short, then a line with the wrong shape, then garbage.
    await appendFile(file, '{"v":1,"key":"' + 'a'.repeat(64) + '","student":"bob","result":{"lessonId":"03-x","se');
    await appendFile(file, '\n{"v":1,"key":"' + 'b'.repeat(64) + '","student":"cid","result":{"score":"all"}}\n\u0000\u0001garbage\n');
    await recordGrade(file, 'c'.repeat(64), 'dee', failedGrade(lesson, 11, 'The folder has no .ts files.', 4242));
    const state = await loadGradeState(file);
    expect({ keys: [...state.grades.keys()], unreadable: state.unreadable, seeds: state.seeds }).toEqual({ keys: [key, 'c'.repeat(64)], unreadable: 3, seeds });
    expect(state.grades.get(key)).toEqual({ student: 'alice', result: graded });

    await writeGradeState(file, [{ key, student: 'alice', result: graded }]);
    expect((await readFile(file, 'utf8')).split('\n')).toHaveLength(2);
    expect((await loadGradeState(file)).unreadable).toBe(0);
    expect(await loadGradeState(join(work, 'none.jsonl'))).toEqual({ grades: new Map(), seeds: null, unreadable: 0 });
  });

  it('fingerprints every file of the lesson folder', async () => {
    const root = join(work, 'lessons');
    await import('node:fs/promises').then((fs) => fs.mkdir(join(root, '03-x'), { recursive: true }));
    await writeFile(join(root, 'vitest.config.ts'), 'config');
    await writeFile(join(root, '03-x', 'check.test.ts'), 'checks');
    const before = await lessonFingerprint(root, '03-x', '1.0.0');
    expect(await lessonFingerprint(root, '03-x', '1.0.0')).toBe(before);
    expect(await lessonFingerprint(root, '03-x', '1.0.1')).not.toBe(before);
    await writeFile(join(root, '03-x', 'check.test.ts'), 'checks, changed');
    expect(await lessonFingerprint(root, '03-x', '1.0.0')).not.toBe(before);
  });
});

describe('hidden checks', () => {
  it('show the learner only that a hidden check failed and its category; the instructor\'s grade keeps everything', () => {
    expect(graded.tests[1]).toMatchObject({ id: 'late-data', hidden: 'late records', name: 'drops sensor-9 at 10:00:30', message: 'expected [sensor-9, 41.5]', line: 7 });
    const seen = learnerView(graded);
    expect(seen.tests).toEqual([
      graded.tests[0],
      { id: 'late-data', name: 'hidden check 1 (late records)', status: 'failed', hidden: 'late records', points: 0, maxPoints: 3, durationMs: 5,
        message: 'A hidden check about late records failed. Its data stays with your instructor: test your code on cases of your own.', file: null, line: null, diff: null },
    ]);
    expect({ score: seen.score, maxScore: seen.maxScore }).toEqual({ score: 2, maxScore: 5 });
    // The hidden seed would rebuild the hidden check's inputs: only the instructor's grade names it.
    expect([graded.seed, graded.hiddenSeed, seen.seed, 'hiddenSeed' in seen]).toEqual([11, 4242, 11, false]);
    expect(formatResult(graded)).toContain('score: 2/5 (seed 11, hidden seed 4242)');
    const text = formatResult(seen);
    expect(text).toContain('score: 2/5 (seed 11)\n');
    for (const secret of ['sensor-9', '41.5', '10:00:30', 'alice.ts', '4242']) expect(text).not.toContain(secret);
  });

  it('must name checks the lesson has', () => {
    const base = { title: 't', summary: 's', api: 'structured', duration: '10 min', points: { 'on-time': 1 } };
    expect(lessonFrontMatter.parse({ ...base, hidden: { 'on-time': 'on-time data' } }).hidden).toEqual({ 'on-time': 'on-time data' });
    const r = lessonFrontMatter.safeParse({ ...base, hidden: { 'late-data': 'late records' } });
    expect(r.success ? [] : r.error.issues.map((i) => i.message)).toEqual(['"late-data" is not among the lesson\'s checks (points)']);
  });
});

describe('grading a folder', () => {
  it('grades at most one per CPU, and no more than the free memory holds', () => {
    const GiB = 2 ** 30;
    expect([machineJobs(2, 16 * GiB), machineJobs(8, 16 * GiB), machineJobs(8, 2 * GiB), machineJobs(4, 0)]).toEqual([2, 8, 2, 1]);
  });

  it('prints grades an earlier run made in their place, grades only the others, and keeps them out of the estimate', async () => {
    const students: Student[] = ['ann', 'ben', 'cid'].map((student) => ({ student, files: [] }));
    const out: string[] = [];
    const err: string[] = [];
    const status: string[] = [];
    const gradedNow: string[] = [];
    const grades = await gradeAll(students, 2, async (s) => {
      gradedNow.push(s.student);
      return { student: s.student, result: failedGrade(lesson, 11, 'new') };
    }, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), status: (t) => status.push(t) }, (s) => (s.student === 'ben' ? { student: 'ben', result: graded } : undefined));
    expect(gradedNow).toEqual(['ann', 'cid']);
    expect(grades.map((g) => g.result.reason)).toEqual(['new', null, 'new']);
    expect(out.map((t) => t.split(':')[0])).toEqual(['ann', 'ben', 'cid']);
    // On a terminal: one status line, replaced as grades start and end, cleared before results print and at the end.
    expect(status[0]).toMatch(/^grading 1\/3 done \(1 from an earlier run\), 1 running \(ann\), \d+ s so far$/);
    expect(status.at(-1)).toBe('');
    expect(err).toEqual([expect.stringMatching(/^graded 3 submissions in \d+ s \(1 kept from an earlier run\)\n$/)]);
  });
});
