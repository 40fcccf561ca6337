/**
 * A grading run ends with the process that started it. The grader (`streamlab grade`, or the runtime
 * for Check in the workbench) runs the checks in a process group of its own and kills that group when
 * it ends, times out or exits; killed outright (SIGKILL, out of memory) it can do none of that, and the
 * checks would run on to their end, their sandboxes with them, leaving the grading run's folder behind.
 *
 * So the grader names its pid to the checks (`STREAMLAB_GRADER_PID`), and the check process watches it:
 * once that process is gone it kills its sandboxes, removes the grading run's folder, the job script the
 * grader built for it and its own lake folders, and kills its process group (the vitest run the grader started; sandboxes are in it too).
 */
import { rmSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { JOB_BUNDLE_ENV } from '../jobs/child-bundle.js';
import { SUBMISSION_ENV } from './submission-files.js';

/** Env variable with the pid of the process that started the grading run. */
export const GRADER_PID_ENV = 'STREAMLAB_GRADER_PID';

/** How often the check process looks for its grader. */
const EVERY_MS = 250;

/** Folders the check process made (a world's lake) that go with it. */
export const ownFolders = new Set<string>();

let watching = false;

/** True while a process with this pid exists (one we may not signal counts). */
function exists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

/** The grading run's folder: the one holding the submission, when the grader made it. */
function gradingFolder(env: Readonly<Record<string, string | undefined>>): string | null {
  const submission = env[SUBMISSION_ENV];
  if (!submission || basename(submission) !== 'submission') return null;
  const folder = dirname(submission);
  return basename(folder).startsWith('streamlab-grade-') ? folder : null;
}

/** The folder of the job script the grader built and would have removed on its way out. */
function bundleFolder(env: Readonly<Record<string, string | undefined>>): string | null {
  const file = env[JOB_BUNDLE_ENV];
  if (!file || basename(file) !== 'job-child.mjs') return null;
  const folder = dirname(file);
  return basename(folder).startsWith('streamlab-job-') ? folder : null;
}

/**
 * Starts watching the grader named in the environment (once per process; nothing without the variable,
 * as when a lesson's checks run on their own). `killSandboxes` ends every check process of this one.
 */
export function watchGrader(killSandboxes: () => void, env: Readonly<Record<string, string | undefined>> = process.env): void {
  const pid = Number(env[GRADER_PID_ENV]);
  if (watching || !Number.isInteger(pid) || pid <= 1) return;
  watching = true;
  const timer = setInterval(() => {
    if (exists(pid)) return;
    clearInterval(timer);
    killSandboxes();
    for (const dir of [...ownFolders, gradingFolder(env), bundleFolder(env)]) if (dir) rmSync(dir, { recursive: true, force: true });
    // The grader ran this process group for the checks alone (it is detached): everything in it goes.
    process.kill(0, 'SIGKILL');
  }, EVERY_MS);
  timer.unref();
}
