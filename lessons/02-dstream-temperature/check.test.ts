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
 * The window checks run `minuteReport(ssc)` and `slidingAverages(ssc)` over two minutes and ten
 * seconds of 10-second batches: the three batches above, then one reading of sensor-1 and one of
 * sensor-2 in every batch (WINDOW_FIXED). sensor-3 sends only in the batch at 10:00:30, so it leaves
 * the sliding window at 10:01:30: the inverse function takes its readings out and leaves `[0, 0]`.
 *
 * A random case (new sensors, temperatures and arrival times from the seed) is graded against the
 * lesson's solution. Averages are compared as numbers to two decimals, so `21.1` and `21.10` agree.
 * The minute report runs with its input read every batch and over batches holding uneven numbers of
 * readings per sensor, so an average of the 10-second averages differs from the minute's average.
 */
import { expectRows, fail, lessonChecks, type Program, type Random } from '../../runtime/src/lessons/check-harness.js';

const { check, submission, solution, random, memo } = lessonChecks(import.meta.dirname);

const DAY = '2026-11-21';
const at = (hms: string) => `${DAY}T${hms}Z`;
/** `hh:mm:ss` of a second after 10:00:00. */
const hmsAt = (s: number) => `10:${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;

type Batch = { time: string; arrivals: [string, string, string, number][] };

const FIXED: Batch[] = [
  { time: '10:00:10', arrivals: [['10:00:02', 'sensor-1', '10:00:01', 20.0], ['10:00:04', 'sensor-2', '10:00:03', 30.0], ['10:00:06', 'sensor-1', '10:00:05', 21.0], ['10:00:08', 'sensor-1', '10:00:07', 22.5], ['10:00:09', 'sensor-2', '10:00:08', 31.5]] },
  { time: '10:00:20', arrivals: [['10:00:12', 'sensor-1', '10:00:09', 25.0], ['10:00:14', 'sensor-2', '10:00:13', 29.0], ['10:00:17', 'sensor-1', '10:00:16', 23.5], ['10:00:19', 'sensor-2', '10:00:18', 28.5]] },
  { time: '10:00:30', arrivals: [['10:00:23', 'sensor-3', '10:00:22', 19.0], ['10:00:25', 'sensor-3', '10:00:24', 18.5]] },
];

/** Four random batches; each after the first opens with a reading measured in the batch before it. */
function randomBatches(r: Random): Batch[] {
  const sensors = Array.from({ length: r.int(2, 4) }, () => `sensor-${r.int(10, 99)}`);
  return Array.from({ length: 4 }, (_, b) => {
    const arrivals: [string, string, string, number][] = [];
    const seconds = [...new Set([...(b > 0 ? [b * 10 + 1] : []), ...Array.from({ length: r.int(1, 6) }, () => b * 10 + r.int(2, 9))])].sort((x, y) => x - y);
    for (const s of seconds) {
      const measured = s === b * 10 + 1 && b > 0 ? s - r.int(2, 4) : Math.max(0, s - r.int(0, 4));
      arrivals.push([hmsAt(s), r.pick(sensors), hmsAt(measured), r.float(10, 35, 1)]);
    }
    return { time: hmsAt(b * 10 + 10), arrivals };
  });
}

const RANDOM = randomBatches(random('lesson 02 arrivals'));

/** Batches 10:00:40 … 10:02:10: one reading of sensor-1 and one of sensor-2 each, none of sensor-3. */
const WINDOW_FIXED: Batch[] = [
  ...FIXED,
  ...Array.from({ length: 10 }, (_, i): Batch => {
    const s = 30 + i * 10;
    return { time: hmsAt(s + 10), arrivals: [[hmsAt(s + 3), 'sensor-1', hmsAt(s + 2), 20 + ((i * 7) % 5) + 0.5], [hmsAt(s + 6), 'sensor-2', hmsAt(s + 5), 27 + ((i * 3) % 4) + 0.25]] };
  }),
];

/**
 * Each sensor's average over each minute `minuteReport` reports (the batches ending 10:01:00 and
 * 10:02:00, by index), rounded as the messages are: the true average of the minute's readings, or
 * (`perBatch`) the average of each batch's average, the mistake of averaging averages.
 */
function minuteAverages(batches: Batch[], perBatch: boolean): Message[] {
  const out: Message[] = [];
  for (const last of [5, 11]) {
    const bySensor = new Map<string, number[][]>();
    for (const batch of batches.slice(last - 5, last + 1)) {
      const here = new Map<string, number[]>();
      for (const [, node, , t] of batch.arrivals) here.set(node, [...(here.get(node) ?? []), t]);
      for (const [node, ts] of here) bySensor.set(node, [...(bySensor.get(node) ?? []), ts]);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    for (const [node, perBatchReadings] of bySensor) {
      const avg = perBatch ? mean(perBatchReadings.map(mean)) : mean(perBatchReadings.flat());
      out.push([last, node, node, Math.round(avg * 100) / 100]);
    }
  }
  return out;
}

/** Whether some sensor's minute average differs from the average of its batch averages. */
const tellsAveragesApart = (batches: Batch[]) => {
  const perBatch = minuteAverages(batches, true);
  return minuteAverages(batches, false).some((m, i) => m[3] !== perBatch[i]![3]);
};

/**
 * A random stream of thirteen batches: some sensors stop sending half way, so they leave the window.
 * In the first minute the first sensor sends a burst of readings in one batch and a single one in
 * another, so a sum over the minute and an average of batch averages give different numbers.
 */
function randomWindowBatches(r: Random): Batch[] {
  const sensors = Array.from({ length: r.int(2, 4) }, () => `sensor-${r.int(10, 99)}`);
  const stops = new Map(sensors.map((s) => [s, r.chance(0.5) ? r.int(2, 6) : 13]));
  const burst = r.int(0, 5);
  const single = (burst + r.int(1, 5)) % 6;
  const batches = Array.from({ length: 13 }, (_, b): Batch => {
    const seconds = [...new Set(Array.from({ length: r.int(0, 5) }, () => b * 10 + r.int(1, 9)))];
    const arrivals: [string, string, string, number][] = seconds.map((s) => {
      const node = r.pick(sensors.filter((n) => stops.get(n)! > b).concat(sensors[0]!));
      return [hmsAt(s), node, hmsAt(Math.max(0, s - r.int(0, 4))), r.float(10, 35, 1)];
    });
    const free = r.shuffle(Array.from({ length: 9 }, (_, i) => b * 10 + i + 1).filter((s) => !seconds.includes(s)));
    const extra = b === burst ? Math.min(free.length, r.int(3, 5)) : b === single && !arrivals.some(([, node]) => node === sensors[0]) ? 1 : 0;
    for (const s of free.slice(0, extra)) arrivals.push([hmsAt(s), sensors[0]!, hmsAt(Math.max(0, s - r.int(0, 4))), r.float(10, 35, 1)]);
    arrivals.sort((x, y) => x[0].localeCompare(y[0]));
    return { time: hmsAt(b * 10 + 10), arrivals };
  });
  // Readings drawn so that both ways happen to agree: warm the burst until they do not.
  for (let tries = 0; tries < 20 && !tellsAveragesApart(batches); tries++) {
    for (const a of batches[burst]!.arrivals) if (a[1] === sensors[0]) a[3] = Math.round((a[3] + 1.3) * 10) / 10;
  }
  return batches;
}

const RANDOM_WINDOWS = randomWindowBatches(random('lesson 02 windows'));

type Message = [number, string | null, string, number | string];
const COLUMNS = ['batch', 'key', 'sensor', 'average'];
const FORMAT = /^Node Name: (.+), Average Temp: (-?\d+(?:\.\d+)?) for window of 10 seconds$/;

const MINUTE_FORMAT = /^Node Name: (.+), Average Temp: (-?\d+(?:\.\d+)?) for window of 60 seconds$/;

/** A minute-window message read with the 60-second format (rereads the value a 10-second one kept). */
function minute([batch, key, sensor, average]: Message): Message {
  if (typeof average === 'number') return [batch, key, '(says "for window of 10 seconds", not 60)', average];
  const m = MINUTE_FORMAT.exec(average);
  return m ? [batch, key, m[1]!, Math.round(Number(m[2]) * 100) / 100] : [batch, key, sensor, average];
}

/** A report message as `[batch, key, sensor, average]`; a message in another format keeps its text. */
function message(batch: number, key: string | null, value: string | null): Message {
  const m = FORMAT.exec(value ?? '');
  return m ? [batch, key, m[1]!, Math.round(Number(m[2]) * 100) / 100] : [batch, key, '(not in the lesson\'s format)', value ?? 'null'];
}

/**
 * Runs `job` over every batch; returns the report messages, each with the index of its batch. The
 * minute report runs with its input read every batch, as when the same readings also feed a per-batch
 * output: each batch's RDD then holds what arrived in it (otherwise, as in Spark, the window's first
 * batch would compute late and hold the whole minute, and averages of batch averages would go unseen).
 */
function report(program: Program, batches: Batch[], name: string, job = 'temperatureJob'): Promise<Message[]> {
  return memo(`${program.label} ${job} ${name}`, () => program.run({ start: at('10:00:00'), topics: { 'sensors.temperature': 3, report: 1 } }, async (s) => {
    const ssc = await s.streamingContext(10, { readInputsEveryBatch: job === 'minuteReport' });
    await s.call(job, ssc);
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
  // Every random batch after the first opens with a reading measured in the batch before.
  expectRows('With other sensors and readings, some measured a batch before they arrive, the messages your job sent, batch by batch',
    await report(submission, RANDOM, 'random'), await report(solution, RANDOM, 'random'), COLUMNS);
});

/** What `slidingAverages` printed: per batch time, the `(sensor, average)` pairs and the window's count. */
type Printed = { averages: [string, string, string][]; counts: [string, string][]; other: [string, string][] };

/** Reads pprint's blocks (dashes, `Time: …`, dashes, one element a line): a pair is an average, a number a count. */
function printed(text: string): Printed {
  const out: Printed = { averages: [], counts: [], other: [] };
  let time = '(before any Time: line)';
  for (const line of text.split('\n')) {
    const t = /^Time: \d{4}-\d{2}-\d{2} (\d{2}:\d{2}:\d{2})$/.exec(line);
    if (t) time = t[1]!;
    else if (line.startsWith('---') || line.trim() === '') continue;
    else {
      const pair = /^\('(.*)', (.+)\)$/.exec(line);
      const avg = pair ? Number(pair[2]) : Number.NaN;
      // `nan` (a sensor left with [0, 0]) stays as printed.
      if (pair) out.averages.push([time, pair[1]!, Number.isFinite(avg) ? (Math.round(avg * 100) / 100).toFixed(2) : pair[2]!]);
      else if (/^\d+$/.test(line)) out.counts.push([time, line]);
      else out.other.push([time, line]);
    }
  }
  return out;
}

/** Runs `slidingAverages(ssc)` over every batch and reads what it printed. */
function sliding(program: Program, batches: Batch[], name: string): Promise<Printed> {
  return memo(`${program.label} sliding ${name}`, () => program.run({ start: at('10:00:00'), topics: { 'sensors.temperature': 3, report: 1 } }, async (s) => {
    const ssc = await s.streamingContext(10);
    await s.call('slidingAverages', ssc);
    await ssc.start();
    for (const batch of batches) {
      for (const [arrival, node, ts, temperature] of batch.arrivals) {
        await s.setClock(at(arrival));
        await s.addData('sensors.temperature', [{ key: node, value: JSON.stringify({ node_name: node, temperature, ts: at(ts) }) }]);
      }
      await ssc.runBatch(at(batch.time));
    }
    return printed(await s.output());
  }));
}

const AVERAGE_COLUMNS = ['time', 'sensor', 'average'];

/**
 * `yours` with each average that is within 0.01 of the expected one for the same key taken as that one:
 * rounding a sum that an inverse function updated (or rounding half another way) may land one cent off.
 */
function withinACent<R extends unknown[]>(yours: R[], expected: R[], keyOf: (r: R) => string, valueAt: number): R[] {
  const want = new Map(expected.map((r) => [keyOf(r), Number(r[valueAt])]));
  return yours.map((r) => {
    const e = want.get(keyOf(r));
    const v = Number(r[valueAt]);
    if (e === undefined || !Number.isFinite(v) || Math.abs(v - e) > 0.0100001) return r;
    const out = [...r] as R;
    out[valueAt] = expected.find((x) => keyOf(x) === keyOf(r))![valueAt];
    return out;
  });
}

/** Fails with what went wrong when `yours` are the averages of batch averages of `batches`. */
function averagesOfAverages(yours: Message[], batches: Batch[]): void {
  const key = (m: Message) => JSON.stringify(m);
  const perBatch = minuteAverages(batches, true).map(key).sort();
  if (tellsAveragesApart(batches) && JSON.stringify(yours.map(key).sort()) === JSON.stringify(perBatch)) {
    fail('Your minuteReport averages the 10-second averages, so a batch with one reading weighs as much as a batch with five. Reduce the same [sum, count] pairs as temperatureJob over the minute and divide once at the end.');
  }
}

check('minute-window', 'reports each sensor\'s average over the tutorial\'s one-minute window, once a minute ("for window of 60 seconds")', async () => {
  const windowMessages = (m: Message[]) => m.map(([b, key, sensor, avg]) => [b, key, sensor, avg]);
  const fixed = (await report(submission, WINDOW_FIXED, 'fixed', 'minuteReport')).map(minute);
  averagesOfAverages(fixed, WINDOW_FIXED);
  expectRows('The messages your minuteReport sent to report, with the index of the 10-second batch they were sent in',
    windowMessages(fixed), [
      [5, 'sensor-1', 'sensor-1', 22.44], [5, 'sensor-2', 'sensor-2', 29.39], [5, 'sensor-3', 'sensor-3', 18.75],
      [11, 'sensor-1', 'sensor-1', 22.33], [11, 'sensor-2', 'sensor-2', 28.42],
    ], COLUMNS);
  const expected = (await report(solution, RANDOM_WINDOWS, 'random', 'minuteReport')).map(minute);
  const yours = (await report(submission, RANDOM_WINDOWS, 'random', 'minuteReport')).map(minute);
  averagesOfAverages(yours, RANDOM_WINDOWS);
  expectRows('With other sensors and readings, the messages your minuteReport sent to report',
    withinACent(yours, expected, ([b, key]) => `${b} ${key}`, 3), expected, COLUMNS);
});

check('sliding-window', 'every 10 seconds, prints each sensor\'s average over the last minute, and no sensor whose readings all left the window', async () => {
  const yours = await sliding(submission, WINDOW_FIXED, 'fixed');
  if (yours.other.length > 0) fail(`slidingAverages printed lines that are neither a (sensor, average) pair nor a count, e.g. at ${yours.other[0]![0]}: ${yours.other[0]![1]}`);
  expectRows('The (sensor, average) pairs your slidingAverages printed at 10:01:20 and 10:01:30',
    yours.averages.filter(([t]) => t === '10:01:20' || t === '10:01:30'), [
      ['10:01:20', 'sensor-1', '22.50'], ['10:01:20', 'sensor-2', '28.45'], ['10:01:20', 'sensor-3', '18.75'],
      // sensor-3's readings (batch 10:00:30) left the window: it is not printed, not even as nan.
      ['10:01:30', 'sensor-1', '22.17'], ['10:01:30', 'sensor-2', '28.75'],
    ], AVERAGE_COLUMNS);
  const random = await sliding(submission, RANDOM_WINDOWS, 'random');
  const expected = await sliding(solution, RANDOM_WINDOWS, 'random');
  expectRows('With other sensors and readings, the (sensor, average) pairs your slidingAverages printed',
    withinACent([...random.averages, ...random.other], expected.averages, ([t, sensor]) => `${t} ${sensor}`, 2), expected.averages, AVERAGE_COLUMNS);
});

check('window-count', 'every 10 seconds, prints how many readings the last minute held (countByWindow)', async () => {
  const yours = await sliding(submission, WINDOW_FIXED, 'fixed');
  expectRows('The counts your slidingAverages printed', yours.counts, [
    ['10:00:10', '5'], ['10:00:20', '9'], ['10:00:30', '11'], ['10:00:40', '13'], ['10:00:50', '15'], ['10:01:00', '17'],
    ['10:01:10', '14'], ['10:01:20', '12'], ['10:01:30', '12'], ['10:01:40', '12'], ['10:01:50', '12'], ['10:02:00', '12'], ['10:02:10', '12'],
  ], ['time', 'count']);
  const random = await sliding(submission, RANDOM_WINDOWS, 'random');
  const expected = await sliding(solution, RANDOM_WINDOWS, 'random');
  expectRows('With other sensors and readings, the counts your slidingAverages printed', random.counts, expected.counts, ['time', 'count']);
});
