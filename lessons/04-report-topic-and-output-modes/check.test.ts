/**
 * Checks for lesson 04: events from gateways go to `events` in three batches, in the sandbox; the
 * learner's `startConsole(spark)` and `startReport(spark)` must each return the query they started
 * (checked to be a real started query, not an object that looks like one), which the checks drive.
 *
 * The fixed events (the seeded `generateOriginEvents`, 12 events from three gateways):
 *   batch 0: events #100–#104   counts gw1 2, gw2 1, gw3 2
 *   batch 1: events #105–#108   counts gw1 5, gw2 1, gw3 3   (gw2 unchanged)
 *   batch 2: events #109–#111   counts gw1 6, gw2 3, gw3 3   (gw3 unchanged)
 *
 * The store's Kafka has only a SASL_PLAINTEXT listener, as in the tutorial: the learner's code must
 * authenticate as `spark-streaming`. The output checks accept any of PLAIN, SCRAM-SHA-256 and
 * SCRAM-SHA-512; `sasl-scram` runs on a listener that offers only SCRAM-SHA-512, the tutorial's.
 *
 * A random case (new origins and counts from the seed) is graded against the lesson's solution. The
 * console tables are read as rows, so options that do not change the rows (`truncate`, `numRows`)
 * are all accepted; the report's JSON is compared as objects.
 */
import { generateOriginEvents, type OriginEvent } from '../../runtime/src/datagen/index.js';
import { expectRows, lessonChecks, type Program, type Random, type Sandbox, type World } from '../../runtime/src/lessons/check-harness.js';

const { check, submission, solution, random, memo } = lessonChecks(import.meta.dirname);

const START = '2026-11-21T10:00:10Z';
const USERS = { 'spark-streaming': 'c7Vq2mXe9LbR' };
const WORLD: World = { start: START, topics: { events: 1, report: 1 }, sasl: { mechanisms: ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'], users: USERS } };
const SCRAM_ONLY: World = { ...WORLD, sasl: { mechanisms: ['SCRAM-SHA-512'], users: USERS } };
const EVENTS = generateOriginEvents({ count: 12 });
const FIXED = [EVENTS.slice(0, 5), EVENTS.slice(5, 9), EVENTS.slice(9, 12)];
const GW1 = 'sensor-gateway-1 (10.1.0.17)';
const GW2 = 'sensor-gateway-2 (10.1.62.178)';
const GW3 = 'sensor-gateway-3 (10.1.33.104)';

function randomBatches(r: Random): OriginEvent[][] {
  const origins = Array.from({ length: r.int(2, 5) }, () => `gw-${r.int(10, 99)}${r.pick(['a', 'b', 'c'])} (10.${r.int(0, 9)}.${r.int(0, 9)}.${r.int(1, 9)})`);
  let n = r.int(200, 900);
  return Array.from({ length: 3 }, (_, b) => Array.from({ length: r.int(1, 6) }, (_, i) => ({
    timestamp: new Date(Date.parse(START) + b * 10_000 + i * 500).toISOString(),
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
    await s.addData('events', batch.map((e) => ({ key: e._id, value: JSON.stringify(e) })));
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
function reported(program: Program, batches: OriginEvent[][], name: string): Promise<unknown[][]> {
  return memo(`${program.label} report ${name}`, () => program.run(WORLD, async (s) => {
    await feed(s, 'startReport', batches);
    return (await s.records('report')).map((r) => {
      let value: unknown = r.value;
      try {
        const o = JSON.parse(r.value ?? 'null') as Record<string, unknown>;
        value = o && typeof o === 'object' ? JSON.stringify(Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)))) : r.value;
      } catch {
        // Shown as sent.
      }
      return [Math.round((r.timestamp - Date.parse(START)) / 10_000), r.key, value];
    });
  }));
}

const json = (origin: string, count: number) => JSON.stringify({ count, origin });

check('console-complete', 'prints the whole count table every batch to the console (complete mode)', async () => {
  const table = (batch: number, counts: number[]) => [GW1, GW2, GW3].map((o, i) => [batch, cellText(o), counts[i]]);
  expectRows('The rows of the tables your query printed, batch by batch', await printedTables(submission, FIXED, 'fixed'),
    [...table(0, [2, 1, 2]), ...table(1, [5, 1, 3]), ...table(2, [6, 3, 3])], ['batch', 'origin', 'count']);
  expectRows('With other origins, the rows of the tables your query printed', await printedTables(submission, RANDOM, 'random'),
    await printedTables(solution, RANDOM, 'random'), ['batch', 'origin', 'count']);
});

check('report-keyed-json', 'publishes counts to report keyed by origin, with the whole row as JSON', async () => {
  const first = (await reported(submission, FIXED, 'fixed')).filter(([b]) => b === 0);
  expectRows('The records your query sent to report in the first batch', first,
    [[0, GW1, json(GW1, 2)], [0, GW2, json(GW2, 1)], [0, GW3, json(GW3, 2)]], ['batch', 'key', 'value']);
  const firstOf = async (p: Program) => (await reported(p, RANDOM, 'random')).filter(([b]) => b === 0);
  expectRows('With other origins, the records your query sent to report in the first batch', await firstOf(submission), await firstOf(solution), ['batch', 'key', 'value']);
});

check('report-update', 'publishes only the origins whose count changed in each batch (update mode)', async () => {
  expectRows('The records your query sent to report, batch by batch', await reported(submission, FIXED, 'fixed'), [
    [0, GW1, json(GW1, 2)], [0, GW2, json(GW2, 1)], [0, GW3, json(GW3, 2)],
    [1, GW1, json(GW1, 5)], [1, GW3, json(GW3, 3)],
    [2, GW1, json(GW1, 6)], [2, GW2, json(GW2, 3)],
  ], ['batch', 'key', 'value']);
  expectRows('With other origins, the records your query sent to report', await reported(submission, RANDOM, 'random'),
    await reported(solution, RANDOM, 'random'), ['batch', 'key', 'value']);
});

check('sasl-scram', 'authenticates to the store\'s Kafka with SCRAM-SHA-512 as spark-streaming, as the tutorial does', async () => {
  const table = (batch: number, counts: number[]) => [GW1, GW2, GW3].map((o, i) => [batch, cellText(o), counts[i]]);
  expectRows('On a Kafka whose SASL listener offers only SCRAM-SHA-512, the rows of the tables your console query printed',
    await printedTables(submission, FIXED, 'fixed', SCRAM_ONLY), [...table(0, [2, 1, 2]), ...table(1, [5, 1, 3]), ...table(2, [6, 3, 3])], ['batch', 'origin', 'count']);
  expectRows('On that Kafka with other origins, the rows of the tables your console query printed', await printedTables(submission, RANDOM, 'random', SCRAM_ONLY),
    await printedTables(solution, RANDOM, 'random'), ['batch', 'origin', 'count']);
});
