/**
 * A class's submissions grouped by their canonical logical plans (plan-canonical.ts): the submissions
 * whose checks built the same plans, function by function, form one group. For each group the
 * instructor sees its size, its students, their points, the checks every one of them passes, and one
 * representative plan. Pure: no `node:*`.
 */
import type { StudentGrade } from './grade-types.js';

/** One group of submissions with the same canonical plans. */
export interface PlanGroup {
  /** The canonical plan of each function the checks called, by function name; empty when none was built. */
  plans: Record<string, string>;
  students: string[];
  /** Each student's points, in the order of `students`. */
  scores: number[];
  maxScore: number;
  /** The ids of the checks every member passes, in the lesson's order. */
  passedByAll: string[];
}

/** The key two submissions share when their plans are the same. */
const keyOf = (plans: Readonly<Record<string, string>>) => JSON.stringify(Object.keys(plans).sort().map((fn) => [fn, plans[fn]]));

/** The groups, largest first (then highest points, then first student). */
export function groupByPlan(grades: readonly StudentGrade[]): PlanGroup[] {
  const groups = new Map<string, PlanGroup>();
  for (const g of grades) {
    const plans = g.result.plans ?? {};
    const key = keyOf(plans);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { plans, students: [], scores: [], maxScore: g.result.maxScore, passedByAll: g.result.tests.map((t) => t.id) }));
    group.students.push(g.student);
    group.scores.push(g.result.score);
    const passed = new Set(g.result.tests.filter((t) => t.status === 'passed').map((t) => t.id));
    group.passedByAll = group.passedByAll.filter((id) => passed.has(id));
  }
  const best = (g: PlanGroup) => Math.max(...g.scores);
  return [...groups.values()].sort((a, b) => b.students.length - a.students.length || best(b) - best(a) || a.students[0]!.localeCompare(b.students[0]!));
}

/** The groups as the instructor reads them (the `--group-by-plan` section of `streamlab grade --dir`). */
export function formatPlanGroups(groups: readonly PlanGroup[], checks: number): string {
  const total = groups.reduce((n, g) => n + g.students.length, 0);
  const out = [`solutions grouped by plan: ${groups.length} ${groups.length === 1 ? 'group' : 'groups'} of ${total} ${total === 1 ? 'submission' : 'submissions'}`];
  groups.forEach((g, i) => {
    const n = g.students.length;
    out.push('');
    out.push(`group ${i + 1}: ${n} ${n === 1 ? 'submission' : 'submissions'}: ${g.students.join(', ')}`);
    out.push(`  points: ${g.scores.join(', ')} of ${g.maxScore}`);
    out.push(`  checks every one passes: ${g.passedByAll.length === checks ? `all ${checks}` : g.passedByAll.length === 0 ? 'none' : `${g.passedByAll.length} of ${checks} (${g.passedByAll.join(', ')})`}`);
    const fns = Object.keys(g.plans);
    if (fns.length === 0) out.push('  plan: none (the checks could not build one from this code)');
    for (const fn of fns) {
      out.push(`  ${fn}:`);
      for (const line of g.plans[fn]!.split('\n')) out.push(`    ${line}`);
    }
  });
  return out.join('\n') + '\n';
}
