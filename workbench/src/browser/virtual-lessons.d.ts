/** The lessons of the static build (build/lessons-plugin.ts). */
declare module 'virtual:streamlab-lessons' {
  import type { BundledLesson } from './bundled-lesson.js';
  const lessons: BundledLesson[];
  export default lessons;
}

/** Loaders of the lessons' checks the browser can run (build/lessons-plugin.ts): each loads its lesson's check file. */
declare module 'virtual:streamlab-checks' {
  const checks: Record<string, () => Promise<unknown>>;
  export default checks;
}
