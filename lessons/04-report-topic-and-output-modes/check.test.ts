/**
 * Checks for lesson 04: the producers' events go to `spark-streaming-store` in three batches, in the
 * sandbox; the learner's `events(spark)` must return the parsed events (which the harness runs on a
 * memory sink), and `startConsole(spark)` and `startReport(spark)` must each return the query they
 * started (checked to be a real started query, not an object that looks like one), which the checks
 * drive.
 *
 * The fixed events (the seeded `generateOriginEvents`, 12 events from three producers, `timestamp` in
 * epoch seconds with six digits of fraction):
 *   batch 0: events #100–#104   counts app-0 2, app-1 1, app-2 2
 *   batch 1: events #105–#108   counts app-0 2, app-1 2, app-2 5   (app-0 unchanged)
 *   batch 2: events #109–#111   counts app-0 3, app-1 4, app-2 5   (app-2 unchanged)
 *
 * The store's Kafka has only a SASL_PLAINTEXT listener, as in the tutorial: the learner's code must
 * authenticate as `spark-streaming`. The output checks accept any of PLAIN, SCRAM-SHA-256 and
 * SCRAM-SHA-512; `sasl-scram` runs on a listener that offers only SCRAM-SHA-512, the tutorial's.
 *
 * A random case (new origins, counts and microseconds from the seed) is graded against the lesson's
 * solution, or against Spark's conversion of epoch seconds, `(seconds * 1000000).toLong`. The console
 * tables are read as rows, so options that do not change the rows (`truncate`, `numRows`) are all
 * accepted; the report's JSON is compared as objects.
 *
 * `unseen-store` is hidden (front matter `hidden`): events of a day of 2027–2030, an hour and origins
 * named as no other check names them, from the grade's hidden seed, on a clock of that day; their times
 * against Spark's conversion and the report against the solution's. The learner sees its category only.
 */
import { generateOriginEvents, epochSeconds, type OriginEvent } from '../../runtime/src/datagen/index.js';
import { expectRows, fail, lessonChecks, type Program, type Random, type Sandbox, type World } from '../../runtime/src/lessons/check-harness.js';

const { check, submission, solution, random, hiddenRandom, memo } = lessonChecks(import.meta.dirname);

const TOPIC = 'spark-streaming-store';
const START = '2026-11-21T10:00:10Z';
const USERS = { 'spark-streaming': 'c7Vq2mXe9LbR' };
const WORLD: World = { start: START, topics: { [TOPIC]: 1, report: 1 }, sasl: { mechanisms: ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'], users: USERS } };
const SCRAM_ONLY: World = { ...WORLD, sasl: { mechanisms: ['SCRAM-SHA-512'], users: USERS } };
const EVENTS = generateOriginEvents({ count: 12 });
const FIXED = [EVENTS.slice(0, 5), EVENTS.slice(5, 9), EVENTS.slice(9, 12)];
const APP0 = 'kafka-test-app-0 (10.1.0.17)';
const APP1 = 'kafka-test-app-1 (10.1.62.178)';
const APP2 = 'kafka-test-app-2 (10.1.33.104)';

function randomBatches(r: Random, start = START, origin = (rr: Random) => `kafka-test-app-${rr.int(0, 30)}${rr.pick(['', 'a', 'b'])} (10.${rr.int(0, 9)}.${rr.int(0, 9)}.${rr.int(1, 9)})`): OriginEvent[][] {
  const origins = Array.from({ length: r.int(2, 5) }, () => origin(r));
  let n = r.int(200, 900);
  return Array.from({ length: 3 }, (_, b) => Array.from({ length: r.int(1, 6) }, (_, i) => ({
    // Any microsecond of its half second, written as the producers write it.
    timestamp: epochSeconds((Date.parse(start) + b * 10_000 + i * 500) * 1000 + r.int(0, 499_999)),
    _id: `${r.int(1e7, 9e7).toString(16)}${r.int(1e7, 9e7).toString(16)}`,
    origin: r.pick(origins),
    content: `Message #${n++}`,
  })));
}

const RANDOM = randomBatches(random('lesson 04 events'));

/** Feeds the batches to the query `start` returns, processing each; `read` then reads what it wrote. */
async function feed(s: Sandbox, fn: string, batches: OriginEvent[][]): Promise<void> {
  const query = await s.query(fn, s.spark);
  for (const batch of batches) {
    await s.addData(TOPIC, batch.map((e) => ({ key: e._id, value: JSON.stringify(e) })));
    await query.processAllAvailable();
    await s.advanceClock('10 seconds');
  }
}

/** Spark's console truncates cells past 20 characters to 17 and `...`: both forms read the same. */
const cellText = (s: string) => (s.length > 20 ? `${s.slice(0, 17)}...` : s);

/** The rows of every console table printed, as `[batch, origin, count]` (the batch from `Batch: N`). */
function consoleRows(text: string): unknown[][] {
  const rows: unknown[][] = [];
  let batch = -1;
  let tables = 0;
  let header: string[] | null = null;
  let borders = 0;
  for (const line of text.split('\n')) {
    const b = /^Batch: (\d+)\s*$/.exec(line);
    if (b) {
      batch = Number(b[1]);
      continue;
    }
    if (line.startsWith('+')) {
      borders++;
      if (borders % 3 === 1) tables++;
      continue;
    }
    if (!line.startsWith('|')) continue;
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    if (borders % 3 === 1) header = cells;
    else if (header) {
      const at = (name: string) => cells[header!.findIndex((h) => h.toLowerCase() === name)];
      rows.push([batch >= 0 ? batch : tables - 1, cellText(at('origin') ?? cells.join('|')), Number(at('count'))]);
    }
  }
  return rows;
}

function printedTables(program: Program, batches: OriginEvent[][], name: string, world = WORLD): Promise<unknown[][]> {
  return memo(`${program.label} console ${name} ${world === WORLD ? '' : 'scram'}`, () => program.run(world, async (s) => {
    await feed(s, 'startConsole', batches);
    return consoleRows(await s.output());
  }));
}

/** The report records as `[batch, key, value as an object in key order]`; a value that is not JSON keeps its text. */
function reported(program: Program, batches: OriginEvent[][], name: string, world = WORLD): Promise<unknown[][]> {
  const startMs = typeof world.start === 'number' ? world.start : Date.parse(world.start);
  return memo(`${program.label} report ${name}`, () => program.run(world, async (s) => {
    await feed(s, 'startReport', batches);
    return (await s.records('report')).map((r) => {
      let value: unknown = r.value;
      try {
        const o = JSON.parse(r.value ?? 'null') as Record<string, unknown>;
        value = o && typeof o === 'object' ? JSON.stringify(Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)))) : r.value;
      } catch {
        // Shown as sent.
      }
      return [Math.round((r.timestamp - startMs) / 10_000), r.key, value];
    });
  }));
}

const json = (origin: string, count: number) => JSON.stringify({ count, origin });

/** Spark's reading of epoch seconds as a timestamp, `(seconds * 1000000).toLong`, printed with six digits of fraction. */
function sparkTime(seconds: number): string {
  const us = Math.trunc(seconds * 1_000_000);
  const ms = Math.floor(us / 1000);
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}.${String(us - Math.floor(ms / 1000) * 1_000_000).padStart(6, '0')}`;
}

/** The `[origin, timestamp]` rows `events(spark)` gives for the batches, on a memory sink of the harness's own. */
function eventTimes(program: Program, batches: OriginEvent[][], name: string, world = WORLD): Promise<unknown[][]> {
  return memo(`${program.label} events ${name}`, () => program.run(world, async (s) => {
    const df = await s.dataFrame('events', s.spark);
    const at = df.columns.indexOf('timestamp');
    if (at < 0 || !df.columns.includes('origin')) fail(`events(spark) has the columns ${df.columns.join(', ')}; the check expects timestamp and origin among them.`);
    if (df.types[at] !== 'timestamp') fail(`The column timestamp of events(spark) is a ${df.types[at]}; the check expects a timestamp, converted from the epoch seconds the producers write.`);
    const stream = await s.startStream(df, 'append', ['origin', "date_format(timestamp, 'yyyy-MM-dd HH:mm:ss.SSSSSS') AS timestamp"]);
    for (const batch of batches) {
      await s.addData(TOPIC, batch.map((e) => ({ key: e._id, value: JSON.stringify(e) })));
      await stream.processAllAvailable();
    }
    return (await stream.batches()).batches.flatMap((b) => b.rows).map((r) => [r.origin, r.timestamp]);
  }));
}

/** What `events(spark)` should give for the batches: each event's origin and Spark's reading of its seconds. */
const expectedTimes = (batches: OriginEvent[][]) => batches.flat().map((e) => [e.origin, sparkTime(e.timestamp)]);

check('event-time', 'reads the producers\' epoch seconds (1707128717.277745) as a TIMESTAMP, to the microsecond', async () => {
  expectRows('The origin and timestamp of each event events(spark) gave', await eventTimes(submission, FIXED, 'fixed'), expectedTimes(FIXED), ['origin', 'timestamp'], 'event');
  expectRows('With other times, the origin and timestamp of each event', await eventTimes(submission, RANDOM, 'random'), expectedTimes(RANDOM), ['origin', 'timestamp'], 'event');
});

check('console-complete', 'prints the whole count table every batch to the console (complete mode)', async () => {
  const table = (batch: number, counts: number[]) => [APP0, APP1, APP2].map((o, i) => [batch, cellText(o), counts[i]]);
  expectRows('The rows of the tables your query printed, batch by batch', await printedTables(submission, FIXED, 'fixed'),
    [...table(0, [2, 1, 2]), ...table(1, [2, 2, 5]), ...table(2, [3, 4, 5])], ['batch', 'origin', 'count']);
  expectRows('With other origins, the rows of the tables your query printed', await printedTables(submission, RANDOM, 'random'),
    await printedTables(solution, RANDOM, 'random'), ['batch', 'origin', 'count']);
});

check('report-keyed-json', 'publishes counts to report keyed by origin, with the whole row as JSON', async () => {
  const first = (await reported(submission, FIXED, 'fixed')).filter(([b]) => b === 0);
  expectRows('The records your query sent to report in the first batch', first,
    [[0, APP0, json(APP0, 2)], [0, APP1, json(APP1, 1)], [0, APP2, json(APP2, 2)]], ['batch', 'key', 'value']);
  const firstOf = async (p: Program) => (await reported(p, RANDOM, 'random')).filter(([b]) => b === 0);
  expectRows('With other origins, the records your query sent to report in the first batch', await firstOf(submission), await firstOf(solution), ['batch', 'key', 'value']);
});

check('report-update', 'publishes only the origins whose count changed in each batch (update mode)', async () => {
  expectRows('The records your query sent to report, batch by batch', await reported(submission, FIXED, 'fixed'), [
    [0, APP0, json(APP0, 2)], [0, APP1, json(APP1, 1)], [0, APP2, json(APP2, 2)],
    [1, APP1, json(APP1, 2)], [1, APP2, json(APP2, 5)],
    [2, APP0, json(APP0, 3)], [2, APP1, json(APP1, 4)],
  ], ['batch', 'key', 'value']);
  expectRows('With other origins, the records your query sent to report', await reported(submission, RANDOM, 'random'),
    await reported(solution, RANDOM, 'random'), ['batch', 'key', 'value']);
});

check('sasl-scram', 'authenticates to the store\'s Kafka with SCRAM-SHA-512 as spark-streaming, as the tutorial does', async () => {
  const table = (batch: number, counts: number[]) => [APP0, APP1, APP2].map((o, i) => [batch, cellText(o), counts[i]]);
  expectRows('On a Kafka whose SASL listener offers only SCRAM-SHA-512, the rows of the tables your console query printed',
    await printedTables(submission, FIXED, 'fixed', SCRAM_ONLY), [...table(0, [2, 1, 2]), ...table(1, [2, 2, 5]), ...table(2, [3, 4, 5])], ['batch', 'origin', 'count']);
  expectRows('On that Kafka with other origins, the rows of the tables your console query printed', await printedTables(submission, RANDOM, 'random', SCRAM_ONLY),
    await printedTables(solution, RANDOM, 'random'), ['batch', 'origin', 'count']);
});

/**
 * The hidden check's events (front matter `hidden`): a day of 2027–2030 and a time of day, and origins
 * named as the store's other producers are (`pos-12 (172.20.3.41)`), from the hidden seed, so a
 * submission fitted to what the other checks show (their day, their `kafka-test-app-…` origins) cannot
 * know them. The learner sees only the category.
 */
function unseenStore(r: Random): { world: World; batches: OriginEvent[][] } {
  const start = new Date(Date.UTC(r.int(2027, 2030), r.int(0, 11), r.int(1, 28), r.int(1, 22), r.int(0, 59), r.int(0, 59))).toISOString().replace('.000Z', 'Z');
  const origin = (rr: Random) => `${rr.pick(['pos', 'web-shop', 'warehouse', 'kiosk'])}-${rr.int(1, 99)} (172.${rr.int(16, 31)}.${rr.int(0, 255)}.${rr.int(1, 254)})`;
  return { world: { ...WORLD, start }, batches: randomBatches(r, start, origin) };
}

const UNSEEN = unseenStore(hiddenRandom('lesson 04 unseen store'));

check('unseen-store', 'times and counts events of a day, an hour and producers no other check shows', async () => {
  expectRows('On events of another day and other producers, the origin and timestamp of each event events(spark) gave',
    await eventTimes(submission, UNSEEN.batches, 'unseen', UNSEEN.world), expectedTimes(UNSEEN.batches), ['origin', 'timestamp'], 'event');
  expectRows('On those events, the records your query sent to report, batch by batch', await reported(submission, UNSEEN.batches, 'unseen', UNSEEN.world),
    await reported(solution, UNSEEN.batches, 'unseen', UNSEEN.world), ['batch', 'key', 'value']);
});
