/** Results of grading one submission against a lesson's checks. */

/** One check's outcome. */
export interface GradedTest {
  /** The check's name, as the learner reads it. */
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  /** Why it failed (first lines of the assertion or error), null when it passed. */
  message: string | null;
  /** Points earned: the check's points when it passed, else 0. */
  points: number;
  /** Points the check is worth (front matter `points`, default 1). */
  maxPoints: number;
  durationMs: number;
}

/** One submission's grade. */
export interface GradeResult {
  lessonId: string;
  tests: GradedTest[];
  passed: number;
  failed: number;
  /** Points earned. */
  score: number;
  /** Points available. */
  maxScore: number;
}

/** A graded submission of one student (folder grading). */
export interface StudentGrade {
  student: string;
  result: GradeResult;
}
