/**
 * A lesson's grade from what its checks reported: one graded test per check the front matter declares,
 * points by check id. The grader (grade-submission.ts) and the browser's Check both grade this way.
 * Pure: no `node:*`.
 */
import type { Lesson } from './lesson-schema.js';
import type { GradedTest, GradeResult } from './grade-types.js';
import type { CheckFailureInfo, PlanSummary } from './check-core.js';
import { canonicalPlans } from './plan-canonical.js';

/** One check as reported. */
export interface ReportedCheck {
  id: string | null;
  title: string;
  status: 'passed' | 'failed' | 'skipped';
  durationMs: number;
  failure: CheckFailureInfo | null;
}

/** The whole report. */
export interface CheckReport {
  checks: ReportedCheck[];
  errors: string[];
  /** The plan of the first DataFrame or query each of the submission's functions gave the checks. */
  plans?: Record<string, PlanSummary>;
}

/** What a grade needs of a lesson: its id, the points of its checks, and which are hidden. */
export type LessonPoints = Pick<Lesson, 'id' | 'points'> & { hidden?: Readonly<Record<string, string>> };

/**
 * Turns a report into one graded test per declared check (front matter `points`, in its order). A
 * reported check the front matter does not name is the lesson's fault, not the learner's: it throws
 * (loading the lesson and declaring the check refuse it first, see check-points.ts).
 */
export function gradeFromReport(lesson: LessonPoints, seed: number, report: CheckReport | null, reason: string, hiddenSeed?: number): GradeResult {
  const byId = new Map<string, ReportedCheck>();
  for (const c of report?.checks ?? []) {
    if (!c.id || !Object.hasOwn(lesson.points, c.id) || byId.has(c.id)) {
      throw new Error(`${lesson.id}: the check "${c.id ?? c.title}" ran, but lesson.md's points ${c.id && byId.has(c.id) ? 'name it once and it ran twice' : 'do not name it'}`);
    }
    byId.set(c.id, c);
  }
  const tests: GradedTest[] = [];
  const graded = (id: string, c: ReportedCheck | undefined, maxPoints: number, title: string): GradedTest => {
    const status = c ? c.status : 'failed';
    const failure = c?.failure ?? null;
    const hidden = lesson.hidden && Object.hasOwn(lesson.hidden, id) ? lesson.hidden[id] : undefined;
    return {
      id, name: c?.title ?? title, status, points: status === 'passed' ? maxPoints : 0, maxPoints, durationMs: c?.durationMs ?? 0,
      message: status === 'passed' ? null : failure?.message ?? (c?.status === 'skipped' ? 'This check was skipped.' : reason),
      file: failure?.file ?? null, line: failure?.line ?? null, diff: failure?.diff ?? null,
      ...(hidden !== undefined ? { hidden } : {}),
    };
  };
  for (const [id, maxPoints] of Object.entries(lesson.points)) tests.push(graded(id, byId.get(id), maxPoints, id));
  const plans = report?.plans && Object.keys(report.plans).length > 0 ? canonicalPlans(report.plans) : null;
  return { ...summarise(lesson.id, seed, tests), ...(hiddenSeed !== undefined ? { hiddenSeed } : {}), ...(plans ? { plans } : {}) };
}

function summarise(lessonId: string, seed: number, tests: GradedTest[]): GradeResult {
  return {
    lessonId,
    seed,
    tests,
    passed: tests.filter((t) => t.status === 'passed').length,
    failed: tests.filter((t) => t.status !== 'passed').length,
    score: tests.reduce((n, t) => n + t.points, 0),
    maxScore: tests.reduce((n, t) => n + t.maxPoints, 0),
    reason: null,
  };
}

/** A grade where every declared check failed for one reason (nothing could be graded). */
export function failedGrade(lesson: LessonPoints, seed: number, reason: string, hiddenSeed?: number): GradeResult {
  return { ...gradeFromReport(lesson, seed, null, reason, hiddenSeed), reason };
}
