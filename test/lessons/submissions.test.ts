/**
 * Realistic submissions for every lesson (`submissions/NN/*.ts`), graded as an instructor grades a
 * class: `streamlab grade --dir` run as a command, one folder per lesson, with a fixed seed, reading
 * the JSON report it writes.
 *
 * - `correct-*`: right, but written differently from the solution (other API spellings, column
 *   orders, aliases, printing, window and trigger spellings Spark accepts): every check passes.
 * - `wrong-*`: a mistake a learner makes (a window off by a unit, no watermark, no cast, a wrong
 *   output mode, a wrong filter, …). Its first line names the checks it must fail,
 *   `// fails: check-a, check-b`; exactly those fail, so each mistake is caught by the check meant
 *   to catch it and costs no other points. Lines `// says: <check id>: <text>` after it hold text that
 *   check's message must contain.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_BUNDLE_ENV, jobChildBundle, type JobChildBundle } from '../../runtime/src/jobs/child-bundle.js';
import { FAILURE_LIMITS } from '../../runtime/src/lessons/check-core.js';
import type { StudentGrade } from '../../runtime/src/lessons/grade-types.js';
import { databaseUrl } from '../services/inject.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SUBMISSIONS = fileURLToPath(new URL('./submissions/', import.meta.url));
const SEED = 20261207;
const LESSONS = ['01', '02', '03', '04', '05', '06', '07'];

// One job script for every lesson's `grade --dir`, handed over as a grader hands its own to the check
// processes (STREAMLAB_JOB_BUNDLE): each command would otherwise build the same one again.
let bundle: JobChildBundle | undefined;

beforeAll(async () => {
  bundle = await jobChildBundle({});
});

afterAll(() => bundle?.dispose());

/** `streamlab grade` as a command; resolves with its exit code and output. */
function grade(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, [JOB_BUNDLE_ENV]: bundle!.file };
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'runtime/bin/streamlab.js'), 'grade', ...args], { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/** The checks a `wrong-*` submission declares it fails, from its first line. */
async function declaredFailures(file: string): Promise<string[]> {
  const first = (await readFile(file, 'utf8')).split('\n', 1)[0]!;
  const m = /^\/\/ fails: (.+)$/.exec(first);
  if (!m) throw new Error(`${file} does not start with "// fails: <check ids>"`);
  return m[1]!.split(',').map((s) => s.trim()).sort();
}

/** What a `wrong-*` submission's failures must say, from the `// says: <check id>: <text>` lines after its first. */
async function declaredMessages(file: string): Promise<[string, string][]> {
  const lines = (await readFile(file, 'utf8')).split('\n').slice(1);
  const says: [string, string][] = [];
  for (const line of lines) {
    const m = /^\/\/ says: ([\w-]+): (.+)$/.exec(line);
    if (!m) break;
    says.push([m[1]!, m[2]!]);
  }
  return says;
}

/** What of a failed check is past the grader's limits (FAILURE_LIMITS): its message, diff rows or cells. */
function withinFailureLimits(t: StudentGrade['result']['tests'][number]): string[] {
  // A cut text keeps its first characters and says how many more there were.
  const most = (chars: number) => chars + ` more characters)`.length + 12;
  const past: string[] = [];
  if ((t.message ?? '').length > most(FAILURE_LIMITS.messageChars)) past.push(`message of ${t.message!.length} characters`);
  for (const side of ['missing', 'unexpected'] as const) {
    const rows = t.diff?.[side] ?? [];
    if (rows.length > FAILURE_LIMITS.diffRows) past.push(`${rows.length} ${side} rows`);
    for (const cell of rows.flat()) {
      const text = typeof cell === 'string' ? cell : JSON.stringify(cell);
      if (text.length > most(FAILURE_LIMITS.cellChars)) past.push(`a ${side} cell of ${text.length} characters`);
    }
  }
  return past;
}

describe.each(LESSONS)('lesson %s', (n) => {
  let out: string;
  let run: { code: number; stdout: string; stderr: string };
  let grades: Map<string, StudentGrade['result']>;
  // Read when the file is collected, so each submission is a test of its own.
  const files = readdirSync(join(SUBMISSIONS, n)).filter((f) => f.endsWith('.ts')).sort();

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), `streamlab-submissions-${n}-`));
    run = await grade([
      '--lesson', n, '--dir', join(SUBMISSIONS, n), '--seed', String(SEED),
      '--json', join(out, 'grades.json'), '--csv', join(out, 'grades.csv'), '--junit', join(out, 'grades.xml'),
      ...(n === '05' || n === '07' ? ['--pg', databaseUrl()] : []),
    ]);
    const json = JSON.parse(await readFile(join(out, 'grades.json'), 'utf8')) as StudentGrade[];
    grades = new Map(json.map((g) => [g.student, g.result]));
  }, 40 * 60_000);

  afterAll(async () => {
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('grades every submission in the folder, with the seed, and exits 1 since some fail', () => {
    expect([run.code, [...grades.keys()].sort()]).toEqual([1, files.map((f) => f.slice(0, -3))]);
    for (const g of grades.values()) expect([g.seed, g.reason]).toEqual([SEED, null]);
    expect(run.stderr.split('\n').filter((l) => l.startsWith('grading ')).length).toBe(files.length);
  });

  it.each(files)('%s', async (file) => {
    const g = grades.get(file.slice(0, -3))!;
    const failed = g.tests.filter((t) => t.status !== 'passed');
    if (file.startsWith('correct-')) {
      // Every check, with the reason when one does not pass.
      expect(failed.map((t) => `${t.id}: ${t.message}`)).toEqual([]);
      expect(g.score).toBe(g.maxScore);
    } else {
      expect(failed.map((t) => t.id).sort(), failed.map((t) => `${t.id}: ${t.message}`).join('\n')).toEqual(await declaredFailures(join(SUBMISSIONS, n, file)));
      expect(g.score).toBeLessThan(g.maxScore);
      // Each failure says why, in the learner's terms, within the grader's limits however much the code printed.
      for (const t of failed) expect(t.message).toMatch(/\S/);
      for (const t of failed) expect(withinFailureLimits(t), `${t.id}: a failure past the grader's limits`).toEqual([]);
      for (const [id, text] of await declaredMessages(join(SUBMISSIONS, n, file))) expect(failed.find((t) => t.id === id)?.message).toContain(text);
    }
  });
});

