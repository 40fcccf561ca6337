/**
 * What survives a reload and a runtime restart: the learner's code per lesson, the code they had before
 * Reset or Show solution replaced it, the last check results, and progress (current step, hints shown,
 * whether the checks passed). Kept in localStorage under `streamlab:` keys.
 */
import type { SourceFile } from '@streamlab/runtime/protocol';
import type { CheckResult } from '../model/server-events.js';

/** Per-lesson progress. */
export interface LessonProgress {
  step: number;
  hintsShown: number;
  checksPassed: boolean;
}

const codeKey = (lessonId: string) => `streamlab:code:${lessonId}`;
const keptKey = (lessonId: string) => `streamlab:kept:${lessonId}`;
const checksKey = (lessonId: string) => `streamlab:checks:${lessonId}`;

const isFiles = (files: unknown): files is SourceFile[] =>
  Array.isArray(files) && files.every((f: { path?: unknown; content?: unknown }) => typeof f.path === 'string' && typeof f.content === 'string');
const PROGRESS_KEY = 'streamlab:progress';

/** Reads and writes the learner's code and progress. */
export class LocalStore {
  constructor(private readonly storage: Storage | null = typeof localStorage === 'undefined' ? null : localStorage) {}

  loadCode(lessonId: string): SourceFile[] | null {
    try {
      const text = this.storage?.getItem(codeKey(lessonId));
      const files: unknown = text ? JSON.parse(text) : null;
      return isFiles(files) ? files : null;
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

  /** The learner's own code, set aside when Reset or Show solution replaced it (null: none). */
  loadKept(lessonId: string): { files: SourceFile[]; replacedBy: 'starter' | 'solution' } | null {
    try {
      const kept = JSON.parse(this.storage?.getItem(keptKey(lessonId)) ?? 'null') as { files?: unknown; replacedBy?: unknown } | null;
      return kept && isFiles(kept.files) && (kept.replacedBy === 'starter' || kept.replacedBy === 'solution') ? { files: kept.files, replacedBy: kept.replacedBy } : null;
    } catch {
      return null;
    }
  }

  saveKept(lessonId: string, kept: { files: SourceFile[]; replacedBy: 'starter' | 'solution' } | null): void {
    try {
      if (kept) this.storage?.setItem(keptKey(lessonId), JSON.stringify(kept));
      else this.storage?.removeItem(keptKey(lessonId));
    } catch {
      // As in saveCode.
    }
  }

  /** The last check results of a lesson ([] when never checked). */
  loadChecks(lessonId: string): CheckResult[] {
    try {
      const results = JSON.parse(this.storage?.getItem(checksKey(lessonId)) ?? '[]') as unknown;
      return Array.isArray(results) ? results.filter((r: Partial<CheckResult>) => typeof r?.name === 'string' && typeof r.passed === 'boolean') as CheckResult[] : [];
    } catch {
      return [];
    }
  }

  saveChecks(lessonId: string, results: CheckResult[]): void {
    try {
      this.storage?.setItem(checksKey(lessonId), JSON.stringify(results));
    } catch {
      // As in saveCode.
    }
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
