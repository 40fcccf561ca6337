/**
 * `streamlab grade --dir D --group-by-plan` through the real CLI, on a class of lesson-03 submissions
 * written in different words:
 *
 * - alice hands in the solution; ben the same plan in other words (other variable names, `60 seconds`
 *   for `1 minute`, the grouping keys swapped, `mean` for `avg`, `count(lit(1))` for `count("*")`, the
 *   watermark in milliseconds): one group;
 * - carol drops the watermark; eve does the same in other words: one group;
 * - dave filters to the visible checks' day (fitted to them, caught by the hidden check); hal uses
 *   half-minute windows: a group each.
 *
 * The plans come from the checks' own runs in the sandbox; nothing else runs the learner's code.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runStreamlab } from '../../services/streamlab-cli.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
let work: string;

const streamlab = (args: string[]) => runStreamlab(args, work);

/** `text` with each [from, to] replaced once; fails if one is not there, so a changed solution cannot make a copy silently. */
function edit(text: string, ...pairs: [string, string][]): string {
  for (const [from, to] of pairs) {
    if (!text.includes(from)) throw new Error(`the solution no longer contains ${from}`);
    text = text.replace(from, to);
  }
  return text;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'streamlab-group-by-plan-'));
  const subs = join(work, 'submissions');
  await mkdir(subs);
  const solution = await readFile(join(root, 'lessons/03-structured-windows/solution.ts'), 'utf8');
  const noWatermark = edit(solution, ['    .withWatermark("ts", "30 seconds")\n', '']);
  await writeFile(join(subs, 'alice.ts'), solution);
  await writeFile(join(subs, 'ben.ts'), edit(solution,
    ['const readings = spark.readStream', 'const parsed = spark.readStream'],
    ['  return readings\n', '  return parsed\n'],
    ['.withWatermark("ts", "30 seconds")', '.withWatermark("ts", "30000 milliseconds")'],
    ['.groupBy(F.window("ts", "1 minute"), "node_name")', '.groupBy("node_name", F.window(F.col("ts"), "60 seconds"))'],
    ['.agg(F.avg("temperature").alias("avg_temp"), F.count("*").alias("readings"))', '.agg(F.mean("temperature").alias("avg_temp"), F.count(F.lit(1)).alias("readings"))'],
  ));
  await writeFile(join(subs, 'carol.ts'), noWatermark);
  await writeFile(join(subs, 'eve.ts'), edit(noWatermark, ['const readings = spark.readStream', 'const rows = spark.readStream'], ['  return readings\n', '  return rows\n'], ['"1 minute"', '"1 minutes"']));
  await writeFile(join(subs, 'dave.ts'), edit(solution, ['.select("data.*");', '.select("data.*")\n    .filter("ts >= TIMESTAMP\'2026-11-21 00:00:00\' AND ts < TIMESTAMP\'2026-11-22 00:00:00\'");']));
  await writeFile(join(subs, 'hal.ts'), edit(solution, ['F.window("ts", "1 minute")', 'F.window("ts", "30 seconds")']));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

it('groups a class by the plans its checks built, with each group\'s size, points and one plan', { timeout: 1_200_000 }, async () => {
  const r = await streamlab(['grade', '--lesson', '03', '--dir', 'submissions', '--seed', '7', '--jobs', '2', '--group-by-plan']);
  expect(r.code, r.stderr).toBe(1);
  const section = r.stdout.slice(r.stdout.indexOf('solutions grouped by plan:'), r.stdout.indexOf('\nlesson 03-structured-windows, 6 submissions'));
  const lines = section.split('\n');
  expect(lines[0]).toBe('solutions grouped by plan: 4 groups of 6 submissions');
  expect(lines.filter((l) => l.startsWith('group ') || l.startsWith('  points') || l.startsWith('  checks'))).toEqual([
    'group 1: 2 submissions: alice, ben',
    '  points: 20, 20 of 20',
    '  checks every one passes: all 9',
    'group 2: 2 submissions: carol, eve',
    '  points: 4, 4 of 20',
    '  checks every one passes: 2 of 9 (event-time-windows, late-kept)',
    'group 3: 1 submission: dave',
    '  points: 18 of 20',
    '  checks every one passes: 8 of 9 (update-averages, event-time-windows, late-kept, late-dropped, append-starts, append-waits, append-final, report-topic)',
    expect.stringMatching(/^group 4: 1 submission: hal$/),
    expect.stringMatching(/^ {2}points: \d+ of 20$/),
    expect.stringMatching(/^ {2}checks every one passes: /),
  ]);
  // The representative plan of each group, as the instructor reads it.
  const group = (n: number) => section.slice(section.indexOf(`group ${n}:`), n < 4 ? section.indexOf(`group ${n + 1}:`) : undefined);
  expect(group(1)).toContain([
    '  temperatureWindows:',
    "    Aggregate by [node_name, window(ts, '60s')] computing [avg(temperature) as avg_temp, count(*) as readings]",
    '      Watermark ts 30s',
    "        Project [from_json(cast(value as string), 'node_name string, temperature double, ts timestamp')]",
    '          Source kafka [sensors.temperature]',
  ].join('\n'));
  expect(group(2)).toContain([
    "    Aggregate by [node_name, window(ts, '60s')] computing [avg(temperature) as avg_temp, count(*) as readings]",
    "      Project [from_json(cast(value as string), 'node_name string, temperature double, ts timestamp')]",
  ].join('\n'));
  expect(group(3)).toContain("Filter ((ts < timestamp '2026-11-22 00:00:00') and (ts >= timestamp '2026-11-21 00:00:00'))");
  expect(group(4)).toContain("Aggregate by [node_name, window(ts, '30s')]");
  // The JSON report keeps each student's plans, so a script can group them again.
  const json = JSON.parse(await readFile(join(work, 'grades.json'), 'utf8')) as { student: string; result: { plans?: Record<string, string> } }[];
  const plans = Object.fromEntries(json.map((g) => [g.student, g.result.plans]));
  expect(Object.keys(plans.alice ?? {})).toEqual(['startReport', 'temperatureWindows']);
  expect(plans.ben).toEqual(plans.alice);
  expect(plans.eve).toEqual(plans.carol);
  expect(plans.carol).not.toEqual(plans.alice);
  // The summary stays the last line.
  expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^\d+ passed, \d+ failed$/);
});
