/**
 * `streamlab grade`:
 *
 *   streamlab grade --lesson 03 --file sub.ts [--json out.json] [--junit out.xml]
 *   streamlab grade --lesson 03 --dir submissions/ [--csv grades.csv] [--json out.json] [--junit out.xml]
 *   (either form: [--lessons <folder with NN-slug lessons>] [--kafka host:port])
 *
 * Checks run on the in-memory Kafka cluster unless `--kafka` (or `STREAMLAB_KAFKA`) names a broker; then
 * each check gets fresh topics there.
 *
 * Prints per-check results and ends with `N passed, M failed`; exits 0 only when every check of every
 * submission passed, 1 when some failed, 2 on a usage error. In `--dir` mode each `.ts` file or
 * sub-folder is one student's submission, named by the file (without `.ts`) or folder.
 */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { LearnerFile } from '../jobs/compile.js';
import { findLesson, loadLessons } from './load-lessons.js';
import { formatResult, gradesCsv, junitXml, resultLines, summaryLine } from './grade-report.js';
import { defaultLessonsRoot, gradeSubmission } from './grade-submission.js';
import type { StudentGrade } from './grade-types.js';
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

const USAGE = 'usage: streamlab grade --lesson NN (--file submission.ts | --dir submissions/) [--json out.json] [--junit out.xml] [--csv grades.csv] [--lessons dir] [--kafka host:port]\n';

/** One student's submission in a folder: a `.ts` file or a sub-folder. */
async function studentsIn(dir: string): Promise<{ student: string; files: LearnerFile[] }[]> {
  const out: { student: string; files: LearnerFile[] }[] = [];
  for (const name of (await readdir(dir)).sort()) {
    if (name.startsWith('.')) continue;
    const full = join(dir, name);
    if ((await stat(full)).isDirectory()) out.push({ student: name, files: await readLearnerFiles(full) });
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push({ student: name.slice(0, -3), files: [{ path: name, content: await readFile(full, 'utf8') }] });
  }
  return out;
}

/** Runs `streamlab grade` with the arguments after `grade`; resolves with the exit code. */
export async function runGradeCommand(argv: readonly string[], io: GradeIo = processIo): Promise<number> {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        lesson: { type: 'string' }, file: { type: 'string' }, dir: { type: 'string' },
        json: { type: 'string' }, junit: { type: 'string' }, csv: { type: 'string' }, lessons: { type: 'string' }, kafka: { type: 'string' },
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
  const root = values.lessons ?? defaultLessonsRoot();
  const services = values.kafka ? { kafka: values.kafka } : {};
  const lesson = findLesson(await loadLessons(root), values.lesson);
  if (!lesson) {
    io.stderr(`No lesson ${values.lesson} in ${root}\n`);
    return 2;
  }

  let grades: StudentGrade[];
  if (values.file !== undefined) {
    const content = await readFile(values.file, 'utf8');
    const name = basename(values.file);
    const result = await gradeSubmission({ lesson, files: [{ path: name, content }], entry: name, lessonsRoot: root, services });
    grades = [{ student: name.replace(/\.ts$/, ''), result }];
    io.stdout(formatResult(result));
  } else {
    grades = [];
    const students = await studentsIn(values.dir!);
    for (const s of students) {
      const result = s.files.length === 0
        ? { lessonId: lesson.id, tests: [{ name: 'the checks run', status: 'failed' as const, message: 'no .ts files in the submission', points: 0, maxPoints: 1, durationMs: 0 }], passed: 0, failed: 1, score: 0, maxScore: 1 }
        : await gradeSubmission({ lesson, files: s.files, lessonsRoot: root, services });
      grades.push({ student: s.student, result });
      io.stdout([`${s.student}: ${result.passed}/${result.tests.length} checks, ${result.score}/${result.maxScore} points`, ...resultLines(result).map((l) => `  ${l}`)].join('\n') + '\n');
    }
    io.stdout(`lesson ${lesson.id}, ${grades.length} submissions\n`);
  }

  if (values.json) await writeFile(values.json, JSON.stringify(values.file !== undefined ? grades[0]!.result : grades, null, 2) + '\n');
  if (values.junit) await writeFile(values.junit, junitXml(grades.map((g) => ({ name: `${g.student} · ${lesson.id}`, result: g.result }))));
  if (values.csv) await writeFile(values.csv, gradesCsv(grades));

  const passed = grades.reduce((n, g) => n + g.result.passed, 0);
  const failed = grades.reduce((n, g) => n + g.result.failed, 0);
  if (values.dir !== undefined) io.stdout(`${summaryLine(passed, failed)}\n`);
  return failed === 0 && passed > 0 ? 0 : 1;
}
