/** The lessons of the static build (build/lessons-plugin.ts). */
declare module 'virtual:streamlab-lessons' {
  import type { BundledLesson } from './bundled-lesson.js';
  const lessons: BundledLesson[];
  export default lessons;
}
