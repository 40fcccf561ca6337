/** Results of grading one submission against a lesson's checks. */

/** Yours against expected, as rows: what the check expected and did not get, and what it did not expect. */
export interface GradeDiff {
  columns: string[];
  missing: unknown[][];
  unexpected: unknown[][];
}

/** One check's outcome. */
export interface GradedTest {
  /** The check's stable identity (its points are keyed by it). */
  id: string;
  /** The check's name, as the learner reads it. */
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  /** Why it failed, in the learner's words; null when it passed. */
  message: string | null;
  /** Points earned: the check's points when it passed, else 0. */
  points: number;
  /** Points the check is worth (front matter `points`). */
  maxPoints: number;
  durationMs: number;
  /** The learner's file and line the failure points at, when there is one. */
  file: string | null;
  line: number | null;
  /** Rows missing and not expected, when the check compared rows or lines. */
  diff: GradeDiff | null;
  /**
   * The category of a hidden check (front matter `hidden`): the learner sees only that it passed or
   * failed and this category, never its message, data or line (see `learnerView`). Absent when visible.
   */
  hidden?: string;
}

/** One submission's grade. */
export interface GradeResult {
  lessonId: string;
  /** Seed of the visible checks' random cases: `--seed` reproduces them. The learner may see it. */
  seed: number;
  /**
   * Seed of the hidden checks' inputs, drawn apart from `seed` so that nothing a learner sees rebuilds
   * them: `--hidden-seed` reproduces them. Only the instructor's reports carry it (`learnerView` drops
   * it); absent when no hidden check ran (a self-check, the browser's Check).
   */
  hiddenSeed?: number;
  tests: GradedTest[];
  passed: number;
  failed: number;
  /** Points earned. */
  score: number;
  /** Points available. */
  maxScore: number;
  /** Why the submission as a whole could not be graded (every check then failed with it); null otherwise. */
  reason: string | null;
  /**
   * The canonical logical plan (plan-canonical.ts) of each function of the submission the checks
   * called, by name: what `--group-by-plan` groups a class by. Absent when no check built one.
   */
  plans?: Record<string, string>;
}

/** A graded submission of one student (folder grading). */
export interface StudentGrade {
  student: string;
  result: GradeResult;
}
