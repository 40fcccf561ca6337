/**
 * Grades one submission: the learner's files go into a fresh temporary folder, and the lesson's
 * `check.test.ts` runs in a child vitest process (`--reporter=json`) with `STREAMLAB_SUBMISSION` naming
 * that folder. The workbench's Check button and `streamlab grade` both call this.
 *
 *   files → tmp/submission/… ─┐
 *   vitest run --config <lessons>/vitest.config.ts <lessons>/<id>/check.test.ts --reporter=json
 *                             └→ tmp/result.json → one GradedTest per check, points from front matter
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LearnerFile } from '../jobs/compile.js';
import type { Lesson } from './lesson-schema.js';
import type { GradedTest, GradeResult } from './grade-types.js';
import { SUBMISSION_ENTRY_ENV, SUBMISSION_ENV, entryFile } from './submission-files.js';

/** The repository's `lessons/` folder, found from this file's location. */
export function defaultLessonsRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../../lessons');
}

/** What {@link gradeSubmission} needs. */
export interface GradeOptions {
  lesson: Lesson;
  /** The learner's files (paths relative to the submission root). */
  files: readonly LearnerFile[];
  /** Entry file among `files` (default: solution.ts, starter.ts, main.ts, … or the only file). */
  entry?: string;
  /** Folder holding `NN-slug/check.test.ts` and `vitest.config.ts` (default: the repository's `lessons/`). */
  lessonsRoot?: string;
  /** Services the checks may use; passed to the check process as `STREAMLAB_KAFKA` / `STREAMLAB_PG`. */
  services?: { kafka?: string; pg?: string };
  /** Kills the check process after this long (default 120 s). */
  timeoutMs?: number;
}

interface VitestAssertion {
  title: string;
  status: string;
  duration?: number | null;
  failureMessages?: string[];
}

interface VitestJson {
  testResults?: { message?: string; status?: string; assertionResults?: VitestAssertion[] }[];
}

const ANSI = /\u001b\[[0-9;]*m/g;

/** The first lines of a failure, without colour codes or the stack below the message. */
export function failureSummary(raw: string): string {
  const text = raw.replace(ANSI, '');
  const lines = text.split('\n');
  const stackAt = lines.findIndex((l) => /^\s+at /.test(l));
  return (stackAt < 0 ? lines : lines.slice(0, stackAt)).join('\n').trim().split('\n').slice(0, 30).join('\n');
}

function vitestBin(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('vitest/package.json')), 'vitest.mjs');
}

/** Writes the files under `dir`, refusing paths that leave it. */
async function writeFiles(dir: string, files: readonly LearnerFile[]): Promise<void> {
  for (const f of files) {
    const target = normalize(join(dir, f.path));
    if (!target.startsWith(dir + sep)) throw new Error(`A submission file may not leave its folder: ${f.path}`);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, f.content);
  }
}

function runVitest(args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [vitestBin(), ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (b: Buffer) => {
      output = (output + b.toString()).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, output });
    });
  });
}

/** Turns vitest's JSON report into graded tests with the lesson's points. */
export function gradeFromVitestJson(lesson: Pick<Lesson, 'id' | 'points'>, report: VitestJson): GradeResult {
  const tests: GradedTest[] = [];
  for (const file of report.testResults ?? []) {
    const fileMessage = file.message ? failureSummary(file.message) : null;
    for (const a of file.assertionResults ?? []) {
      const maxPoints = lesson.points[a.title] ?? 1;
      const status = a.status === 'passed' ? 'passed' : a.status === 'failed' ? 'failed' : fileMessage ? 'failed' : 'skipped';
      const message = status === 'passed' ? null : a.failureMessages?.[0] ? failureSummary(a.failureMessages[0]) : fileMessage;
      tests.push({ name: a.title, status, message, points: status === 'passed' ? maxPoints : 0, maxPoints, durationMs: Math.round(a.duration ?? 0) });
    }
  }
  return summarise(lesson.id, tests);
}

function summarise(lessonId: string, tests: GradedTest[]): GradeResult {
  return {
    lessonId,
    tests,
    passed: tests.filter((t) => t.status === 'passed').length,
    failed: tests.filter((t) => t.status !== 'passed').length,
    score: tests.reduce((n, t) => n + t.points, 0),
    maxScore: tests.reduce((n, t) => n + t.maxPoints, 0),
  };
}

/** Runs a lesson's checks against one submission. */
export async function gradeSubmission(options: GradeOptions): Promise<GradeResult> {
  const { lesson } = options;
  const root = resolve(options.lessonsRoot ?? defaultLessonsRoot());
  const work = await mkdtemp(join(tmpdir(), 'streamlab-grade-'));
  try {
    const subDir = join(work, 'submission');
    await mkdir(subDir);
    await writeFiles(subDir, options.files);
    const entry = entryFile(options.files, options.entry);
    const resultFile = join(work, 'result.json');
    // The checks run the learner's code: they get a minimal environment, never the runtime's own
    // (tokens, database passwords, cloud credentials). Only the services named here reach them.
    const env: NodeJS.ProcessEnv = {
      ...checkEnvironment(process.env),
      [SUBMISSION_ENV]: subDir,
      [SUBMISSION_ENTRY_ENV]: entry,
      FORCE_COLOR: '0',
      ...(options.services?.kafka ? { STREAMLAB_KAFKA: options.services.kafka } : {}),
      ...(options.services?.pg ? { STREAMLAB_PG: options.services.pg } : {}),
    };
    // The check file is named relative to the lessons root so vitest's filter matches exactly one file.
    const args = ['run', '--config', join(root, 'vitest.config.ts'), '--reporter=json', `--outputFile=${resultFile}`, `${lesson.id}/check.test.ts`];
    const { output } = await runVitest(args, root, env, options.timeoutMs ?? 120_000);
    let report: VitestJson;
    try {
      report = JSON.parse(await readFile(resultFile, 'utf8')) as VitestJson;
    } catch {
      return summarise(lesson.id, [{
        name: 'the checks run', status: 'failed', message: failureSummary(output) || 'the check process ended without a report', points: 0, maxPoints: 1, durationMs: 0,
      }]);
    }
    const result = gradeFromVitestJson(lesson, report);
    if (result.tests.length === 0) {
      return summarise(lesson.id, [{ name: 'the checks run', status: 'failed', message: failureSummary(output) || 'no checks ran', points: 0, maxPoints: 1, durationMs: 0 }]);
    }
    return result;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The few variables a check process needs to run Node and find its tools; nothing secret. */
export function checkEnvironment(from: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'TMP', 'TEMP', 'LANG', 'LC_ALL', 'TZ', 'SystemRoot', 'CI'];
  const env: NodeJS.ProcessEnv = {};
  for (const k of keep) if (from[k] !== undefined) env[k] = from[k];
  return env;
}
