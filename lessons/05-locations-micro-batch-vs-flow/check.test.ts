/**
 * Checks for lesson 05: drivers' GPS fixes, every field a string, go to `locations`; the learner's
 * Spark jobs cast them and write them to PostgreSQL (append, then exactly once), their flow writes the
 * same rows, and their comparison table shows what was measured.
 *
 * The learner's code runs in the sandbox, on its in-memory Kafka and manual clock. Each sandbox writes
 * into a PostgreSQL schema of its own, through a role that may use only that schema (see
 * `check-database.ts`); the check reads the tables from outside. Inputs are drawn from a seed that
 * changes every grading run (`STREAMLAB_CHECK_SEED` replays one): new driver ids, positions, times and
 * batch sizes, so no output can be written down in advance.
 */
import { tutorialTime } from '../../runtime/src/datagen/index.js';
import type { CheckDatabase } from '../../runtime/src/lessons/check-database.js';
import { expectRows, fail, lessonChecks, type ControlRef, type QueryRef, type Random, type Sandbox } from '../../runtime/src/lessons/check-harness.js';

const { check, submission, random } = lessonChecks(import.meta.dirname);

const START = Date.parse('2026-11-21T10:00:00Z');
const WORLD = { start: START, topics: { locations: 1 }, database: true };

/** A fix as the producer sends it, and the row it must become. */
interface Fix {
  json: { driverId: string; lat: string; lng: string; time: string };
  /** `driverId, lat, lng, time` as PostgreSQL gives them back (floats as single precision, time as `YYYY-MM-DD HH24:MI:SS.US`). */
  row: [number, number, number, string];
}

const COLUMNS = ['driverId', 'lat', 'lng', 'time'];

/** Draws fixes of drivers never seen before, at increasing times. */
function fixDrawer(rnd: Random): (n: number) => Fix[] {
  let clockMicros = (START + 500) * 1000;
  return (n) => Array.from({ length: n }, () => {
    clockMicros += rnd.int(1_000, 400_000);
    const driverId = rnd.int(100, 9999);
    const lat = (rnd.next() * 170 - 85).toFixed(6);
    const lng = (rnd.next() * 350 - 175).toFixed(6);
    const time = tutorialTime(clockMicros);
    return { json: { driverId: String(driverId), lat, lng, time }, row: [driverId, Math.fround(Number(lat)), Math.fround(Number(lng)), time] };
  });
}

async function produce(s: Sandbox, fixes: readonly Fix[]): Promise<void> {
  await s.addData('locations', fixes.map((f) => ({ key: f.json.driverId, value: JSON.stringify(f.json) })));
}

const rowsOf = (fixes: readonly Fix[]) => fixes.map((f) => f.row);

/** The table's rows as [driverId, lat, lng, time]; floats as single precision. */
async function tableRows(db: CheckDatabase, table: string): Promise<unknown[][]> {
  if ((await db.columns(table)).length === 0) fail(`There is no table ${table}: nothing was written to it.`);
  const rows = await db.query<{ driverId: number; lat: number; lng: number; time: string }>(
    `SELECT "driverId", lat, lng, to_char(time, 'YYYY-MM-DD HH24:MI:SS.US') AS time FROM ${table}`,
  );
  return rows.map((r) => [r.driverId, Math.fround(r.lat), Math.fround(r.lng), r.time]);
}

const TUTORIAL_TYPES = [
  { name: 'driverId', type: 'integer' },
  { name: 'lat', type: 'real' },
  { name: 'lng', type: 'real' },
  { name: 'time', type: 'timestamp without time zone' },
];

/** Fails unless `table` has the tutorial's columns and types (as Spark's JDBC writer creates them). */
async function expectTutorialColumns(db: CheckDatabase, table: string, what: string): Promise<void> {
  const cols = await db.columns(table);
  if (cols.length === 0) fail(`There is no table ${table}${what}.`);
  const text = (c: { name: string; type: string }[]) => c.map((x) => `${x.name} ${x.type}`).join(', ');
  if (text(cols) !== text(TUTORIAL_TYPES)) fail(`The columns of ${table} are ${text(cols)}; the check expects ${text(TUTORIAL_TYPES)}.`);
}

const count = async (db: CheckDatabase, table: string) => ((await db.columns(table)).length === 0 ? 0 : Number((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n));

/**
 * Waits for the learner's flow to write `n` rows to `table`; gives up after `seconds` with what it saw,
 * or as soon as the flow's stream has failed, with its error.
 */
async function untilRows(db: CheckDatabase, table: string, n: number, flow: ControlRef, what: string, seconds = 15): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  let seen = 0;
  while ((seen = await count(db, table)) < n) {
    const failure = await flow.failure();
    if (failure !== null) fail(`${what}: it failed after writing ${seen} of the ${n} rows to ${table}: ${failure}`);
    if (Date.now() > deadline) fail(`${what}: ${table} has ${seen} of the ${n} rows after ${seconds} s.`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Runs a Spark job over three batches, killing it after the sink wrote the second and before its commit. */
async function crashInTheMiddle(s: Sandbox, fn: string, draw: (n: number) => Fix[], rnd: Random): Promise<Fix[][]> {
  const batches = [draw(rnd.int(3, 7)), draw(rnd.int(3, 7)), draw(rnd.int(3, 7))];
  const query: QueryRef = await s.query(fn, s.spark, '1 second');
  await produce(s, batches[0]!);
  await query.processAllAvailable();
  await query.crashAfterNextSinkWrite();
  await produce(s, batches[1]!);
  await query.processAllAvailable();
  const restarted = await query.restarted();
  await restarted.processAllAvailable();
  await produce(s, batches[2]!);
  await restarted.processAllAvailable();
  await restarted.stop();
  return batches;
}

check('cast-fixes', 'casts every field as the tutorial\'s schema: driverId int, lat and lng float, time timestamp', async () => {
  const rnd = random('cast-fixes');
  const fixes = fixDrawer(rnd)(rnd.int(6, 12));
  await submission.run(WORLD, async (s) => {
    const df = await s.dataFrame('fixes', s.spark);
    const schema = df.columns.map((c, i) => `${c} ${df.types[i]}`);
    if (schema.join(', ') !== 'driverId int, lat float, lng float, time timestamp') {
      fail(`The columns of fixes(spark) are ${schema.join(', ')}; the check expects driverId int, lat float, lng float, time timestamp.`);
    }
    const stream = await s.startStream(df, 'append', ['driverId', 'lat', 'lng', "date_format(time, 'yyyy-MM-dd HH:mm:ss.SSSSSS') AS time"]);
    await produce(s, fixes);
    await stream.processAllAvailable();
    const rows = (await stream.batches()).batches.flatMap((b) => b.rows).map((r) => [r.driverId, Math.fround(r.lat as number), Math.fround(r.lng as number), r.time]);
    expectRows('The fixes after your casts', rows, rowsOf(fixes), COLUMNS, 'fix');
  });
});

check('append-rows', 'appends every fix to locations from foreachBatch: the table holds exactly the fixes, typed as the tutorial\'s schema', async () => {
  const rnd = random('append-rows');
  const draw = fixDrawer(rnd);
  await submission.run(WORLD, async (s) => {
    const batches = [draw(rnd.int(2, 9)), draw(rnd.int(2, 9)), draw(rnd.int(2, 9))];
    const query = await s.query('startAppend', s.spark, '1 second');
    for (const b of batches) {
      await produce(s, b);
      await query.processAllAvailable();
    }
    await query.stop();
    await expectTutorialColumns(s.db, 'locations', ' after startAppend(spark) ran three batches');
    expectRows('The rows of locations', await tableRows(s.db, 'locations'), rowsOf(batches.flat()), COLUMNS);
  });
});

check('append-at-least-once', 'the append job is at-least-once: killed after writing a batch and before committing it, it writes that batch again', async () => {
  const rnd = random('append-at-least-once');
  await submission.run(WORLD, async (s) => {
    const batches = await crashInTheMiddle(s, 'startAppend', fixDrawer(rnd), rnd);
    // The replayed batch is appended a second time.
    expectRows('The rows of locations after the crash', await tableRows(s.db, 'locations'), rowsOf([...batches.flat(), ...batches[1]!]), COLUMNS);
  });
});

check('exactly-once', 'the exactly-once job leaves no duplicates after the same crash (locations_once)', async () => {
  const rnd = random('exactly-once');
  await submission.run(WORLD, async (s) => {
    const batches = await crashInTheMiddle(s, 'startExactlyOnce', fixDrawer(rnd), rnd);
    await expectTutorialColumns(s.db, 'locations_once', ' after startExactlyOnce(spark) ran three batches');
    expectRows('The rows of locations_once after the crash', await tableRows(s.db, 'locations_once'), rowsOf(batches.flat()), COLUMNS);
  });
});

check('flow-rows', 'the flow writes the same rows to locations_flow and commits its offsets: started again, it writes only new fixes', async () => {
  const rnd = random('flow-rows');
  const draw = fixDrawer(rnd);
  await submission.run(WORLD, async (s) => {
    const system = await s.actorSystem('check-flow');
    const first = draw(rnd.int(5, 12));
    await produce(s, first);
    const control = await s.control('startFlow', system);
    // The flow creates its table when it starts (step 4), so a flow that writes nothing is told at once.
    await expectTutorialColumns(s.db, 'locations_flow', ' once startFlow(system) has returned (the flow creates it first)');
    await untilRows(s.db, 'locations_flow', first.length, control, 'Your flow did not write every fix');
    await control.drainAndShutdown();
    expectRows('The rows of locations_flow', await tableRows(s.db, 'locations_flow'), rowsOf(first), COLUMNS);
    const more = draw(rnd.int(2, 5));
    await produce(s, more);
    const again = await s.control('startFlow', system);
    await untilRows(s.db, 'locations_flow', first.length + more.length, again, 'Your flow, started again, did not write the new fixes');
    await again.drainAndShutdown();
    // A flow that never commits (Sink.ignore, or a committer before the write that never runs) starts
    // again from the group's reset and writes the first fixes a second time.
    const after = await tableRows(s.db, 'locations_flow');
    const key = (r: unknown[]) => JSON.stringify(r);
    const written = new Set(rowsOf(first).map(key));
    const rewritten = after.filter((r) => written.has(key(r))).length - first.length;
    if (rewritten > 0) {
      fail(`Your flow, started again, wrote ${rewritten} of the ${first.length} fixes it had already written: their offsets were not committed, so the consumer group read locations from the start again. Commit each fix's offset after its row is written (Committer.sink).`);
    }
    expectRows('The rows of locations_flow after a restart (each fix once)', await tableRows(s.db, 'locations_flow'), rowsOf([...first, ...more]), COLUMNS);
  });
});

/** The tutorial's comparison table for a measurement: latency and start-up time from it, the other rows as the tutorial has them. */
function tutorialTable(measured: Record<string, { kind: string; p50: number | null; p99: number | null; startupMs: number | null }>): unknown[][] {
  const spark = Object.values(measured).find((p) => p.kind === 'micro-batch')!;
  const flow = Object.values(measured).find((p) => p.kind === 'flow')!;
  const ms = (x: number | null) => `${Math.round(x ?? NaN)} ms`;
  return [
    ['Latency', `p50 ${ms(spark.p50)}, p99 ${ms(spark.p99)}`, `p50 ${ms(flow.p50)}, p99 ${ms(flow.p99)}`],
    ['Architecture', 'micro-batch', 'flow'],
    ['Stage type', 'query', 'graph'],
    ['Container size', 'big', 'small'],
    ['Startup time', ms(spark.startupMs), ms(flow.startupMs)],
    ['Use case', 'aggregations', 'projections'],
  ];
}

/** Calls the learner's comparisonTable(measured) and compares its rows with the tutorial's for that measurement. */
async function expectComparisonTable(s: Sandbox, what: string, measured: Parameters<typeof tutorialTable>[0]): Promise<void> {
  const table = await s.call('comparisonTable', measured);
  if (!Array.isArray(table)) fail(`comparisonTable(measured) returned ${table === null ? 'nothing' : typeof table}, not an array of rows.`);
  const cells = table.map((r: { row?: unknown; spark?: unknown; flow?: unknown } | null) => [r?.row ?? null, r?.spark ?? null, r?.flow ?? null]);
  expectRows(`Your comparisonTable(measured) ${what}`, cells, tutorialTable(measured), ['row', 'spark', 'flow']);
}

/** A measurement of one query and one flow, as LatencyMeter.summary() gives it, with figures drawn by the check. */
function madeUpMeasurement(rnd: Random) {
  const pipeline = (kind: 'micro-batch' | 'flow') => {
    const p50 = rnd.int(2, 900) + rnd.int(0, 9) / 10;
    const p99 = p50 + rnd.int(1, 900);
    return { kind, ...(kind === 'micro-batch' ? { trigger: '1 second' } : {}), count: rnd.int(5, 40), p50, p95: p99 - 0.5, p99, max: p99 + 1, histogram: [], startupMs: rnd.int(20, 3000) };
  };
  return { 'locations (trigger 1 second)': pipeline('micro-batch'), 'locations flow': pipeline('flow') };
}

check('comparison-table', 'fills the comparison table from the measured run: latency and start-up time measured, the other rows as the tutorial has them', async () => {
  const rnd = random('comparison-table');
  const draw = fixDrawer(rnd);
  await submission.run(WORLD, async (s) => {
    // The table alone first, for a measurement the check makes up: a fault of the table is named even
    // when the jobs that measure a real run do not work yet.
    const madeUp = madeUpMeasurement(rnd);
    const [query0, flow0] = Object.values(madeUp);
    await expectComparisonTable(s, `for a measurement the check made up (query p50 ${query0!.p50} ms, p99 ${query0!.p99} ms, start-up ${query0!.startupMs} ms; flow p50 ${flow0!.p50} ms, p99 ${flow0!.p99} ms, start-up ${flow0!.startupMs} ms)`, madeUp);
    const meter = await s.latencyMeter();
    const system = await s.actorSystem('locations');
    const query = await s.query('startAppend', s.spark, '1 second');
    const flow = await s.control('startFlow', system);
    await expectTutorialColumns(s.db, 'locations_flow', ' once startFlow(system) has returned (the flow creates it first)');
    // Fixes arrive at random moments over a few seconds; the query runs at each whole second.
    let produced = 0;
    let now = START;
    const seconds = rnd.int(3, 5);
    for (let second = 1; second <= seconds; second++) {
      for (const at of Array.from({ length: rnd.int(1, 4) }, () => rnd.int(1, 999)).sort((a, b) => a - b)) {
        now = Math.max(now, START + (second - 1) * 1000 + at);
        await s.setClock(now);
        await produce(s, draw(1));
        produced++;
        await untilRows(s.db, 'locations_flow', produced, flow, 'Your flow did not write the fix');
      }
      now = START + second * 1000;
      await s.setClock(now);
    }
    const measured = await meter.summary();
    const spark = Object.values(measured).find((p) => p.kind === 'micro-batch');
    const flowed = Object.values(measured).find((p) => p.kind === 'flow');
    if (spark?.count !== produced || flowed?.count !== produced) {
      fail(`The meter measured ${spark?.count ?? 0} records for your query and ${flowed?.count ?? 0} for your flow; the check produced ${produced} for each.`);
    }
    await expectComparisonTable(s, 'for this run', measured);
    await query.stop();
  });
});
