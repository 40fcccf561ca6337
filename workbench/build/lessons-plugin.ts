/**
 * Vite plugin of the static build: the lessons as the runtime serves them, bundled into the page as the
 * virtual module `virtual:streamlab-lessons`. Each lesson carries its `lessons.list` summary and its
 * `lessons.get` answer, made by the runtime's own `LessonsService`, plus the front matter its data is
 * planned from (topics, datasets, clock, extras): the browser plans and generates the data itself with
 * the runtime's generators, so the records are the ones a runtime would play.
 */
import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import { LessonsService } from '../../runtime/src/server/lessons-service.js';
import { loadLessons } from '../../runtime/src/lessons/load-lessons.js';

const VIRTUAL_ID = 'virtual:streamlab-lessons';
const RESOLVED_ID = '\0' + VIRTUAL_ID;

/** The lessons directory of the repository. */
export const LESSONS_DIR = resolve(import.meta.dirname, '../../lessons');

/** Serves `virtual:streamlab-lessons` from `dir`. */
export function streamlabLessons(dir = LESSONS_DIR): Plugin {
  return {
    name: 'streamlab-lessons',
    resolveId: (id) => (id === VIRTUAL_ID ? RESOLVED_ID : null),
    async load(id) {
      if (id !== RESOLVED_ID) return null;
      const service = new LessonsService(dir);
      const summaries = await service.list();
      const lessons = [];
      for (const lesson of await loadLessons(dir)) {
        this.addWatchFile(resolve(dir, lesson.id, 'lesson.md'));
        lessons.push({
          summary: summaries.find((s) => s.id === lesson.id)!,
          lesson: await service.get(lesson.id),
          plan: { topics: lesson.topics, datasets: lesson.datasets, clock: lesson.clock, extras: lesson.extras },
        });
      }
      return `export default ${JSON.stringify(lessons)};\n`;
    },
  };
}
