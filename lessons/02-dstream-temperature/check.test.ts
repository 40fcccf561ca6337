/**
 * Checks for lesson 02: the learner's `temperatureJob(ssc)` runs in the sandbox on a 10-second
 * StreamingContext over readings that arrive on a manual clock; the checks read what it sent to
 * `report`, batch by batch (a message belongs to the batch during which it was sent).
 *
 * The fixed arrivals (processing time → sensor, measured at, °C):
 *   batch 10:00:10   10:00:02 s1 10:00:01 20.0 · 10:00:04 s2 10:00:03 30.0 · 10:00:06 s1 10:00:05 21.0
 *                    10:00:08 s1 10:00:07 22.5 · 10:00:09 s2 10:00:08 31.5
 *   batch 10:00:20   10:00:12 s1 10:00:09 25.0 (measured in the first interval, arrives in the second)
 *                    10:00:14 s2 10:00:13 29.0 · 10:00:17 s1 10:00:16 23.5 · 10:00:19 s2 10:00:18 28.5
 *   batch 10:00:30   10:00:23 s3 10:00:22 19.0 · 10:00:25 s3 10:00:24 18.5
 *
 * A random case (new sensors, temperatures and arrival times from the seed) is graded against the
 * lesson's solution. Averages are compared as numbers to two decimals, so `21.1` and `21.10` agree.
 */
import { expectRows, lessonChecks, type Program, type Random } from '../../runtime/src/lessons/check-harness.js';

const { check, submission, solution, random, memo } = lessonChecks(import.meta.dirname);

const DAY = '2026-11-21';
const at = (hms: string) => `${DAY}T${hms}Z`;

type Batch = { time: string; arrivals: [string, string, string, number][] };

const FIXED: Batch[] = [
  { time: '10:00:10', arrivals: [['10:00:02', 'sensor-1', '10:00:01', 20.0], ['10:00:04', 'sensor-2', '10:00:03', 30.0], ['10:00:06', 'sensor-1', '10:00:05', 21.0], ['10:00:08', 'sensor-1', '10:00:07', 22.5], ['10:00:09', 'sensor-2', '10:00:08', 31.5]] },
  { time: '10:00:20', arrivals: [['10:00:12', 'sensor-1', '10:00:09', 25.0], ['10:00:14', 'sensor-2', '10:00:13', 29.0], ['10:00:17', 'sensor-1', '10:00:16', 23.5], ['10:00:19', 'sensor-2', '10:00:18', 28.5]] },
  { time: '10:00:30', arrivals: [['10:00:23', 'sensor-3', '10:00:22', 19.0], ['10:00:25', 'sensor-3', '10:00:24', 18.5]] },
];

function randomBatches(r: Random): Batch[] {
  const sensors = Array.from({ length: r.int(2, 4) }, () => `sensor-${r.int(10, 99)}`);
  const hms = (s: number) => `10:${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  return Array.from({ length: 4 }, (_, b) => {
    const arrivals: [string, string, string, number][] = [];
    const seconds = [...new Set(Array.from({ length: r.int(1, 6) }, () => b * 10 + r.int(1, 9)))].sort((x, y) => x - y);
    for (const s of seconds) arrivals.push([hms(s), r.pick(sensors), hms(Math.max(0, s - r.int(0, 4))), r.float(10, 35, 1)]);
    return { time: hms(b * 10 + 10), arrivals };
  });
}

const RANDOM = randomBatches(random('lesson 02 arrivals'));

type Message = [number, string | null, string, number | string];
const COLUMNS = ['batch', 'key', 'sensor', 'average'];
const FORMAT = /^Node Name: (.+), Average Temp: (-?\d+(?:\.\d+)?) for window of 10 seconds$/;

/** A report message as `[batch, key, sensor, average]`; a message in another format keeps its text. */
function message(batch: number, key: string | null, value: string | null): Message {
  const m = FORMAT.exec(value ?? '');
  return m ? [batch, key, m[1]!, Math.round(Number(m[2]) * 100) / 100] : [batch, key, '(not in the lesson\'s format)', value ?? 'null'];
}

/** Runs the job over every batch; returns the report messages, each with the index of its batch. */
function report(program: Program, batches: Batch[], name: string): Promise<Message[]> {
  return memo(`${program.label} ${name}`, () => program.run({ start: at('10:00:00'), topics: { 'sensors.temperature': 3, report: 1 } }, async (s) => {
    const ssc = await s.streamingContext(10);
    await s.call('temperatureJob', ssc);
    await ssc.start();
    for (const batch of batches) {
      for (const [arrival, node, ts, temperature] of batch.arrivals) {
        await s.setClock(at(arrival));
        await s.addData('sensors.temperature', [{ key: node, value: JSON.stringify({ node_name: node, temperature, ts: at(ts) }) }]);
      }
      await ssc.runBatch(at(batch.time));
    }
    const times = batches.map((b) => Date.parse(at(b.time)));
    return (await s.records('report')).map((r) => message(times.indexOf(r.timestamp), r.key, r.value));
  }));
}

check('one-message-per-sensor', 'sends one message per sensor that had readings in each 10-second batch, keyed by the sensor', async () => {
  const yours = await report(submission, FIXED, 'fixed');
  expectRows('The keys of the messages your job sent to report, batch by batch', yours.map(([b, key]) => [b, key]),
    [[0, 'sensor-1'], [0, 'sensor-2'], [1, 'sensor-1'], [1, 'sensor-2'], [2, 'sensor-3']], ['batch', 'key']);
  const random = await report(submission, RANDOM, 'random');
  const expected = await report(solution, RANDOM, 'random');
  expectRows('With other sensors and readings, the keys of the messages your job sent, batch by batch',
    random.map(([b, key]) => [b, key]), expected.map(([b, key]) => [b, key]), ['batch', 'key']);
});

check('batch-average-format', 'reports each sensor\'s batch average as "Node Name: X, Average Temp: Y for window of 10 seconds"', async () => {
  const yours = await report(submission, FIXED, 'fixed');
  expectRows('The messages your job sent in the batches at 10:00:10 and 10:00:30', yours.filter(([b]) => b !== 1), [
    [0, 'sensor-1', 'sensor-1', 21.17], [0, 'sensor-2', 'sensor-2', 30.75], [2, 'sensor-3', 'sensor-3', 18.75],
  ], COLUMNS);
  expectRows('With other sensors and readings, the messages your job sent', await report(submission, RANDOM, 'random'), await report(solution, RANDOM, 'random'), COLUMNS);
});

check('arrival-batch', 'averages a reading with the batch it arrived in, not the one it was measured in (sensor-1 measured 10:00:09, arrived 10:00:12)', async () => {
  const yours = await report(submission, FIXED, 'fixed');
  expectRows('The messages your job sent in the batch at 10:00:20', yours.filter(([b]) => b === 1), [
    [1, 'sensor-1', 'sensor-1', 24.25], [1, 'sensor-2', 'sensor-2', 28.75],
  ], COLUMNS);
});
