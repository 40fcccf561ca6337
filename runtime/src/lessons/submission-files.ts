/**
 * How a submission reaches a lesson's check: the grader writes the learner's files into a folder and
 * names it in `STREAMLAB_SUBMISSION` (the entry file in `STREAMLAB_SUBMISSION_ENTRY`). Without the
 * variable, a check runs against its lesson's `solution.ts`, so `vitest run lessons/NN-…/check.test.ts`
 * works on its own.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { LearnerFile } from '../jobs/compile.js';
import { entryFile } from './check-core.js';

export { entryFile } from './check-core.js';

/** Env variable naming the folder with the submission's files. */
export const SUBMISSION_ENV = 'STREAMLAB_SUBMISSION';
/** Env variable naming the entry file inside that folder. */
export const SUBMISSION_ENTRY_ENV = 'STREAMLAB_SUBMISSION_ENTRY';
/** Env variable with the seed of the checks' random cases (digits); a fresh one when unset. */
export const SEED_ENV = 'STREAMLAB_CHECK_SEED';
/**
 * Env variable with the seed of the hidden checks' inputs (digits); a fresh one when unset. Drawn apart
 * from the visible seed and never shown to the learner, so the visible one does not rebuild them.
 */
export const HIDDEN_SEED_ENV = 'STREAMLAB_CHECK_HIDDEN_SEED';
/** Env variable with the ids of checks that do not run this time (comma-separated): a self-check's hidden ones. */
export const SKIP_CHECKS_ENV = 'STREAMLAB_CHECK_SKIP';

/** Reads every `.ts` file under `dir` (relative, `/`-separated paths), skipping tests and node_modules. */
export async function readLearnerFiles(dir: string): Promise<LearnerFile[]> {
  const out: LearnerFile[] = [];
  async function walk(d: string): Promise<void> {
    for (const entry of (await readdir(d, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) await walk(full);
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')) {
        out.push({ path: relative(dir, full).split(sep).join('/'), content: await readFile(full, 'utf8') });
      }
    }
  }
  await walk(dir);
  return out;
}

/** The submission a check should load: from the environment, or the lesson's own solution. */
export async function submissionFiles(lessonDir: string, env: Readonly<Record<string, string | undefined>>): Promise<{ files: LearnerFile[]; entry: string }> {
  const dir = env[SUBMISSION_ENV];
  if (!dir) {
    // The lesson's extra files plus its solution, as the workbench would send them.
    const files = (await readLearnerFiles(lessonDir)).filter((f) => f.path !== 'starter.ts');
    return { files, entry: 'solution.ts' };
  }
  const files = await readLearnerFiles(dir);
  return { files, entry: entryFile(files, env[SUBMISSION_ENTRY_ENV]) };
}
