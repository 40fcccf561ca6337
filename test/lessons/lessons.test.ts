/**
 * The lessons tier: every lesson's checks pass on its solution and fail on its starter (each failing
 * check named), on the run's real Kafka (fresh topics per check) and on the in-memory cluster, with the
 * run's PostgreSQL (a schema per check), graded
 * through the same code the workbench's Check button and `streamlab grade` use; and `streamlab grade
 * --dir` over three lesson-03 submissions gives 100 %, a low and a partial score (its checks on the
 * in-memory cluster, the grader's default without `--kafka`).
 */
import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLessons } from '../../runtime/src/lessons/load-lessons.js';
import type { Lesson } from '../../runtime/src/lessons/lesson-schema.js';
import { gradeSubmission } from '../../runtime/src/lessons/grade-submission.js';
import { runGradeCommand } from '../../runtime/src/lessons/grade-command.js';
import { databaseUrl, kafkaBootstrap } from '../services/inject.js';

const LESSONS = fileURLToPath(new URL('../../lessons', import.meta.url));

/** Every check of each lesson, in the order its check file declares them; all must fail on the starter. */
const CHECKS: Record<string, string[]> = {
  '01-kafka-basics': [
    'sends each reading as JSON keyed by its sensor, so all readings of a sensor land on one partition, in order',
    'prints every report message once as topic:partition:offset: key=… value=…',
    'a consumer in a second group reads every message again',
  ],
  '02-dstream-temperature': [
    'sends one message per sensor that had readings in each 10-second batch, keyed by the sensor',
    'reports each sensor\'s batch average as "Node Name: X, Average Temp: Y for window of 10 seconds"',
    'averages a reading with the batch it arrived in, not the one it was measured in (sensor-1 measured 10:00:09, arrived 10:00:12)',
  ],
  '03-structured-windows': [
    'averages each sensor over one-minute windows of event time (update mode)',
    'puts readings that arrive in the same batch into the windows of their own event time',
    'keeps a late reading whose window is still open (sensor-2 at 10:00:55, arriving at 10:02:00)',
    'drops a reading that arrives after the watermark passed its window (sensor-1 at 10:00:30, arriving at 10:02:30)',
    'starts in append mode (the aggregation declares a watermark)',
    'in append mode, writes nothing while no window is final (first two batches)',
    'in append mode, writes each window once, only after the watermark passes its end',
  ],
  '04-report-topic-and-output-modes': [
    'prints the whole count table every batch to the console (complete mode)',
    'publishes counts to report keyed by origin, with the whole row as JSON',
    'publishes only the origins whose count changed in each batch (update mode)',
  ],
  '05-locations-micro-batch-vs-flow': [
    'casts every field as the tutorial\'s schema: driverId int, lat and lng float, time timestamp',
    'appends every fix to locations from foreachBatch: the table holds exactly the fixes, typed as the tutorial\'s schema',
    'the append job is at-least-once: killed after writing a batch and before committing it, it writes that batch again',
    'the exactly-once job leaves no duplicates after the same crash (locations_once)',
    'the flow writes the same rows to locations_flow and commits its offsets: started again, it writes only new fixes',
    'fills the comparison table from the measured run: latency and start-up time measured, the other rows as the tutorial has them',
  ],
  '06-stream-inference': [
    'publishes one JSON record per input to kaspar-outputs, keyed by its id, with the prediction and probabilities Spark computes',
    'answers a bad row (an empty field, not a number, too few fields) with {"id", "error": "unreadable features"} and keeps going',
    'writes nothing for an input that never arrived, and nothing twice',
    'the UDF variant gives the model\'s predictions and probabilities (to 1e-9) without applying the model',
  ],
};

let lessons: Lesson[];

beforeAll(async () => {
  lessons = await loadLessons(LESSONS);
});

const files = (l: Lesson, which: 'starter' | 'solution') => Object.entries(l[which]).map(([path, content]) => ({ path, content }));

const KAFKAS = ['the real broker', 'the in-memory cluster'] as const;
// Every check may use PostgreSQL (lesson 05 writes to it); Kafka is the real broker or the checks' in-memory cluster.
const services = (kafka: (typeof KAFKAS)[number]) => ({ pg: databaseUrl(), ...(kafka === 'the real broker' ? { kafka: kafkaBootstrap() } : {}) });

describe.each(Object.keys(CHECKS))('lesson %s', (id) => {
  it.each(KAFKAS)('passes every check on solution.ts, on %s', async (kafka) => {
    const lesson = lessons.find((l) => l.id === id)!;
    const r = await gradeSubmission({ lesson, files: files(lesson, 'solution'), entry: 'solution.ts', services: services(kafka) });
    expect(r.tests.map((t) => [t.name, t.status, t.message])).toEqual(CHECKS[id]!.map((n) => [n, 'passed', null]));
    expect(r.score).toBe(r.maxScore);
  });

  it.each(KAFKAS)('fails every check on starter.ts, on %s', async (kafka) => {
    const lesson = lessons.find((l) => l.id === id)!;
    const r = await gradeSubmission({ lesson, files: files(lesson, 'starter'), entry: 'starter.ts', services: services(kafka) });
    expect(r.tests.filter((t) => t.status === 'failed').map((t) => t.name)).toEqual(CHECKS[id]);
    expect([r.passed, r.score]).toEqual([0, 0]);
  });
});

describe('lesson 06 on held-out submissions (the in-memory cluster)', () => {
  const [c1, c2, c3, c4] = CHECKS['06-stream-inference']!;
  const cases: [string, Record<string, 'passed' | 'failed'>][] = [
    // Bad rows kept as NaN by the model and answered with when/otherwise, no union: as correct.
    ['correct-keep-and-when.ts', { [c1!]: 'passed', [c2!]: 'passed', [c3!]: 'passed', [c4!]: 'passed' }],
    // handleInvalid "skip": bad rows vanish without an answer.
    ['wrong-skip-bad-rows.ts', { [c1!]: 'passed', [c2!]: 'failed', [c3!]: 'failed', [c4!]: 'passed' }],
    // Probabilities rounded to 3 digits: the right shape, not Spark's numbers.
    ['wrong-rounded-probabilities.ts', { [c1!]: 'failed', [c2!]: 'failed', [c3!]: 'passed', [c4!]: 'passed' }],
    // One fixed answer for every input, whatever it says.
    ['cheat-fixed-answers.ts', { [c1!]: 'failed', [c2!]: 'failed', [c3!]: 'passed', [c4!]: 'passed' }],
  ];
  it.each(cases)('grades %s', async (file, want) => {
    const lesson = lessons.find((l) => l.id === '06-stream-inference')!;
    const content = await readFile(fileURLToPath(new URL(`./fixtures/06/${file}`, import.meta.url)), 'utf8');
    const r = await gradeSubmission({ lesson, files: [{ path: file, content }], entry: file, services: {} });
    expect(Object.fromEntries(r.tests.map((t) => [t.name, t.status]))).toEqual(want);
  });
});

describe('streamlab grade --dir over three lesson-03 submissions', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'grade-dir-'));
    await mkdir(join(dir, 'submissions', 'bob'), { recursive: true });
    // alice hands in the solution, bob the untouched starter (as a folder), carol windows on arrival time.
    await cp(join(LESSONS, '03-structured-windows', 'solution.ts'), join(dir, 'submissions', 'alice.ts'));
    await cp(join(LESSONS, '03-structured-windows', 'starter.ts'), join(dir, 'submissions', 'bob', 'starter.ts'));
    await cp(fileURLToPath(new URL('./fixtures/03-processing-time.ts', import.meta.url)), join(dir, 'submissions', 'carol.ts'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('scores the solution 100 %, the starter 0 and processing-time windows partially, in CSV, JSON and JUnit', async () => {
    let stdout = '';
    const code = await runGradeCommand(
      ['--lesson', '03', '--dir', join(dir, 'submissions'), '--csv', join(dir, 'grades.csv'), '--json', join(dir, 'grades.json'), '--junit', join(dir, 'grades.xml')],
      { stdout: (t) => { stdout += t; }, stderr: (t) => { stdout += t; } },
    );
    expect(code).toBe(1);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('9 passed, 12 failed');
    const names = CHECKS['03-structured-windows']!.map((n) => (n.includes(',') ? `"${n}"` : n)).join(',');
    expect(await readFile(join(dir, 'grades.csv'), 'utf8')).toBe([
      `student,passed,total,points,max_points,${names}`,
      'alice,7,7,15,15,passed,passed,passed,passed,passed,passed,passed',
      'bob,0,7,0,15,failed,failed,failed,failed,failed,failed,failed',
      'carol,2,7,3,15,failed,failed,failed,failed,passed,passed,failed',
      '',
    ].join('\n'));
    const json = JSON.parse(await readFile(join(dir, 'grades.json'), 'utf8')) as { student: string; result: { score: number; maxScore: number } }[];
    expect(json.map((g) => [g.student, g.result.score, g.result.maxScore])).toEqual([['alice', 15, 15], ['bob', 0, 15], ['carol', 3, 15]]);
    const xml = await readFile(join(dir, 'grades.xml'), 'utf8');
    expect(xml.match(/<testsuite name="[^"]*" tests="\d+" failures="\d+"/g)).toEqual([
      '<testsuite name="alice · 03-structured-windows" tests="7" failures="0"',
      '<testsuite name="bob · 03-structured-windows" tests="7" failures="7"',
      '<testsuite name="carol · 03-structured-windows" tests="7" failures="5"',
    ]);
  });

  it('exits 0 for a single passing file and ends its output with "7 passed, 0 failed"', async () => {
    let stdout = '';
    const code = await runGradeCommand(['--lesson', '03-structured-windows', '--file', join(dir, 'submissions', 'alice.ts')], { stdout: (t) => { stdout += t; }, stderr: (t) => { stdout += t; } });
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('7 passed, 0 failed');
  });
});
