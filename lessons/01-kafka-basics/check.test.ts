/**
 * Checks for lesson 01, in the sandbox's in-memory Kafka: the learner's producer sends readings to a
 * 3-partition `sensors.temperature`; their consumer reads a 2-partition `report`, first in a group,
 * then again in the same group, then in a second group.
 *
 * Each check runs a fixed case (12 seeded readings from 3 sensors; six report messages) and a random
 * one (new sensors, values and report messages from this run's seed), whose expected result comes
 * from the lesson's solution on the same data. Printed lines count however they were printed
 * (console.log, process.stdout.write). MessagePack values are decoded here with @msgpack/msgpack, from
 * the bytes the producer sent.
 */
import { msgpack } from '../../runtime/src/engine/kafka-client/msgpack.js';
import { generateSensorReadings } from '../../runtime/src/datagen/index.js';
import { expectLines, expectRows, lessonChecks, type Program, type Random } from '../../runtime/src/lessons/check-harness.js';

const { check, submission, solution, random, memo } = lessonChecks(import.meta.dirname);

const WORLD = { start: '2026-11-21T10:00:00Z', topics: { 'sensors.temperature': 3, report: 2 } };

type Reading = { node_name: string; temperature: number; ts: string };

const FIXED_READINGS: Reading[] = generateSensorReadings({ count: 12, sensors: 3 }).map((a) => a.reading);
const FIXED_REPORT: [string, string][] = [
  ['sensor-1', '{"node_name":"sensor-1","avg":21.4}'],
  ['sensor-2', '{"node_name":"sensor-2","avg":19.8}'],
  ['sensor-3', '{"node_name":"sensor-3","avg":22.1}'],
  ['sensor-1', '{"node_name":"sensor-1","avg":21.9}'],
  ['sensor-2', '{"node_name":"sensor-2","avg":20.3}'],
  ['sensor-3', '{"node_name":"sensor-3","avg":22.6}'],
];
/** What client-report prints for FIXED_REPORT: sensor-1 and sensor-2 hash to partition 1, sensor-3 to 0. */
const FIXED_LINES = [
  'report:0:0: key=sensor-3 value={"node_name":"sensor-3","avg":22.1}',
  'report:0:1: key=sensor-3 value={"node_name":"sensor-3","avg":22.6}',
  'report:1:0: key=sensor-1 value={"node_name":"sensor-1","avg":21.4}',
  'report:1:1: key=sensor-2 value={"node_name":"sensor-2","avg":19.8}',
  'report:1:2: key=sensor-1 value={"node_name":"sensor-1","avg":21.9}',
  'report:1:3: key=sensor-2 value={"node_name":"sensor-2","avg":20.3}',
];

function randomReadings(r: Random): Reading[] {
  const sensors = Array.from({ length: r.int(2, 5) }, () => `node-${r.int(10, 99)}-${r.pick(['a', 'b', 'c', 'd'])}`);
  return Array.from({ length: r.int(8, 16) }, (_, i) => ({
    node_name: r.pick(sensors), temperature: r.float(-5, 40, 1), ts: new Date(Date.UTC(2026, 10, 21, 10, 0, i * r.int(1, 3))).toISOString(),
  }));
}

function randomReport(r: Random): [string, string][] {
  const keys = Array.from({ length: r.int(2, 4) }, () => `sensor-${r.int(100, 999)}`);
  return Array.from({ length: r.int(4, 9) }, () => {
    const key = r.pick(keys);
    return [key, JSON.stringify({ node_name: key, avg: r.float(10, 30, 2) })];
  });
}

const RANDOM_READINGS = randomReadings(random('lesson 01 readings'));
const RANDOM_REPORT = randomReport(random('lesson 01 report'));

/** A JSON text with its keys sorted, so the same object written another way compares equal. */
function canonical(text: string | null): string {
  try {
    const sort = (v: unknown): unknown => (Array.isArray(v) ? v.map(sort) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, sort(x)])) : v);
    return JSON.stringify(sort(JSON.parse(text ?? 'null')));
  } catch {
    return `(not JSON) ${text}`;
  }
}

/** `[partition, offset, key, value]` for every record the program's producer sent. */
function produced(program: Program, readings: Reading[], name: string): Promise<unknown[][]> {
  return memo(`${program.label} produce ${name}`, () => program.run(WORLD, async (s) => {
    await s.call('produceReadings', readings);
    return (await s.records('sensors.temperature')).map((r) => [r.partition, r.offset, r.key, canonical(r.value)]);
  }));
}

/** Lines printed by printReport in each of the groups, in turn, after `report` received `messages`. */
function printedPerGroup(program: Program, messages: [string, string][], groups: string[], name: string): Promise<string[][]> {
  return memo(`${program.label} report ${groups.join(',')} ${name}`, () => program.run(WORLD, async (s) => {
    await s.addData('report', messages.map(([key, value]) => ({ key, value })));
    const out: string[][] = [];
    for (const group of groups) {
      await s.output();
      await s.call('printReport', group);
      out.push((await s.output()).split('\n').map((l) => l.trimEnd()).filter((l) => l.length > 0));
    }
    return out;
  }));
}

const RECORD_COLUMNS = ['partition', 'offset', 'key', 'value'];

check('keyed-by-sensor', 'sends each reading as JSON keyed by its sensor, so all readings of a sensor land on one partition, in order', async () => {
  // Kafka's murmur2 partitioner puts sensor-1 and sensor-2 on partition 1 and sensor-3 on partition 2.
  const partitionOf: Record<string, number> = { 'sensor-1': 1, 'sensor-2': 1, 'sensor-3': 2 };
  const expected = [0, 1, 2].flatMap((p) => FIXED_READINGS.filter((r) => partitionOf[r.node_name] === p).map((r, offset) => [p, offset, r.node_name, canonical(JSON.stringify(r))]));
  expectRows('The records your producer sent to sensors.temperature', await produced(submission, FIXED_READINGS, 'fixed'), expected, RECORD_COLUMNS);
  expectRows('With other sensors and readings, the records your producer sent to sensors.temperature',
    await produced(submission, RANDOM_READINGS, 'random'), await produced(solution, RANDOM_READINGS, 'random'), RECORD_COLUMNS);
});

check('prints-report-once', 'prints every report message once as topic:partition:offset: key=… value=…', async () => {
  const [first, again] = await printedPerGroup(submission, FIXED_REPORT, ['dashboard', 'dashboard'], 'fixed');
  expectLines('What your consumer printed in group "dashboard"', first!, FIXED_LINES);
  // The group committed its offsets: reading again in the same group prints nothing new.
  expectLines('What your consumer printed when group "dashboard" read the topic a second time', again!, []);
  const [yours] = await printedPerGroup(submission, RANDOM_REPORT, ['dashboard', 'audit'], 'random');
  const [expected] = await printedPerGroup(solution, RANDOM_REPORT, ['dashboard', 'audit'], 'random');
  expectLines('With other report messages, what your consumer printed in group "dashboard"', yours!, expected!);
});

check('second-group', 'a consumer in a second group reads every message again', async () => {
  const [, audit] = await printedPerGroup(submission, FIXED_REPORT, ['dashboard', 'audit'], 'fixed two groups');
  expectLines('What your consumer printed in group "audit", after group "dashboard" had read the topic', audit!, FIXED_LINES);
  const [, yours] = await printedPerGroup(submission, RANDOM_REPORT, ['dashboard', 'audit'], 'random');
  const [, expected] = await printedPerGroup(solution, RANDOM_REPORT, ['dashboard', 'audit'], 'random');
  expectLines('With other report messages, what your consumer printed in group "audit"', yours!, expected!);
});

/** A MessagePack value as sorted JSON, or what it is instead. */
function unpacked(base64: string | null): string {
  if (base64 === null) return '(no value)';
  // atob and TextEncoder, not Node's Buffer: the browser build runs these checks too.
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  try {
    return `msgpack ${canonical(JSON.stringify(msgpack.unpackb(bytes)))}`;
  } catch {
    return `(not MessagePack) ${new TextDecoder().decode(bytes).slice(0, 80)}`;
  }
}

/** `[partition, offset, key, value decoded]` of every record produceReadingsMsgpack sent, and the sizes it returned. */
function producedMsgpack(program: Program, readings: Reading[], name: string): Promise<{ records: unknown[][]; sizes: unknown }> {
  return memo(`${program.label} msgpack ${name}`, () => program.run(WORLD, async (s) => {
    const sizes = await s.call('produceReadingsMsgpack', readings);
    const records = (await s.records('sensors.temperature')).map((r) => [r.partition, r.offset, r.key, unpacked(r.valueBase64)]);
    return { records, sizes };
  }));
}

/** Each reading's value size as JSON text and as MessagePack (Python's msgpack.packb gives the same bytes). */
const sizesOf = (readings: Reading[]) => readings.map((r) => [new TextEncoder().encode(JSON.stringify(r)).length, msgpack.packb(r).length]);

/** The sizes a program returned, as `[json, msgpack]` rows (anything else shown as it came). */
function sizeRows(sizes: unknown): unknown[][] {
  if (!Array.isArray(sizes)) return [[JSON.stringify(sizes), null]];
  return sizes.map((x: unknown) => (x && typeof x === 'object' ? [(x as { json?: unknown }).json ?? null, (x as { msgpack?: unknown }).msgpack ?? null] : [JSON.stringify(x), null]));
}

check('msgpack-values', 'sends each reading as MessagePack keyed by its sensor, and returns each value\'s bytes as JSON and as MessagePack', async () => {
  const check1 = async (readings: Reading[], name: string, prefix: string) => {
    // "The records …" on the fixed readings, "With other sensors and readings, the records …" on the random ones.
    const what = (text: string) => (prefix === '' ? text.charAt(0).toUpperCase() + text.slice(1) : prefix + text);
    const yours = await producedMsgpack(submission, readings, name);
    const byKey = readings.map((r) => [r.node_name, `msgpack ${canonical(JSON.stringify(r))}`]);
    expectRows(what('the records your producer sent to sensors.temperature, MessagePack decoded'), yours.records.map(([, , k, v]) => [k, v]), byKey, ['key', 'value']);
    // One sensor, one partition: the same placement the JSON records get.
    const partitions = new Map<unknown, Set<unknown>>();
    for (const [p, , k] of yours.records) partitions.set(k, (partitions.get(k) ?? new Set()).add(p));
    expectRows(what('the partitions each sensor\'s records went to'), [...partitions].map(([k, ps]) => [k, ps.size]), [...new Set(readings.map((r) => r.node_name))].map((k) => [k, 1]), ['key', 'partitions']);
    expectRows(what('the sizes produceReadingsMsgpack returned, one per reading'), sizeRows(yours.sizes), sizesOf(readings), ['json bytes', 'msgpack bytes'], 'size');
  };
  await check1(FIXED_READINGS, 'fixed', '');
  await check1(RANDOM_READINGS, 'random', 'With other sensors and readings, ');
});
