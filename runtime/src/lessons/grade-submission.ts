/**
 * Grades one submission. The lesson's `check.test.ts` runs in a vitest process of its own (its own
 * process group) that never evaluates the learner's code: the checks drive it in sandboxed job
 * processes (see `check-harness.ts`). The learner's files are written where only the checks read them;
 * the report is written by the grading reporter where the sandbox cannot reach (it has no file system).
 * The Check button, `streamlab grade` and the lessons tier all call this.
 *
 *   files → tmp/submission/…            seed → STREAMLAB_CHECK_SEED      database → STREAMLAB_CHECK_DATABASE
 *   hidden seed → STREAMLAB_CHECK_HIDDEN_SEED (not for a self-check, which runs no hidden check)
 *   this process's job script (built once) → STREAMLAB_JOB_BUNDLE
 *   vitest run --config <lessons>/vitest.config.ts --configLoader=runner --reporter=<check-reporter> <id>/check.test.ts   (detached)
 *     timeout → SIGKILL to the whole process group; afterwards the group is killed in any case
 *   tmp/report.json + exit status → one GradedTest per check the front matter declares, points by check id
 *
 * A report is accepted only with an exit status that agrees with it (0: every check passed, 1: some
 * failed); a check the report does not have failed, with the reason the run gives.
 */
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, resolve, sep } from 'node:path';
import { RUNTIME_SRC, SHIPPED_LESSONS_DIR } from '../runtime-paths.js';
import { JOB_BUNDLE_ENV, jobChildBundle } from '../jobs/child-bundle.js';
import { planSummary, type PlanSummary } from '../jobs/check-ipc.js';
import type { LearnerFile } from '../jobs/compile.js';
import type { Lesson } from './lesson-schema.js';
import type { GradeResult } from './grade-types.js';
import { failedGrade, gradeFromReport } from './grade-from-report.js';

export { failedGrade, gradeFromReport, type LessonPoints } from './grade-from-report.js';
import { CHECK_DATABASE_ENV, removeCheckNamespace } from './check-database.js';
import { GRADER_PID_ENV } from './grader-watch.js';
import { CHECK_NAMESPACE_ENV, newCheckNamespace } from './check-namespace.js';
import { REPORT_ENV, type CheckReport, type ReportedCheck } from './check-reporter.js';
import { HIDDEN_SEED_ENV, SEED_ENV, SKIP_CHECKS_ENV, SUBMISSION_ENTRY_ENV, SUBMISSION_ENV, entryFile } from './submission-files.js';

/** The repository's `lessons/` folder, found from this file's location. */
export function defaultLessonsRoot(): string {
  return SHIPPED_LESSONS_DIR;
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
  /** Seed of the visible checks' random cases (default: a fresh one; the result names it). */
  seed?: number;
  /**
   * Seed of the hidden checks' inputs (default: a fresh one, drawn apart from `seed`; the result names
   * it, and `learnerView` drops it, so what a learner sees never rebuilds a hidden check's inputs).
   */
  hiddenSeed?: number;
  /** Kills the whole grading run after this long (default 300 s). */
  timeoutMs?: number;
  /** Longest one step of a check may take in the learner's code before it is stopped (default 20 s). */
  opTimeoutMs?: number;
  /**
   * An administrator's URL of the PostgreSQL that checks of a lesson with tables write to. Only the
   * trusted check process holds it: each sandbox gets a schema and a least-privilege role of its own
   * (see `check-database.ts`), never this URL.
   */
  database?: string;
  /**
   * The namespace of the run's schemas and roles in that database (`check-<hex>`; default a fresh
   * one): whatever of it is left when the run ends, however it ends, is dropped.
   */
  namespace?: string;
  /**
   * Self-check: the lesson's hidden checks do not run (they come back skipped, worth nothing), so a
   * learner may try the visible ones as often as they like; such a result is not a grade.
   */
  visibleOnly?: boolean;
}

// vitest loads the reporter from its TypeScript source, whether the runtime runs from its sources or a build.
const REPORTER = join(RUNTIME_SRC, 'lessons', 'check-reporter.ts');

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

/** Sends SIGKILL to a process group, if any of it is left. */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Nothing left.
  }
}

/**
 * Resolves once no process of the group is left (SIGKILL is delivered asynchronously, and a loaded
 * machine can take a moment to tear a job process down), or after `boundMs`: a grade is reported only
 * when the learner's processes are gone.
 */
async function groupGone(pid: number | undefined, boundMs = 5000): Promise<void> {
  if (pid === undefined) return;
  const until = Date.now() + boundMs;
  while (Date.now() < until) {
    try {
      process.kill(-pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Process groups of the check runs going on in this process, and their work folders. */
const running = new Set<number>();
const workFolders = new Set<string>();

/**
 * Kills every check run this process has going (each whole process group) and removes their work
 * folders: an interrupted grader leaves no check or sandbox process behind, and no submission's files.
 */
export function stopAllGrading(): void {
  stopped = true;
  for (const pid of running) killGroup(pid);
  removeWorkFolders();
}

function removeWorkFolders(): void {
  for (const dir of workFolders) rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
}

// And once more as the process exits, for a folder a grade made after the grading was stopped.
process.once('exit', removeWorkFolders);

/**
 * Set once the grading in this process is stopped: a grade that was starting (its folder being made,
 * its check run not yet started) stops there and removes its folder, rather than leaving it behind
 * when the process exits.
 */
let stopped = false;

/** Thrown into a grade that was starting when the grading was stopped. */
class GradingStopped extends Error {
  constructor() {
    super('the grading was stopped');
  }
}

/** Runs vitest in a process group of its own; kills the whole group on timeout and once it has ended. */
function runVitest(args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; timedOut: boolean; output: string }> {
  return new Promise((resolvePromise, reject) => {
    if (stopped) {
      reject(new GradingStopped());
      return;
    }
    const child = spawn(process.execPath, [vitestBin(), ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    if (child.pid !== undefined) running.add(child.pid);
    let output = '';
    let timedOut = false;
    const keep = (b: Buffer) => {
      output = (output + b.toString()).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    // The grader going away takes its grading run with it.
    const onExit = () => killGroup(child.pid);
    process.once('exit', onExit);
    child.on('error', (e) => {
      clearTimeout(timer);
      process.off('exit', onExit);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      process.off('exit', onExit);
      killGroup(child.pid);
      void groupGone(child.pid).then(() => {
        if (child.pid !== undefined) running.delete(child.pid);
        resolvePromise({ code, signal, timedOut, output });
      });
    });
  });
}

const ANSI = /\u001b\[[0-9;]*m/g;

/** The first lines of an error text, without colour codes or the stack below the message. */
export function failureSummary(raw: string): string {
  const lines = raw.replace(ANSI, '').split('\n');
  const stackAt = lines.findIndex((l) => /^\s+at /.test(l));
  return (stackAt < 0 ? lines : lines.slice(0, stackAt)).join('\n').trim().split('\n').slice(0, 12).join('\n');
}

/** Checks the report's shape: it is data from another process, so nothing is taken on trust. */
function parseReport(text: string): CheckReport | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  const r = raw as { checks?: unknown; errors?: unknown; plans?: unknown };
  if (!Array.isArray(r?.checks) || !Array.isArray(r.errors)) return null;
  const checks: ReportedCheck[] = [];
  for (const c of r.checks as Record<string, unknown>[]) {
    if (typeof c?.title !== 'string' || !['passed', 'failed', 'skipped'].includes(c.status as string)) return null;
    checks.push(c as unknown as ReportedCheck);
  }
  // Plans only group a class; one that does not parse is left out, never the grade.
  const plans: Record<string, PlanSummary> = {};
  if (r.plans && typeof r.plans === 'object') {
    for (const [fn, p] of Object.entries(r.plans as Record<string, unknown>)) {
      const parsed = planSummary.safeParse(p);
      if (parsed.success) plans[fn] = parsed.data;
    }
  }
  return { checks, errors: (r.errors as unknown[]).map(String), plans };
}

/** What a run tells about the checks it did not report. */
function missingReason(run: { code: number | null; signal: NodeJS.Signals | null; timedOut: boolean; output: string }, report: CheckReport | null, timeoutMs: number): string {
  if (run.timedOut) return `The checks did not finish within ${Math.round(timeoutMs / 1000)} s and were stopped.`;
  if (report && report.errors.length > 0) return failureSummary(report.errors[0]!);
  if (report) return 'This check did not run.';
  return `The checks ended without a report (${run.signal ?? `exit code ${run.code}`})${run.output.trim() ? `: ${failureSummary(run.output)}` : '.'}`;
}

/** A fresh seed for the random cases. */
export function newSeed(): number {
  return randomInt(1, 2 ** 31 - 1);
}

/** Runs a lesson's checks against one submission. */
export async function gradeSubmission(options: GradeOptions): Promise<GradeResult> {
  const { lesson } = options;
  const seed = options.seed ?? newSeed();
  // A self-check runs no hidden check, so it has no hidden seed to report.
  const hiddenSeed = options.visibleOnly ? undefined : options.hiddenSeed ?? newSeed();
  const root = resolve(options.lessonsRoot ?? defaultLessonsRoot());
  const timeoutMs = options.timeoutMs ?? 300_000;
  let entry: string;
  try {
    entry = entryFile(options.files, options.entry);
  } catch (e) {
    return failedGrade(lesson, seed, (e as Error).message, hiddenSeed);
  }
  // Made and noted in one step: a grader interrupted while an asynchronous mkdtemp was under way
  // exited before it could note, let alone remove, the folder it made.
  const work = mkdtempSync(join(tmpdir(), 'streamlab-grade-'));
  workFolders.add(work);
  const namespace = options.namespace ?? newCheckNamespace();
  try {
    if (stopped) throw new GradingStopped();
    const subDir = join(work, 'submission');
    await mkdir(subDir);
    // The checks' temporary files (vitest's own, a world's lake) go inside the grading run's folder, so
    // that removing it removes them, however the run ended.
    const temp = join(work, 'tmp');
    await mkdir(temp);
    await writeFiles(subDir, options.files);
    const reportFile = join(work, 'report.json');
    // The check process starts its sandboxes on this process's job script: built once for every
    // submission this process grades.
    const bundle = await jobChildBundle();
    // The checks get a minimal environment, never the runtime's own (tokens, database passwords); the
    // learner's code, in its sandboxes, gets none at all.
    const env: NodeJS.ProcessEnv = {
      ...checkEnvironment(process.env),
      [SUBMISSION_ENV]: subDir,
      [SUBMISSION_ENTRY_ENV]: entry,
      [SEED_ENV]: String(seed),
      ...(hiddenSeed !== undefined ? { [HIDDEN_SEED_ENV]: String(hiddenSeed) } : {}),
      [REPORT_ENV]: reportFile,
      ...(options.opTimeoutMs ? { STREAMLAB_CHECK_OP_TIMEOUT_MS: String(options.opTimeoutMs) } : {}),
      ...(options.database ? { [CHECK_DATABASE_ENV]: options.database } : {}),
      [CHECK_NAMESPACE_ENV]: namespace,
      // Watched by the checks, which end themselves once this process is gone (grader-watch.ts).
      [GRADER_PID_ENV]: String(process.pid),
      TMPDIR: temp,
      TMP: temp,
      TEMP: temp,
      ...(options.visibleOnly ? { [SKIP_CHECKS_ENV]: Object.keys(lesson.hidden ?? {}).join(',') } : {}),
      [JOB_BUNDLE_ENV]: bundle.file,
      FORCE_COLOR: '0',
    };
    // The check file is named relative to the lessons root so vitest's filter matches exactly one file.
    // The runner loads the config in memory: the default bundles it into a file beside the config,
    // which fails where the lessons are read-only (the container image, run as a non-root user).
    const args = ['run', '--config', join(root, 'vitest.config.ts'), '--configLoader=runner', `--reporter=${REPORTER}`, `${lesson.id}/check.test.ts`];
    const run = await runVitest(args, root, env, timeoutMs);
    const report = run.timedOut ? null : parseReport(await readFile(reportFile, 'utf8').catch(() => ''));
    const result = gradeFromReport(lesson, seed, report, missingReason(run, report, timeoutMs), hiddenSeed);
    // vitest exits 0 only when every test passed, 1 when some failed; anything else is not a finished run.
    // Only the hidden checks of a self-check may be skipped.
    const skippable = new Set(options.visibleOnly ? Object.keys(lesson.hidden ?? {}) : []);
    const agrees = report !== null && (run.code === 0
      ? report.checks.some((c) => c.status === 'passed') && report.errors.length === 0
        && report.checks.every((c) => c.status === 'passed' || (c.status === 'skipped' && c.id !== null && skippable.has(c.id)))
      : run.code === 1 && (report.errors.length > 0 || report.checks.some((c) => c.status !== 'passed')));
    if (!agrees) return failedGrade(lesson, seed, missingReason(run, report, timeoutMs), hiddenSeed);
    return result;
  } finally {
    await rm(work, { recursive: true, force: true });
    workFolders.delete(work);
    if (options.database) await removeCheckNamespace(options.database, namespace).catch(() => undefined);
  }
}

/**
 * The few variables the check process needs to run Node and find its tools, and the sandbox limits an
 * operator set (see `defaultLimits`); nothing secret.
 */
export function checkEnvironment(from: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'TMP', 'TEMP', 'LANG', 'LC_ALL', 'TZ', 'SystemRoot', 'CI', 'STREAMLAB_CHECK_OP_TIMEOUT_MS', 'STREAMLAB_CHECK_LOOP_LIMIT_MS'];
  const env: NodeJS.ProcessEnv = {};
  for (const k of keep) if (from[k] !== undefined) env[k] = from[k];
  return env;
}
