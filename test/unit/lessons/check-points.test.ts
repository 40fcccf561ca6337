/**
 * A check's points follow its id, and an id in check.test.ts or in lesson.md's points that the other
 * does not name is an error at every step that meets it: loading the lesson, declaring the check, grading.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lessonChecks } from '../../../runtime/src/lessons/check-harness.js';
import { checkIdsIn, checkPointsProblems } from '../../../runtime/src/lessons/check-points.js';
import { gradeFromReport } from '../../../runtime/src/lessons/grade-submission.js';
import { loadLesson, LessonError } from '../../../runtime/src/lessons/load-lessons.js';

const FRONT = 'title: T\nsummary: s\napi: structured\nduration: 5 min\npoints:\n  update-averages: 3\n  late-dropped: 2';
const CHECKS = [
  "const { check } = lessonChecks(import.meta.dirname);",
  "check('update-averages', 'averages each sensor', async () => {",
  "  await check2('x');",
  "});",
  "",
  "  check(\"late-dropped\", 'drops a late reading', async () => {});",
].join('\n');

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function lesson(checkFile: string | null, frontMatter = FRONT): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), 'lesson-points-'));
  const l = join(dir, '09-points');
  await mkdir(l);
  await writeFile(join(l, 'lesson.md'), `---\n${frontMatter}\n---\n# T\n\n## Step 1: check\n\ntext\n`);
  await writeFile(join(l, 'starter.ts'), 'export {};\n');
  await writeFile(join(l, 'solution.ts'), 'export {};\n');
  if (checkFile !== null) await writeFile(join(l, 'check.test.ts'), checkFile);
  return l;
}

describe('checkIdsIn and checkPointsProblems', () => {
  it('reads the ids of the check calls that start a line, in order', () => {
    expect(checkIdsIn(CHECKS, 'check.test.ts')).toEqual(['update-averages', 'late-dropped']);
  });

  it('refuses a check whose id is not a string literal, naming the line', () => {
    expect(() => checkIdsIn("const id = 'a';\ncheck(id, 'title', async () => {});\n", '09-points/check.test.ts')).toThrow(
      "09-points/check.test.ts:2: a check's id is a string literal (check('update-averages', …)), so the points can be matched to it; found id",
    );
  });

  it('names every id one side has and the other does not, and a check declared twice', () => {
    expect(checkPointsProblems(['update-averages', 'late-kept', 'late-kept'], { 'update-averages': 3, 'late-dropped': 2 })).toEqual([
      'check "late-kept" of check.test.ts has no points in lesson.md (points: update-averages, late-dropped)',
      'check "late-kept" is declared twice in check.test.ts',
      'points name "late-dropped", which check.test.ts does not declare (its checks: update-averages, late-kept)',
    ]);
    expect(checkPointsProblems(['update-averages', 'late-dropped'], { 'update-averages': 3, 'late-dropped': 2 })).toEqual([]);
  });
});

describe('loading a lesson', () => {
  it('loads a lesson whose checks and points agree', async () => {
    const l = await loadLesson(await lesson(CHECKS), '09-points');
    expect(l.points).toEqual({ 'update-averages': 3, 'late-dropped': 2 });
  });

  it('refuses a lesson whose check was renamed in check.test.ts and not in its points', async () => {
    const renamed = CHECKS.replace("check('update-averages'", "check('averages-per-window'");
    await expect(loadLesson(await lesson(renamed), '09-points')).rejects.toThrow(new LessonError(
      '09-points: the checks and their points disagree: check "averages-per-window" of check.test.ts has no points in lesson.md (points: update-averages, late-dropped); '
      + 'points name "update-averages", which check.test.ts does not declare (its checks: averages-per-window, late-dropped)',
    ));
  });

  it('refuses points without a check file, and a check id that is not a literal', async () => {
    await expect(loadLesson(await lesson(null), '09-points')).rejects.toThrow(new LessonError('09-points: lesson.md gives points to checks, but there is no check.test.ts'));
    await rm(dir!, { recursive: true, force: true });
    await expect(loadLesson(await lesson('check(`late-${1}`, "t", async () => {});\n'), '09-points')).rejects.toThrow(/^09-points\/check\.test\.ts:1: a check's id is a string literal/);
  });
});

describe('declaring and grading a check', () => {
  it('throws when a check file declares a check its lesson gives no points to', async () => {
    const { check } = lessonChecks(await lesson(CHECKS), {});
    expect(() => check('averages-per-window', 'averages each sensor', async () => {})).toThrow(
      'check "averages-per-window" of check.test.ts has no points in lesson.md (points: update-averages, late-dropped): give it points there, or keep its old id',
    );
  });

  it('refuses a report with a check the points do not name, where it used to be worth 1 point', () => {
    const lessonPoints = { id: '09-points', points: { 'update-averages': 3 } };
    const report = { errors: [], checks: [{ id: 'averages-per-window', title: 'averages', status: 'passed' as const, durationMs: 1, failure: null }] };
    expect(() => gradeFromReport(lessonPoints, 7, report, '')).toThrow('09-points: the check "averages-per-window" ran, but lesson.md\'s points do not name it');
  });
});
