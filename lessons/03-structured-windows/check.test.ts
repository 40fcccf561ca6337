/**
 * Checks for lesson 03: the learner's `temperatureWindows(spark)` runs in the sandbox on readings fed
 * batch by batch on a manual clock; the harness starts its plan on a memory sink in update or append
 * mode and reads the rows each batch wrote.
 *
 * The fixed stream (processing time → readings that arrive, as sensor@event-time=°C). With a 30 s
 * watermark: max event time − 30 s after each batch, used from the next one. It tells 20 s, 30 s and
 * 40 s apart, and its averages are not round:
 *   batch 0 at 10:00:20   s1@10:00:05=20.4  s2@10:00:10=30.1  s1@10:00:15=22.3      watermark after: 09:59:45
 *   batch 1 at 10:01:30   s1@10:01:10=24.2  s2@10:00:50=34.6  s2@10:01:25=28.1      watermark after: 10:00:55
 *   batch 2 at 10:02:00   s1@10:01:35=26.5  s2@10:00:58=35.3 (late; 10:00–10:01 still open at 30 s,
 *                                                              final at 20 s)        watermark after: 10:01:05
 *   batch 3 at 10:02:30   s1@10:00:30=18.9 (late; 10:00–10:01 final at 30 s, open at 40 s)
 *                         s2@10:01:50=30.7  s1@10:02:05=25.6                         watermark after: 10:01:35
 *   batch 4 at 10:03:00   s1@10:02:50=27.3                                           watermark after: 10:02:20
 *
 * `startReport(spark)` publishes to `report` for the dashboard: in append mode each window once, when
 * it is final (10:00–10:01 at 10:02:00, once the watermark is 10:01:05; 10:01–10:02 at 10:03:00), keyed by sensor, the value
 * `{"window":{"start":…,"end":…},"node_name":…,"avg":…}` with the average to two decimals.
 *
 * Every run also adds a random stream (seeded: new sensors, temperatures, arrival orders, late and
 * duplicate readings) whose expected rows come from the lesson's solution run on the same stream, and
 * the checks of windows, lateness and append mode each a random stream of their own behaviour: append
 * mode must write the same windows as the solution, each in the same batch, not merely nothing at first.
 *
 * `unseen-day` is hidden (front matter `hidden`): a random stream on a day and hour the seed picks, in
 * update and append mode, against the solution. The learner sees its category, never its rows.
 */
import { expectRows, fail, lessonChecks, type PlanSummary, type Program, type Random } from '../../runtime/src/lessons/check-harness.js';

const { check, submission, solution, random, hiddenRandom, memo } = lessonChecks(import.meta.dirname);

const TOPIC = 'sensors.temperature';
const COLUMNS = ['window', 'node_name', 'avg_temp', 'readings'];
const DAY = '2026-11-21';
const at = (hms: string) => `${DAY}T${hms}Z`;

/** One batch: when it is processed, and the readings that arrive just before, as [sensor, event time, °C]. */
type Batch = { at: string; readings: [string, string, number][] };

const FIXED: Batch[] = [
  { at: '10:00:20', readings: [['sensor-1', '10:00:05', 20.4], ['sensor-2', '10:00:10', 30.1], ['sensor-1', '10:00:15', 22.3]] },
  { at: '10:01:30', readings: [['sensor-1', '10:01:10', 24.2], ['sensor-2', '10:00:50', 34.6], ['sensor-2', '10:01:25', 28.1]] },
  { at: '10:02:00', readings: [['sensor-1', '10:01:35', 26.5], ['sensor-2', '10:00:58', 35.3]] },
  { at: '10:02:30', readings: [['sensor-1', '10:00:30', 18.9], ['sensor-2', '10:01:50', 30.7], ['sensor-1', '10:02:05', 25.6]] },
  { at: '10:03:00', readings: [['sensor-1', '10:02:50', 27.3]] },
];

/**
 * A random stream: 2–4 new sensors, readings over four minutes with temperatures to one decimal,
 * shuffled within each batch, some arriving late (within and beyond the watermark), some twice.
 */
function randomStream(r: Random, hour = 10): Batch[] {
  const sensors = Array.from({ length: r.int(2, 4) }, () => `sensor-${r.int(100, 999)}`);
  const batches: Batch[] = [];
  let t = hour * 3600 + r.int(0, 20);
  const hms = (s: number) => `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  let maxSeen = t;
  let processedAt = t;
  for (let b = 0; b < 8; b++) {
    const readings: [string, string, number][] = [];
    for (let i = r.int(1, 4); i > 0; i--) {
      t += r.int(3, 25);
      maxSeen = Math.max(maxSeen, t);
      readings.push([r.pick(sensors), hms(t), r.float(15, 35, 1)]);
    }
    // Late readings: a little (kept while their window is open) or a lot (dropped).
    if (r.chance(0.6)) readings.push([r.pick(sensors), hms(maxSeen - r.int(5, 45)), r.float(15, 35, 1)]);
    if (r.chance(0.3)) readings.push([r.pick(sensors), hms(maxSeen - r.int(60, 120)), r.float(15, 35, 1)]);
    // A duplicate: the same reading sent twice is counted twice, as in Spark.
    if (r.chance(0.3)) readings.push(r.pick(readings));
    // Batches are processed in time order, each after its readings were measured.
    processedAt = Math.max(processedAt + 1, maxSeen + r.int(1, 10));
    batches.push({ at: hms(processedAt), readings: r.shuffle(readings) });
  }
  return batches;
}

/**
 * A random stream for one behaviour at a time: no duplicates, distinct temperatures of 20 °C and more,
 * readings shuffled within each batch and some late within the watermark (kept); with `dropped`, also
 * some so late that their window was final before the batch (dropped). Without the other ingredients
 * of the full random stream, a mistake in one of them costs only the check meant for it.
 */
function cleanStream(r: Random, dropped: boolean): Batch[] {
  const sensors = Array.from({ length: r.int(2, 3) }, () => `sensor-${r.int(100, 999)}`);
  const used = new Set<number>();
  const temperature = () => {
    let v = r.float(20.5, 35, 1);
    while (used.has(v)) v = r.float(20.5, 35, 1);
    used.add(v);
    return v;
  };
  const hms = (s: number) => `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  const batches: Batch[] = [];
  let t = 10 * 3600 + r.int(30, 50);
  let maxSeen = t;
  let processedAt = t;
  for (let b = 0; b < 6; b++) {
    const before = maxSeen;
    const readings: [string, string, number][] = [];
    for (let i = r.int(2, 4); i > 0; i--) {
      t += r.int(5, 25);
      maxSeen = Math.max(maxSeen, t);
      readings.push([r.pick(sensors), hms(t), temperature()]);
    }
    readings.push([r.pick(sensors), hms(maxSeen - r.int(5, 25)), temperature()]);
    if (dropped && b > 0) readings.push([r.pick(sensors), hms(before - r.int(95, 150)), temperature()]);
    processedAt = Math.max(processedAt + 1, maxSeen + r.int(1, 10));
    batches.push({ at: hms(processedAt), readings: r.shuffle(readings) });
  }
  return batches;
}

type Row = [string, string, number, number];

/** `['10:00–10:01', 'sensor-1', 21.35, 2]`: the window as minutes, the average to six decimals. */
function row(r: Record<string, unknown>): Row {
  const w = r.window as { start?: unknown; end?: unknown } | null;
  const hm = (v: unknown) => (typeof v === 'string' ? v.slice(11, 16) : String(v));
  const avg = typeof r.avg_temp === 'number' ? Math.round(r.avg_temp * 1e6) / 1e6 : Number.NaN;
  return [w && typeof w === 'object' ? `${hm(w.start)}–${hm(w.end)}` : String(w), String(r.node_name), avg, Number(r.readings)];
}

/**
 * The rows each non-empty batch wrote, running `batches` through the program's query in `mode`; the
 * batches' times are on `day` (the fixed day unless a check picks another), the clock starting at `start`.
 */
function runStream(program: Program, mode: 'update' | 'append', batches: readonly Batch[], name: string, day = DAY, start = '10:00:00'): Promise<Row[][]> {
  const at = (hms: string) => `${day}T${hms}Z`;
  return memo(`${program.label} ${mode} ${name}`, () => program.run({ start: at(start), topics: { [TOPIC]: 1 } }, async (s) => {
    const df = await s.dataFrame('temperatureWindows', s.spark);
    const missing = COLUMNS.filter((c) => !df.columns.includes(c));
    if (missing.length > 0) fail(`temperatureWindows(spark) returns the columns ${df.columns.join(', ')}; the lesson asks for ${COLUMNS.join(', ')} (missing: ${missing.join(', ')}).`);
    if (!df.isStreaming) fail('temperatureWindows(spark) returns a static DataFrame: read the readings with spark.readStream.');
    const query = await s.startStream(df, mode);
    for (const b of batches) {
      await s.setClock(at(b.at));
      await s.addData(TOPIC, b.readings.map(([node, ts, temperature]) => ({ key: node, value: JSON.stringify({ node_name: node, temperature, ts: at(ts) }) })));
      await query.processAllAvailable();
    }
    const { batches: written } = await query.batches();
    return written.map((w) => w.rows.map(row)).filter((rows) => rows.length > 0);
  }));
}

/** The last row written for each window and sensor: update mode's view of the result table. */
function latest(batches: Row[][]): Row[] {
  const m = new Map<string, Row>();
  for (const rows of batches) for (const r of rows) m.set(`${r[0]} ${r[1]}`, r);
  return [...m.values()];
}

const RANDOM = randomStream(random('lesson 03 stream'));
const KEPT = cleanStream(random('lesson 03 kept'), false);
const DROPPED = cleanStream(random('lesson 03 dropped'), true);

/** Fails unless the submission wrote, batch by batch, what the solution writes for `batches` in `mode`. */
async function sameBatches(what: string, batches: Batch[], name: string, mode: 'update' | 'append' = 'update', day = DAY, start = '10:00:00'): Promise<void> {
  const numbered = (written: Row[][]) => written.flatMap((rows, i) => rows.map((r) => [i, ...r]));
  expectRows(what, numbered(await runStream(submission, mode, batches, name, day, start)), numbered(await runStream(solution, mode, batches, name, day, start)), ['output', ...COLUMNS]);
}

check('update-averages', 'averages each sensor over one-minute windows of event time (update mode)', async () => {
  expectRows('The windows your query holds after the last batch', latest(await runStream(submission, 'update', FIXED, 'fixed')), [
    ['10:00–10:01', 'sensor-1', 21.35, 2],
    ['10:00–10:01', 'sensor-2', 33.333333, 3],
    ['10:01–10:02', 'sensor-1', 25.35, 2],
    ['10:01–10:02', 'sensor-2', 29.4, 2],
    ['10:02–10:03', 'sensor-1', 26.45, 2],
  ], COLUMNS);
  expectRows('On a second, random stream, the windows your query holds after the last batch',
    latest(await runStream(submission, 'update', RANDOM, 'random')), latest(await runStream(solution, 'update', RANDOM, 'random')), COLUMNS);
});

check('event-time-windows', 'puts readings that arrive in the same batch into the windows of their own event time', async () => {
  const batches = await runStream(submission, 'update', FIXED, 'fixed');
  expectRows('The rows your query wrote in the batch at 10:01:30', batches[1] ?? [], [
    ['10:00–10:01', 'sensor-2', 32.35, 2],
    ['10:01–10:02', 'sensor-1', 24.2, 1],
    ['10:01–10:02', 'sensor-2', 28.1, 1],
  ], COLUMNS);
  await sameBatches('On a random stream whose batches mix readings of two windows, the rows your query wrote, batch by batch', KEPT, 'kept');
});

check('late-kept', 'keeps a late reading whose window is still open (sensor-2 measured 10:00:58, arriving 10:02:00)', async () => {
  const batches = await runStream(submission, 'update', FIXED, 'fixed');
  expectRows('The rows your query wrote in the batch at 10:02:00', batches[2] ?? [], [
    ['10:00–10:01', 'sensor-2', 33.333333, 3],
    ['10:01–10:02', 'sensor-1', 25.35, 2],
  ], COLUMNS);
  await sameBatches('On a random stream with readings late but within the watermark, the rows your query wrote, batch by batch', KEPT, 'kept');
});

check('late-dropped', 'drops a reading that arrives after the watermark passed its window (sensor-1 measured 10:00:30, arriving 10:02:30)', async () => {
  const batches = await runStream(submission, 'update', FIXED, 'fixed');
  // Only the windows of the two readings that were on time change; 10:00–10:01 stays as it was.
  expectRows('The rows your query wrote in the batch at 10:02:30', batches[3] ?? [], [
    ['10:01–10:02', 'sensor-2', 29.4, 2],
    ['10:02–10:03', 'sensor-1', 25.6, 1],
  ], COLUMNS);
  await sameBatches('On a random stream with readings that arrive after their window was final, the rows your query wrote, batch by batch', DROPPED, 'dropped');
});

/** The windows (minute and sensor) of rows, without their averages: what the append-mode checks of timing compare. */
const windowsOf = (rows: Row[]): [string, string][] => rows.map((r) => [r[0], r[1]]);

/** Whether the engine's plan groups rows (an Aggregate) above a watermark on them (an EventTimeWatermark). */
function aggregatesOverWatermark(p: PlanSummary, underAggregate = false): boolean {
  if (p.kind === 'EventTimeWatermark' && underAggregate) return true;
  return p.children.some((c) => aggregatesOverWatermark(c, underAggregate || p.kind === 'Aggregate'));
}

/**
 * The rows the program's query wrote in append mode after each batch it was fed (an empty list for a
 * batch that wrote nothing), so the batch in which a window appears is known.
 */
function appendPerBatch(program: Program, batches: readonly Batch[], name: string): Promise<Row[][]> {
  return memo(`${program.label} append per batch ${name}`, () => program.run({ start: at('10:00:00'), topics: { [TOPIC]: 1 } }, async (s) => {
    const df = await s.dataFrame('temperatureWindows', s.spark);
    const missing = COLUMNS.filter((c) => !df.columns.includes(c));
    if (missing.length > 0) fail(`temperatureWindows(spark) returns the columns ${df.columns.join(', ')}; the lesson asks for ${COLUMNS.join(', ')} (missing: ${missing.join(', ')}).`);
    if (!df.isStreaming) fail('temperatureWindows(spark) returns a static DataFrame: read the readings with spark.readStream.');
    const query = await s.startStream(df, 'append');
    const perBatch: Row[][] = [];
    let seen = 0;
    for (const b of batches) {
      await s.setClock(at(b.at));
      await s.addData(TOPIC, b.readings.map(([node, ts, temperature]) => ({ key: node, value: JSON.stringify({ node_name: node, temperature, ts: at(ts) }) })));
      await query.processAllAvailable();
      const all = (await query.batches()).batches.flatMap((w) => w.rows.map(row));
      perBatch.push(all.slice(seen));
      seen = all.length;
    }
    return perBatch;
  }));
}

const STARTS = cleanStream(random('lesson 03 append-starts'), true);
const WAITS = cleanStream(random('lesson 03 append-waits'), false);

check('append-starts', 'starts in append mode (the aggregation declares a watermark) and writes the windows of the readings it reads', async () => {
  await submission.run({ start: at('10:00:00'), topics: { [TOPIC]: 1 } }, async (s) => {
    const df = await s.dataFrame('temperatureWindows', s.spark);
    const query = await s.startStream(df, 'append');
    const plan = await query.plan();
    const text = JSON.stringify(plan);
    if (!text.includes('"source":"lesson-kafka"') || !text.includes(`"topics":["${TOPIC}"]`)) fail(`Your DataFrame does not read the ${TOPIC} topic with spark.readStream.format("kafka").`);
    if (!aggregatesOverWatermark(plan)) fail('Your query does not group the readings after a watermark: declare withWatermark("ts", "30 seconds") before groupBy(F.window("ts", "1 minute"), "node_name").');
  });
  expectRows('On a random stream, the windows your query wrote in append mode (each sensor and minute, averages aside)',
    windowsOf((await appendPerBatch(submission, STARTS, 'starts')).flat()), windowsOf((await appendPerBatch(solution, STARTS, 'starts')).flat()), ['window', 'node_name']);
});

check('append-waits', 'in append mode, writes nothing while no window is final, and each window in the batch after which the watermark passes its end', async () => {
  const batches = await runStream(submission, 'append', FIXED.slice(0, 2), 'first two');
  expectRows('The rows your query wrote in append mode in the first two batches', batches.flat(), [], COLUMNS);
  const batchOf = (perBatch: Row[][]) => perBatch.flatMap((rows, i) => windowsOf(rows).map((w) => [WAITS[i]!.at, ...w]));
  expectRows('On a random stream, the windows your query wrote in append mode, with the batch (its time) that wrote each',
    batchOf(await appendPerBatch(submission, WAITS, 'waits')), batchOf(await appendPerBatch(solution, WAITS, 'waits')), ['batch at', 'window', 'node_name']);
});

check('append-final', 'in append mode, writes each window once, only after the watermark passes its end', async () => {
  const batches = await runStream(submission, 'append', FIXED, 'fixed');
  expectRows('The rows your query wrote in append mode, batch by batch',
    batches.flatMap((rows, i) => rows.map((r) => [i, ...r])),
    [
      [0, '10:00–10:01', 'sensor-1', 21.35, 2], [0, '10:00–10:01', 'sensor-2', 33.333333, 3],
      [1, '10:01–10:02', 'sensor-1', 25.35, 2], [1, '10:01–10:02', 'sensor-2', 29.4, 2],
    ], ['output', ...COLUMNS]);
  const yours = await runStream(submission, 'append', RANDOM, 'random');
  const expected = await runStream(solution, 'append', RANDOM, 'random');
  expectRows('On a second, random stream, the rows your query wrote in append mode, batch by batch',
    yours.flatMap((rows, i) => rows.map((r) => [i, ...r])), expected.flatMap((rows, i) => rows.map((r) => [i, ...r])), ['output', ...COLUMNS]);
});

/** A value as JSON with its keys in order at every level, so key order does not matter; other text as sent. */
function canonicalJson(text: string | null): string | null {
  const sorted = (v: unknown): unknown => (Array.isArray(v) ? v.map(sorted)
    : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, sorted(x)])) : v);
  try {
    return JSON.stringify(sorted(JSON.parse(text ?? 'null')));
  } catch {
    return text;
  }
}

/** The records `startReport` sent to report, as `[written at, key, value]`, running `batches` through it. */
function reported(program: Program, batches: readonly Batch[], name: string): Promise<unknown[][]> {
  return memo(`${program.label} report ${name}`, () => program.run({ start: at('10:00:00'), topics: { [TOPIC]: 1, report: 1 } }, async (s) => {
    const query = await s.query('startReport', s.spark);
    for (const b of batches) {
      await s.setClock(at(b.at));
      await s.addData(TOPIC, b.readings.map(([node, ts, temperature]) => ({ key: node, value: JSON.stringify({ node_name: node, temperature, ts: at(ts) }) })));
      await query.processAllAvailable();
    }
    return (await s.records('report')).map((r) => [new Date(r.timestamp).toISOString().slice(11, 19), r.key, canonicalJson(r.value)]);
  }));
}

const report = (start: string, end: string, node: string, avg: number) =>
  canonicalJson(JSON.stringify({ window: { start: at(`${start}:00.000`), end: at(`${end}:00.000`) }, node_name: node, avg }));

check('report-topic', 'publishes each final window once to report for the dashboard, keyed by sensor, as {"window", "node_name", "avg"}', async () => {
  expectRows('The records your startReport sent to report, with the time each was written', await reported(submission, FIXED, 'fixed'), [
    ['10:02:00', 'sensor-1', report('10:00', '10:01', 'sensor-1', 21.35)],
    ['10:02:00', 'sensor-2', report('10:00', '10:01', 'sensor-2', 33.33)],
    ['10:03:00', 'sensor-1', report('10:01', '10:02', 'sensor-1', 25.35)],
    ['10:03:00', 'sensor-2', report('10:01', '10:02', 'sensor-2', 29.4)],
  ], ['written at', 'key', 'value']);
  expectRows('On a second, random stream, the records your startReport sent to report', await reported(submission, RANDOM, 'random'),
    await reported(solution, RANDOM, 'random'), ['written at', 'key', 'value']);
});

/**
 * The hidden check's stream (front matter `hidden`): a day of 2027–2030 and an hour the seed picks, so a
 * submission fitted to what the other checks show (their day, their hour, their rows) cannot know it.
 * It comes from the hidden seed, which the learner never sees: the visible seed a Check shows, and the
 * visible checks' rows, do not rebuild it. The learner sees only the category.
 */
function unseenDay(r: Random): { day: string; hour: number; batches: Batch[] } {
  const day = new Date(Date.UTC(r.int(2027, 2030), r.int(0, 11), r.int(1, 28))).toISOString().slice(0, 10);
  const hour = r.int(1, 22);
  return { day, hour, batches: randomStream(r, hour) };
}

const UNSEEN = unseenDay(hiddenRandom('lesson 03 unseen day'));

check('unseen-day', 'averages and final windows on a day and hour no other check shows', async () => {
  const start = `${String(UNSEEN.hour).padStart(2, '0')}:00:00`;
  await sameBatches('On a stream of another day, the rows your query wrote in update mode, batch by batch', UNSEEN.batches, 'unseen', 'update', UNSEEN.day, start);
  await sameBatches('On a stream of another day, the rows your query wrote in append mode, batch by batch', UNSEEN.batches, 'unseen', 'append', UNSEEN.day, start);
});
