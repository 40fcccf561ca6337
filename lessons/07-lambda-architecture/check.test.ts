/**
 * Checks for lesson 07: the lambda architecture over DAX closes and COVID-19 reports. The learner's
 * batch layer reads a data lake of CSV files (`covid/<date>.csv`, `dax/<date>.csv`), the speed layer
 * reads the reports announced on `covid.reports`, and both views land in PostgreSQL, where the serving
 * view merges them.
 *
 * Each sandbox gets a lake of its own (the only files it may read), an in-memory Kafka on a manual
 * clock and a PostgreSQL schema of its own; the check reads the tables from outside.
 *
 * The fixed world: Germany and Italy, every date from Monday 2020-03-02 to Friday 2020-03-27 in the
 * lake. Germany reports 100 + 10·d cases and d deaths on day d (d = 0 on 03-02), Italy 200 + 5·d and
 * 2·d; the DAX trades on weekdays. The batch history ends on Sunday 03-15. The days after it are
 * announced one batch at a time (the clock moves 10 s a batch), with a 3-day watermark on the date:
 *
 *   batch 0   03-16 DE IT                          batch 5   03-21 DE IT, 03-22 DE IT
 *   batch 1   03-17 DE IT, 03-16 DE again (replay) batch 6   03-23 DE IT, 03-24 DE IT   watermark after: 03-21
 *   batch 2   03-18 DE          (IT held back)     batch 7   03-25 DE IT, 03-26 DE IT   watermark after: 03-23
 *   batch 3   03-20 DE IT       (DE 03-19 held)    batch 8   03-27 DE IT, DE 03-19 (too late: the week
 *   batch 4   IT 03-18 (late, its week is open),                of 03-16 ended at the watermark; dropped)
 *             IT 03-19
 *
 * Every run also draws a random world (seeded: countries, numbers, how long the history is, which
 * reports come late or twice) whose expected rows come from the lesson's solution on the same inputs,
 * and, for the watermark, a random world of its own where some reports come a little late and some far
 * too late.
 */
import { announcedReports, generateLakeDays, lakeCsv, type CovidCount } from '../../runtime/src/datagen/index.js';
import type { CheckDatabase } from '../../runtime/src/lessons/check-database.js';
import { CheckFailure, expectRows, fail, lessonChecks, type Program, type Random, type Sandbox } from '../../runtime/src/lessons/check-harness.js';
import { LearnerCodeError } from '../../runtime/src/lessons/check-sandbox.js';

const { check, submission, solution, random, memo } = lessonChecks(import.meta.dirname);

const TOPIC = 'covid.reports';
const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const plusDays = (date: string, n: number) => iso(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS);

/** A world: the lake's files, the history's last date, and the reports announced batch by batch. */
interface Scenario {
  lake: Record<string, string>;
  history: string;
  /** The last date in the lake (a full recomputation goes up to it). */
  last: string;
  /** The Sunday the recomputed batch view goes up to (the speed view's weeks after it stay). */
  recompute: string;
  batches: CovidCount[][];
}

function csv(header: string[], rows: (string | number)[][]): string {
  return [header.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n';
}

/** The fixed world of the header. */
function fixedScenario(): Scenario {
  const lake: Record<string, string> = {};
  const byDate = new Map<string, CovidCount[]>();
  for (let d = 0; d < 26; d++) {
    const date = plusDays('2020-03-02', d);
    const reports: CovidCount[] = [
      { reported: date, date, country: 'Germany', cases: 100 + 10 * d, deaths: d },
      { reported: date, date, country: 'Italy', cases: 200 + 5 * d, deaths: 2 * d },
    ];
    byDate.set(date, reports);
    lake[`covid/${date}.csv`] = csv(['reported', 'date', 'country', 'cases', 'deaths'], reports.map((r) => [r.reported, r.date, r.country, r.cases, r.deaths]));
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) lake[`dax/${date}.csv`] = csv(['date', 'close'], [[date, (12000 - 37.5 * d + (d % 3) * 61.25).toFixed(2)]]);
  }
  const r = (date: string, country: 'Germany' | 'Italy') => byDate.get(date)!.find((x) => x.country === country)!;
  const both = (date: string) => byDate.get(date)!;
  return {
    lake,
    history: '2020-03-15',
    last: '2020-03-27',
    recompute: '2020-03-22',
    batches: [
      both('2020-03-16'),
      [...both('2020-03-17'), r('2020-03-16', 'Germany')],
      [r('2020-03-18', 'Germany')],
      both('2020-03-20'),
      [r('2020-03-18', 'Italy'), r('2020-03-19', 'Italy')],
      [...both('2020-03-21'), ...both('2020-03-22')],
      [...both('2020-03-23'), ...both('2020-03-24')],
      [...both('2020-03-25'), ...both('2020-03-26')],
      [...both('2020-03-27'), r('2020-03-19', 'Germany')],
    ],
  };
}

/**
 * A random world: 2–3 countries drawn from the generator's list, 2–3 weeks of history, 10–16 announced
 * days; some reports held back 1–2 days (kept) or 6–9 days (usually past the watermark), some twice.
 */
function randomScenario(rnd: Random): Scenario {
  const countries = rnd.shuffle(['Germany', 'France', 'Italy', 'Spain', 'Austria', 'Netherlands']).slice(0, rnd.int(2, 3));
  const historyDays = 7 * rnd.int(2, 3);
  const announced = rnd.int(10, 16);
  const options = { seed: rnd.int(1, 2 ** 30), startDate: '2020-03-02', days: historyDays + announced, countries, historyDays };
  const days = generateLakeDays({ ...options, correctionRate: 0 });
  const lake: Record<string, string> = Object.assign({}, ...days.map(lakeCsv));
  const batches: CovidCount[][] = Array.from({ length: announced + 9 }, () => []);
  for (const { report, slot } of announcedReports(options)) {
    const delay = rnd.chance(0.12) ? rnd.int(1, 2) : rnd.chance(0.06) ? rnd.int(6, 9) : 0;
    batches[slot + delay]!.push(report);
    if (rnd.chance(0.1)) batches[Math.min(slot + delay + rnd.int(0, 2), batches.length - 1)]!.push(report);
  }
  const history = days[historyDays - 1]!.date;
  const last = days[days.length - 1]!.date;
  return { lake, history, last, recompute: plusDays(history, 7 * Math.floor((announced - 1) / 7)), batches: batches.filter((b) => b.length > 0).map((b) => rnd.shuffle(b)) };
}

/**
 * A random world for the watermark alone: 2–3 countries, 1–2 weeks of history, 15–19 announced days
 * with every report on time but 2–3 held back a day or two (their week is still open: kept) and 2–3
 * held back 12–13 days (the watermark, 3 days behind the newest date, has passed their week's end:
 * dropped). No report comes twice, so only the watermark decides.
 */
function lateScenario(rnd: Random): Scenario & { kept: CovidCount[]; dropped: CovidCount[] } {
  const countries = rnd.shuffle(['Germany', 'France', 'Italy', 'Spain', 'Austria', 'Netherlands']).slice(0, rnd.int(2, 3));
  const historyDays = 7 * rnd.int(1, 2);
  const announced = rnd.int(15, 19);
  const options = { seed: rnd.int(1, 2 ** 30), startDate: '2020-03-02', days: historyDays + announced, countries, historyDays };
  const days = generateLakeDays({ ...options, correctionRate: 0 });
  const reports = announcedReports(options);
  const delays = new Map<number, number>();
  const pickLate = (count: number, latestSlot: number, delay: () => number) => {
    const candidates = rnd.shuffle(reports.map((r, i) => [r, i] as const).filter(([r, i]) => r.slot <= latestSlot && !delays.has(i)));
    for (const [, i] of candidates.slice(0, count)) delays.set(i, delay());
  };
  pickLate(rnd.int(2, 3), announced - 14, () => rnd.int(12, 13));
  const dropped = [...delays.keys()].map((i) => reports[i]!.report);
  pickLate(rnd.int(2, 3), announced - 3, () => rnd.int(1, 2));
  const kept = [...delays.entries()].filter(([, d]) => d <= 2).map(([i]) => reports[i]!.report);
  const batches: CovidCount[][] = Array.from({ length: announced }, () => []);
  reports.forEach(({ report, slot }, i) => batches[slot + (delays.get(i) ?? 0)]!.push(report));
  const history = days[historyDays - 1]!.date;
  return {
    lake: Object.assign({}, ...days.map(lakeCsv)), history, last: days[days.length - 1]!.date, recompute: history,
    batches: batches.filter((b) => b.length > 0).map((b) => rnd.shuffle(b)), kept, dropped,
  };
}

const FIXED = fixedScenario();
const RANDOM = randomScenario(random('lesson 07 world'));
const LATE = lateScenario(random('lesson 07 late'));

const COLUMNS = ['week', 'country', 'cases', 'deaths'];
type WeekRow = [string, string, number, number];

/** `['2020-03-16', 'Germany', 1060, 27]` from a row of a DataFrame or a table. */
function weekRow(r: Record<string, unknown>): WeekRow {
  const week = r.week instanceof Date ? iso(r.week.getTime()) : typeof r.week === 'string' ? r.week.slice(0, 10) : String(r.week);
  return [week, String(r.country), Number(r.cases), Number(r.deaths)];
}

/** The rows of one of the learner's static DataFrames, checked for the lesson's columns. */
async function staticRows(s: Sandbox, fn: string, columns: string[], ...args: unknown[]): Promise<Record<string, unknown>[]> {
  const df = await s.dataFrame(fn, s.spark, ...args);
  if (df.isStreaming) fail(`${fn}(spark, …) returns a streaming DataFrame: the batch layer reads the lake with spark.read.`);
  const missing = columns.filter((c) => !df.columns.includes(c));
  if (missing.length > 0) fail(`${fn}(spark, …) returns the columns ${df.columns.join(', ')}; the lesson asks for ${columns.join(', ')} (missing: ${missing.join(', ')}).`);
  return (await s.collect(df)).rows;
}

const WORLD = (sc: Scenario) => ({ start: '2020-04-01T06:00:00Z', topics: { [TOPIC]: 3 }, lake: sc.lake });

/** The batch view over the lake up to `until`. */
const batchRows = (program: Program, sc: Scenario, name: string, until: string) => memo(`${program.label} batch ${name} ${until}`, () =>
  program.run(WORLD(sc), async (s) => (await staticRows(s, 'batchView', COLUMNS, until)).map(weekRow)));

/** Per country: the correlation of the DAX close with the day's cases (six decimals) and the trading days. */
const correlations = (program: Program, sc: Scenario, name: string) => memo(`${program.label} corr ${name}`, () =>
  program.run(WORLD(sc), async (s) => (await staticRows(s, 'daxCorrelation', ['country', 'corr', 'days'], sc.last)).map((r) => [
    String(r.country), typeof r.corr === 'number' ? Math.round(r.corr * 1e6) / 1e6 : r.corr ?? null, Number(r.days),
  ])));

/** What the lambda run leaves in PostgreSQL at each stage. */
interface LambdaTables {
  /** After the batch view of the history and the first batch. */
  first: { serving: unknown[][] };
  /** After every announcement. */
  speed: WeekRow[];
  serving: unknown[][];
  /** After the batch view was recomputed up to the recompute Sunday (or why that failed: only that check fails with it). */
  recomputed: unknown[][] | { failed: unknown };
  /** The speed view of a query that crashed after a sink write and restarted from its checkpoint, in a second database. */
  crashed: WeekRow[];
}

async function speedTable(db: CheckDatabase): Promise<WeekRow[]> {
  if ((await db.columns('speed_view')).length === 0) fail('There is no table speed_view: the speed layer wrote nothing to it.');
  return (await db.query(`SELECT to_char(week, 'YYYY-MM-DD') AS week, country, cases, deaths FROM speed_view`)).map(weekRow);
}

async function servingTable(db: CheckDatabase): Promise<unknown[][]> {
  if ((await db.columns('serving')).length === 0) fail('There is no view serving: createServingView() made nothing by that name.');
  return (await db.query(`SELECT to_char(week, 'YYYY-MM-DD') AS week, country, cases, deaths, layer FROM serving`)).map((r) => [...weekRow(r), String(r.layer)]);
}

const reportJson = (r: CovidCount) => ({ key: r.country, value: JSON.stringify(r) });

/** Announces batch `i` of the scenario: the clock moves 10 s, the reports arrive, the speed layer catches up. */
async function announce(s: Sandbox, query: { processAllAvailable(): Promise<number> }, sc: Scenario, i: number): Promise<void> {
  await s.advanceClock('10 seconds');
  await s.addData(TOPIC, sc.batches[i]!.map(reportJson));
  await query.processAllAvailable();
}

/** Runs the whole lambda architecture of `program` over the scenario; see {@link LambdaTables}. */
const lambdaRun = (program: Program, sc: Scenario, name: string) => memo(`${program.label} lambda ${name}`, async (): Promise<LambdaTables> => {
  const tables = await program.run({ ...WORLD(sc), database: true }, async (s) => {
    await s.call('writeBatchView', s.spark, sc.history);
    const query = await s.query('startSpeedLayer', s.spark);
    await announce(s, query, sc, 0);
    await s.call('createServingView');
    const first = { serving: await servingTable(s.db) };
    for (let i = 1; i < sc.batches.length; i++) await announce(s, query, sc, i);
    const speed = await speedTable(s.db);
    const serving = await servingTable(s.db);
    let recomputed: LambdaTables['recomputed'];
    try {
      await s.call('writeBatchView', s.spark, sc.recompute);
      recomputed = await servingTable(s.db);
    } catch (e) {
      recomputed = { failed: e };
    }
    return { first, speed, serving, recomputed };
  });
  // A second run whose query dies after writing a batch, before its commit, and restarts from its checkpoint.
  const crashed = await program.run({ ...WORLD(sc), database: true }, async (s) => {
    let query = await s.query('startSpeedLayer', s.spark);
    for (let i = 0; i < sc.batches.length; i++) {
      if (i === 1 || i === sc.batches.length - 2) {
        await query.crashAfterNextSinkWrite();
        await announce(s, query, sc, i);
        query = await query.restarted();
        await query.processAllAvailable();
      } else {
        await announce(s, query, sc, i);
      }
    }
    return speedTable(s.db);
  });
  return { ...tables, crashed };
});

/** The speed view after every announcement of the scenario (only the speed layer runs). */
const speedRun = (program: Program, sc: Scenario, name: string) => memo(`${program.label} speed ${name}`, () =>
  program.run({ ...WORLD(sc), database: true }, async (s) => {
    const query = await s.query('startSpeedLayer', s.spark);
    for (let i = 0; i < sc.batches.length; i++) await announce(s, query, sc, i);
    return speedTable(s.db);
  }));

const SERVING_COLUMNS = [...COLUMNS, 'layer'];
const withLayer = (rows: WeekRow[], layer: string) => rows.map((r) => [...r, layer]);

// Weeks of the fixed world: 03-02 (d 0–6), 03-09 (d 7–13), 03-16 (d 14–20), 03-23 (d 21–25, to Friday).
const DE = (from: number, to: number) => { let c = 0; let x = 0; for (let d = from; d <= to; d++) { c += 100 + 10 * d; x += d; } return [c, x]; };
const IT = (from: number, to: number) => { let c = 0; let x = 0; for (let d = from; d <= to; d++) { c += 200 + 5 * d; x += 2 * d; } return [c, x]; };
const HISTORY: WeekRow[] = [
  ['2020-03-02', 'Germany', 910, 21], ['2020-03-02', 'Italy', 1505, 42],
  ['2020-03-09', 'Germany', 1400, 70], ['2020-03-09', 'Italy', 1750, 140],
];

check('batch-view', 'sums the reports in the lake per week and country, up to the day the batch view is cut', async () => {
  expectRows('Your batch view of the lake up to Sunday 2020-03-15', await batchRows(submission, FIXED, 'fixed', '2020-03-15'), HISTORY, COLUMNS);
  expectRows('Your batch view of the lake up to Wednesday 2020-03-18', await batchRows(submission, FIXED, 'fixed', '2020-03-18'),
    [...HISTORY, ['2020-03-16', 'Germany', 750, 45], ['2020-03-16', 'Italy', 825, 90]], COLUMNS);
  expectRows('On a random lake, your batch view up to the end of its history', await batchRows(submission, RANDOM, 'random', RANDOM.history),
    await batchRows(solution, RANDOM, 'random', RANDOM.history), COLUMNS);
});

check('dax-correlation', 'correlates the DAX close with each country\'s cases on trading days', async () => {
  expectRows('Your correlations over the fixed lake', await correlations(submission, FIXED, 'fixed'), [
    ['Germany', -0.986707, 20], ['Italy', -0.986707, 20],
  ], ['country', 'corr', 'days']);
  expectRows('On a random lake, your correlations', await correlations(submission, RANDOM, 'random'), await correlations(solution, RANDOM, 'random'), ['country', 'corr', 'days']);
});

check('speed-event-time', 'sums the announced reports per week of their date (event time), each report once', async () => {
  const { speed } = await lambdaRun(submission, FIXED, 'fixed');
  const weekOf = (rows: WeekRow[]) => rows.filter((r) => r[0] === '2020-03-23');
  const [deC, deD] = DE(21, 25);
  const [itC, itD] = IT(21, 25);
  expectRows('The week of 2020-03-23 in your speed_view (reports announced days after their date, Germany 03-16 twice)', weekOf(speed),
    [['2020-03-23', 'Germany', deC!, deD!], ['2020-03-23', 'Italy', itC!, itD!]], COLUMNS);
  const random = await lambdaRun(submission, RANDOM, 'random');
  expectRows('On a random stream, your speed_view', random.speed, (await lambdaRun(solution, RANDOM, 'random')).speed, COLUMNS);
});

check('speed-watermark', 'keeps a report that comes while its week is open and drops one that comes after the watermark passed it', async () => {
  const { speed } = await lambdaRun(submission, FIXED, 'fixed');
  const [deC, deD] = DE(14, 20);
  const [de19C, de19D] = DE(17, 17);
  const [itC, itD] = IT(14, 20);
  expectRows('The week of 2020-03-16 in your speed_view (Italy 03-18 a little late and kept, Germany 03-19 far too late and dropped)',
    speed.filter((r) => r[0] === '2020-03-16'), [['2020-03-16', 'Germany', deC! - de19C!, deD! - de19D!], ['2020-03-16', 'Italy', itC!, itD!]], COLUMNS);
  const late = (rs: CovidCount[]) => rs.map((r) => `${r.country} ${r.date}`).join(', ');
  expectRows(`On a random stream (${late(LATE.kept)} a day or two late and kept; ${late(LATE.dropped)} 12 or 13 days late and dropped), your speed_view`,
    await speedRun(submission, LATE, 'late'), await speedRun(solution, LATE, 'late'), COLUMNS);
});

check('speed-exactly-once', 'writes the same speed view when its query crashes after a write and restarts from its checkpoint', async () => {
  const fixed = await lambdaRun(submission, FIXED, 'fixed');
  expectRows('Your speed_view after two crashes and restarts, against the one without', fixed.crashed, fixed.speed, COLUMNS);
  const random = await lambdaRun(submission, RANDOM, 'random');
  expectRows('On a random stream, your speed_view after two crashes and restarts', random.crashed, (await lambdaRun(solution, RANDOM, 'random')).speed, COLUMNS);
});

check('serving-merge', 'serves the batch view\'s weeks and the speed view\'s newer weeks as one answer', async () => {
  const { first } = await lambdaRun(submission, FIXED, 'fixed');
  expectRows('Your serving view after the first announced day', first.serving,
    [...withLayer(HISTORY, 'batch'), ['2020-03-16', 'Germany', 240, 14, 'speed'], ['2020-03-16', 'Italy', 270, 28, 'speed']], SERVING_COLUMNS);
  const random = await lambdaRun(submission, RANDOM, 'random');
  expectRows('On a random stream, your serving view after the last announcement', random.serving, (await lambdaRun(solution, RANDOM, 'random')).serving, SERVING_COLUMNS);
});

/** The serving view after the recomputation, or the failure of the recomputation. */
async function recomputedServing(program: Program, sc: Scenario, name: string): Promise<unknown[][]> {
  const { recomputed } = await lambdaRun(program, sc, name);
  if (!('failed' in recomputed)) return recomputed;
  const e = recomputed.failed;
  if (!(e instanceof LearnerCodeError)) throw e;
  throw new CheckFailure({ message: `Recomputing the batch view, writeBatchView(spark, "${sc.recompute}") failed: ${e.learner.message}`, file: e.learner.file, line: e.learner.line });
}

check('serving-recomputed', 'after the batch view is recomputed, the speed view retires and the answer equals a full batch recomputation', async () => {
  // In the fixed world every report of the weeks after the recomputed ones came in time: the answer is the whole lake's.
  const fixed = await recomputedServing(submission, FIXED, 'fixed');
  expectRows(`Your serving view once the batch view is recomputed up to ${FIXED.recompute}, against a batch view of the whole lake`,
    fixed.map((r) => r.slice(0, 4)), await batchRows(solution, FIXED, 'fixed', FIXED.last), COLUMNS);
  for (const [rows, sc, what] of [[fixed, FIXED, 'Your serving view'], [await recomputedServing(submission, RANDOM, 'random'), RANDOM, 'On a random stream, your serving view']] as const) {
    const stale = rows.filter((r) => r[4] === 'speed' && String(r[0]) <= sc.recompute);
    if (stale.length > 0) fail(`${what} still answers ${stale.length} rows from the speed view for weeks the recomputed batch view covers (up to ${sc.recompute}): the speed view should retire there.`);
  }
  expectRows(`On a random stream, your serving view once the batch view is recomputed up to ${RANDOM.recompute}`,
    await recomputedServing(submission, RANDOM, 'random'), await recomputedServing(solution, RANDOM, 'random'), SERVING_COLUMNS);
});
