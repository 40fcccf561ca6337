/**
 * A lesson as the static build carries it (build/lessons-plugin.ts): what the runtime would answer for
 * it, and the front matter its data is planned from in the browser.
 */
import type { LessonSummary, ServerMessageOf } from '@streamlab/runtime/protocol';
import type { Lesson } from '@streamlab/runtime/in-browser';

/** One bundled lesson. */
export interface BundledLesson {
  summary: LessonSummary;
  lesson: ServerMessageOf<'lessons.get.ok'>['lesson'];
  plan: Pick<Lesson, 'topics' | 'datasets' | 'clock' | 'extras' | 'points' | 'kafka'>;
  /** What of the runtime the lesson needs that the tab does not have (PostgreSQL, saved models, …); empty when it runs whole in the tab. */
  needs: string[];
}
