/**
 * `streamlab grade`:
 *
 *   streamlab grade --lesson 03 --file sub.ts [--seed N] [--hidden-seed N] [--json out.json] [--junit out.xml]
 *   streamlab grade --lesson 03 --dir submissions/ [--seed N] [--hidden-seed N] [--jobs N] [--csv grades.csv] [--json grades.json] [--junit grades.xml]
 *   (either form: [--lessons <folder with NN-slug lessons>] [--pg postgres://…])
 *
 * Every check runs the learner's code in the sandbox, on its own in-memory Kafka and manual clock; the
 * visible checks' random cases come from the seed, the hidden checks' inputs from a hidden seed drawn
 * apart from it; both are printed with the result (`--seed` and `--hidden-seed` reproduce a grade).
 * The learner's feedback names only the seed: the hidden one would rebuild the hidden checks' data. A lesson
 * whose checks write tables needs PostgreSQL: `--pg` (or `STREAMLAB_PG`) names one where the checks
 * may create roles, else an embedded one runs for the grading; each check gets a schema and a
 * least-privilege role of its own there.
 *
 * Prints per-check results and ends with `N passed, M failed`; exits 0 only when every check of every
 * submission passed, 1 when some failed, 2 on a usage error. In `--dir` mode every entry of the folder
 * is one student (a `.ts` file, named without `.ts`, or a sub-folder); each gets a row, one that cannot
 * be graded with its reason. `--jobs N` submissions are graded at once (default: one per CPU, as
 * many as the free memory holds; never more than that); the results are printed in the folder's order
 * whatever order they finish in. Progress goes to stderr: on a terminal one line that updates (done,
 * running, time left); otherwise `grading i/n: name` when one starts and `graded i/n: name …` with the
 * time it took and an estimate of the time left when it ends. The CSV, JSON and JUnit reports are always
 * written (by default `grades.csv`, `grades.json` and `grades.xml` here).
 *
 * Resuming: each grade is added to a state file beside the CSV (`grades.state.jsonl`, or `--state F`)
 * as soon as it is made; run the same command again after an interruption and only submissions not in
 * it (or whose files, lesson or seeds changed) are graded. A run without `--seed` (`--hidden-seed`) takes
 * the seed (hidden seed) the state was made with. `--fresh` ignores the state. See `grade-state.ts`.
 *
 * Feedback: `--feedback DIR` writes `<student>.txt` per student as the learner may see it (hidden
 * checks show only their category). `--self-check` (with `--file`) runs the visible checks only and
 * prints what the learner may see: it is not a grade, and writes no reports.
 *
 * Plans: `--group-by-plan` (with `--dir`) adds a section that groups the class by the canonical logical
 * plans their checks built (plan-groups.ts): each group's size, students, points, the checks all of them
 * pass, and one representative plan.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { availableParallelism, freemem } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { RUNTIME_DIR } from '../runtime-paths.js';
import type { LearnerFile } from '../jobs/compile.js';
import { findLesson, loadLessons } from './load-lessons.js';
import { formatResult, gradesCsv, junitXml, learnerView, resultLines, seedsText, summaryLine } from './grade-report.js';
import { lessonFingerprint, loadGradeState, recordGrade, submissionKey, writeGradeState, type GradeSeeds } from './grade-state.js';
import { defaultLessonsRoot, failedGrade, gradeSubmission, newSeed, stopAllGrading } from './grade-submission.js';
import type { StudentGrade } from './grade-types.js';
import type { Lesson } from './lesson-schema.js';
import { formatPlanGroups, groupByPlan } from './plan-groups.js';
import { readLearnerFiles } from './submission-files.js';

/** Where the command writes; the CLI passes process streams, tests capture. */
export interface GradeIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /**
   * A terminal's status line: each call replaces the last (an empty text clears it). Given only when
   * stderr is a terminal; otherwise progress is written as lines.
   */
  status?(text: string): void;
  /** Stop grading on SIGINT/SIGTERM, keeping what was graded (the CLI; tests call the command in-process). */
  interruptible?: boolean;
}

const processIo: GradeIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

const USAGE = 'usage: streamlab grade --lesson NN (--file submission.ts | --dir submissions/) [--seed N] [--hidden-seed N] [--jobs N] [--json out.json] [--junit out.xml] [--csv grades.csv] [--state F] [--fresh] [--feedback dir] [--group-by-plan] [--self-check] [--lessons dir] [--pg URL]\n';

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

async function gradeStudent(lesson: Lesson, s: Student, root: string, seeds: GradeSeeds, database: string | undefined): Promise<StudentGrade> {
  if ('reason' in s) return { student: s.student, result: failedGrade(lesson, seeds.seed, s.reason, seeds.hiddenSeed) };
  return { student: s.student, result: await gradeSubmission({ lesson, files: s.files, lessonsRoot: root, ...seeds, ...(database ? { database } : {}) }) };
}

/** Memory one grade takes at most: its check process, vitest's worker and one sandbox at a time. */
const GRADE_MEMORY_BYTES = 768 * 1024 * 1024;

/**
 * How many submissions this machine can grade at once: one per CPU (a grade keeps about one core busy:
 * its check process and one sandbox at a time), and no more than its free memory holds.
 */
export function machineJobs(cpus = availableParallelism(), free = freemem()): number {
  return Math.max(1, Math.min(cpus, Math.floor(free / GRADE_MEMORY_BYTES)));
}

/** How many submissions grade at once by default: what the machine can carry. */
export function defaultJobs(): number {
  return machineJobs();
}

const seconds = (ms: number) => (ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`);

/**
 * Grades every student with at most `jobs` at once, starting them in the folder's order; prints each
 * result in that order as soon as it and every one before it are done, and progress on stderr (on a
 * terminal's status line when `io.status` is given). `known` gives the grades an earlier run made:
 * they are printed in their place, not graded, and left out of the estimate.
 */
export async function gradeAll(students: readonly Student[], jobs: number, gradeOne: (s: Student) => Promise<StudentGrade>, io: GradeIo, known: (s: Student) => StudentGrade | undefined = () => undefined): Promise<StudentGrade[]> {
  const grades: (StudentGrade | undefined)[] = students.map((s) => known(s));
  const total = students.length;
  const reused = grades.filter(Boolean).length;
  const queue = students.map((_, i) => i).filter((i) => !grades[i]);
  const started = Date.now();
  const running = new Set<string>();
  let fresh = 0;
  let printed = 0;
  const done = () => reused + fresh;
  // Time per submission so far (with the jobs running side by side), times the submissions left.
  const estimate = () => (fresh > 0 && total - done() > 0 ? `; about ${seconds(((Date.now() - started) / fresh) * (total - done()))} left` : '');
  const statusLine = () => `grading ${done()}/${total} done${reused > 0 ? ` (${reused} from an earlier run)` : ''}, ${running.size} running${running.size > 0 ? ` (${[...running].join(', ')})` : ''}, ${seconds(Date.now() - started)} so far${estimate()}`;
  const status = io.status;
  const showStatus = () => status?.(statusLine());
  const ticker = status ? setInterval(showStatus, 1000) : null;
  const flush = () => {
    if (printed >= total || !grades[printed]) return;
    status?.('');
    while (printed < total && grades[printed]) {
      const p = grades[printed++]!;
      io.stdout([`${p.student}: ${p.result.passed}/${p.result.tests.length} checks, ${p.result.score}/${p.result.maxScore} points`, ...resultLines(p.result).map((l) => `  ${l}`)].join('\n') + '\n');
    }
    showStatus();
  };
  flush();
  const worker = async () => {
    while (queue.length > 0) {
      const i = queue.shift()!;
      const s = students[i]!;
      running.add(s.student);
      if (status) showStatus();
      else io.stderr(`grading ${i + 1}/${total}: ${s.student}\n`);
      const t = Date.now();
      const g = await gradeOne(s);
      grades[i] = g;
      fresh++;
      running.delete(s.student);
      if (status) showStatus();
      else io.stderr(`graded ${i + 1}/${total}: ${s.student} in ${seconds(Date.now() - t)} (${done()} done, ${total - done()} to go${estimate()})\n`);
      flush();
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, queue.length)) }, worker));
  } finally {
    if (ticker) clearInterval(ticker);
    status?.('');
  }
  if (status) io.stderr(`graded ${total} submissions in ${seconds(Date.now() - started)}${reused > 0 ? ` (${reused} kept from an earlier run)` : ''}\n`);
  return grades as StudentGrade[];
}

type Values = Record<string, string | boolean | undefined> & {
  lesson?: string; file?: string; dir?: string; seed?: string; 'hidden-seed'?: string; json?: string; junit?: string; csv?: string;
  lessons?: string; pg?: string; jobs?: string; state?: string; feedback?: string; fresh?: boolean; 'self-check'?: boolean; 'group-by-plan'?: boolean;
};

/** Runs `streamlab grade` with the arguments after `grade`; resolves with the exit code. */
export async function runGradeCommand(argv: readonly string[], io: GradeIo = processIo, env: Readonly<Record<string, string | undefined>> = process.env): Promise<number> {
  let values: Values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        lesson: { type: 'string' }, file: { type: 'string' }, dir: { type: 'string' }, seed: { type: 'string' }, 'hidden-seed': { type: 'string' },
        json: { type: 'string' }, junit: { type: 'string' }, csv: { type: 'string' }, lessons: { type: 'string' },
        pg: { type: 'string' }, jobs: { type: 'string' }, state: { type: 'string' }, feedback: { type: 'string' },
        fresh: { type: 'boolean' }, 'self-check': { type: 'boolean' }, 'group-by-plan': { type: 'boolean' },
      },
      allowPositionals: false,
    }) as { values: Values });
  } catch (e) {
    io.stderr(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!values.lesson || (values.file === undefined) === (values.dir === undefined)) {
    io.stderr(USAGE);
    return 2;
  }
  for (const option of ['seed', 'hidden-seed'] as const) {
    const v = values[option];
    if (v !== undefined && !/^\d{1,10}$/.test(v)) {
      io.stderr(`--${option} takes a whole number (the ${option.replace('-', ' ')} a grade report names)\n${USAGE}`);
      return 2;
    }
  }
  if (values['self-check'] && values['hidden-seed'] !== undefined) {
    io.stderr(`--hidden-seed does not go with --self-check, which runs no hidden check\n${USAGE}`);
    return 2;
  }
  if (values.jobs !== undefined && (!/^\d{1,3}$/.test(values.jobs) || Number(values.jobs) < 1)) {
    io.stderr(`--jobs takes how many submissions to grade at once (1 or more)\n${USAGE}`);
    return 2;
  }
  if (values['self-check'] && (values.file === undefined || values.json !== undefined || values.junit !== undefined || values.csv !== undefined)) {
    io.stderr(`--self-check tries one submission (--file) on the visible checks; it is not a grade and writes no reports\n${USAGE}`);
    return 2;
  }
  if (values.dir === undefined && (values.state !== undefined || values.fresh || values.feedback !== undefined || values['group-by-plan'])) {
    io.stderr(`--state, --fresh, --feedback and --group-by-plan go with --dir\n${USAGE}`);
    return 2;
  }
  const root = values.lessons ?? defaultLessonsRoot();
  const lesson = findLesson(await loadLessons(root), values.lesson);
  if (!lesson) {
    io.stderr(`No lesson ${values.lesson} in ${root}\n`);
    return 2;
  }
  const given = {
    seed: values.seed !== undefined ? Number(values.seed) >>> 0 : null,
    hiddenSeed: values['hidden-seed'] !== undefined ? Number(values['hidden-seed']) >>> 0 : null,
  };
  const database = lesson.tables.length > 0 ? await checkDatabase(values.pg ?? env.STREAMLAB_PG, io) : null;
  const run: GradeRun = { interrupted: false };
  const onSignal = (signal: NodeJS.Signals) => {
    if (run.interrupted) return;
    // Nothing graded from here on is kept: the check runs are being killed, not failed by the student.
    run.interrupted = true;
    stopAllGrading();
    io.status?.('');
    io.stderr(`${signal === 'SIGINT' ? 'interrupted' : 'stopped'}: ${run.stateFile ? `the grades made so far are kept in ${run.stateFile}; run the same command again to go on` : 'nothing was written'}\n`);
    const code = signal === 'SIGINT' ? 130 : 143;
    const stopDb = Promise.race([database?.stop().catch(() => undefined), new Promise((r) => setTimeout(r, 5000))]);
    run.stopped = stopDb.then(() => code);
    void stopDb.finally(() => process.exit(code));
  };
  if (io.interruptible) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  try {
    const code = await grade(lesson, values, root, given, database?.url, io, run);
    // Interrupted, the grading ends with the signal's status whichever finishes first: the grades
    // stopped by it, or the database's shutdown.
    return run.stopped ? await run.stopped : code;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (!run.interrupted) await database?.stop();
  }
}

/** The runtime's version (its package.json): a new one grades every submission again. */
async function runtimeVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(join(RUNTIME_DIR, 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

/** What the signal handler and the grading share. */
interface GradeRun {
  interrupted: boolean;
  stateFile?: string;
  /** Once a signal stopped the grading: resolves with its exit status when the database is stopped. */
  stopped?: Promise<number>;
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

async function grade(lesson: Lesson, values: Values, root: string, given: { seed: number | null; hiddenSeed: number | null }, database: string | undefined, io: GradeIo, run: GradeRun): Promise<number> {
  let grades: StudentGrade[];
  let seeds: GradeSeeds = { seed: given.seed ?? newSeed(), hiddenSeed: given.hiddenSeed ?? newSeed() };
  const { seed } = seeds;
  if (values.file !== undefined) {
    const name = basename(values.file);
    let content: string;
    try {
      content = await readFile(values.file, 'utf8');
    } catch (e) {
      io.stderr(`Cannot read ${values.file}: ${(e as Error).message}\n`);
      return 2;
    }
    const files = [{ path: name, content }];
    if (values['self-check']) {
      let result;
      try {
        result = learnerView(await gradeSubmission({ lesson, files, lessonsRoot: root, seed, visibleOnly: true, ...(database ? { database } : {}) }));
      } catch (e) {
        io.stderr(`The submission could not be checked: ${(e as Error).message}\n`);
        return 1;
      }
      const visible = result.tests.filter((t) => t.hidden === undefined);
      const passed = visible.filter((t) => t.status === 'passed').length;
      io.stdout(`self-check of lesson ${lesson.id}: the visible checks only; this is not a grade\n${resultLines(result).join('\n')}\n${summaryLine(passed, visible.length - passed)}\n`);
      return passed === visible.length && passed > 0 ? 0 : 1;
    }
    grades = [await gradeStudent(lesson, { student: name.replace(/\.ts$/, ''), files }, root, seeds, database).catch((e: Error) => ({ student: name, result: failedGrade(lesson, seed, `The submission could not be graded: ${e.message}`, seeds.hiddenSeed) }))];
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
    const stateFile = values.state ?? join(dirname(values.csv), `${basename(values.csv).replace(/\.csv$/i, '')}.state.jsonl`);
    const fingerprint = await lessonFingerprint(root, lesson.id, await runtimeVersion());
    let state = await loadGradeState(stateFile).catch((e: Error) => {
      io.stderr(`Cannot read the grading state ${stateFile} (${e.message}); grading every submission\n`);
      return null;
    });
    if (values.fresh) state = null;
    if (state && state.unreadable > 0) io.stderr(`${stateFile}: ${state.unreadable} unreadable line${state.unreadable === 1 ? '' : 's'} skipped (a run cut short); those submissions are graded again\n`);
    if (state?.seeds) seeds = { seed: given.seed ?? state.seeds.seed, hiddenSeed: given.hiddenSeed ?? state.seeds.hiddenSeed };
    const keyOf = (s: Student) => submissionKey(fingerprint, seeds, s.student, 'files' in s ? s.files : null);
    const kept: { key: string; student: string; result: StudentGrade['result'] }[] = [];
    const known = (s: Student): StudentGrade | undefined => {
      const key = keyOf(s);
      const g = state?.grades.get(key);
      if (!g || g.student !== s.student) return undefined;
      kept.push({ key, student: s.student, result: g.result });
      return { student: s.student, result: g.result };
    };
    const earlier = students.filter((s) => state?.grades.get(keyOf(s))?.student === s.student).length;
    if (earlier > 0) io.stderr(`resuming: ${earlier} of ${students.length} submissions were graded by an earlier run (${stateFile}, ${seedsText(seeds)})\n`);
    const carry = machineJobs();
    let jobs = values.jobs !== undefined ? Number(values.jobs) : carry;
    if (jobs > carry) {
      io.stderr(`--jobs ${jobs}: this machine can carry ${carry} grade${carry === 1 ? '' : 's'} at once (${availableParallelism()} CPUs, ${Math.round(freemem() / 2 ** 20)} MiB free); grading ${carry} at once\n`);
      jobs = carry;
    }
    run.stateFile = stateFile;
    await mkdir(dirname(stateFile), { recursive: true }).catch(() => undefined);
    const gradeOne = async (s: Student): Promise<StudentGrade> => {
      let g: StudentGrade;
      // After an interruption no new grade starts; what it returns is not kept.
      if (run.interrupted) return { student: s.student, result: failedGrade(lesson, seeds.seed, 'The grading was interrupted.', seeds.hiddenSeed) };
      try {
        g = await gradeStudent(lesson, s, root, seeds, database);
      } catch (e) {
        // Not the student's doing (the grader failed): graded again next time.
        return { student: s.student, result: failedGrade(lesson, seeds.seed, `The submission could not be graded: ${(e as Error).message}`, seeds.hiddenSeed) };
      }
      if (run.interrupted) return g;
      const key = keyOf(s);
      kept.push({ key, student: s.student, result: g.result });
      await recordGrade(stateFile, key, s.student, g.result).catch((e: Error) => io.stderr(`Cannot write ${stateFile}: ${e.message}\n`));
      return g;
    };
    grades = await gradeAll(students, jobs, gradeOne, io, known);
    await writeGradeState(stateFile, kept).catch((e: Error) => io.stderr(`Cannot write ${stateFile}: ${e.message}\n`));
    if (values['group-by-plan']) io.stdout(`\n${formatPlanGroups(groupByPlan(grades), Object.keys(lesson.points).length)}\n`);
    io.stdout(`lesson ${lesson.id}, ${grades.length} submissions, ${seedsText(seeds)}\n`);
    if (values.feedback !== undefined) {
      const folder = values.feedback;
      try {
        await mkdir(folder, { recursive: true });
        for (const g of grades) await writeFile(join(folder, `${g.student}.txt`), `${g.student}\n${formatResult(learnerView(g.result))}`);
        io.stderr(`wrote the students' feedback into ${folder}\n`);
      } catch (e) {
        io.stderr(`Cannot write the feedback into ${folder}: ${(e as Error).message}\n`);
      }
    }
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
