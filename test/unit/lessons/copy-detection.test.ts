/**
 * Copy detection: what normalising sets aside (comments, layout, the starter's lines, the names a
 * learner chooses), how alike two token lists are, and which pairs of one plan group the dashboard
 * flags, from ClassActivity's checked code down.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COPY_SIMILARITY, normalisedTokens, possibleCopies, similarity } from '../../../runtime/src/lessons/copy-detection.js';
import { gradeFromReport } from '../../../runtime/src/lessons/grade-from-report.js';
import { ClassActivity } from '../../../runtime/src/server/class-activity.js';

const lessonDir = new URL('../../../lessons/03-structured-windows/', import.meta.url);
const starterText = readFileSync(fileURLToPath(new URL('starter.ts', lessonDir)), 'utf8');
const solutionText = readFileSync(fileURLToPath(new URL('solution.ts', lessonDir)), 'utf8');
const starter = { 'starter.ts': starterText };
const file = (content: string) => [{ path: 'solution.ts', content }];

/** The solution as a copier hands it in: other names, other comments, other layout. */
const disguised = solutionText
  .replace(/(const|return) readings/g, '$1 rows').replace(/\bspark\b/g, 'session')
  .replace(/\/\*\*[\s\S]*?\*\//g, '// mine')
  .replace(/\n {4}\./g, '\n        .');
/** The same plan written another way: the watermark as a literal of its own, the keys the other way round. */
const ownWay = solutionText
  .replace('.withWatermark("ts", "30 seconds")\n    .groupBy(F.window("ts", "1 minute"), "node_name")', '.withWatermark("ts", "30 seconds")\n    .groupBy("node_name", F.window(F.col("ts"), "60 seconds"))')
  .replace('.select(\n      F.col("node_name").alias("key"),', '.select(\n      F.expr("node_name").alias("key"),')
  .replace('F.round("avg_temp", 2).alias("avg")', 'F.round(F.col("avg_temp"), 2).alias("avg")')
  .replace('.option("checkpointLocation", "/tmp/checkpoints/temperature-report")', '.option("checkpointLocation", "/tmp/cp/report")')
  .replace('export function main(): void {', 'export function main(): void {\n  const started: string[] = [];\n  started.push("console", "report");');

/** A grade of lesson 03 whose check built a plan of `plan`'s kind. */
const grade = (plan: string) => gradeFromReport({ id: '03-structured-windows', points: { a: 1 }, hidden: {} }, 5, {
  errors: [], checks: [{ id: 'a', title: 'a', status: 'passed' as const, durationMs: 1, failure: null }],
  plans: { temperatureWindows: { kind: plan, facts: {}, children: [] } },
}, 'unused', 7);

describe('normalising a submission', () => {
  it('sets aside comments, layout and the names the learner chose, and keeps strings, numbers and methods', () => {
    expect(normalisedTokens(file('const total = 1; // one\n/* two */ total.add(total, "a b")'))).toEqual(['const', '#0', '=', '1', ';', '#0', '.', 'add', '(', '#0', ',', '"a b"', ')']);
    expect(normalisedTokens(file('let   n=2\n\n\nn . add ( n , \'a b\' )'))).toEqual(['let', '#0', '=', '2', '#0', '.', 'add', '(', '#0', ',', '"a b"', ')']);
  });

  it('leaves out the lines every learner was given: the starter itself has no tokens of its own', () => {
    expect(normalisedTokens(file(starterText), starter)).toEqual([]);
    expect(normalisedTokens(file(solutionText), starter).length).toBeGreaterThan(40);
  });
});

describe('how alike two submissions are', () => {
  it('is 1 − the token edit distance over the longer one', () => {
    expect(similarity(['a', 'b', 'c', 'd'], ['a', 'b', 'c', 'd'])).toBe(1);
    expect(similarity(['a', 'b', 'c', 'd'], ['a', 'x', 'c'])).toBe(0.5);
    expect(similarity([], [])).toBe(1);
  });

  it('finds the disguised copy identical, and the same plan written another way below the flag', () => {
    const [solution, copy, other] = [solutionText, disguised, ownWay].map((t) => normalisedTokens(file(t), starter));
    expect(similarity(solution!, copy!)).toBe(1);
    expect(similarity(solution!, other!)).toBeLessThan(COPY_SIMILARITY);
    expect(possibleCopies([{ student: 'grace', tokens: copy! }, { student: 'linus', tokens: other! }, { student: 'ada', tokens: solution! }]))
      .toEqual([{ a: 'ada', b: 'grace', similarity: 1 }]);
  });

  it('flags no pair of submissions with fewer than 20 tokens of their own', () => {
    const few = normalisedTokens(file('const a = 1; a.b(2);'));
    expect(possibleCopies([{ student: 'ada', tokens: few }, { student: 'bob', tokens: few }])).toEqual([]);
  });
});

describe('copies on the dashboard', () => {
  it('flags a pair within a plan group from the code each check graded, and serves that code by lesson', () => {
    let now = 1_000;
    const activity = new ClassActivity(() => now, ['ada', 'grace', 'linus', 'mary']);
    for (const s of ['ada', 'grace', 'linus', 'mary']) activity.opened(`s-${s}`, s);
    activity.checked('s-ada', grade('Aggregate'), { files: file(solutionText), starter });
    now = 2_000;
    activity.checked('s-grace', grade('Aggregate'), { files: file(disguised), starter });
    activity.checked('s-linus', grade('Aggregate'), { files: file(ownWay), starter });
    // The same text as ada's, but another plan: not in her group, so not flagged.
    activity.checked('s-mary', grade('Filter'), { files: file(solutionText), starter });
    const [lessonGroups] = activity.planGroups();
    expect(lessonGroups!.groups.map((g) => [g.students, g.copies])).toEqual([
      [['ada', 'grace', 'linus'], [{ a: 'ada', b: 'grace', similarity: 1 }]],
      [['mary'], []],
    ]);
    expect(activity.checkedCodeOf('grace', '03-structured-windows')).toEqual({ learner: 'grace', student: 'grace', lessonId: '03-structured-windows', from: 'check', at: 2_000, files: file(disguised) });
    expect(activity.checkedCodeOf('grace', '01-kafka-basics')).toBe(null);

    // Grace checks code of her own: the flag goes.
    now = 3_000;
    activity.checked('s-grace', grade('Aggregate'), { files: file(ownWay.replace('/tmp/cp/report', '/tmp/grace')), starter });
    expect(activity.planGroups()[0]!.groups[0]!.copies).toEqual([{ a: 'grace', b: 'linus', similarity: expect.any(Number) }]);
  });
});

describe('a comment to a plan group', () => {
  it('reaches every learner of the group on each socket, now and after a later hello, and no one else', () => {
    const now = 5_000;
    const activity = new ClassActivity(() => now, ['ada', 'grace', 'linus']);
    for (const s of ['ada', 'grace', 'linus']) activity.opened(`s-${s}`, s);
    activity.checked('s-ada', grade('Aggregate'));
    activity.checked('s-grace', grade('Aggregate'));
    activity.checked('s-linus', grade('Filter'));
    const heard: Record<string, string[]> = { ada: [], grace: [], linus: [] };
    const stops = ['ada', 'grace', 'linus'].map((s) => activity.listenForComments(`s-${s}`, (c) => heard[s]!.push(c.text)));
    expect(stops.map((l) => l.comments)).toEqual([[], [], []]);

    // Not exactly a group now: refused, nobody hears it.
    expect(() => activity.comment('03-structured-windows', ['ada'], 'hi')).toThrow('No group of lesson 03-structured-windows has exactly these learners now');
    expect(() => activity.comment('01-kafka-basics', ['ada', 'grace'], 'hi')).toThrow('No group of lesson 01-kafka-basics');
    const sent = activity.comment('03-structured-windows', ['grace', 'ada'], 'Look at the watermark.');
    expect(sent).toEqual({ comment: { kind: 'instructor.comment', commentId: 'comment-1', lessonId: '03-structured-windows', text: 'Look at the watermark.', at: 5_000 }, students: ['ada', 'grace'] });
    expect(heard).toEqual({ ada: ['Look at the watermark.'], grace: ['Look at the watermark.'], linus: [] });

    // A socket that stopped listening hears nothing more; a new one of the same learner gets what was said.
    stops[0]!.stop();
    activity.comment('03-structured-windows', ['linus'], 'Filter first?');
    expect(heard.ada).toEqual(['Look at the watermark.']);
    expect(activity.listenForComments('s-ada', () => {}).comments.map((c) => c.commentId)).toEqual(['comment-1']);
    expect(activity.listenForComments('s-linus', () => {}).comments.map((c) => c.text)).toEqual(['Filter first?']);
  });
});
