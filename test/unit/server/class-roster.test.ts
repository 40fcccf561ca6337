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
      { plans: { f: expect.any(String) }, students: ['s-guest'], scores: [3], maxScore: 3, passedByAll: ['a', 'b', 'c'], copies: [] },
      { plans: { f: expect.any(String) }, students: ['ada'], scores: [1], maxScore: 3, passedByAll: ['a'], copies: [] },
    ] }]);
  });

  it('keeps each learner\'s step, time spent and current code; the rows carry no code', () => {
    let now = 10_000;
    const activity = new ClassActivity(() => now, ['ada', 'bob']);
    const files = (text: string) => [{ path: 'solution.ts', content: text }];
    activity.opened('s-ada', 'ada');
    now = 11_000;
    activity.progressed('s-ada', { lessonId: '03-x', step: 0, steps: 4, title: 'Read the stream' });
    expect(activity.snapshot().find((r) => r.learner === 'ada')).toMatchObject({
      lessonId: '03-x', step: { lessonId: '03-x', index: 0, count: 4, title: 'Read the stream', at: 11_000 }, progressAt: 11_000, code: null, connectedMs: 0, connectedSince: 10_000,
    });
    expect(activity.codeOf('ada')).toBe(null);

    // The editor's code after a pause; the same step again keeps the time it was reached.
    now = 12_000;
    activity.progressed('s-ada', { lessonId: '03-x', step: 0, steps: 4, title: 'Read the stream', files: files('// ada 1') });
    expect(activity.codeOf('ada')).toEqual({ learner: 'ada', student: 'ada', lessonId: '03-x', from: 'editor', at: 12_000, files: files('// ada 1') });
    expect(activity.snapshot().find((r) => r.learner === 'ada')!.step!.at).toBe(11_000);

    // A step further is progress; going back is not.
    now = 13_000;
    activity.progressed('s-ada', { lessonId: '03-x', step: 2, steps: 4, title: 'Windows' });
    now = 14_000;
    activity.progressed('s-ada', { lessonId: '03-x', step: 1, steps: 4, title: 'Watermarks' });
    expect(activity.snapshot().find((r) => r.learner === 'ada')).toMatchObject({ step: { index: 1, at: 14_000 }, progressAt: 13_000 });

    // A Run, a Check and an export bring the code they carry.
    now = 15_000;
    activity.received('s-ada', { kind: 'run.start', id: '1', lessonId: '03-x', files: files('// ada 2'), mode: 'manual' });
    expect(activity.codeOf('ada')).toMatchObject({ from: 'run', at: 15_000, files: files('// ada 2') });
    now = 16_000;
    activity.received('s-ada', { kind: 'check.run', id: '2', lessonId: '03-x', files: files('// ada 3') });
    expect(activity.codeOf('ada')).toMatchObject({ from: 'check', files: files('// ada 3') });
    now = 17_000;
    activity.received('s-ada', { kind: 'export.pyspark', id: '3', files: files('// ada 4') });
    expect(activity.codeOf('ada')).toMatchObject({ lessonId: null, from: 'export', at: 17_000, files: files('// ada 4') });
    // What codeOf gives is a copy: changing it changes nothing kept.
    activity.codeOf('ada')!.files[0]!.content = 'changed';
    expect(activity.codeOf('ada')!.files).toEqual(files('// ada 4'));

    // Time spent counts the time a socket was open, across two sockets and a reconnect.
    activity.opened('s-ada', 'ada');
    now = 18_000;
    activity.closed('s-ada');
    expect(activity.snapshot().find((r) => r.learner === 'ada')).toMatchObject({ connected: true, connectedMs: 0, connectedSince: 10_000 });
    activity.closed('s-ada');
    expect(activity.snapshot().find((r) => r.learner === 'ada')).toMatchObject({ connected: false, connectedMs: 8_000, connectedSince: null });
    now = 50_000;
    activity.opened('s-ada-2', 'ada');
    now = 51_500;
    activity.closed('s-ada-2');
    const ada = activity.snapshot().find((r) => r.learner === 'ada')!;
    expect([ada.connectedMs, ada.connectedSince, ada.code]).toEqual([9_500, null, { lessonId: null, from: 'export', at: 17_000 }]);

    // Bob's row has nothing of Ada's, and no row carries code.
    expect(activity.snapshot().find((r) => r.learner === 'bob')).toMatchObject({ step: null, code: null, connectedMs: 0, connectedSince: null });
    expect(activity.codeOf('bob')).toBe(null);
    expect(JSON.stringify(activity.snapshot())).not.toContain('// ada');
  });
});
