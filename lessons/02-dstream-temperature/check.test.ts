/**
 * Checks for lesson 02: the learner's `temperatureJob(ssc)` runs on a 10-second StreamingContext over
 * fixed readings on a manual clock; the checks read what it sent to `report`, batch by batch.
 *
 * Arrivals (processing time → sensor, measured at, °C):
 *   batch 10:00:10   10:00:02 s1 10:00:01 20.0 · 10:00:04 s2 10:00:03 30.0 · 10:00:06 s1 10:00:05 21.0
 *                    10:00:08 s1 10:00:07 22.5 · 10:00:09 s2 10:00:08 31.5
 *   batch 10:00:20   10:00:12 s1 10:00:09 25.0 (measured in the first interval, arrives in the second)
 *                    10:00:14 s2 10:00:13 29.0 · 10:00:17 s1 10:00:16 23.5 · 10:00:19 s2 10:00:18 28.5
 *   batch 10:00:30   10:00:23 s3 10:00:22 19.0 · 10:00:25 s3 10:00:24 18.5
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StreamingContext } from 'streamlab';
import { compileSubmission, createCheckHost, type CheckHost, type CompiledSubmission } from '../../runtime/src/lessons/check-host.js';

interface Submission {
  temperatureJob(ssc: StreamingContext): void;
}

const at = (hms: string): number => Date.parse(`2026-11-21T${hms}Z`);

const BATCHES: { time: string; arrivals: [string, string, string, number][] }[] = [
  { time: '10:00:10', arrivals: [['10:00:02', 'sensor-1', '10:00:01', 20.0], ['10:00:04', 'sensor-2', '10:00:03', 30.0], ['10:00:06', 'sensor-1', '10:00:05', 21.0], ['10:00:08', 'sensor-1', '10:00:07', 22.5], ['10:00:09', 'sensor-2', '10:00:08', 31.5]] },
  { time: '10:00:20', arrivals: [['10:00:12', 'sensor-1', '10:00:09', 25.0], ['10:00:14', 'sensor-2', '10:00:13', 29.0], ['10:00:17', 'sensor-1', '10:00:16', 23.5], ['10:00:19', 'sensor-2', '10:00:18', 28.5]] },
  { time: '10:00:30', arrivals: [['10:00:23', 'sensor-3', '10:00:22', 19.0], ['10:00:25', 'sensor-3', '10:00:24', 18.5]] },
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

/** Runs the job over every batch; returns the `report` messages of each batch as `key → value` lines, sorted. */
async function runJob(): Promise<string[][]> {
  host = await createCheckHost(submission, { startMs: at('10:00:00'), topics: { 'sensors.temperature': 3, report: 1 } });
  const { temperatureJob } = host.load<Submission>();
  const ssc = host.streamingContext(10);
  temperatureJob(ssc);
  ssc.start();
  for (const batch of BATCHES) {
    for (const [arrival, node, ts, temperature] of batch.arrivals) {
      host.clock.setTime(at(arrival));
      await host.kafka.produce('sensors.temperature', JSON.stringify({ node_name: node, temperature, ts: `2026-11-21T${ts}Z` }), { key: node });
    }
    host.clock.setTime(at(batch.time));
    await ssc.awaitBatchCompleted(at(batch.time));
  }
  // A message belongs to the batch during which it was sent (its timestamp is that batch's time).
  const report = await host.kafka.records('report');
  return BATCHES.map((b) => report.filter((r) => r.timestamp === at(b.time)).map((r) => `${r.key} → ${r.value}`).sort());
}

describe('lesson 02: the temperature job with DStreams', () => {
  it('sends one message per sensor that had readings in each 10-second batch, keyed by the sensor', async () => {
    const batches = await runJob();
    expect(batches.map((msgs) => msgs.map((m) => m.split(' → ')[0]))).toEqual([
      ['sensor-1', 'sensor-2'],
      ['sensor-1', 'sensor-2'],
      ['sensor-3'],
    ]);
  });

  it('reports each sensor\'s batch average as "Node Name: X, Average Temp: Y for window of 10 seconds"', async () => {
    const batches = await runJob();
    expect(batches[0]).toEqual([
      'sensor-1 → Node Name: sensor-1, Average Temp: 21.17 for window of 10 seconds',
      'sensor-2 → Node Name: sensor-2, Average Temp: 30.75 for window of 10 seconds',
    ]);
    expect(batches[2]).toEqual(['sensor-3 → Node Name: sensor-3, Average Temp: 18.75 for window of 10 seconds']);
  });

  it('averages a reading with the batch it arrived in, not the one it was measured in (sensor-1 measured 10:00:09, arrived 10:00:12)', async () => {
    const batches = await runJob();
    expect(batches[1]).toEqual([
      'sensor-1 → Node Name: sensor-1, Average Temp: 24.25 for window of 10 seconds',
      'sensor-2 → Node Name: sensor-2, Average Temp: 28.75 for window of 10 seconds',
    ]);
  });
});
