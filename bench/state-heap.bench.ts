/**
 * Heap per state entry of a streaming aggregation as batches go by, against a plain `Map` holding the
 * same groups, measured in the same run: a count per key in update mode (no watermark, so no group is
 * ever dropped), every batch touching a tenth of the groups. The state must not grow with the number
 * of batches: a checkpoint keeps each batch's delta, not a copy of the whole state.
 *
 *   node --import tsx bench/state-heap.bench.ts [groups] [batches]
 *
 * With STATE_HEAP_WINDOW=1 the groups are window×key groups: every row falls in the same 1-minute
 * window, grouped by `window(ts, "1 minute")` and the key (a struct and a string per group, as a
 * windowed aggregation keeps them); the plain side keeps a Map per window of key → count.
 *
 * With BENCH_BASELINE=<another checkout of the project>, the same measurement runs on that checkout's
 * engine first and then on this one's, each in a process of its own, so before and after are taken in
 * one run at the same load.
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Row } from '../runtime/src/engine/expressions/compile.js';

const BASELINE = process.env.BENCH_BASELINE;
const RUNTIME = process.env.STATE_HEAP_RUNTIME;
if (BASELINE && !RUNTIME) {
  console.log(`state heap: baseline ${BASELINE} against this checkout, load average ${loadavg()[0]!.toFixed(2)} at the start`);
  const sides: [string, string][] = [
    ['baseline', join(BASELINE, 'runtime', 'src', 'streamlab.ts')],
    ['this checkout', fileURLToPath(new URL('../runtime/src/streamlab.ts', import.meta.url))],
  ];
  for (const [label, runtime] of sides) {
    console.log(`-- ${label}`);
    const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, STATE_HEAP_RUNTIME: runtime } });
    if (r.status !== 0) process.exitCode = 1;
  }
  process.exit();
}

// The engine measured: this checkout's, or the one BENCH_BASELINE names.
const { MemoryStream, SparkSession, functions } = (await import(pathToFileURL(RUNTIME ?? fileURLToPath(new URL('../runtime/src/streamlab.ts', import.meta.url))).href)) as typeof import('../runtime/src/streamlab.js');

const GROUPS = Number(process.argv[2] ?? 200_000);
const BATCHES = Number(process.argv[3] ?? 100);
const PER_BATCH = Math.ceil(GROUPS / 10);
const WINDOWED = process.env.STATE_HEAP_WINDOW === '1';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
function heapUsed(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

/** Batch b touches keys b*PER_BATCH … (b+1)*PER_BATCH - 1, wrapping round the groups. */
function batch(b: number): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < PER_BATCH; i++) rows.push(WINDOWED ? [`key-${(b * PER_BATCH + i) % GROUPS}`, 1_000_000] : [`key-${(b * PER_BATCH + i) % GROUPS}`]);
  return rows;
}

// The plain side: one Map of the same keys to a count.
const before = heapUsed();
const plain = new Map<string, { count: number }>();
const plainWindows = new Map<number, Map<string, { count: number }>>([[0, plain]]);
for (let i = 0; i < GROUPS; i++) plain.set(`key-${i}`, { count: 1 });
const plainBytes = (heapUsed() - before) / GROUPS;
plain.clear();
plainWindows.clear();

// The input exists before the engine's side is measured: a MemoryStream keeps what it was given.
const input = Array.from({ length: BATCHES }, (_, b) => batch(b));
const base = heapUsed();
const spark = SparkSession.builder.appName('bench').output(() => undefined).create();
let emitted = 0;
spark.formats.registerSink('count', { createSink: () => ({ addBatch: (b) => void (emitted += b.rows.length) }) });
const stream = new MemoryStream(WINDOWED ? 'key STRING, ts TIMESTAMP' : 'key STRING', spark);
const df = stream.toDF();
const q = (WINDOWED ? df.groupBy(functions.window('ts', '1 minute'), 'key') : df.groupBy('key')).count().writeStream.format('count').outputMode('update').start();
const marks = new Map<number, number>();
const t0 = performance.now();
for (let b = 0; b < BATCHES; b++) {
  stream.data.addInternal(input[b]!);
  await q.processAllAvailable();
  const n = b + 1;
  // Every group exists from batch 10 on: measure there, and at the end (and after the first, a tenth of them).
  // Per group that exists by then: a tenth of them after the first batch.
  if (n === 1 || n === 10 || n === Math.round(BATCHES / 2) || n === BATCHES) marks.set(n, (heapUsed() - base) / Math.min(GROUPS, n * PER_BATCH));
}
const ms = performance.now() - t0;
await q.stop();
await spark.stop();

console.log(`state heap: ${GROUPS.toLocaleString('en-US')} ${WINDOWED ? 'window×key ' : ''}groups (count per ${WINDOWED ? 'window and key' : 'key'}, update mode, no watermark), ${BATCHES} batches of ${PER_BATCH.toLocaleString('en-US')} rows, in-memory checkpoint`);
console.log(`  plain Map: ${Math.round(plainBytes)} B per group`);
for (const [n, bytes] of marks) console.log(`  engine after ${String(n).padStart(3)} batches: ${Math.round(bytes)} B per group, ${(bytes / plainBytes).toFixed(2)}x the plain Map`);
const first = marks.get(10)!;
const last = marks.get(BATCHES)!;
console.log(`  growth from batch 10 to ${BATCHES}: ${(last / first).toFixed(2)}x; ${Math.round(ms)} ms in all, ${emitted.toLocaleString('en-US')} rows emitted`);
if (emitted !== BATCHES * PER_BATCH) {
  console.error(`  MISMATCH: ${emitted} rows emitted, expected ${BATCHES * PER_BATCH}`);
  process.exitCode = 1;
}
