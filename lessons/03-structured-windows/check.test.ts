/**
 * Checks for lesson 03: the learner's `temperatureWindows(spark)` runs on shuffled readings fed batch
 * by batch on a manual clock; its rows go to a memory sink in update or append mode.
 *
 * The stream (processing time → readings that arrive, as sensor@event-time=temperature):
 *   batch 0 at 10:00:20   s1@10:00:05=20  s2@10:00:10=30  s1@10:00:15=22     watermark after: 09:59:45
 *   batch 1 at 10:01:20   s1@10:01:10=24  s2@10:00:50=34  s2@10:01:15=28     watermark after: 10:00:45
 *   batch 2 at 10:02:00   s1@10:01:40=26  s2@10:00:55=35 (late, window still open: kept)
 *                                                                          watermark after: 10:01:10
 *   batch 3 at 10:02:30   s1@10:00:30=18 (window 10:00–10:01 already final: dropped)
 *                         s2@10:01:50=30  s1@10:02:05=25                     watermark after: 10:01:35
 *   batch 4 at 10:03:00   s1@10:02:50=27                                     watermark after: 10:02:20
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DataFrame, SparkSession, StreamingQuery } from 'streamlab';
import { compileSubmission, createCheckHost, type CheckHost, type CompiledSubmission } from '../../runtime/src/lessons/check-host.js';

interface Submission {
  temperatureWindows(spark: SparkSession): DataFrame;
}

const TOPIC = 'sensors.temperature';
const at = (hms: string): number => Date.parse(`2026-11-21T${hms}Z`);

const BATCHES: { at: string; readings: [string, string, number][] }[] = [
  { at: '10:00:20', readings: [['sensor-1', '10:00:05', 20], ['sensor-2', '10:00:10', 30], ['sensor-1', '10:00:15', 22]] },
  { at: '10:01:20', readings: [['sensor-1', '10:01:10', 24], ['sensor-2', '10:00:50', 34], ['sensor-2', '10:01:15', 28]] },
  { at: '10:02:00', readings: [['sensor-1', '10:01:40', 26], ['sensor-2', '10:00:55', 35]] },
  { at: '10:02:30', readings: [['sensor-1', '10:00:30', 18], ['sensor-2', '10:01:50', 30], ['sensor-1', '10:02:05', 25]] },
  { at: '10:03:00', readings: [['sensor-1', '10:02:50', 27]] },
];

let submission: CompiledSubmission;
let host: CheckHost | undefined;

beforeAll(async () => {
  submission = await compileSubmission(import.meta.dirname, process.env);
});

afterEach(async () => {
  await host?.close();
  host = undefined;
});

/** `10:00–10:01 sensor-1 avg=21.00 n=2`, one line per output row, sorted. */
function describeRows(rows: Record<string, unknown>[]): string[] {
  const hm = (d: unknown) => (d instanceof Date ? d.toISOString().slice(11, 16) : String(d));
  return rows.map((r) => {
    const w = r.window as { start: unknown; end: unknown } | null;
    const avg = typeof r.avg_temp === 'number' ? r.avg_temp.toFixed(2) : String(r.avg_temp);
    return `${w ? `${hm(w.start)}–${hm(w.end)}` : 'no window'} ${String(r.node_name)} avg=${avg} n=${String(r.readings)}`;
  }).sort();
}

/** Runs the stream through the learner's query; returns the rows each batch wrote (by batch, in order). */
async function runStream(mode: 'update' | 'append', batches = BATCHES.length): Promise<{ perBatch: string[][] }> {
  host = await createCheckHost(submission, { startMs: at('10:00:00'), topics: { [TOPIC]: 1 } });
  const { temperatureWindows } = host.load<Submission>();
  const df = temperatureWindows(host.spark);
  const query: StreamingQuery = df.writeStream.format('memory').queryName('windows').outputMode(mode).start();
  const perBatch: string[][] = [];
  query.onBatch((b) => {
    const schema = host!.spark.memorySinks.get('windows')?.schema;
    if (!schema) return;
    perBatch.push(describeRows(b.rows.map((r) => Object.fromEntries(schema.fields.map((f, i) => [f.name, toExternal(r[i], f.dataType.simpleString())])))));
  });
  for (const batch of BATCHES.slice(0, batches)) {
    host.clock.setTime(at(batch.at));
    await host.kafka.produceAll(TOPIC, batch.readings.map(([node, ts, temperature]) => ({
      key: node, value: JSON.stringify({ node_name: node, temperature, ts: `2026-11-21T${ts}Z` }),
    })));
    await query.processAllAvailable();
  }
  await query.processAllAvailable();
  return { perBatch: perBatch.filter((rows) => rows.length > 0) };
}

/** Engine values → plain values: timestamps (µs) → Date, window structs → {start, end}. */
function toExternal(v: unknown, type: string): unknown {
  if (v === null || v === undefined) return null;
  if (type === 'timestamp') return new Date(Math.floor((v as number) / 1000));
  if (type.startsWith('struct<start:timestamp,end:timestamp')) {
    const [s, e] = v as [number, number];
    return { start: new Date(Math.floor(s / 1000)), end: new Date(Math.floor(e / 1000)) };
  }
  return v;
}

/** The last row written for each window and sensor (update mode's view of the result table). */
function latest(all: string[][]): Map<string, string> {
  const m = new Map<string, string>();
  for (const rows of all) for (const row of rows) m.set(row.split(' avg=')[0]!, row);
  return m;
}

describe('lesson 03: event-time windows', () => {
  it('averages each sensor over one-minute windows of event time (update mode)', async () => {
    const { perBatch } = await runStream('update');
    expect([...latest(perBatch).values()].sort()).toEqual([
      '10:00–10:01 sensor-1 avg=21.00 n=2',
      '10:00–10:01 sensor-2 avg=33.00 n=3',
      '10:01–10:02 sensor-1 avg=25.00 n=2',
      '10:01–10:02 sensor-2 avg=29.00 n=2',
      '10:02–10:03 sensor-1 avg=26.00 n=2',
    ]);
  });

  it('puts readings that arrive in the same batch into the windows of their own event time', async () => {
    const { perBatch } = await runStream('update', 2);
    expect(perBatch[1]).toEqual([
      '10:00–10:01 sensor-2 avg=32.00 n=2',
      '10:01–10:02 sensor-1 avg=24.00 n=1',
      '10:01–10:02 sensor-2 avg=28.00 n=1',
    ]);
  });

  it('keeps a late reading whose window is still open (sensor-2 at 10:00:55, arriving at 10:02:00)', async () => {
    const { perBatch } = await runStream('update', 3);
    expect(perBatch[2]).toEqual([
      '10:00–10:01 sensor-2 avg=33.00 n=3',
      '10:01–10:02 sensor-1 avg=25.00 n=2',
    ]);
  });

  it('drops a reading that arrives after the watermark passed its window (sensor-1 at 10:00:30, arriving at 10:02:30)', async () => {
    const { perBatch } = await runStream('update', 4);
    // Batch 3 updates only the windows of the two readings that were on time; 10:00–10:01 stays as it was.
    expect(perBatch[3]).toEqual([
      '10:01–10:02 sensor-2 avg=29.00 n=2',
      '10:02–10:03 sensor-1 avg=25.00 n=1',
    ]);
  });

  it('starts in append mode (the aggregation declares a watermark)', async () => {
    await expect(runStream('append', 1)).resolves.toBeDefined();
  });

  it('in append mode, writes nothing while no window is final (first two batches)', async () => {
    const { perBatch } = await runStream('append', 2);
    expect(perBatch).toEqual([]);
  });

  it('in append mode, writes each window once, only after the watermark passes its end', async () => {
    const { perBatch } = await runStream('append');
    expect(perBatch).toEqual([
      ['10:00–10:01 sensor-1 avg=21.00 n=2', '10:00–10:01 sensor-2 avg=33.00 n=3'],
      ['10:01–10:02 sensor-1 avg=25.00 n=2', '10:01–10:02 sensor-2 avg=29.00 n=2'],
    ]);
  });
});
