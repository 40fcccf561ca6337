/**
 * Grading a class through `streamlab grade --dir` as an instructor runs it, on a lesson that marks a
 * check hidden (lesson 03 with `late-dropped` hidden too, as "late records", in a lessons folder of its own):
 *
 * - interrupted (SIGINT) after the first submission, the run leaves the grades it made in the state file
 *   beside the CSV and no check process behind; run again, it grades only the others, even when a kill
 *   had cut the state's last line short; a changed submission is graded again, the unchanged ones not;
 * - the CSV, JSON and JUnit reports hold everything, hidden checks included; each student's feedback
 *   and the workbench's Check show a hidden check's category only;
 * - a hostile submission that tries to read the state file and the hidden checks, and to rewrite the
 *   state and another student's grade, is refused by the sandbox and changes nobody's grade.
 */
import { execFileSync, spawn } from 'node:child_process';
import { appendFile, copyFile, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../runtime/src/config.js';
import type { ServerMessageOf } from '../../../runtime/src/protocol/index.js';
import { startRuntimeServer } from '../../../runtime/src/server/runtime-server.js';
import { databaseUrl, kafkaBootstrap } from '../../services/inject.js';
import { TestClient } from '../server/ws-client.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const LESSON = '03-structured-windows';
const HIDDEN_MESSAGE = 'A hidden check about late records failed. Its data stays with your instructor: test your code on cases of your own.';
let lessons: string;
let work: string;
let subs: string;
let out: string;
let graderTmp: string;

/** Runs the real CLI; `onErr` sees stderr as it comes (to interrupt the run). */
function streamlab(args: string[], onErr?: (stderr: string, kill: () => void) => void): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // A temporary folder of its own, so what the grader leaves there can be told from anyone else's.
    const env = { ...process.env, TMPDIR: graderTmp };
    const child = spawn(process.execPath, [join(root, 'runtime/bin/streamlab.js'), 'grade', '--lessons', lessons, '--lesson', '03', ...args], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      onErr?.(stderr, () => child.kill('SIGINT'));
    });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const reports = () => ['--dir', subs, '--csv', join(out, 'grades.csv'), '--json', join(out, 'grades.json'), '--junit', join(out, 'grades.xml'), '--feedback', join(out, 'feedback'), '--jobs', '1'];
const started = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('grading ')).map((l) => l.slice('grading '.length));
const csvRows = async () => (await readFile(join(out, 'grades.csv'), 'utf8')).trimEnd().split('\n').slice(1).map((l) => l.split(',').slice(0, 5));
const stateLines = async () => (await readFile(join(out, 'grades.state.jsonl'), 'utf8')).split('\n').filter((l) => l.trim() !== '');

/** Processes whose command line names the lessons folder of this file: the check runs it caused. */
function leftovers(): string[] {
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(lessons) && !l.includes(' ps '));
}

beforeAll(async () => {
  // The lesson's checks import the runtime by a relative path, so its folder sits beside `lessons/`.
  lessons = await mkdtemp(join(root, '.grade-lessons-'));
  await cp(join(root, 'lessons', LESSON), join(lessons, LESSON), { recursive: true });
  await copyFile(join(root, 'lessons', 'vitest.config.ts'), join(lessons, 'vitest.config.ts'));
  const md = join(lessons, LESSON, 'lesson.md');
  const text = await readFile(md, 'utf8');
  await writeFile(md, text.replace(/\nhidden:\n/, '\nhidden:\n  late-dropped: late records\n'));
  work = await mkdtemp(join(tmpdir(), 'streamlab-grade-folder-'));
  subs = join(work, 'submissions');
  out = join(work, 'out');
  graderTmp = join(work, 'tmp');
  await mkdir(graderTmp);
  await mkdir(subs);
  await copyFile(join(lessons, LESSON, 'solution.ts'), join(subs, 'alice.ts'));
  await copyFile(join(lessons, LESSON, 'starter.ts'), join(subs, 'bob.ts'));
  const state = join(out, 'grades.state.jsonl');
  const checks = join(lessons, LESSON, 'check.test.ts');
  // Every way it tries is refused; if one were not, its checks would say what leaked.
  await writeFile(join(subs, 'mallory.ts'), `const p = process as any;
const tries: (() => unknown)[] = [
  () => p.getBuiltinModule("node:fs").readFileSync(${JSON.stringify(state)}, "utf8"),
  () => p.getBuiltinModule("node:fs").readFileSync(${JSON.stringify(checks)}, "utf8"),
  () => (globalThis as any).require("fs").readFileSync(${JSON.stringify(checks)}, "utf8"),
  () => p.mainModule.require("fs").readFileSync("check.test.ts", "utf8"),
  () => (Function("return process")() as any).getBuiltinModule("node:fs").readdirSync(${JSON.stringify(out)}),
  () => p.getBuiltinModule("node:fs").appendFileSync(${JSON.stringify(state)}, '{"v":1,"key":"${'0'.repeat(64)}","student":"mallory","result":{}}\\n'),
  () => p.getBuiltinModule("node:fs").writeFileSync(${JSON.stringify(join(out, 'grades.csv'))}, "student,passed\\nalice,0\\nmallory,8\\n"),
];
const leaked: string[] = [];
for (const t of tries) { try { leaked.push(String(t()).slice(0, 40)); } catch { /* refused */ } }
throw new Error(leaked.length > 0 ? "LEAKED " + leaked.join(" | ") : "nothing leaked");
${await readFile(join(lessons, LESSON, 'solution.ts'), 'utf8')}`);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  await rm(lessons, { recursive: true, force: true });
});

describe('streamlab grade --dir, interrupted and resumed', () => {
  it('keeps the grades made before an interruption and grades only the rest when run again', { timeout: 900_000 }, async () => {
    let interrupted = false;
    const first = await streamlab([...reports(), '--seed', '5'], (stderr, kill) => {
      if (!interrupted && stderr.includes('graded 1/3: alice')) {
        interrupted = true;
        kill();
      }
    });
    expect(first.code, first.stderr).toBe(130);
    expect(first.stderr).toContain(`interrupted: the grades made so far are kept in ${join(out, 'grades.state.jsonl')}; run the same command again to go on\n`);
    expect(started(first.stderr)).toEqual(['1/3: alice', '2/3: bob']);
    // alice's grade only: bob's run was killed, not failed by bob.
    expect((await stateLines()).map((l) => JSON.parse(l).student)).toEqual(['alice']);
    // Without --hidden-seed the run drew one; the state keeps it, and the next run takes it.
    const hiddenSeed = (JSON.parse((await stateLines())[0]!) as { result: { hiddenSeed: number } }).result.hiddenSeed;
    expect(typeof hiddenSeed).toBe('number');
    expect(leftovers()).toEqual([]);
    // Nor the submissions' work folders.
    expect((await readdir(graderTmp)).filter((f) => f.startsWith('streamlab-grade-'))).toEqual([]);

    // A second interruption, harder: a kill in the middle of writing a line.
    await appendFile(join(out, 'grades.state.jsonl'), '\n{"v":1,"key":"abc","student":"bob","result":{"lessonId":"03-str');
    const second = await streamlab(reports());
    expect(second.code, second.stderr).toBe(1);
    expect(second.stderr).toContain('grades.state.jsonl: 1 unreadable line skipped (a run cut short); those submissions are graded again\n');
    expect(second.stderr).toContain(`resuming: 1 of 3 submissions were graded by an earlier run (${join(out, 'grades.state.jsonl')}, seed 5, hidden seed ${hiddenSeed})\n`);
    expect(started(second.stderr)).toEqual(['2/3: bob', '3/3: mallory']);
    expect(second.stdout).toContain(`lesson 03-structured-windows, 3 submissions, seed 5, hidden seed ${hiddenSeed}\n`);
    expect(second.stdout.trimEnd().split('\n').at(-1)).toBe('9 passed, 18 failed');
    expect(await csvRows()).toEqual([['alice', '9', '9', '20', '20'], ['bob', '0', '9', '0', '20'], ['mallory', '0', '9', '0', '20']]);
    // The state was rewritten whole: one line per submission.
    expect((await stateLines()).map((l) => JSON.parse(l).student)).toEqual(['alice', 'bob', 'mallory']);

    // The instructor's reports hold everything, the hidden check's data too.
    const json = JSON.parse(await readFile(join(out, 'grades.json'), 'utf8')) as { student: string; result: { tests: { id: string; hidden?: string; message: string | null; diff: unknown }[] } }[];
    const bobHidden = json[1]!.result.tests.find((t) => t.id === 'late-dropped')!;
    expect(bobHidden.hidden).toBe('late records');
    expect(bobHidden.message).toMatch(/^The rows your query wrote in the batch at 10:02:30/);
    expect(bobHidden.diff).not.toBeNull();
    expect(await readFile(join(out, 'grades.xml'), 'utf8')).toContain('message="The rows your query wrote in the batch at 10:02:30');
    // The student's feedback: the category only.
    const feedback = await readFile(join(out, 'feedback', 'bob.txt'), 'utf8');
    expect(feedback).toContain(`✗ hidden check 1 (late records) (0/2)\n    ${HIDDEN_MESSAGE}\n`);
    // The hidden check's title and its rows name the late reading; the feedback names neither.
    expect(feedback).not.toContain('in the batch at 10:02:30');
    expect(feedback).not.toContain('sensor-1 measured 10:00:30');
    expect(feedback).toContain('score: 0/20 (seed 5)\n');
    expect(feedback).not.toContain(String(hiddenSeed));

    // The hostile submission: refused at every try, nothing forged, nobody else's grade touched.
    const mallory = json[2]!.result.tests;
    expect(mallory.every((t) => t.message?.startsWith('nothing leaked'))).toBe(true);
    expect(JSON.stringify(json)).not.toContain('LEAKED');
    expect((await stateLines()).some((l) => l.includes('0'.repeat(64)))).toBe(false);
    expect(leftovers()).toEqual([]);

    // Nothing changed: nothing is graded. bob resubmits: only bob is graded.
    const third = await streamlab(reports());
    expect(started(third.stderr)).toEqual([]);
    expect(third.stderr).toContain('resuming: 3 of 3 submissions were graded by an earlier run');
    await copyFile(join(lessons, LESSON, 'solution.ts'), join(subs, 'bob.ts'));
    const fourth = await streamlab(reports());
    expect(started(fourth.stderr)).toEqual(['2/3: bob']);
    expect(await csvRows()).toEqual([['alice', '9', '9', '20', '20'], ['bob', '9', '9', '20', '20'], ['mallory', '0', '9', '0', '20']]);
    expect(fourth.code).toBe(1);
  });

  it('refuses options that do not go together, with the reason', async () => {
    const r = await streamlab(['--file', join(subs, 'alice.ts'), '--state', 'x.jsonl']);
    expect([r.code, r.stderr.split('\n')[0]]).toEqual([2, '--state, --fresh, --feedback and --group-by-plan go with --dir']);
    const s = await streamlab(['--dir', subs, '--self-check']);
    expect([s.code, s.stderr.split('\n')[0]]).toEqual([2, '--self-check tries one submission (--file) on the visible checks; it is not a grade and writes no reports']);
  });
});

describe('a hidden check, as the learner sees it', () => {
  it('shows only its category in the workbench\'s Check, and self-check runs only the visible checks', { timeout: 600_000 }, async () => {
    const token = 'grade-folder-token-0123456789';
    const server = await startRuntimeServer({ config: resolveConfig({ port: 0, token, lessonsDir: lessons }), services: { kafka: kafkaBootstrap(), pg: databaseUrl() } });
    try {
      const client = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws?token=${token}`);
      await client.hello(undefined, [1, 2, 3]);
      const content = await readFile(join(lessons, LESSON, 'starter.ts'), 'utf8');
      const reply = await client.request({ kind: 'check.run', lessonId: LESSON, files: [{ path: 'solution.ts', content }] });
      if (reply.kind !== 'check.run.ok') throw new Error(JSON.stringify(reply));
      const result = await client.waitFor((m) => m.kind === 'check.result' && m.checkId === reply.checkId) as ServerMessageOf<'check.result'>;
      await client.close();
      const hidden = result.tests.find((t) => t.id === 'late-dropped')!;
      expect(hidden).toEqual({ id: 'late-dropped', name: 'hidden check 1 (late records)', status: 'failed', message: HIDDEN_MESSAGE, durationMs: expect.any(Number), points: 0, maxPoints: 2, file: null, line: null, diff: null });
      // The visible ones keep their rows and lines.
      expect(result.tests.find((t) => t.id === 'update-averages')!.diff?.missing).toContainEqual(['10:00–10:01', 'sensor-2', 33.333333, 3]);
    } finally {
      await server.close();
    }

    const self = await streamlab(['--file', join(subs, 'alice.ts'), '--self-check']);
    expect(self.code, self.stderr).toBe(0);
    const lines = self.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('self-check of lesson 03-structured-windows: the visible checks only; this is not a grade');
    expect(lines).toContain('- hidden check 1 (late records) (0/2)');
    expect(lines.filter((l) => l.startsWith('✓ '))).toHaveLength(7);
    expect(lines.at(-1)).toBe('7 passed, 0 failed');
  });
});
