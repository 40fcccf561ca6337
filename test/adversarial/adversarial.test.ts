/**
 * The adversarial tier: hostile submissions (see hostile-submissions.ts) through every path that runs
 * learner code — `streamlab grade` (`--file`, and `--dir` for lesson 03's, which are most of them), the
 * websocket's `check.run` and `export.pyspark` — each rejected (0 points of the lesson's total, with the sandbox's own message where the attack is
 * what fails) and contained: nothing written outside the sandbox, no process left behind.
 *
 * Lesson 05's submissions also attack the PostgreSQL their checks write to (see database.test.ts for
 * each statement's refusal): nothing they try leaves a file, and they score 0.
 *
 * Everything this file starts works under a temporary directory of its own (TMPDIR), so `ps` can tell
 * the job processes it caused from anyone else's: none may outlive a grade.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { resolveConfig } from '../../runtime/src/config.js';
import { findLesson, loadLessons } from '../../runtime/src/lessons/load-lessons.js';
import type { Lesson } from '../../runtime/src/lessons/lesson-schema.js';
import { gradeSubmission } from '../../runtime/src/lessons/grade-submission.js';
import { runGradeCommand } from '../../runtime/src/lessons/grade-command.js';
import { hiddenFailure } from '../../runtime/src/lessons/grade-report.js';
import type { GradeResult } from '../../runtime/src/lessons/grade-types.js';
import type { ServerMessageOf } from '../../runtime/src/protocol/index.js';
import { startRuntimeServer, type RuntimeServer } from '../../runtime/src/server/runtime-server.js';
import { TestClient } from '../integration/server/ws-client.js';
import { databaseUrl } from '../services/inject.js';
import { hostileSubmissions, L03, type Hostile } from './hostile-submissions.js';

const LESSONS = fileURLToPath(new URL('../../lessons/', import.meta.url));
const TOKEN = 'adversarial-token-0123456789';
const INSTRUCTOR = 'adversarial-instructor-0123456789';
/**
 * The sandbox's limits here (the grader passes them to its check processes): an operation in the
 * learner's code may take 4 s of the process's active time, which the async hang waits for at every
 * check, and a loop 1 s of CPU, which the endless loop spends at every check. Both are counted in the
 * process's own time, not the machine's, so a busy machine stretches them without tripping them.
 */
const OP_TIMEOUT_MS = 4000;
const LOOP_LIMIT_MS = 1000;

const outerTmp = process.env.TMPDIR;
const work = mkdtempSync(join(tmpdir(), 'streamlab-adversarial-'));
const sandboxTmp = join(work, 'tmp');
const marker = join(work, 'marker');
mkdirSync(sandboxTmp);
mkdirSync(marker);
// Writable by anyone, so lesson 05's PostgreSQL server (whatever OS user it runs as) could leave a file if it were allowed to.
chmodSync(work, 0o755);
chmodSync(marker, 0o777);
const hostile = hostileSubmissions(marker, LOOP_LIMIT_MS);
let lessons: Lesson[];

beforeAll(async () => {
  // Every process the grader, the checks and the sandboxes start inherits this; their bundles and work
  // folders go under it, which is how leftovers are found.
  process.env.TMPDIR = sandboxTmp;
  process.env.STREAMLAB_CHECK_OP_TIMEOUT_MS = String(OP_TIMEOUT_MS);
  process.env.STREAMLAB_CHECK_LOOP_LIMIT_MS = String(LOOP_LIMIT_MS);
  lessons = await loadLessons(LESSONS);
});

afterAll(() => {
  if (outerTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = outerTmp;
  delete process.env.STREAMLAB_CHECK_OP_TIMEOUT_MS;
  delete process.env.STREAMLAB_CHECK_LOOP_LIMIT_MS;
  rmSync(work, { recursive: true, force: true });
});

const lessonOf = (h: Hostile) => findLesson(lessons, h.lesson)!;
const maxScore = (h: Hostile) => Object.values(lessonOf(h).points).reduce((a, b) => a + b, 0);

/** Processes still running whose command line names this file's temporary directory. */
function leftovers(): string[] {
  const ps = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return ps.split('\n').filter((l) => l.includes(sandboxTmp) && !l.includes(' ps '));
}

/** Every hostile submission is rejected and contained the same way, whichever path graded it. */
function expectRejected(h: Hostile, r: GradeResult): void {
  expect([r.score, r.maxScore], `${h.name}: points`).toEqual([0, maxScore(h)]);
  expect(r.tests.every((t) => t.status === 'failed'), `${h.name}: every check fails`).toBe(true);
  if (h.message) expect(r.tests[0]!.message, `${h.name}: the reason`).toMatch(h.message);
  expect(readdirSync(marker), `${h.name}: nothing written outside the sandbox`).toEqual([]);
  expect(leftovers(), `${h.name}: no process left behind`).toEqual([]);
}

describe('streamlab grade --file', () => {
  // Lesson 03's attackers go through the same command with --dir below, each with the same assertions;
  // grading each of them here as well would only repeat the same grade.
  it.each(hostile.filter((h) => h.lesson !== L03).map((h) => [h.name, h] as const))('rejects and contains %s', async (_name, h) => {
    const dir = mkdtempSync(join(work, 'file-'));
    const file = join(dir, `${h.name}.ts`);
    writeFileSync(file, h.content);
    let stdout = '';
    // Lesson 05 writes tables: its checks make their roles on the run's PostgreSQL.
    const pg = lessonOf(h).tables.length > 0 ? ['--pg', databaseUrl()] : [];
    const code = await runGradeCommand(['--lesson', h.lesson, '--file', file, '--json', join(dir, 'grade.json'), ...pg], { stdout: (t) => { stdout += t; }, stderr: () => {} });
    expect(code).toBe(1);
    const result = JSON.parse(readFileSync(join(dir, 'grade.json'), 'utf8')) as GradeResult;
    expectRejected(h, result);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe(`0 passed, ${result.tests.length} failed`);
  });
});

describe('streamlab grade --dir', () => {
  it('gives every lesson-03 attacker a row with 0 points and the honest solution full marks', async () => {
    const dir = mkdtempSync(join(work, 'dir-'));
    const submissions = join(dir, 'submissions');
    mkdirSync(submissions);
    const attackers = hostile.filter((h) => h.lesson === L03);
    for (const h of attackers) writeFileSync(join(submissions, `${h.name}.ts`), h.content);
    writeFileSync(join(submissions, 'honest.ts'), readFileSync(join(LESSONS, L03, 'solution.ts'), 'utf8'));
    const code = await runGradeCommand(['--lesson', L03, '--dir', submissions, '--csv', join(dir, 'g.csv'), '--json', join(dir, 'g.json'), '--junit', join(dir, 'g.xml')], { stdout: () => {}, stderr: () => {} });
    expect(code).toBe(1);
    const grades = JSON.parse(readFileSync(join(dir, 'g.json'), 'utf8')) as { student: string; result: GradeResult }[];
    expect(grades.map((g) => [g.student, g.result.score])).toEqual(
      [...attackers.map((h) => [h.name, 0]), ['honest', 20]].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    for (const h of attackers) expectRejected(h, grades.find((g) => g.student === h.name)!.result);
  });
});

describe('the websocket', () => {
  let server: RuntimeServer;
  let client: TestClient;
  beforeAll(async () => {
    server = await startRuntimeServer({ config: resolveConfig({ port: 0, token: TOKEN, instructorToken: INSTRUCTOR, lessonsDir: LESSONS }), services: { pg: databaseUrl() } });
    client = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws?token=${TOKEN}`);
    await client.hello(TOKEN, [3]);
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
  });

  it.each(hostile.map((h) => [h.name, h] as const))('check.run rejects and contains %s', async (_name, h) => {
    const reply = await client.request({ kind: 'check.run', lessonId: h.lesson, files: [{ path: 'solution.ts', content: h.content }] });
    if (reply.kind !== 'check.run.ok') throw new Error(JSON.stringify(reply));
    const result = await client.waitFor((m) => m.kind === 'check.result' && m.checkId === reply.checkId) as ServerMessageOf<'check.result'>;
    expect([result.score, result.maxScore]).toEqual([0, maxScore(h)]);
    expect(result.tests.every((t) => t.status === 'failed')).toBe(true);
    if (h.message) expect(result.tests[0]!.message).toMatch(h.message);
    expect(readdirSync(marker)).toEqual([]);
    expect(leftovers()).toEqual([]);
  });

  it.each(hostile.filter((h) => h.inMain).map((h) => [h.name, h] as const))('export.pyspark refuses %s with the sandbox\'s message', async (_name, h) => {
    const reply = await client.request({ kind: 'export.pyspark', files: [{ path: 'solution.ts', content: h.content }] });
    expect(reply.kind).toBe('error');
    expect(reply.kind === 'error' && reply.message.replace(/^Your program could not be exported: /, '').replace(/ \(solution\.ts:\d+:\d+\)$/, '')).toMatch(h.message!);
    expect(readdirSync(marker)).toEqual([]);
    expect(leftovers()).toEqual([]);
  });

  /** Lesson 03's solution filtered to the visible checks' day: right on everything they show, and nothing else. */
  const fittedTo03 = (solution: string) => solution.replace('.select("data.*");', `.select("data.*")
    .filter("ts >= TIMESTAMP'2026-11-21 00:00:00' AND ts < TIMESTAMP'2026-11-22 00:00:00'");`);
  const checkOf = async (content: string) => {
    const from = client.messages.length;
    const reply = await client.request({ kind: 'check.run', lessonId: L03, files: [{ path: 'solution.ts', content }] });
    if (reply.kind !== 'check.run.ok') throw new Error(JSON.stringify(reply));
    const result = await client.waitFor((m) => m.kind === 'check.result' && m.checkId === reply.checkId) as ServerMessageOf<'check.result'>;
    return { result, sent: JSON.stringify(client.messages.slice(from)) };
  };

  /** What the learner is shown of lesson 03's failed hidden check: its category, nothing of its rows. */
  const redactedUnseenDay = (category: string) => ({ id: 'unseen-day', name: `hidden check 1 (${category})`, status: 'failed', message: hiddenFailure(category), durationMs: expect.any(Number), points: 0, maxPoints: 2, file: null, line: null, diff: null });

  /**
   * The fitted submission's Check, made once for the two tests below that read it: the first checks what
   * its learner sees, the second what the instructor's dashboard holds of it (the student's newest Check,
   * so nothing else is checked between the two).
   */
  let fittedOnce: Promise<{ code: string; result: ServerMessageOf<'check.result'>; sent: string }> | undefined;
  const fittedCheck = () => (fittedOnce ??= (async () => {
    const code = fittedTo03(readFileSync(join(LESSONS, L03, 'solution.ts'), 'utf8'));
    return { code, ...(await checkOf(code)) };
  })());

  it('keeps lesson 03\'s hidden check hidden from a submission fitted to the visible checks', async () => {
    const category = findLesson(lessons, L03)!.hidden['unseen-day']!;
    // Fitted to everything the visible checks show (their day): it passes each of them, not the hidden one.
    const fitted = await fittedCheck();
    const visibleIds = Object.keys(findLesson(lessons, L03)!.points).filter((id) => id !== 'unseen-day');
    expect(fitted.result.tests.filter((t) => t.status === 'passed').map((t) => t.id)).toEqual(visibleIds);
    expect(fitted.result.tests.find((t) => t.id === 'unseen-day')).toEqual(redactedUnseenDay(category));
    expect([fitted.result.score, fitted.result.maxScore]).toEqual([18, 20]);
  });

  // The fitted Check, the instructor's reproduction of it and a learner's attempt to rebuild it.
  it('gives the learner a seed that does not rebuild the hidden check\'s inputs, and the instructor both seeds, which reproduce the grade', async () => {
    const fitted = await fittedCheck();
    const fittedCode = fitted.code;
    expect([fitted.result.score, fitted.result.maxScore]).toEqual([18, 20]);
    // The learner gets the visible seed; the instructor's dashboard has the hidden one too, which the
    // learner's socket never carried.
    const seed = fitted.result.seed!;
    const row = await new Promise<{ check: { seed: number; hiddenSeed: number | null } | null }>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/instructor/ws?token=${INSTRUCTOR}`);
      ws.on('message', (data) => {
        ws.close();
        resolve((JSON.parse(String(data)) as { students: { check: { seed: number; hiddenSeed: number | null } | null }[] }).students[0]!);
      });
      ws.on('error', reject);
    });
    const hiddenSeed = row.check!.hiddenSeed!;
    expect([String(row.check!.seed), typeof hiddenSeed]).toEqual([seed, 'number']);
    expect(fitted.sent).not.toMatch(new RegExp(`\\b${hiddenSeed}\\b`));
    expect(fitted.sent).not.toMatch(/hiddenSeed|hidden seed/);
    // Through the CLI: with both seeds the instructor reproduces that grade, hidden rows included; the
    // learner, with only the seed they were shown, gets a hidden stream of another day and hour.
    const dir = mkdtempSync(join(work, 'reproduce-'));
    writeFileSync(join(dir, 'fitted.ts'), fittedCode);
    const gradeWith = async (seeds: string[]) => {
      const json = join(dir, `${seeds.join('-')}.json`);
      let stdout = '';
      expect(await runGradeCommand(['--lesson', L03, '--file', join(dir, 'fitted.ts'), ...seeds, '--json', json], { stdout: (t) => { stdout += t; }, stderr: () => {} })).toBe(1);
      return { result: JSON.parse(readFileSync(json, 'utf8')) as GradeResult, stdout };
    };
    const instructor = await gradeWith(['--seed', seed, '--hidden-seed', String(hiddenSeed)]);
    expect(instructor.result.tests.map((t) => [t.id, t.status])).toEqual(fitted.result.tests.map((t) => [t.id, t.status]));
    expect([instructor.result.score, instructor.result.seed, instructor.result.hiddenSeed]).toEqual([18, Number(seed), hiddenSeed]);
    expect(instructor.stdout).toContain(`score: 18/20 (seed ${seed}, hidden seed ${hiddenSeed})`);
    const unseen = (r: GradeResult) => r.tests.find((t) => t.id === 'unseen-day')!.diff!.missing;
    // The hidden check's rows: windows of the hidden hour, on sensors its seed named; the fitted query wrote none.
    expect(unseen(instructor.result).length).toBeGreaterThan(0);
    const learner = await gradeWith(['--seed', seed]);
    expect(learner.result.hiddenSeed).not.toBe(hiddenSeed);
    expect(unseen(learner.result)).not.toEqual(unseen(instructor.result));
    expect(leftovers()).toEqual([]);
  }, 900_000);

  it('keeps lesson 03\'s hidden check hidden from a submission that pries', async () => {
    const solution = readFileSync(join(LESSONS, L03, 'solution.ts'), 'utf8');
    const category = findLesson(lessons, L03)!.hidden['unseen-day']!;
    // Prying: it tries to read the checks, their seed and their expected values, and fails every check
    // with the readings its query saw. The visible checks show their own readings; the hidden one nothing.
    const checks = join(LESSONS, L03, 'check.test.ts');
    const pry = await checkOf(`const p = process as any;
const leaked: string[] = [];
for (const read of [
  () => p.getBuiltinModule("node:fs").readFileSync(${JSON.stringify(checks)}, "utf8"),
  () => p.getBuiltinModule("node:fs").readFileSync("check.test.ts", "utf8"),
  () => p.env.STREAMLAB_CHECK_SEED,
  () => JSON.stringify(SparkSession.builder.getOrCreate().read.text(${JSON.stringify(checks)}).collect()),
]) {
  try { const v = read(); if (v) leaked.push(String(v).slice(0, 40)); } catch { /* refused */ }
}
const spy = F.udf((ts: string): number => { throw new Error("SAW " + ts + (leaked.length > 0 ? " LEAKED " + leaked.join(" | ") : " nothing leaked")); }, "double");
${solution.replace('.select("data.*");', '.select("data.*")\n    .withColumn("temperature", spy(F.col("ts").cast("string")));')}`);
    expect(pry.result.tests.find((t) => t.id === 'update-averages')!.message).toMatch(/SAW 2026-11-21 \d\d:\d\d:\d\d nothing leaked/);
    expect(pry.result.tests.find((t) => t.id === 'unseen-day')).toEqual(redactedUnseenDay(category));
    expect(pry.result.score).toBe(0);
    // No message the learner's socket received names another day, or anything read.
    expect(pry.sent).not.toMatch(/20(2[7-9]|30)-\d\d-\d\d/);
    expect(pry.sent).not.toContain('LEAKED');
    expect(leftovers()).toEqual([]);
  });

  it('export.pyspark contains the attacks that do not stop a program: they reach nothing outside its process', async () => {
    // An export process is not locked down (its capture patches the writer while main() runs), so an
    // attack on the intrinsics may spoil that learner's own export; it reaches nothing else.
    for (const h of hostile.filter((x) => x.lesson === L03 && !x.message)) {
      const reply = await client.request({ kind: 'export.pyspark', files: [{ path: 'solution.ts', content: h.content }] });
      expect(['export.pyspark.ok', 'error'], h.name).toContain(reply.kind);
      expect(readdirSync(marker), h.name).toEqual([]);
      expect(leftovers(), h.name).toEqual([]);
    }
    expect(await client.request({ kind: 'lessons.list' })).toMatchObject({ kind: 'lessons.list.ok' });
  });
});

describe('the grader itself', () => {
  it('kills the whole process group of a grade that runs out of time, and scores it 0 of the lesson\'s points', async () => {
    const lesson = findLesson(lessons, L03)!;
    const slow = hostile.find((h) => h.name === 'endless-loop')!;
    const r = await gradeSubmission({ lesson, files: [{ path: 'solution.ts', content: slow.content }], timeoutMs: 1500 });
    expect([r.score, r.maxScore, r.reason]).toEqual([0, 20, 'The checks did not finish within 2 s and were stopped.']);
    expect(leftovers()).toEqual([]);
  });
});
