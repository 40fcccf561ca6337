/**
 * The class as the dashboard sees it: a roster's lines (the Kubernetes overlay's file), who a token is,
 * and the rows, progress, error streaks and groups by plan that ClassActivity keeps from the protocol
 * messages and graded checks, on a manual clock.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { gradeFromReport } from '../../../runtime/src/lessons/grade-from-report.js';
import { ClassActivity } from '../../../runtime/src/server/class-activity.js';
import { learnerOf, parseRoster } from '../../../runtime/src/server/roster.js';

const lesson = { id: '03-x', points: { a: 1, b: 1, c: 1 }, hidden: { c: 'late data' } };
const grade = (passed: string[], plans?: Record<string, string>) => gradeFromReport(lesson, 5, {
  errors: [],
  checks: ['a', 'b', 'c'].map((id) => ({ id, title: id, status: passed.includes(id) ? 'passed' as const : 'failed' as const, durationMs: 1, failure: null })),
  ...(plans ? { plans: Object.fromEntries(Object.entries(plans).map(([fn, kind]) => [fn, { kind, facts: {}, children: [] }])) } : {}),
}, 'unused', 77);

describe('the roster', () => {
  it('reads the overlay\'s roster.csv: comments and blank lines skipped, one student per line', () => {
    const text = readFileSync(fileURLToPath(new URL('../../../k8s/overlays/classroom/roster.csv', import.meta.url)), 'utf8');
    expect(parseRoster(text).map((e) => e.student)).toEqual(['ada', 'grace', 'linus']);
  });

  it.each([
    ['ada', 'roster line 1: expected "student,token", got 1 field'],
    ['# c\nAda,0123456789', 'roster line 2: "Ada" is not a student name'],
    ['pg_ada,0123456789', 'roster line 1: "pg_ada" is not a student name'],
    ['ada,short', 'roster line 1: ada\'s token must be 8 to 200 characters'],
    ['ada,0123456789\nada,9876543210', 'roster line 2: ada is on the roster twice'],
    ['ada,0123456789\nbob,0123456789', 'roster line 2: bob\'s token is another student\'s too'],
  ])('refuses %j, naming the line', (text, message) => {
    expect(() => parseRoster(text)).toThrow(message);
  });

  it('tells a student\'s token, the shared token and a wrong one apart', () => {
    const roster = parseRoster('ada,ada-token-1\nbob,bob-token-22\n');
    expect([learnerOf('bob-token-22', 'shared-token', roster), learnerOf('shared-token', 'shared-token', roster), learnerOf('bob-token-2', 'shared-token', roster), learnerOf(undefined, 'shared-token', roster)])
      .toEqual(['bob', null, undefined, undefined]);
  });
});

describe('the class activity', () => {
  it('names rows by roster, counts progress and error streaks, and groups the last checks by plan', () => {
    let now = 1_000;
    const activity = new ClassActivity(() => now, ['ada', 'bob']);
    expect(activity.snapshot().map((r) => [r.learner, r.connected, r.lastSeen])).toEqual([['ada', false, null], ['bob', false, null]]);

    activity.opened('s-ada', 'ada');
    activity.opened('s-guest', null);
    now = 2_000;
    activity.received('s-ada', { kind: 'lessons.get', id: '1', lessonId: '03-x' });
    expect(activity.snapshot().find((r) => r.learner === 'ada')).toMatchObject({ student: 'ada', session: 's-ada', connected: true, lessonId: '03-x', progressAt: 2_000 });
    expect(activity.snapshot().find((r) => r.learner === 's-guest')).toMatchObject({ student: null, connected: true, progressAt: null });

    // The same error three times, then another: the streak starts again.
    const error = (message: string) => ({ kind: 'run.error' as const, runId: 'r', message, code: 'x', file: null, line: null, column: null, stack: '' });
    for (const t of [3_000, 4_000, 5_000]) {
      now = t;
      activity.sent('s-ada', error('boom'));
    }
    expect(activity.snapshot().find((r) => r.learner === 'ada')!.error).toEqual({ message: 'boom', times: 3, at: 5_000 });
    activity.sent('s-ada', error('bang'));
    expect(activity.snapshot().find((r) => r.learner === 'ada')!.error!.times).toBe(1);

    // A check passing more checks than before is progress; one passing fewer is not.
    now = 6_000;
    activity.checked('s-ada', grade(['a', 'b'], { f: 'Project' }));
    now = 7_000;
    activity.checked('s-ada', grade(['a'], { f: 'Project' }));
    activity.checked('s-guest', grade(['a', 'b'], { f: 'Project' }));
    now = 8_000;
    activity.checked('s-guest', grade(['a', 'b', 'c'], { f: 'Filter' }));
    activity.closed('s-guest');
    const ada = activity.snapshot().find((r) => r.learner === 'ada')!;
    expect([ada.progressAt, ada.checks, ada.check]).toEqual([6_000, 2, { lessonId: '03-x', score: 1, maxScore: 3, passed: 1, total: 3, at: 7_000, seed: 5, hiddenSeed: 77 }]);
    expect(activity.snapshot().find((r) => r.learner === 's-guest')).toMatchObject({ connected: false, progressAt: 8_000, checks: 2 });
    // Each learner's last check: the guest's plan changed, so two groups of one.
    expect(activity.planGroups()).toEqual([{ lessonId: '03-x', groups: [
      { plans: { f: expect.any(String) }, students: ['s-guest'], scores: [3], maxScore: 3, passedByAll: ['a', 'b', 'c'] },
      { plans: { f: expect.any(String) }, students: ['ada'], scores: [1], maxScore: 3, passedByAll: ['a'] },
    ] }]);
  });
});
