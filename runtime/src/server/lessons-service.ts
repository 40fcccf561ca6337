/**
 * Lessons as the protocol serves them, as the lessons directory has them at each request, so edits show
 * up without a restart (read again only when a lesson's files changed).
 */
import { currentLessons, findLesson } from '../lessons/load-lessons.js';
import type { Lesson } from '../lessons/lesson-schema.js';
import { planLessonData, type LessonDataPlan } from '../lessons/lesson-data.js';
import type { LessonSummary, ServerMessageOf } from '../protocol/index.js';
import { join } from 'node:path';
import { nodeModelFiles } from '../connectors/ml/node-model-files.js';
import { readSavedModel } from '../connectors/ml/saved-model-reader.js';
import type { JobModel, JobServices } from '../jobs/ipc.js';
import { RequestError } from './request-error.js';
import { lakeFiles } from '../datagen/dax-covid.js';

/** Lesson lookups for the protocol. */
export class LessonsService {
  /** @param dir the lessons directory, or undefined when none is configured */
  constructor(private readonly dir: string | undefined) {}

  private async all(): Promise<Lesson[]> {
    if (!this.dir) throw new RequestError('unavailable', 'No lessons directory is configured (--lessons DIR).');
    try {
      return await currentLessons(this.dir);
    } catch (e) {
      throw new RequestError('unavailable', `The lessons could not be loaded: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Every lesson's summary, in order. */
  async list(): Promise<LessonSummary[]> {
    return (await this.all()).map(summary);
  }

  /** The full lesson (front matter, steps, starter and solution), for grading. */
  async lesson(lessonId: string): Promise<Lesson> {
    const lesson = findLesson(await this.all(), lessonId);
    if (!lesson) throw new RequestError('not-found', `No lesson "${lessonId}".`);
    return lesson;
  }

  /** The lesson's saved models (front matter `models`), read from its folder and decoded for a run. */
  /** What a run of the lesson adds to the runtime's services: its Kafka requires SASL, or nothing. */
  async runServices(lessonId: string): Promise<Partial<JobServices>> {
    if (!this.dir) return {};
    const lesson = findLesson(await this.all(), lessonId);
    return lesson?.kafka?.sasl ? { kafkaSaslRequired: true } : {};
  }

  async models(lessonId: string): Promise<JobModel[]> {
    // A run or export names its lesson for its title and data; without lessons there are no models.
    if (!this.dir) return [];
    const lesson = findLesson(await this.all(), lessonId);
    if (!lesson) return [];
    const out: JobModel[] = [];
    for (const name of lesson.models) {
      try {
        out.push({ name, model: await readSavedModel(nodeModelFiles(), join(this.dir!, lesson.id, name)) });
      } catch (e) {
        throw new RequestError('unavailable', `Lesson ${lesson.id}'s model "${name}" could not be read: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return out;
  }

  /** The files of the lesson's data lake (front matter `lake`) by path, or null when it has none. */
  async lakeFiles(lessonId: string): Promise<Record<string, string> | null> {
    if (!this.dir) return null;
    const lesson = findLesson(await this.all(), lessonId);
    return lesson?.lake ? lakeFiles(lesson.lake) : null;
  }

  /** A lesson's data plan, or null when there is no such lesson (a run may name a lesson it brought itself). */
  async dataPlan(lessonId: string): Promise<LessonDataPlan | null> {
    if (!this.dir) return null;
    const lesson = findLesson(await this.all(), lessonId);
    return lesson ? planLessonData(lesson) : null;
  }

  /** The lessons directory. */
  get directory(): string | undefined {
    return this.dir;
  }

  /** One lesson with its markdown and starter files. */
  async get(lessonId: string): Promise<ServerMessageOf<'lessons.get.ok'>['lesson']> {
    const lesson = findLesson(await this.all(), lessonId);
    if (!lesson) throw new RequestError('not-found', `No lesson "${lessonId}".`);
    const plan = planLessonData(lesson);
    const markdown = [lesson.intro, ...lesson.steps.map((s) => `## ${s.title}\n\n${s.markdown}`)].filter((p) => p.length > 0).join('\n\n');
    return {
      ...summary(lesson),
      markdown,
      files: Object.entries(lesson.starter).map(([path, content]) => ({ path, content })),
      hints: lesson.hints,
      // Only the solution's own file: helper files the lesson ships are already among the starter files.
      solution: Object.entries(lesson.solution).filter(([path]) => !(path in lesson.starter)).map(([path, content]) => ({ path, content })),
      data: {
        clockStartMs: plan.clockStartMs,
        topics: plan.topics.map((t) => ({ name: t.name, partitions: t.partitions })),
        records: plan.datasets.reduce((n, d) => n + d.records.length, 0),
        extras: plan.extras.map((x) => ({ id: x.id, label: x.label, topic: x.topic })),
      },
    };
  }
}

function summary(lesson: Lesson): LessonSummary {
  const minutes = /^(\d+) min$/.exec(lesson.duration)?.[1];
  return {
    id: lesson.id,
    title: lesson.title,
    summary: lesson.summary,
    api: lesson.api,
    ...(minutes ? { durationMin: Number(minutes) } : {}),
  };
}
