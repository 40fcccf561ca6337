import { describe, expect, it } from 'vitest';
import type { PlanSummary } from '../../../runtime/src/jobs/check-ipc.js';
import { canonicalExpr, canonicalPlan } from '../../../runtime/src/lessons/plan-canonical.js';
import { formatPlanGroups, groupByPlan } from '../../../runtime/src/lessons/plan-groups.js';
import type { GradeResult, StudentGrade } from '../../../runtime/src/lessons/grade-types.js';

const node = (kind: string, facts: PlanSummary['facts'], ...children: PlanSummary[]): PlanSummary => ({ kind, facts, children });
const source = node('StreamingRelation', { format: 'kafka', source: 'lesson-kafka', topics: ['sensors.temperature'] });

/** Lesson 03's plan as `exprStructure` writes it, with the parts a learner may word differently. */
function windows(o: { window: string; groupFirst?: 'window' | 'node'; avg: string; count: string; struct: string; delayMs?: number }): PlanSummary {
  const parsed = node('Project', { exprs: [`${o.struct}.*`] },
    node('Project', { exprs: [`from_json(CAST(value AS STRING), 'node_name STRING, temperature DOUBLE, ts TIMESTAMP') AS ${o.struct}`] }, source));
  const below = o.delayMs === undefined ? parsed : node('EventTimeWatermark', { column: 'ts', delayMs: o.delayMs }, parsed);
  const keys = [`window(ts, '${o.window}')`, 'node_name'];
  return node('Aggregate', { groupBy: o.groupFirst === 'node' ? keys.reverse() : keys, aggregates: [`${o.avg}(temperature) AS avg_temp`, `${o.count} AS readings`] }, below);
}

describe('canonicalExpr', () => {
  it.each([
    ["window(data.ts, '1 minute')", "window(ts, '60s')"],
    ["window(ts, '60 seconds')", "window(ts, '60s')"],
    ["window(ts, '60000 milliseconds')", "window(ts, '60s')"],
    ['mean(temperature)', 'avg(temperature)'],
    ['count(1)', 'count(*)'],
    ['((b = a) AND (x >= 2.0))', '((a = b) and (x >= 2))'],
    ['((x >= 2.0) AND (a = b))', '((a = b) and (x >= 2))'],
    ['(x + (z + y))', '(x + y + z)'],
    ['avg((b + a)) AS mean_of', 'avg((a + b)) as mean_of'],
  ])('%s → %s', (sql, canonical) => {
    expect(canonicalExpr(sql)).toBe(canonical);
  });

  it('keeps what changes the result: a different duration, operator or operand', () => {
    expect(canonicalExpr("window(ts, '30 seconds')")).not.toBe(canonicalExpr("window(ts, '1 minute')"));
    expect(canonicalExpr('(a - b)')).not.toBe(canonicalExpr('(b - a)'));
    expect(canonicalExpr('(x >= 2)')).not.toBe(canonicalExpr('(x > 2)'));
  });

  it('drops aliases when asked (an operator whose names nobody outside reads)', () => {
    expect(canonicalExpr('from_json(value) AS data', false)).toBe('from_json(value)');
  });
});

describe('canonicalPlan', () => {
  const solution = windows({ window: '1 minute', avg: 'avg', count: 'count(*)', struct: 'data', delayMs: 30_000 });

  it('writes one operator a line, the projections of a chain as one, only what they compute', () => {
    expect(canonicalPlan(solution)).toBe([
      "Aggregate by [node_name, window(ts, '60s')] computing [avg(temperature) as avg_temp, count(*) as readings]",
      '  Watermark ts 30s',
      "    Project [from_json(cast(value as string), 'node_name string, temperature double, ts timestamp')]",
      '      Source kafka [sensors.temperature]',
    ].join('\n'));
  });

  it('reads the same plan written in other words the same', () => {
    const reworded = windows({ window: '60 seconds', groupFirst: 'node', avg: 'mean', count: 'count(1)', struct: 'event', delayMs: 30_000 });
    expect(canonicalPlan(reworded)).toBe(canonicalPlan(solution));
  });

  it('tells apart plans that compute other things', () => {
    expect(canonicalPlan(windows({ window: '30 seconds', avg: 'avg', count: 'count(*)', struct: 'data', delayMs: 30_000 }))).not.toBe(canonicalPlan(solution));
    expect(canonicalPlan(windows({ window: '1 minute', avg: 'avg', count: 'count(*)', struct: 'data' }))).not.toBe(canonicalPlan(solution));
    expect(canonicalPlan(windows({ window: '1 minute', avg: 'avg', count: 'count(*)', struct: 'data', delayMs: 10_000 }))).not.toBe(canonicalPlan(solution));
  });
});

describe('groupByPlan', () => {
  const result = (score: number, passed: string[], plans?: Record<string, string>): GradeResult => ({
    lessonId: '03-structured-windows', seed: 1, passed: passed.length, failed: 3 - passed.length, score, maxScore: 6, reason: null,
    tests: ['a', 'b', 'c'].map((id) => ({ id, name: id, status: passed.includes(id) ? 'passed' : 'failed', message: null, points: passed.includes(id) ? 2 : 0, maxPoints: 2, durationMs: 1, file: null, line: null, diff: null })),
    ...(plans ? { plans } : {}),
  });
  const grades: StudentGrade[] = [
    { student: 'carol', result: result(2, ['a'], { f: 'Aggregate\n  Source' }) },
    { student: 'alice', result: result(6, ['a', 'b', 'c'], { f: 'Aggregate\n  Watermark\n    Source' }) },
    { student: 'zoe', result: result(0, []) },
    { student: 'ben', result: result(6, ['a', 'b', 'c'], { f: 'Aggregate\n  Watermark\n    Source' }) },
    { student: 'eve', result: result(4, ['a', 'c'], { f: 'Aggregate\n  Source' }) },
  ];

  it('groups the submissions with the same plans, largest group first, and says which checks all of a group pass', () => {
    const groups = groupByPlan(grades);
    expect(groups.map((g) => [g.students, g.scores, g.passedByAll])).toEqual([
      [['alice', 'ben'], [6, 6], ['a', 'b', 'c']],
      [['carol', 'eve'], [2, 4], ['a']],
      [['zoe'], [0], []],
    ]);
    expect(formatPlanGroups(groups, 3)).toBe([
      'solutions grouped by plan: 3 groups of 5 submissions',
      '',
      'group 1: 2 submissions: alice, ben',
      '  points: 6, 6 of 6',
      '  checks every one passes: all 3',
      '  f:',
      '    Aggregate',
      '      Watermark',
      '        Source',
      '',
      'group 2: 2 submissions: carol, eve',
      '  points: 2, 4 of 6',
      '  checks every one passes: 1 of 3 (a)',
      '  f:',
      '    Aggregate',
      '      Source',
      '',
      'group 3: 1 submission: zoe',
      '  points: 0 of 6',
      '  checks every one passes: none',
      '  plan: none (the checks could not build one from this code)',
      '',
    ].join('\n'));
  });
});
