import { z } from 'zod';

/** Front matter of `lessons/NN-slug/lesson.md`, validated when lessons load. */
export const lessonFrontMatter = z.object({
  title: z.string().min(1),
  summary: z.string().min(1),
  api: z.enum(['structured', 'dstream', 'kafka']),
  topics: z.array(z.string()).default([]),
  tables: z.array(z.string()).default([]),
  datasets: z.array(z.string()).default([]),
  duration: z.string().regex(/^\d+ min$/, 'duration looks like "30 min"'),
  hints: z.array(z.string()).default([]),
  /** Points per check, by test name; a check not listed is worth 1. */
  points: z.record(z.string(), z.number().int().nonnegative()).default({}),
}).strict();

export type LessonFrontMatter = z.infer<typeof lessonFrontMatter>;

/** One step of a lesson: a level-2 heading and the markdown under it. */
export interface LessonStep {
  title: string;
  markdown: string;
}

/** A lesson as the runtime serves it. */
export interface Lesson extends LessonFrontMatter {
  /** Folder name, e.g. `03-structured-windows`. */
  id: string;
  /** Two-digit number, e.g. `03`. */
  number: string;
  /** Markdown before the first step (the introduction). */
  intro: string;
  steps: LessonStep[];
  /** Learner files by name (`starter.ts`, plus any extra `.ts` files the lesson ships). */
  starter: Record<string, string>;
  solution: Record<string, string>;
}
