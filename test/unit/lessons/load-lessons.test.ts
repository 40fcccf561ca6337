import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { currentLessons, findLesson, loadLesson, loadLessons, LessonError } from '../../../runtime/src/lessons/load-lessons.js';
import { planLessonData } from '../../../runtime/src/lessons/lesson-data.js';

const LESSONS = fileURLToPath(new URL('../../../lessons', import.meta.url));

describe('loadLessons on the repository lessons', () => {
  it('loads lessons 01–04 with validated front matter, steps, starter and solution', async () => {
    const lessons = await loadLessons(LESSONS);
    expect(lessons.slice(0, 4).map((l) => [l.id, l.number, l.api])).toEqual([
      ['01-kafka-basics', '01', 'kafka'],
      ['02-dstream-temperature', '02', 'dstream'],
      ['03-structured-windows', '03', 'structured'],
      ['04-report-topic-and-output-modes', '04', 'structured'],
    ]);
    for (const l of lessons.slice(0, 4)) {
      expect(Object.keys(l.starter)).toEqual(['starter.ts']);
      expect(Object.keys(l.solution)).toEqual(['solution.ts']);
      expect(l.steps.at(-1)?.title).toMatch(/check/i);
    }
  });

  it('declares the topics each lesson opens, with their partitions, and the data Run plays', async () => {
    const lessons = (await loadLessons(LESSONS)).slice(0, 4);
    expect(lessons.map((l) => l.topics.map((t) => `${t.name}/${t.partitions}`))).toEqual([
      ['sensors.temperature/3', 'report/1'],
      ['sensors.temperature/3', 'report/1'],
      ['sensors.temperature/3', 'report/1'],
      ['spark-streaming-store/1', 'report/1'],
    ]);
    const played = lessons.map((l) => planLessonData(l)).map((p) => [
      new Date(p.clockStartMs!).toISOString(),
      p.datasets.map((d) => `${d.topic}: ${d.records.length} ${d.play}`),
    ]);
    expect(played).toEqual([
      ['2026-11-21T10:00:00.000Z', ['report: 3 start']],
      ['2026-11-21T10:00:00.000Z', ['sensors.temperature: 48 arrival']],
      ['2026-11-21T10:00:00.000Z', ['sensors.temperature: 48 arrival']],
      ['2026-11-21T10:00:00.000Z', ['spark-streaming-store: 40 arrival']],
    ]);
  });

  it('reads the points of lesson 03 from its front matter, keyed by check id', async () => {
    const l = findLesson(await loadLessons(LESSONS), '3')!;
    expect(l.points).toEqual({
      'update-averages': 3, 'event-time-windows': 2, 'late-kept': 2, 'late-dropped': 2, 'append-starts': 1, 'append-waits': 2, 'append-final': 3, 'report-topic': 3, 'unseen-day': 2,
    });
  });
});

describe('loadLesson errors', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  async function lessonWith(frontMatter: string): Promise<string> {
    dir = await mkdtemp(join(tmpdir(), 'lesson-'));
    const l = join(dir, '09-broken');
    await mkdir(l);
    await writeFile(join(l, 'lesson.md'), `---\n${frontMatter}\n---\n# Broken\n\n## Step 1: x\n\ntext\n`);
    await writeFile(join(l, 'starter.ts'), 'export {};\n');
    await writeFile(join(l, 'solution.ts'), 'export {};\n');
    return l;
  }

  it('names the file and every invalid field of a bad front matter', async () => {
    const l = await lessonWith('title: Broken\nsummary: s\napi: flink\nduration: half an hour');
    await expect(loadLesson(l, '09-broken')).rejects.toThrow(new LessonError(
      '09-broken/lesson.md: invalid front matter: api: Invalid option: expected one of "structured"|"dstream"|"kafka"; duration: duration looks like "30 min"',
    ));
  });

  it('rejects YAML that does not parse, naming the file', async () => {
    const l = await lessonWith('title: [unclosed');
    await expect(loadLesson(l, '09-broken')).rejects.toThrow(/^09-broken\/lesson\.md: front matter is not valid YAML: /);
  });

  it('rejects a folder name that is not NN-slug', async () => {
    await expect(loadLesson('/nowhere', 'broken')).rejects.toThrow('broken: lesson folders are named NN-slug (e.g. 03-structured-windows)');
  });

  it('reads the lessons again only when a lesson file changed, and does not keep a failed read', async () => {
    const l = await lessonWith('title: First\nsummary: s\napi: structured\nduration: 30 min');
    const root = join(l, '..');
    const first = await currentLessons(root);
    expect(first.map((x) => x.title)).toEqual(['First']);
    // Nothing changed: the same lessons, not read again.
    expect(await currentLessons(root)).toBe(first);
    // An edit (another size) is read.
    await writeFile(join(l, 'lesson.md'), '---\ntitle: Second title\nsummary: s\napi: structured\nduration: 30 min\n---\n# x\n\n## Step 1: x\n\ntext\n');
    expect((await currentLessons(root)).map((x) => x.title)).toEqual(['Second title']);
    // A new file in a lesson's folder (an extra learner file) is read too.
    await writeFile(join(l, 'shared.ts'), 'export const x = 1;\n');
    expect(Object.keys((await currentLessons(root))[0]!.starter)).toEqual(['starter.ts', 'shared.ts']);
    // A broken edit fails, and so does the next call: the failure is not answered from before.
    await writeFile(join(l, 'lesson.md'), '---\ntitle: [unclosed\n---\n');
    await expect(currentLessons(root)).rejects.toThrow(/front matter is not valid YAML/);
    await expect(currentLessons(root)).rejects.toThrow(/front matter is not valid YAML/);
  });
});
