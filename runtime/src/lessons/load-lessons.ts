import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { checkIdsIn, checkPointsProblems } from './check-points.js';
import { lessonFrontMatter, type Lesson, type LessonStep } from './lesson-schema.js';

const LESSON_DIR = /^(\d{2})-[a-z0-9-]+$/;

/** Thrown when a lesson folder is malformed; the message names the file and the problem. */
export class LessonError extends Error {
  override name = 'LessonError';
}

/** Splits `---\nyaml\n---\nbody` into its two parts. */
export function splitFrontMatter(text: string, file: string): { data: unknown; body: string } {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  if (!m) throw new LessonError(`${file}: missing YAML front matter (--- … ---) at the top`);
  try {
    return { data: parseYaml(m[1]!), body: m[2]! };
  } catch (err) {
    throw new LessonError(`${file}: front matter is not valid YAML: ${(err as Error).message}`);
  }
}

/** Splits the markdown body into an introduction and `## ` steps. */
export function splitSteps(body: string): { intro: string; steps: LessonStep[] } {
  const parts = body.split(/^## /m);
  const intro = parts.shift()!.trim();
  const steps = parts.map((p) => {
    const nl = p.indexOf('\n');
    const title = (nl < 0 ? p : p.slice(0, nl)).trim();
    return { title, markdown: nl < 0 ? '' : p.slice(nl + 1).trim() };
  });
  return { intro, steps };
}

/** Loads and validates one lesson folder. */
export async function loadLesson(dir: string, id: string): Promise<Lesson> {
  const m = LESSON_DIR.exec(id);
  if (!m) throw new LessonError(`${id}: lesson folders are named NN-slug (e.g. 03-structured-windows)`);
  const file = join(dir, 'lesson.md');
  const { data, body } = splitFrontMatter(await readFile(file, 'utf8'), `${id}/lesson.md`);
  const parsed = lessonFrontMatter.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new LessonError(`${id}/lesson.md: invalid front matter: ${issues}`);
  }
  await verifyCheckPoints(dir, id, parsed.data.points);
  const { intro, steps } = splitSteps(body);
  return {
    ...parsed.data,
    id,
    number: m[1]!,
    intro,
    steps,
    starter: await learnerFiles(dir, 'starter.ts', id),
    solution: await learnerFiles(dir, 'solution.ts', id),
  };
}

/** Fails unless `check.test.ts` declares exactly the checks the front matter gives points to. */
async function verifyCheckPoints(dir: string, id: string, points: Readonly<Record<string, number>>): Promise<void> {
  let source: string;
  try {
    source = await readFile(join(dir, 'check.test.ts'), 'utf8');
  } catch {
    if (Object.keys(points).length === 0) return;
    throw new LessonError(`${id}: lesson.md gives points to checks, but there is no check.test.ts`);
  }
  let ids: string[];
  try {
    ids = checkIdsIn(source, `${id}/check.test.ts`);
  } catch (err) {
    throw new LessonError((err as Error).message);
  }
  const problems = checkPointsProblems(ids, points);
  if (problems.length > 0) throw new LessonError(`${id}: the checks and their points disagree: ${problems.join('; ')}`);
}

/** The main file plus any shared extra files (`*.ts` other than starter/solution/check files). */
async function learnerFiles(dir: string, main: string, id: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  try {
    files[main] = await readFile(join(dir, main), 'utf8');
  } catch {
    throw new LessonError(`${id}: missing ${main}`);
  }
  for (const name of (await readdir(dir)).sort()) {
    if (!name.endsWith('.ts') || name === 'starter.ts' || name === 'solution.ts' || name.endsWith('.test.ts')) continue;
    files[name] = await readFile(join(dir, name), 'utf8');
  }
  return files;
}

/** Loads every `NN-slug` folder under `root`, in number order. */
export async function loadLessons(root: string): Promise<Lesson[]> {
  const names = (await readdir(root)).filter((n) => LESSON_DIR.test(n)).sort();
  const lessons: Lesson[] = [];
  for (const name of names) {
    if (!(await stat(join(root, name))).isDirectory()) continue;
    lessons.push(await loadLesson(join(root, name), name));
  }
  return lessons;
}

/** The last lessons {@link currentLessons} read under each root, with the state of the files they came from. */
const readBefore = new Map<string, { files: string; lessons: Promise<Lesson[]> }>();

/**
 * The lessons as the files under `root` are now, read again only when a lesson file changed (a name, a
 * size or a modification time of the files a lesson is read from), which a few `stat`s tell. Reading
 * them parses every lesson's YAML and takes most of a second on a busy machine, and the runtime asks
 * for them on every list, Run and Check.
 */
export async function currentLessons(root: string): Promise<Lesson[]> {
  const files = await lessonFilesState(root);
  const before = readBefore.get(root);
  if (before?.files === files) return before.lessons;
  const lessons = loadLessons(root);
  readBefore.set(root, { files, lessons });
  // A failed read is not kept: the next call reads again (and says why again).
  lessons.catch(() => {
    if (readBefore.get(root)?.lessons === lessons) readBefore.delete(root);
  });
  return lessons;
}

/** The names, sizes and modification times of the files directly in each lesson folder under `root`. */
async function lessonFilesState(root: string): Promise<string> {
  const names = (await readdir(root)).filter((n) => LESSON_DIR.test(n)).sort();
  const parts = await Promise.all(names.map(async (name) => {
    const dir = join(root, name);
    const entries = await readdir(dir).catch(() => [] as string[]);
    const stats = await Promise.all(entries.sort().map(async (e) => {
      const st = await stat(join(dir, e)).catch(() => null);
      return st ? `${e}:${st.size}:${st.mtimeMs}` : `${e}:gone`;
    }));
    return `${name}/${stats.join('/')}`;
  }));
  return parts.join('\n');
}

/** Finds a lesson by folder name or by its number (`3`, `03`). */
export function findLesson(lessons: Lesson[], idOrNumber: string): Lesson | undefined {
  const n = /^\d+$/.test(idOrNumber) ? idOrNumber.padStart(2, '0') : undefined;
  return lessons.find((l) => l.id === idOrNumber || (n !== undefined && l.number === n));
}
