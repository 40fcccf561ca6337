/**
 * Checks for lesson 01: the learner's producer sends seeded readings (`generateSensorReadings`, 12
 * readings from 3 sensors) to a 3-partition `sensors.temperature`; their consumer reads a 2-partition
 * `report` holding six messages, first in group `dashboard`, then again, then in group `audit`.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateSensorReadings, type SensorReading } from '../../runtime/src/datagen/index.js';
import { compileSubmission, createCheckHost, type CheckHost, type CompiledSubmission } from '../../runtime/src/lessons/check-host.js';

interface Submission {
  produceReadings(readings: SensorReading[]): Promise<void>;
  printReport(groupId: string): Promise<void>;
}

const READINGS = generateSensorReadings({ count: 12, sensors: 3 }).map((a) => a.reading);
const REPORT: [string, string][] = [
  ['sensor-1', '{"node_name":"sensor-1","avg":21.4}'],
  ['sensor-2', '{"node_name":"sensor-2","avg":19.8}'],
  ['sensor-3', '{"node_name":"sensor-3","avg":22.1}'],
  ['sensor-1', '{"node_name":"sensor-1","avg":21.9}'],
  ['sensor-2', '{"node_name":"sensor-2","avg":20.3}'],
  ['sensor-3', '{"node_name":"sensor-3","avg":22.6}'],
];
/** What client-report prints for REPORT: sensor-1 and sensor-2 hash to partition 1, sensor-3 to 0. */
const REPORT_LINES = [
  'report:0:0: key=sensor-3 value={"node_name":"sensor-3","avg":22.1}',
  'report:0:1: key=sensor-3 value={"node_name":"sensor-3","avg":22.6}',
  'report:1:0: key=sensor-1 value={"node_name":"sensor-1","avg":21.4}',
  'report:1:1: key=sensor-2 value={"node_name":"sensor-2","avg":19.8}',
  'report:1:2: key=sensor-1 value={"node_name":"sensor-1","avg":21.9}',
  'report:1:3: key=sensor-2 value={"node_name":"sensor-2","avg":20.3}',
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

async function newHost(): Promise<CheckHost> {
  host = await createCheckHost(submission, { startMs: Date.parse('2026-11-21T10:00:00Z'), topics: { 'sensors.temperature': 3, report: 2 } });
  for (const [key, value] of REPORT) await host.kafka.produce('report', value, { key });
  return host;
}

/** Lines printed since `from`, sorted (partitions are read in no fixed order). */
function printed(h: CheckHost, from = 0): string[] {
  return h.output.slice(from).join('').split('\n').filter((l) => l.length > 0).sort();
}

describe('lesson 01: Kafka basics', () => {
  it('sends each reading as JSON keyed by its sensor, so all readings of a sensor land on one partition, in order', async () => {
    const h = await newHost();
    await h.load<Submission>().produceReadings(READINGS);
    const records = await h.kafka.records('sensors.temperature');
    const byPartition = [0, 1, 2].map((p) => records
      .filter((r) => r.partition === p)
      .map((r) => ({ key: r.key, reading: JSON.parse(r.value ?? 'null') as unknown })));
    const expected = (sensors: string[]) => READINGS.filter((r) => sensors.includes(r.node_name)).map((r) => ({ key: r.node_name, reading: r }));
    // Kafka's murmur2 partitioner puts sensor-1 and sensor-2 on partition 1 and sensor-3 on partition 2.
    expect(byPartition).toEqual([[], expected(['sensor-1', 'sensor-2']), expected(['sensor-3'])]);
  });

  it('prints every report message once as topic:partition:offset: key=… value=…', async () => {
    const h = await newHost();
    const { printReport } = h.load<Submission>();
    await printReport('dashboard');
    expect(printed(h)).toEqual(REPORT_LINES);
    // The group committed its offsets: reading again in the same group prints nothing new.
    const before = h.output.length;
    await printReport('dashboard');
    expect(printed(h, before)).toEqual([]);
  });

  it('a consumer in a second group reads every message again', async () => {
    const h = await newHost();
    const { printReport } = h.load<Submission>();
    await printReport('dashboard');
    const before = h.output.length;
    await printReport('audit');
    expect(printed(h, before)).toEqual(REPORT_LINES);
  });
});
