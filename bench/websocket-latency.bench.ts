/**
 * From a micro-batch completing in the job process to its `run.batch` message reaching a websocket
 * client, through the real runtime: one `streamlab start` on a fresh data directory, a pipeline sent as
 * `run.start` on the system clock, as the Run button sends it. The yardstick, measured in the same run:
 * a websocket ping answered by the runtime's pong (the runtime's event loop and the socket, nothing else).
 *
 * The pipeline reads the `rate` source at RATE rows/s with a 100 ms trigger and writes every row to the
 * `noop` sink, so a batch has about RATE / 10 output rows. A batch completes at its progress's
 * `timestamp` plus its `durationMs.triggerExecution` (the job process's clock, the same machine's as
 * this one's); the message arrives when this client has parsed it. Runs:
 *   - `maxRows` 100 (the default cap of rows per `run.batch`) and 1,000 (the most a client may ask):
 *     the cost of carrying more rows is the difference in latency and in bytes per message;
 *   - 1 row/s at the same trigger: a processing-time query sends no event for a trigger without data,
 *     so the client sees about one event a second where ten triggers fired.
 *
 * Not a test: it prints figures. Usage: npm run bench websocket-latency
 * (BENCH_MEASURE_S seconds per run, 15 by default; BENCH_RATE rows/s, 5000 by default)
 */
import { loadavg } from 'node:os';
import { startRuntime, type Message } from './support/runtime.js';

const MEASURE_S = Number(process.env.BENCH_MEASURE_S ?? 15);
const RATE = Number(process.env.BENCH_RATE ?? 5000);
const WARMUP_BATCHES = 5;

function program(rowsPerSecond: number): string {
  return `import { SparkSession } from "streamlab";

export function main(): void {
  const spark = SparkSession.builder.appName("latency").getOrCreate();
  spark.readStream.format("rate").option("rowsPerSecond", "${rowsPerSecond}").load()
    .writeStream.format("noop").outputMode("append").trigger({ processingTime: "100 milliseconds" }).start();
}
`;
}

interface Figures { label: string; latency: number[]; bytes: number[]; rows: number[]; totalRows: number[]; pings: number[]; events: number; seconds: number }

const { listeners, request, ping, stop } = await startRuntime();
const load = loadavg()[0]!;

async function measure(label: string, rowsPerSecond: number, maxRows: number): Promise<Figures> {
  const f: Figures = { label, latency: [], bytes: [], rows: [], totalRows: [], pings: [], events: 0, seconds: MEASURE_S };
  let runId = '';
  let seen = 0;
  let measuring = false;
  const onMessage = (m: Message) => {
    if (m.kind !== 'run.batch' || m.runId !== runId) return;
    const arrived = Date.now();
    seen++;
    if (!measuring) return;
    const progress = m.progress as { timestamp: string; durationMs: Record<string, number> };
    f.events++;
    f.latency.push(arrived - (Date.parse(progress.timestamp) + (progress.durationMs.triggerExecution ?? 0)));
    f.bytes.push(Buffer.byteLength(JSON.stringify(m)));
    f.rows.push((m.rows as unknown[]).length);
    f.totalRows.push(m.totalRows as number);
  };
  listeners.add(onMessage);
  const started = await request({ kind: 'run.start', files: [{ path: 'solution.ts', content: program(rowsPerSecond) }], mode: 'system', maxRows });
  if (started.kind !== 'run.start.ok') throw new Error(`run.start answered ${JSON.stringify(started)}`);
  runId = started.runId as string;
  // Past the job process's start and its first batches.
  const warmDeadline = Date.now() + 300_000;
  while (seen < (rowsPerSecond > 10 ? WARMUP_BATCHES : 2) && Date.now() < warmDeadline) await new Promise((r) => setTimeout(r, 50));
  if (seen === 0) throw new Error(`${label}: no run.batch within 300 s`);
  measuring = true;
  const end = Date.now() + MEASURE_S * 1000;
  while (Date.now() < end) {
    f.pings.push(await ping());
    await new Promise((r) => setTimeout(r, 100));
  }
  measuring = false;
  listeners.delete(onMessage);
  await request({ kind: 'run.stop', runId });
  return f;
}

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

const runs = [
  await measure(`rate ${RATE}/s, maxRows 100`, RATE, 100),
  await measure(`rate ${RATE}/s, maxRows 1000`, RATE, 1000),
  await measure(`rate ${RATE}/s, maxRows 100 (again)`, RATE, 100),
  await measure('rate 1/s, maxRows 100', 1, 100),
];
await stop();

console.log(`websocket latency: batch completed in the job process → run.batch parsed by a websocket client; trigger 100 ms; ${MEASURE_S} s per run; load average ${load.toFixed(2)} at the start, ${loadavg()[0]!.toFixed(2)} at the end`);
for (const f of runs) {
  console.log(`  ${f.label}: ${f.events} events (${(f.events / f.seconds).toFixed(1)}/s), rows ${Math.round(mean(f.rows))} of ${Math.round(mean(f.totalRows))} per event, ${Math.round(mean(f.bytes)).toLocaleString('en-US')} B per event`);
  console.log(`    latency p50 ${pct(f.latency, 50)} ms, p99 ${pct(f.latency, 99)} ms, max ${pct(f.latency, 100)} ms; websocket ping p50 ${pct(f.pings, 50).toFixed(1)} ms, p99 ${pct(f.pings, 99).toFixed(1)} ms (${f.pings.length} pings); latency p50 ÷ ping p50 ${(pct(f.latency, 50) / pct(f.pings, 50)).toFixed(1)}`);
}
