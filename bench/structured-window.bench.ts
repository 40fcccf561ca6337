/**
 * Windowed average in the Structured Streaming engine versus the best plain loop over the same input,
 * in the same run: 1-minute tumbling windows, 1,000 sensors, watermark 30 s, update mode.
 *
 *   node --import tsx bench/structured-window.bench.ts [events] [batchSize]
 *   BENCH_SENSORS=1000000 BENCH_PER_MS=40 node --import tsx bench/structured-window.bench.ts 2000000 100000
 *
 * Both sides see the same pre-built rows (timestamps in microseconds), batch by batch, and both keep
 * per-window state, emit the groups a batch changed, drop late rows and evict windows behind the
 * watermark. The plain loop does only that, as cheaply as plain code can (no copies, no scans of the
 * state); the engine additionally records progress, the explain trace and state versions.
 *
 * With BENCH_BASELINE=<another checkout of the project>, that checkout's engine runs in the same rounds
 * as this one's (plain loop, baseline, this checkout, in turn), so before and after share the load.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Row } from '../runtime/src/engine/expressions/compile.js';
import * as current from '../runtime/src/streamlab.js';

type Engine = typeof current;
const BASELINE = process.env.BENCH_BASELINE;
const baseline = BASELINE ? ((await import(pathToFileURL(join(BASELINE, 'runtime', 'src', 'streamlab.ts')).href)) as Engine) : null;

const EVENTS = Number(process.argv[2] ?? 1_000_000);
/** Rows per batch: the one given, or 10,000 and 100,000. */
const BATCH_SIZES = process.argv[3] ? [Number(process.argv[3])] : [10_000, 100_000];
/** Sensors, and readings per millisecond of event time: BENCH_SENSORS=1000000 BENCH_PER_MS=40 with 2,000,000 events keeps 1M window×sensor groups in one window. */
const SENSORS = Number(process.env.BENCH_SENSORS ?? 1000);
const PER_MS = Number(process.env.BENCH_PER_MS ?? 1);
const WINDOW_US = 60_000_000;
const DELAY_MS = 30_000;

/** Deterministic input: ~1,000 readings per second, a few of them arriving up to 45 s late. */
function makeBatches(batchSize: number): Row[][] {
  let seed = 42;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const batches: Row[][] = [];
  for (let start = 0; start < EVENTS; start += batchSize) {
    const rows: Row[] = [];
    for (let i = start; i < Math.min(EVENTS, start + batchSize); i++) {
      const lateMs = rand() < 0.01 ? Math.floor(rand() * 45_000) : 0;
      const tsMs = Math.floor(i / PER_MS) - lateMs;
      rows.push([`sensor-${i % SENSORS}`, tsMs * 1000, 15 + rand() * 10]);
    }
    batches.push(rows);
  }
  return batches;
}

/** One window×sensor group's running average, updated in place. */
interface Acc {
  readonly start: number;
  readonly sensor: string;
  sum: number;
  count: number;
  /** The last batch that touched it (emitted once per batch). */
  batch: number;
}

/**
 * The plain loop a good engineer would write for the same semantics as the engine's update mode with a
 * watermark: a Map per window of sensor → accumulator, updated in place; a batch emits the groups it
 * touched; a window behind the watermark is dropped whole, without looking at its groups.
 */
function plainLoop(batches: Row[][]): { emitted: number } {
  const windows = new Map<number, Map<string, Acc>>();
  let watermarkMs = 0;
  let emitted = 0;
  let batchNo = 0;
  for (const rows of batches) {
    batchNo++;
    // A no-data batch runs whenever the watermark moves, so late rows are judged by the current one.
    const lateUs = watermarkMs * 1000;
    const touched: Acc[] = [];
    let maxMs = -Infinity;
    let lastStart = NaN;
    let groups: Map<string, Acc> | undefined;
    for (const r of rows) {
      const ts = r[1] as number;
      const ms = Math.floor(ts / 1000);
      if (ms > maxMs) maxMs = ms;
      const rem = ts % WINDOW_US;
      const start = ts - (rem < 0 ? rem + WINDOW_US : rem);
      if (start + WINDOW_US <= lateUs) continue;
      if (start !== lastStart) {
        groups = windows.get(start);
        if (!groups) windows.set(start, (groups = new Map()));
        lastStart = start;
      }
      const sensor = r[0] as string;
      let g = groups!.get(sensor);
      if (!g) groups!.set(sensor, (g = { start, sensor, sum: 0, count: 0, batch: 0 }));
      if (g.batch !== batchNo) {
        g.batch = batchNo;
        touched.push(g);
      }
      g.sum += r[2] as number;
      g.count++;
    }
    const out: [number, string, number][] = new Array(touched.length);
    for (let i = 0; i < touched.length; i++) {
      const g = touched[i]!;
      out[i] = [g.start, g.sensor, g.sum / g.count];
    }
    const evictUs = watermarkMs * 1000;
    for (const start of windows.keys()) if (start + WINDOW_US <= evictUs) windows.delete(start);
    emitted += out.length;
    if (maxMs - DELAY_MS > watermarkMs) watermarkMs = maxMs - DELAY_MS;
  }
  return { emitted };
}

async function engine(batches: Row[][], observe = false, lib: Engine = current): Promise<{ emitted: number }> {
  const { functions: F, MemoryStream, SparkSession } = lib;
  let emitted = 0;
  const spark = SparkSession.builder.appName('bench').output(() => undefined).create();
  spark.formats.registerSink('count', { createSink: () => ({ addBatch: (b) => void (emitted += b.rows.length) }) });
  const input = new MemoryStream('sensor STRING, ts TIMESTAMP, temperature DOUBLE', spark);
  const q = input.toDF()
    .withWatermark('ts', '30 seconds')
    .groupBy(F.window('ts', '1 minute'), 'sensor')
    .agg(F.avg('temperature').alias('avg_temperature'))
    .writeStream.format('count').outputMode('update').start();
  // An observer turns on the per-row explain trace (sampled rows, emitted rows), as the workbench does.
  if (observe) q.onBatch(() => undefined);
  for (const rows of batches) {
    input.data.addInternal(rows);
    await q.processAllAvailable();
  }
  await q.stop();
  await spark.stop();
  return { emitted };
}

/** Both sides over the same batches, alternated a few rounds, each side's best kept (neither pays the other's GC debt). */
async function measure(batchSize: number): Promise<void> {
  const batches = makeBatches(batchSize);
  // Warm up both paths on a slice so the JIT has seen them.
  plainLoop(batches.slice(0, 5));
  await engine(batches.slice(0, 5));
  if (baseline) await engine(batches.slice(0, 5), false, baseline);
  const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
  let plainBest = Infinity;
  let engBest = Infinity;
  let baseBest = Infinity;
  let plain = { emitted: 0 };
  let eng = { emitted: 0 };
  let base = { emitted: 0 };
  // CPU time too: on a loaded machine a side's wall time includes the time others' processes ran.
  let plainCpu = Infinity;
  let baseCpu = Infinity;
  let engCpu = Infinity;
  const cpuMs = (since: NodeJS.CpuUsage) => {
    const u = process.cpuUsage(since);
    return (u.user + u.system) / 1000;
  };
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    plain = plainLoop(batches);
    plainCpu = Math.min(plainCpu, cpuMs(c0));
    const t1 = performance.now();
    const c1 = process.cpuUsage();
    if (baseline) base = await engine(batches, false, baseline);
    if (baseline) baseCpu = Math.min(baseCpu, cpuMs(c1));
    const t2 = performance.now();
    const c2 = process.cpuUsage();
    eng = await engine(batches);
    engCpu = Math.min(engCpu, cpuMs(c2));
    const t3 = performance.now();
    plainBest = Math.min(plainBest, t1 - t0);
    if (baseline) baseBest = Math.min(baseBest, t2 - t1);
    engBest = Math.min(engBest, t3 - t2);
  }
  const t3 = performance.now();
  await engine(batches, true);
  const observedMs = performance.now() - t3;
  const plainRate = EVENTS / (plainBest / 1000);
  const engRate = EVENTS / (engBest / 1000);
  console.log(`batches of ${batchSize.toLocaleString('en-US')} (${batches.length} batches, best of ${ROUNDS}):`);
  console.log(`  plain loop: ${Math.round(plainRate).toLocaleString('en-US')} events/s (${plain.emitted} rows emitted)`);
  if (baseline) {
    const baseRate = EVENTS / (baseBest / 1000);
    console.log(`  baseline  : ${Math.round(baseRate).toLocaleString('en-US')} events/s (${base.emitted} rows emitted), ratio baseline/plain loop: ${(baseRate / plainRate).toFixed(2)}x (CPU time ${(plainCpu / baseCpu).toFixed(2)}x)`);
    if (base.emitted !== plain.emitted) {
      console.error(`  MISMATCH: the baseline emitted ${base.emitted} rows, the plain loop ${plain.emitted}`);
      process.exitCode = 1;
    }
  }
  console.log(`  engine    : ${Math.round(engRate).toLocaleString('en-US')} events/s (${eng.emitted} rows emitted)`);
  console.log(`  ratio engine/plain loop: ${(engRate / plainRate).toFixed(2)}x (CPU time ${(plainCpu / engCpu).toFixed(2)}x)`);
  console.log(`  engine with the explain trace observed (one run): ${Math.round(EVENTS / (observedMs / 1000)).toLocaleString('en-US')} events/s, ${(EVENTS / (observedMs / 1000) / plainRate).toFixed(2)}x`);
  if (plain.emitted !== eng.emitted) {
    console.error(`  MISMATCH: the engine emitted ${eng.emitted} rows, the plain loop ${plain.emitted}`);
    process.exitCode = 1;
  }
}

console.log(`structured windowed average: ${EVENTS.toLocaleString('en-US')} events, ${SENSORS.toLocaleString('en-US')} sensors, ${PER_MS} per ms of event time, 1 min windows, watermark 30 s, update mode; load average ${loadavg()[0]!.toFixed(2)} at the start${BASELINE ? `; baseline ${BASELINE}` : ''}`);
for (const size of BATCH_SIZES) await measure(size);
