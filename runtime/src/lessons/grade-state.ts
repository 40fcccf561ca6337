/**
 * What a `streamlab grade --dir` run has graded so far, kept beside its reports so that a run that was
 * interrupted (Ctrl-C, a closed terminal, a killed container) resumes where it stopped.
 *
 *   state file  = line*            one JSON object per line, appended as each submission is graded
 *   line        = { v: 1, key, student, result }
 *   key         = sha256(lesson fingerprint, seed, hidden seed, the submission's files)
 *
 * A submission is graded again only when its key changes: its files, the lesson (any file of its folder,
 * the checks' configuration, the runtime's version) or a seed. A line that does not parse or does not
 * have a grade's shape (a write cut short by a kill, an edited file) is skipped and counted; the state
 * is rewritten whole (to a temporary file, then renamed) when the run ends, keeping only this run's
 * submissions. The file is the grader's: no check process or sandbox is told where it is.
 */
import { createHash } from 'node:crypto';
import { appendFile, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { z } from 'zod';
import type { LearnerFile } from '../jobs/compile.js';
import type { GradeResult } from './grade-types.js';

const gradedTest = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(['passed', 'failed', 'skipped']),
  message: z.string().nullable(),
  points: z.number(),
  maxPoints: z.number(),
  durationMs: z.number(),
  file: z.string().nullable(),
  line: z.number().nullable(),
  diff: z.object({ columns: z.array(z.string()), missing: z.array(z.array(z.unknown())), unexpected: z.array(z.array(z.unknown())) }).nullable(),
  hidden: z.string().optional(),
});

const gradeResult = z.object({
  lessonId: z.string(),
  seed: z.number().int(),
  hiddenSeed: z.number().int().optional(),
  tests: z.array(gradedTest),
  passed: z.number().int(),
  failed: z.number().int(),
  score: z.number(),
  maxScore: z.number(),
  reason: z.string().nullable(),
  plans: z.record(z.string(), z.string()).optional(),
});

const stateLine = z.object({ v: z.literal(1), key: z.string().regex(/^[0-9a-f]{64}$/), student: z.string(), result: gradeResult });

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(full)));
    else if (e.isFile()) out.push(full);
  }
  return out.sort();
}

/**
 * A hash of everything a lesson's grade depends on besides the submission: every file of the lesson's
 * folder (text, checks, solution, models), the lessons' check configuration, and `version`.
 */
export async function lessonFingerprint(lessonsRoot: string, lessonId: string, version: string): Promise<string> {
  const h = createHash('sha256').update(`streamlab ${version}\0${lessonId}\0`);
  const dir = join(lessonsRoot, lessonId);
  const files = [...(await filesUnder(dir)), join(lessonsRoot, 'vitest.config.ts')];
  for (const f of files) {
    h.update(`${relative(lessonsRoot, f)}\0`);
    h.update(await readFile(f).catch(() => Buffer.alloc(0)));
    h.update('\0');
  }
  return h.digest('hex');
}

/** The seeds a grade is made with: the visible checks' and the hidden checks'. */
export interface GradeSeeds {
  seed: number;
  hiddenSeed: number;
}

/** The key of one submission's grade: the lesson's fingerprint, the seeds and the files, in path order. */
export function submissionKey(fingerprint: string, seeds: GradeSeeds, student: string, files: readonly LearnerFile[] | null): string {
  const h = createHash('sha256').update(`${fingerprint}\0${seeds.seed}\0${seeds.hiddenSeed}\0${student}\0`);
  if (files === null) h.update('\u0001no files');
  for (const f of [...(files ?? [])].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) h.update(`${f.path}\0${f.content.length}\0${f.content}\0`);
  return h.digest('hex');
}

/** The grades a state file holds, by key, and how many of its lines could not be used. */
export interface LoadedState {
  grades: Map<string, { student: string; result: GradeResult }>;
  /** The seeds most of its grades were made with (null when it holds none with both). */
  seeds: GradeSeeds | null;
  unreadable: number;
}

/** Reads a state file; a missing file is an empty state. */
export async function loadGradeState(file: string): Promise<LoadedState> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { grades: new Map(), seeds: null, unreadable: 0 };
    throw e;
  }
  const grades = new Map<string, { student: string; result: GradeResult }>();
  let unreadable = 0;
  const seen = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let parsed: z.infer<typeof stateLine>;
    try {
      parsed = stateLine.parse(JSON.parse(line));
    } catch {
      unreadable++;
      continue;
    }
    grades.set(parsed.key, { student: parsed.student, result: parsed.result as GradeResult });
    const { seed, hiddenSeed } = parsed.result;
    if (hiddenSeed !== undefined) seen.set(`${seed} ${hiddenSeed}`, (seen.get(`${seed} ${hiddenSeed}`) ?? 0) + 1);
  }
  const most = [...seen.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const seeds = most ? { seed: Number(most.split(' ')[0]), hiddenSeed: Number(most.split(' ')[1]) } : null;
  return { grades, seeds, unreadable };
}

const lineOf = (key: string, student: string, result: GradeResult) => JSON.stringify({ v: 1, key, student, result }) + '\n';

/** Adds one grade to the state file (one line, appended). */
export async function recordGrade(file: string, key: string, student: string, result: GradeResult): Promise<void> {
  // A line cut short by a kill before this one would swallow it: start on a line of its own.
  await appendFile(file, '\n' + lineOf(key, student, result));
}

/** Rewrites the state file with exactly these grades (a temporary file renamed over it). */
export async function writeGradeState(file: string, grades: readonly { key: string; student: string; result: GradeResult }[]): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, grades.map((g) => lineOf(g.key, g.student, g.result)).join(''));
  await rename(tmp, file);
}
