/**
 * Vite plugin of the static build: the lessons as the runtime serves them, bundled into the page as the
 * virtual module `virtual:streamlab-lessons`. Each lesson carries its `lessons.list` summary and its
 * `lessons.get` answer, made by the runtime's own `LessonsService`, plus the front matter its data is
 * planned from (topics, datasets, clock, extras) and its Kafka's SASL users: the browser plans and generates the data itself with
 * the runtime's generators, so the records are the ones a runtime would play.
 *
 * `virtual:streamlab-checks` maps each lesson that the browser can check to a loader of its own chunk:
 * the lesson's `check.test.ts`, bundled with the browser's check harness in place of the job-process
 * one (src/browser/check-harness.ts). A lesson whose checks need PostgreSQL, saved models or files
 * has no loader. The chunk exports its own address (`checkFileUrl`): the page imports it again under
 * a new query for each Check, so the check file draws its random cases from a new seed each time.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { Plugin } from 'vite';
import { LessonsService } from '../../runtime/src/server/lessons-service.js';
import { loadLessons } from '../../runtime/src/lessons/load-lessons.js';

const VIRTUAL_ID = 'virtual:streamlab-lessons';
const RESOLVED_ID = '\0' + VIRTUAL_ID;
const CHECKS_ID = 'virtual:streamlab-checks';
const CHECKS_RESOLVED = '\0' + CHECKS_ID;
const LESSON_CHECKS = 'virtual:streamlab-lesson-checks/';
const BROWSER_HARNESS = resolve(import.meta.dirname, '../src/browser/check-harness.ts');

/** Whether a lesson's checks can run in the browser: no tables, and a check file that asks for no database, models or files. */
function checksInBrowser(tables: readonly string[], checkSource: string): boolean {
  return tables.length === 0 && !/\bdatabase:\s*true\b|\bmodels:\s*\[|\blake:|\blessonFile\(/.test(checkSource);
}

/** What of the runtime a lesson needs that a tab does not have: PostgreSQL, saved models, a data lake, the serving layer. */
function runtimeNeeds(lesson: { tables: readonly string[]; models?: readonly string[]; lake?: unknown; serving?: unknown }): string[] {
  const needs: string[] = [];
  const list = (all: readonly string[]) => {
    const names = all.map((n) => `\`${n}\``);
    return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
  };
  if (lesson.tables.length > 0) needs.push(`PostgreSQL (the table${lesson.tables.length === 1 ? '' : 's'} ${list(lesson.tables)})`);
  if (lesson.models?.length) needs.push(`the saved Spark ML model${lesson.models.length === 1 ? '' : 's'} ${list(lesson.models)}`);
  if (lesson.lake) needs.push('the data lake of CSV files its batch layer reads');
  if (lesson.serving) needs.push('the serving layer');
  return needs;
}

/** The lessons directory of the repository. */
export const LESSONS_DIR = resolve(import.meta.dirname, '../../lessons');

/** Serves `virtual:streamlab-lessons` from `dir`. */
export function streamlabLessons(dir = LESSONS_DIR): Plugin {
  return {
    name: 'streamlab-lessons',
    // Before Vite's own resolver, which would resolve a check file's harness to the job process's.
    enforce: 'pre',
    resolveId(id, importer) {
      if (id === VIRTUAL_ID) return RESOLVED_ID;
      if (id === CHECKS_ID) return CHECKS_RESOLVED;
      if (id.startsWith(LESSON_CHECKS)) return '\0' + id;
      // A check file's harness, in the browser: the same API, with programs in Web Workers.
      if (importer && /[\\/]check\.test\.ts$/.test(importer) && id.endsWith('/lessons/check-harness.js')) return BROWSER_HARNESS;
      return null;
    },
    transform(code, id) {
      // The lesson a check file belongs to, where the job-process harness reads its folder.
      if (!/[\\/]check\.test\.ts$/.test(id) || !id.startsWith(dir)) return null;
      return `${code.replaceAll('import.meta.dirname', JSON.stringify(basename(dirname(id))))}\nexport const checkFileUrl = import.meta.url;\n`;
    },
    async load(id) {
      if (id === CHECKS_RESOLVED) {
        const entries: string[] = [];
        for (const lesson of await loadLessons(dir)) {
          const file = resolve(dir, lesson.id, 'check.test.ts');
          if (!existsSync(file) || !checksInBrowser(lesson.tables, readFileSync(file, 'utf8'))) continue;
          entries.push(`  ${JSON.stringify(lesson.id)}: () => import(${JSON.stringify(LESSON_CHECKS + lesson.id)}),`);
        }
        return `export default {\n${entries.join('\n')}\n};\n`;
      }
      if (id.startsWith('\0' + LESSON_CHECKS)) {
        const folder = resolve(dir, id.slice(1 + LESSON_CHECKS.length));
        return `export { checkFileUrl } from ${JSON.stringify(resolve(folder, 'check.test.ts'))};\n`;
      }
      if (id !== RESOLVED_ID) return null;
      const service = new LessonsService(dir);
      const summaries = await service.list();
      const lessons = [];
      for (const lesson of await loadLessons(dir)) {
        this.addWatchFile(resolve(dir, lesson.id, 'lesson.md'));
        lessons.push({
          summary: summaries.find((s) => s.id === lesson.id)!,
          lesson: await service.get(lesson.id),
          plan: { topics: lesson.topics, datasets: lesson.datasets, clock: lesson.clock, extras: lesson.extras, points: lesson.points, ...(lesson.kafka ? { kafka: lesson.kafka } : {}) },
          needs: runtimeNeeds(lesson),
        });
      }
      return `export default ${JSON.stringify(lessons)};\n`;
    },
  };
}
