/**
 * `streamlab grade`:
 *
 *   streamlab grade --lesson 03 --file sub.ts [--seed N] [--json out.json] [--junit out.xml]
 *   streamlab grade --lesson 03 --dir submissions/ [--seed N] [--jobs N] [--csv grades.csv] [--json grades.json] [--junit grades.xml]
 *   (either form: [--lessons <folder with NN-slug lessons>] [--pg postgres://…])
 *
 * Every check runs the learner's code in the sandbox, on its own in-memory Kafka and manual clock; the
 * random cases come from the seed, printed with the result (`--seed` reproduces a grade). A lesson
 * whose checks write tables needs PostgreSQL: `--pg` (or `STREAMLAB_PG`) names one where the checks
 * may create roles, else an embedded one runs for the grading; each check gets a schema and a
 * least-privilege role of its own there.
 *
 * Prints per-check results and ends with `N passed, M failed`; exits 0 only when every check of every
 * submission passed, 1 when some failed, 2 on a usage error. In `--dir` mode every entry of the folder
 * is one student (a `.ts` file, named without `.ts`, or a sub-folder); each gets a row, one that cannot
 * be graded with its reason. `--jobs N` submissions are graded at once (default: one per CPU, at most
 * 4); the results are printed in the folder's order whatever order they finish in. Progress goes to
 * stderr: `grading i/n: name` when one starts, `graded i/n: name …` with the time it took and an
 * estimate of the time left when it ends. The CSV, JSON and JUnit reports are always written (by default
 * `grades.csv`, `grades.json` and `grades.xml` here).
 */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { LearnerFile } from '../jobs/compile.js';
import { findLesson, loadLessons } from './load-lessons.js';
import { formatResult, gradesCsv, junitXml, resultLines, summaryLine } from './grade-report.js';
import { defaultLessonsRoot, failedGrade, gradeSubmission, newSeed } from './grade-submission.js';
import type { StudentGrade } from './grade-types.js';
import type { Lesson } from './lesson-schema.js';
import { readLearnerFiles } from './submission-files.js';

/** Where the command writes; the CLI passes process streams, tests capture. */
export interface GradeIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

const processIo: GradeIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

const USAGE = 'usage: streamlab grade --lesson NN (--file submission.ts | --dir submissions/) [--seed N] [--jobs N] [--json out.json] [--junit out.xml] [--csv grades.csv] [--lessons dir] [--pg URL]\n';

/** One entry of a submissions folder: its files, or why it cannot be graded. */
export type Student = { student: string; files: LearnerFile[] } | { student: string; reason: string };

async function studentsIn(dir: string): Promise<Student[]> {
  const out: Student[] = [];
  for (const name of (await readdir(dir)).sort()) {
    if (name.startsWith('.')) continue;
    const full = join(dir, name);
    try {
      if ((await stat(full)).isDirectory()) {
        const files = await readLearnerFiles(full);
        out.push(files.length === 0 ? { student: name, reason: 'The folder has no .ts files.' } : { student: name, files });
      } else if (name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.endsWith('.test.ts')) {
        out.push({ student: name.slice(0, -3), files: [{ path: name, content: await readFile(full, 'utf8') }] });
      } else {
        out.push({ student: name.replace(/\.[^.]*$/, '') || name, reason: `${name} is not a TypeScript file (.ts) or a folder of them.` });
      }
    } catch (e) {
      out.push({ student: name, reason: `Cannot read ${name}: ${(e as Error).message}` });
    }
  }
  return out;
}

async function gradeStudent(lesson: Lesson, s: Student, root: string, seed: number, database: string | undefined): Promise<StudentGrade> {
  if ('reason' in s) return { student: s.student, result: failedGrade(lesson, seed, s.reason) };
  try {
    return { student: s.student, result: await gradeSubmission({ lesson, files: s.files, lessonsRoot: root, seed, ...(database ? { database } : {}) }) };
  } catch (e) {
    return { student: s.student, result: failedGrade(lesson, seed, `The submission could not be graded: ${(e as Error).message}`) };
  }
}

/**
 * How many submissions grade at once by default: one per CPU (a grade keeps about one core busy: its
 * check process and one sandbox at a time), at most 4.
 */
export function defaultJobs(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

const seconds = (ms: number) => (ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`);

/**
 * Grades every student with at most `jobs` at once, starting them in the folder's order; prints each
 * result in that order as soon as it and every one before it are done, and progress on stderr.
 */
export async function gradeAll(students: readonly Student[], jobs: number, gradeOne: (s: Student) => Promise<StudentGrade>, io: GradeIo): Promise<StudentGrade[]> {
  const grades: (StudentGrade | undefined)[] = new Array(students.length);
  const started = Date.now();
  let next = 0;
  let done = 0;
  let printed = 0;
  const worker = async () => {
    while (next < students.length) {
      const i = next++;
      const s = students[i]!;
      io.stderr(`grading ${i + 1}/${students.length}: ${s.student}\n`);
      const t = Date.now();
      const g = await gradeOne(s);
      grades[i] = g;
      done++;
      const left = students.length - done;
      // Time per submission so far, spread over the jobs still to run.
      const estimate = left > 0 ? `; about ${seconds(((Date.now() - started) / done) * left)} left` : '';
      io.stderr(`graded ${i + 1}/${students.length}: ${s.student} in ${seconds(Date.now() - t)} (${done} done, ${left} to go${estimate})\n`);
      while (printed < students.length && grades[printed]) {
        const p = grades[printed++]!;
        io.stdout([`${p.student}: ${p.result.passed}/${p.result.tests.length} checks, ${p.result.score}/${p.result.maxScore} points`, ...resultLines(p.result).map((l) => `  ${l}`)].join('\n') + '\n');
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, Math.max(1, students.length)) }, worker));
  return grades as StudentGrade[];
}

/** Runs `streamlab grade` with the arguments after `grade`; resolves with the exit code. */
export async function runGradeCommand(argv: readonly string[], io: GradeIo = processIo, env: Readonly<Record<string, string | undefined>> = process.env): Promise<number> {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        lesson: { type: 'string' }, file: { type: 'string' }, dir: { type: 'string' }, seed: { type: 'string' },
        json: { type: 'string' }, junit: { type: 'string' }, csv: { type: 'string' }, lessons: { type: 'string' },
        pg: { type: 'string' }, jobs: { type: 'string' },
      },
      allowPositionals: false,
    }) as { values: Record<string, string | undefined> });
  } catch (e) {
    io.stderr(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!values.lesson || (values.file === undefined) === (values.dir === undefined)) {
    io.stderr(USAGE);
    return 2;
  }
  if (values.seed !== undefined && !/^\d{1,10}$/.test(values.seed)) {
    io.stderr(`--seed takes a whole number (the seed a grade report names)\n${USAGE}`);
    return 2;
  }
  if (values.jobs !== undefined && (!/^\d{1,3}$/.test(values.jobs) || Number(values.jobs) < 1)) {
    io.stderr(`--jobs takes how many submissions to grade at once (1 or more)\n${USAGE}`);
    return 2;
  }
  const root = values.lessons ?? defaultLessonsRoot();
  const lesson = findLesson(await loadLessons(root), values.lesson);
  if (!lesson) {
    io.stderr(`No lesson ${values.lesson} in ${root}\n`);
    return 2;
  }
  const seed = values.seed !== undefined ? Number(values.seed) >>> 0 : newSeed();
  const database = lesson.tables.length > 0 ? await checkDatabase(values.pg ?? env.STREAMLAB_PG, io) : null;
  try {
    return await grade(lesson, values, root, seed, database?.url, io);
  } finally {
    await database?.stop();
  }
}

/** The PostgreSQL a lesson with tables is graded on: the one given, or an embedded one for this run. */
async function checkDatabase(given: string | undefined, io: GradeIo): Promise<{ url: string | undefined; stop(): Promise<void> }> {
  if (given) return { url: given, stop: async () => {} };
  try {
    io.stderr('starting an embedded PostgreSQL for this lesson\'s checks (--pg URL to use another)\n');
    const { startEmbeddedPostgres } = await import('../connectors/postgres/embedded.js');
    const handle = await startEmbeddedPostgres({});
    return { url: handle.url, stop: () => handle.stop() };
  } catch (e) {
    // Every check then fails saying that no database was given.
    io.stderr(`the embedded PostgreSQL did not start (${e instanceof Error ? e.message.split('\n')[0] : String(e)}); grade with --pg postgres://…\n`);
    return { url: undefined, stop: async () => {} };
  }
}

async function grade(lesson: Lesson, values: Record<string, string | undefined>, root: string, seed: number, database: string | undefined, io: GradeIo): Promise<number> {

  let grades: StudentGrade[];
  if (values.file !== undefined) {
    const name = basename(values.file);
    let content: string;
    try {
      content = await readFile(values.file, 'utf8');
    } catch (e) {
      io.stderr(`Cannot read ${values.file}: ${(e as Error).message}\n`);
      return 2;
    }
    grades = [await gradeStudent(lesson, { student: name.replace(/\.ts$/, ''), files: [{ path: name, content }] }, root, seed, database)];
    io.stdout(formatResult(grades[0]!.result));
  } else {
    let students: Student[];
    try {
      students = await studentsIn(values.dir!);
    } catch (e) {
      io.stderr(`Cannot read the folder ${values.dir}: ${(e as Error).message}\n`);
      return 2;
    }
    values.csv ??= 'grades.csv';
    values.json ??= 'grades.json';
    values.junit ??= 'grades.xml';
    const jobs = values.jobs !== undefined ? Number(values.jobs) : defaultJobs();
    grades = await gradeAll(students, jobs, (s) => gradeStudent(lesson, s, root, seed, database), io);
    io.stdout(`lesson ${lesson.id}, ${grades.length} submissions, seed ${seed}\n`);
  }

  const written: string[] = [];
  const write = async (file: string | undefined, text: () => string) => {
    if (file === undefined) return;
    try {
      await writeFile(file, text());
      written.push(file);
    } catch (e) {
      io.stderr(`Cannot write ${file}: ${(e as Error).message}\n`);
    }
  };
  await write(values.json, () => JSON.stringify(values.file !== undefined ? grades[0]!.result : grades, null, 2) + '\n');
  await write(values.junit, () => junitXml(grades.map((g) => ({ name: `${g.student} · ${lesson.id}`, result: g.result }))));
  await write(values.csv, () => gradesCsv(grades));
  if (written.length > 0) io.stderr(`wrote ${written.join(', ')}\n`);

  const passed = grades.reduce((n, g) => n + g.result.passed, 0);
  const failed = grades.reduce((n, g) => n + g.result.failed, 0);
  if (values.dir !== undefined) io.stdout(`${summaryLine(passed, failed)}\n`);
  return failed === 0 && passed > 0 ? 0 : 1;
}
