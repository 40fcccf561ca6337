/**
 * What survives a reload and a runtime restart: the learner's code per lesson, and progress (current
 * step, hints shown, whether the checks passed). Kept in localStorage under `streamlab:` keys.
 */
import type { SourceFile } from '@streamlab/runtime/protocol';

/** Per-lesson progress. */
export interface LessonProgress {
  step: number;
  hintsShown: number;
  checksPassed: boolean;
}

const codeKey = (lessonId: string) => `streamlab:code:${lessonId}`;
const PROGRESS_KEY = 'streamlab:progress';

/** Reads and writes the learner's code and progress. */
export class LocalStore {
  constructor(private readonly storage: Storage | null = typeof localStorage === 'undefined' ? null : localStorage) {}

  loadCode(lessonId: string): SourceFile[] | null {
    try {
      const text = this.storage?.getItem(codeKey(lessonId));
      const files = text ? (JSON.parse(text) as SourceFile[]) : null;
      return Array.isArray(files) && files.every((f) => typeof f.path === 'string' && typeof f.content === 'string') ? files : null;
    } catch {
      return null;
    }
  }

  saveCode(lessonId: string, files: SourceFile[]): void {
    try {
      this.storage?.setItem(codeKey(lessonId), JSON.stringify(files));
    } catch {
      // Storage full or disabled: the code still lives in the editor; nothing to tell the learner here.
    }
  }

  clearCode(lessonId: string): void {
    this.storage?.removeItem(codeKey(lessonId));
  }

  allProgress(): Record<string, LessonProgress> {
    try {
      return (JSON.parse(this.storage?.getItem(PROGRESS_KEY) ?? '{}') as Record<string, LessonProgress>) ?? {};
    } catch {
      return {};
    }
  }

  progress(lessonId: string): LessonProgress {
    const saved: Partial<LessonProgress> | undefined = this.allProgress()[lessonId];
    return { step: 0, hintsShown: 0, checksPassed: false, ...saved };
  }

  saveProgress(lessonId: string, change: Partial<LessonProgress>): void {
    const all = this.allProgress();
    all[lessonId] = { ...this.progress(lessonId), ...change };
    try {
      this.storage?.setItem(PROGRESS_KEY, JSON.stringify(all));
    } catch {
      // As above.
    }
  }
}
