/**
 * Checks for lesson 05: drivers' GPS fixes, every field a string, go to `locations`; the learner's
 * Spark jobs cast them and write them to PostgreSQL (append, then exactly once), their flow writes the
 * same rows, and their comparison table shows what was measured.
 *
 * Inputs are drawn from a seed that changes every grading run (`STREAMLAB_CHECK_SEED` replays one):
 * new driver ids, positions, times and batch sizes. Each check writes into a PostgreSQL schema of its
 * own (`check-postgres.ts`), dropped when it ends.
 */
import { randomInt } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ActorSystem, LatencyMeter, functions as F, type DataFrame, type DrainingControl, type Done, type LatencySummary, type SparkSession, type StreamingQuery } from 'streamlab';
import { SeededRandom, tutorialTime } from '../../runtime/src/datagen/index.js';
import { compileSubmission, createCheckHost, type CheckHost, type CompiledSubmission } from '../../runtime/src/lessons/check-host.js';
import { createCheckPostgres, type CheckPostgres } from '../../runtime/src/lessons/check-postgres.js';

interface ComparisonRow {
  row: string;
  spark: string;
  flow: string;
}

interface Submission {
  fixes(spark: SparkSession): DataFrame;
  startAppend(spark: SparkSession, trigger?: string): StreamingQuery;
  startExactlyOnce(spark: SparkSession, trigger?: string): StreamingQuery;
  startFlow(system: ActorSystem): Promise<DrainingControl<Done>> | DrainingControl<Done>;
  comparisonTable(measured: LatencySummary): ComparisonRow[];
}

const SEED = Number(process.env.STREAMLAB_CHECK_SEED ?? randomInt(1, 2 ** 31 - 1));
const START = Date.parse('2026-11-21T10:00:00Z');

/** A fix as the producer sends it, and the row it must become. */
interface Fix {
  json: { driverId: string; lat: string; lng: string; time: string };
  /** `driverId, lat, lng, time` as PostgreSQL gives them back (time as `YYYY-MM-DD HH24:MI:SS.US`). */
  row: [number, number, number, string];
}

const rnd = new SeededRandom(SEED);
let clockMicros = (START + 500) * 1000;

/** `n` fixes of drivers never seen before this run, at increasing times. */
function drawFixes(n: number): Fix[] {
  const out: Fix[] = [];
  for (let i = 0; i < n; i++) {
    clockMicros += rnd.int(1_000, 400_000);
    const driverId = rnd.int(100, 9999);
    const lat = (rnd.next() * 170 - 85).toFixed(6);
    const lng = (rnd.next() * 350 - 175).toFixed(6);
    const time = tutorialTime(clockMicros);
    out.push({ json: { driverId: String(driverId), lat, lng, time }, row: [driverId, Math.fround(Number(lat)), Math.fround(Number(lng)), time] });
  }
  return out;
}

let submission: CompiledSubmission;
let host: CheckHost | undefined;
let db: CheckPostgres | undefined;
const systems: ActorSystem[] = [];

beforeAll(async () => {
  submission = await compileSubmission(import.meta.dirname, process.env);
});

afterEach(async () => {
  for (const s of systems.splice(0)) await s.terminate();
  await host?.close();
  await db?.close();
  host = undefined;
  db = undefined;
});

async function open(): Promise<{ learner: Submission; host: CheckHost; db: CheckPostgres }> {
  host = await createCheckHost(submission, { startMs: START, topics: { locations: 1 } });
  // After the host: its Kafka wiring registers every connector, and the check's database must win.
  db = await createCheckPostgres(process.env);
  return { learner: host.load<Submission>(), host, db };
}

async function produce(h: CheckHost, fixes: readonly Fix[]): Promise<void> {
  await h.kafka.produceAll('locations', fixes.map((f) => ({ key: f.json.driverId, value: JSON.stringify(f.json) })));
}

/** The table's rows as [driverId, lat, lng, time], sorted; floats as single precision. */
async function tableRows(d: CheckPostgres, table: string): Promise<[number, number, number, string][]> {
  const cols = await d.columns(table);
  if (cols.length === 0) throw new Error(`There is no table ${table}: nothing was written to it`);
  const rows = await d.query<{ driverId: number; lat: number; lng: number; time: string }>(
    `SELECT "driverId", lat, lng, to_char(time, 'YYYY-MM-DD HH24:MI:SS.US') AS time FROM ${table}`,
  );
  return rows
    .map((r) => [r.driverId, Math.fround(r.lat), Math.fround(r.lng), r.time] as [number, number, number, string])
    .sort((a, b) => (a[3] < b[3] ? -1 : a[3] > b[3] ? 1 : a[0] - b[0]));
}

const sorted = (fixes: readonly Fix[]) => fixes.map((f) => f.row).sort((a, b) => (a[3] < b[3] ? -1 : a[3] > b[3] ? 1 : a[0] - b[0]));

const TUTORIAL_TYPES = [
  { name: 'driverId', type: 'integer' },
  { name: 'lat', type: 'real' },
  { name: 'lng', type: 'real' },
  { name: 'time', type: 'timestamp without time zone' },
];

/** Waits for a condition the pipeline is working towards (the check's own timeout bounds it). */
async function until(what: string, test: () => Promise<boolean>): Promise<void> {
  for (;;) {
    if (await test()) return;
    await new Promise((r) => setTimeout(r, 20));
    if (!host) throw new Error(`gave up waiting: ${what}`);
  }
}

/** The flow creates its table when it starts (step 4), so a flow that writes nothing is told at once. */
async function expectFlowTable(d: CheckPostgres): Promise<void> {
  expect(await d.columns('locations_flow'), 'the table locations_flow once startFlow(system) has returned (the flow creates it first)').toEqual(TUTORIAL_TYPES);
}

const count = async (d: CheckPostgres, table: string) => ((await d.columns(table)).length === 0 ? 0 : Number((await d.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n));

/** Runs a Spark job over three batches, killing it after the sink wrote the second and before its commit. */
async function crashInTheMiddle(h: CheckHost, start: () => StreamingQuery): Promise<Fix[][]> {
  const batches = [drawFixes(rnd.int(3, 7)), drawFixes(rnd.int(3, 7)), drawFixes(rnd.int(3, 7))];
  const query = start();
  await produce(h, batches[0]!);
  await query.processAllAvailable();
  const crashed = query.crashAfterNextSinkWrite();
  await produce(h, batches[1]!);
  await query.processAllAvailable();
  const { restarted } = await crashed;
  await restarted.processAllAvailable();
  await produce(h, batches[2]!);
  await restarted.processAllAvailable();
  await restarted.stop();
  return batches;
}

describe('lesson 05', () => {
  it('casts every field as the tutorial\'s schema: driverId int, lat and lng float, time timestamp', async () => {
    const { learner, host: h } = await open();
    const df = learner.fixes(h.spark);
    expect(df.schema.fields.map((f) => `${f.name} ${f.dataType.simpleString()}`), 'the columns of fixes(spark)').toEqual(['driverId int', 'lat float', 'lng float', 'time timestamp']);
    const fixes = drawFixes(8);
    const query = df.writeStream.format('memory').queryName('cast_check').start();
    await produce(h, fixes);
    await query.processAllAvailable();
    const rows = h.spark.table('cast_check').select('driverId', 'lat', 'lng', F.date_format('time', 'yyyy-MM-dd HH:mm:ss.SSSSSS').alias('time')).collect();
    expect(rows.map((r) => [r.driverId, Math.fround(r.lat as number), Math.fround(r.lng as number), r.time]), `the fixes after the casts (seed ${SEED})`).toEqual(fixes.map((f) => f.row));
    await query.stop();
  });

  it('appends every fix to locations from foreachBatch: the table holds exactly the fixes, typed as the tutorial\'s schema', async () => {
    const { learner, host: h, db: d } = await open();
    const batches = [drawFixes(rnd.int(2, 9)), drawFixes(rnd.int(2, 9)), drawFixes(rnd.int(2, 9))];
    const query = learner.startAppend(h.spark, '1 second');
    for (const b of batches) {
      await produce(h, b);
      await query.processAllAvailable();
    }
    await query.stop();
    expect(await d.columns('locations'), 'the columns of locations (as Spark\'s JDBC writer creates them)').toEqual(TUTORIAL_TYPES);
    expect(await tableRows(d, 'locations'), `the rows of locations (seed ${SEED})`).toEqual(sorted(batches.flat()));
  });

  it('the append job is at-least-once: killed after writing a batch and before committing it, it writes that batch again', async () => {
    const { learner, host: h, db: d } = await open();
    const batches = await crashInTheMiddle(h, () => learner.startAppend(h.spark, '1 second'));
    // The replayed batch is appended a second time.
    expect(await tableRows(d, 'locations'), `the rows of locations after the crash (seed ${SEED})`).toEqual(sorted([...batches.flat(), ...batches[1]!]));
  });

  it('the exactly-once job leaves no duplicates after the same crash (locations_once)', async () => {
    const { learner, host: h, db: d } = await open();
    const batches = await crashInTheMiddle(h, () => learner.startExactlyOnce(h.spark, '1 second'));
    expect(await d.columns('locations_once'), 'the columns of locations_once').toEqual(TUTORIAL_TYPES);
    expect(await tableRows(d, 'locations_once'), `the rows of locations_once after the crash (seed ${SEED})`).toEqual(sorted(batches.flat()));
  });

  it('the flow writes the same rows to locations_flow and commits its offsets: started again, it writes only new fixes', async () => {
    const { learner, host: h, db: d } = await open();
    const system = ActorSystem.create('check-flow', { clock: h.clock });
    systems.push(system);
    const first = drawFixes(rnd.int(5, 12));
    await produce(h, first);
    const control = await learner.startFlow(system);
    await expectFlowTable(d);
    await until('the flow writes every fix', async () => (await count(d, 'locations_flow')) >= first.length);
    await control.drainAndShutdown();
    expect(await d.columns('locations_flow'), 'the columns of locations_flow (the same as locations)').toEqual(TUTORIAL_TYPES);
    expect(await tableRows(d, 'locations_flow'), `the rows of locations_flow (seed ${SEED})`).toEqual(sorted(first));
    const more = drawFixes(rnd.int(2, 5));
    await produce(h, more);
    const again = await learner.startFlow(system);
    await until('the restarted flow writes the new fixes', async () => (await count(d, 'locations_flow')) >= first.length + more.length);
    await again.drainAndShutdown();
    expect(await tableRows(d, 'locations_flow'), `the rows of locations_flow after a restart (seed ${SEED}): each fix once`).toEqual(sorted([...first, ...more]));
  });

  it('fills the comparison table from the measured run: latency and start-up time measured, the other rows as the tutorial has them', async () => {
    const { learner, host: h, db: d } = await open();
    const meter = LatencyMeter.start(h.spark);
    const system = ActorSystem.create('locations', { clock: h.clock });
    systems.push(system);
    const query = learner.startAppend(h.spark, '1 second');
    await learner.startFlow(system);
    await expectFlowTable(d);
    // Fixes arrive at random moments over a few seconds; the query runs at each whole second.
    let produced = 0;
    const seconds = rnd.int(3, 5);
    for (let second = 1; second <= seconds; second++) {
      for (const at of Array.from({ length: rnd.int(1, 4) }, () => rnd.int(1, 999)).sort((a, b) => a - b)) {
        h.clock.setTime(Math.max(h.clock.now(), START + (second - 1) * 1000 + at));
        const [fix] = drawFixes(1);
        await produce(h, [fix!]);
        produced++;
        await until('the flow writes the fix', async () => (await count(d, 'locations_flow')) >= produced);
      }
      h.clock.setTime(START + second * 1000);
      await query.awaitIdle();
    }
    const measured = meter.summary();
    meter.stop();
    const spark = Object.values(measured).find((p) => p.kind === 'micro-batch');
    const flow = Object.values(measured).find((p) => p.kind === 'flow');
    expect([spark?.count, flow?.count], 'records measured for the query and for the flow').toEqual([produced, produced]);
    const ms = (x: number | null | undefined) => `${Math.round(x ?? NaN)} ms`;
    const table = learner.comparisonTable(measured);
    expect(table, `your comparisonTable(measured) for this run (seed ${SEED})`).toEqual([
      { row: 'Latency', spark: `p50 ${ms(spark!.p50)}, p99 ${ms(spark!.p99)}`, flow: `p50 ${ms(flow!.p50)}, p99 ${ms(flow!.p99)}` },
      { row: 'Architecture', spark: 'micro-batch', flow: 'flow' },
      { row: 'Stage type', spark: 'query', flow: 'graph' },
      { row: 'Container size', spark: 'big', flow: 'small' },
      { row: 'Startup time', spark: ms(spark!.startupMs), flow: ms(flow!.startupMs) },
      { row: 'Use case', spark: 'aggregations', flow: 'projections' },
    ]);
    await query.stop();
  });
});
