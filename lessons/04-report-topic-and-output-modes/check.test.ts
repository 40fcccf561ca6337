/**
 * Checks for lesson 04: events from three gateways (the seeded `generateOriginEvents`, 12 events) go
 * to `events` in three batches; the learner's console query and report query run on them.
 *
 *   batch 0: events #100–#104   counts gw1 2, gw2 1, gw3 2
 *   batch 1: events #105–#108   counts gw1 5, gw2 1, gw3 3   (gw2 unchanged)
 *   batch 2: events #109–#111   counts gw1 6, gw2 3, gw3 3   (gw3 unchanged)
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SparkSession, StreamingQuery } from 'streamlab';
import { generateOriginEvents } from '../../runtime/src/datagen/index.js';
import { compileSubmission, createCheckHost, type CheckHost, type CompiledSubmission } from '../../runtime/src/lessons/check-host.js';

interface Submission {
  startConsole(spark: SparkSession): StreamingQuery;
  startReport(spark: SparkSession): StreamingQuery;
}

const EVENTS = generateOriginEvents({ count: 12 });
const BATCHES = [EVENTS.slice(0, 5), EVENTS.slice(5, 9), EVENTS.slice(9, 12)];
const GW1 = 'sensor-gateway-1 (10.1.0.17)';
const GW2 = 'sensor-gateway-2 (10.1.62.178)';
const GW3 = 'sensor-gateway-3 (10.1.33.104)';

let submission: CompiledSubmission;
let host: CheckHost | undefined;

beforeAll(async () => {
  submission = await compileSubmission(import.meta.dirname, process.env);
});

afterEach(async () => {
  await host?.close();
  host = undefined;
});

/** Starts the learner's query with `start`, feeds the three batches, processing each. */
async function run(start: (s: Submission, spark: SparkSession) => StreamingQuery): Promise<CheckHost> {
  host = await createCheckHost(submission, { startMs: Date.parse('2026-11-21T10:00:10Z'), topics: { events: 1, report: 1 } });
  const query = start(host.load<Submission>(), host.spark);
  for (const batch of BATCHES) {
    await host.kafka.produceAll('events', batch.map((e) => ({ key: e._id, value: JSON.stringify(e) })));
    await query.processAllAvailable();
    host.clock.advance(10_000);
  }
  return host;
}

/** Spark doesn't order a table without orderBy: sorts the data rows of each printed table. */
function normaliseTables(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let rows: string[] = [];
  let borders = 0;
  for (const line of lines) {
    if (line.startsWith('+')) {
      borders++;
      if (borders % 3 === 0) out.push(...rows.sort());
      rows = [];
      out.push(line);
    } else if (line.startsWith('|') && borders % 3 === 2) {
      rows.push(line);
    } else {
      out.push(line);
    }
  }
  return out.join('\n');
}

const table = (batch: number, counts: [string, number][]): string => [
  '-------------------------------------------',
  `Batch: ${batch}`,
  '-------------------------------------------',
  '+--------------------+-----+',
  '|              origin|count|',
  '+--------------------+-----+',
  ...counts.map(([o, c]) => `|${o}|${String(c).padStart(5)}|`),
  '+--------------------+-----+',
  '',
  '',
].join('\n');

describe('lesson 04: counting by origin', () => {
  it('prints the whole count table every batch to the console (complete mode)', async () => {
    const h = await run((s, spark) => s.startConsole(spark));
    expect(normaliseTables(h.text())).toBe(
      table(0, [['sensor-gateway-1 ...', 2], ['sensor-gateway-2 ...', 1], ['sensor-gateway-3 ...', 2]])
      + table(1, [['sensor-gateway-1 ...', 5], ['sensor-gateway-2 ...', 1], ['sensor-gateway-3 ...', 3]])
      + table(2, [['sensor-gateway-1 ...', 6], ['sensor-gateway-2 ...', 3], ['sensor-gateway-3 ...', 3]]),
    );
  });

  it('publishes counts to report keyed by origin, with the whole row as JSON', async () => {
    const h = await run((s, spark) => s.startReport(spark));
    const first = (await h.kafka.records('report')).filter((r) => r.offset < 3).map((r) => `${r.key} → ${r.value}`).sort();
    expect(first).toEqual([
      `${GW1} → {"origin":"${GW1}","count":2}`,
      `${GW2} → {"origin":"${GW2}","count":1}`,
      `${GW3} → {"origin":"${GW3}","count":2}`,
    ]);
  });

  it('publishes only the origins whose count changed in each batch (update mode)', async () => {
    const h = await run((s, spark) => s.startReport(spark));
    const values = (await h.kafka.records('report')).map((r) => r.value ?? 'null');
    expect([values.slice(0, 3).sort(), values.slice(3, 5).sort(), values.slice(5).sort()]).toEqual([
      [`{"origin":"${GW1}","count":2}`, `{"origin":"${GW2}","count":1}`, `{"origin":"${GW3}","count":2}`],
      [`{"origin":"${GW1}","count":5}`, `{"origin":"${GW3}","count":3}`],
      [`{"origin":"${GW1}","count":6}`, `{"origin":"${GW2}","count":3}`],
    ]);
  });
});
