/**
 * `spark.sql(...)` on real Apache Spark: the same temporary views and the same query text, run by the
 * engine and by PySpark 3.5.7, must give the same columns and rows — batch queries (joins with
 * same-named columns, USING, GROUP BY with HAVING, ORDER BY, UNION, subqueries, global aggregation),
 * the PySpark export of each query's plan run on Spark, and streaming queries over a view with a
 * watermark (a windowed count in update mode that drops a late row, a stream-static join), batch by
 * batch. Spark reads the stream from JSON files, one per micro-batch (maxFilesPerTrigger 1, Trigger
 * AvailableNow), which runs no no-data batch between queued files; the engine reads the same rows from a
 * MemoryStream, one addData per batch, with no-data batches off so that its batches are the same.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStream, SparkSession, type DataFrame } from '../../runtime/src/streamlab.js';
import type { Row } from '../../runtime/src/engine/expressions/compile.js';
import type { StructType } from '../../runtime/src/engine/types.js';
import { planChain } from '../../runtime/src/export/plan-code.js';
import { StubCollector } from '../../runtime/src/export/python-text.js';
import { compareBatch, plainValue, type Plain } from './canonical.js';
import { pysparkEnv, pysparkProblem, pysparkPython } from './pyspark-dist.js';

const ORDERS = 'order_id INT, cust_id INT, amount DOUBLE, status STRING';
const orders = [[1, 1, 12.5, 'new'], [2, 2, 30.25, 'paid'], [3, 1, 45.5, 'paid'], [4, 3, 8.75, 'new'], [5, 4, 22.5, 'shipped'], [6, 2, 17.5, 'paid']];
const CUSTOMERS = 'cust_id INT, name STRING, city STRING';
const customers = [[1, 'Ada', 'Berlin'], [2, 'Bo', 'Paris'], [3, 'Cy', 'Berlin'], [5, 'Di', 'Rome']];

/** Batch queries; `ordered` ones are compared in order (their ORDER BY is total). */
const BATCH: { name: string; sql: string; ordered?: boolean }[] = [
  { name: 'group_order', sql: 'SELECT status, count(*) AS n, sum(amount) AS total FROM orders GROUP BY status ORDER BY status', ordered: true },
  { name: 'join_on', sql: 'SELECT o.order_id, c.name, o.amount FROM orders o JOIN customers c ON o.cust_id = c.cust_id WHERE o.amount > 10' },
  { name: 'left_join_star', sql: 'SELECT * FROM orders o LEFT JOIN customers c ON o.cust_id = c.cust_id' },
  { name: 'using_having', sql: 'SELECT c.city, avg(o.amount) AS avg_amount, count(*) FROM orders o JOIN customers c USING (cust_id) GROUP BY c.city HAVING count(*) > 1' },
  { name: 'full_join', sql: 'SELECT o.order_id, c.cust_id, c.name FROM orders o FULL OUTER JOIN customers c ON o.cust_id = c.cust_id' },
  { name: 'distinct', sql: 'SELECT DISTINCT status FROM orders' },
  { name: 'union', sql: 'SELECT cust_id FROM orders UNION SELECT cust_id FROM customers' },
  { name: 'union_all', sql: 'SELECT cust_id FROM orders WHERE amount > 20 UNION ALL SELECT cust_id FROM customers' },
  { name: 'global', sql: 'SELECT count(*), max(amount), min(status) FROM orders' },
  { name: 'order_hidden', sql: 'SELECT name FROM customers ORDER BY city DESC, name LIMIT 3', ordered: true },
  { name: 'order_by_aggregate', sql: 'SELECT upper(status) AS s, count(*) FROM orders GROUP BY status ORDER BY count(*) DESC, s', ordered: true },
  { name: 'subquery', sql: 'SELECT t.cust_id, t.total FROM (SELECT cust_id, sum(amount) AS total FROM orders GROUP BY cust_id) t WHERE t.total > 30' },
  { name: 'semi', sql: 'SELECT * FROM customers c LEFT SEMI JOIN orders o ON c.cust_id = o.cust_id' },
  { name: 'no_from', sql: "SELECT 1 AS one, concat('a', 'b') AS ab, 2 + 3" },
  { name: 'cte_ordinal', sql: 'WITH big AS (SELECT * FROM orders WHERE amount >= 17.5) SELECT status, count(*) FROM big GROUP BY 1' },
];

const EVENTS = 'ts TIMESTAMP, cust_id INT, amount DOUBLE, status STRING';
/**
 * Micro-batches of the stream. The last one's 00:00:04 row is behind the watermark (17 s after the
 * second batch, 26 s after the third) and is dropped; the second one's 00:00:02 row is not. The third
 * batch runs with watermark 17 s but judges late rows by the second batch's 7 s, so its 00:00:08 row
 * (window end 10 s) is counted.
 */
const EVENT_BATCHES: [string, number, number, string][][] = [
  [['2024-01-01T00:00:01Z', 1, 12.5, 'new'], ['2024-01-01T00:00:03Z', 2, 30, 'paid'], ['2024-01-01T00:00:12Z', 1, 5.5, 'new']],
  [['2024-01-01T00:00:22Z', 3, 40, 'paid'], ['2024-01-01T00:00:02Z', 2, 8, 'new']],
  [['2024-01-01T00:00:31Z', 1, 11, 'paid'], ['2024-01-01T00:00:25Z', 5, 9, 'paid'], ['2024-01-01T00:00:08Z', 4, 7.5, 'new']],
  [['2024-01-01T00:00:04Z', 1, 1, 'new'], ['2024-01-01T00:00:41Z', 2, 2.5, 'paid']],
];
const STREAMS: { name: string; sql: string; mode: string }[] = [
  { name: 'windowed', sql: "SELECT window.start AS start, status, count(*) AS n, sum(amount) AS total FROM events GROUP BY window(ts, '10 seconds'), status", mode: 'update' },
  { name: 'stream_static_join', sql: 'SELECT e.ts, c.name, e.amount FROM events e JOIN customers c ON e.cust_id = c.cust_id WHERE e.amount > 10', mode: 'append' },
];

const RUNNER = `
import calendar, datetime, json, sys
from pyspark.sql import SparkSession
from pyspark.sql import functions as F
def plain(v):
    if isinstance(v, datetime.datetime):
        return calendar.timegm(v.timetuple()) * 1_000_000 + v.microsecond
    return v
def rows(df):
    return [[plain(v) for v in r] for r in df.collect()]
spark = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
         .config("spark.sql.session.timeZone", "UTC").config("spark.sql.shuffle.partitions", "2").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
out = {"batch": {}, "export": {}, "stream": {}, "streamExport": {}}
`;

/** Rows as arrays of canonical values (a join's output may repeat a column name). */
function arrays(rows: readonly Row[], schema: StructType): Plain[] {
  return rows.map((r) => schema.fields.map((f, i) => plainValue(r[i], f.dataType)));
}

function runPython(script: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(pysparkPython(), [script], { env: pysparkEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

type Result = { columns: string[]; rows: Plain[] };

describe('spark.sql on Apache Spark', () => {
  let work: string;
  const stubs = new StubCollector();
  const engine: Record<string, Result> = {};
  const engineStreams: Record<string, Plain[][]> = {};
  let spark: { batch: Record<string, Result>; export: Record<string, Result>; stream: Record<string, Plain[][]>; streamExport: Record<string, Plain[][]> };

  beforeAll(async () => {
    const problem = pysparkProblem();
    if (problem) throw new Error(`parity: ${problem}`);
    work = mkdtempSync(join(tmpdir(), 'streamlab-sql-parity-'));

    const session = SparkSession.builder.output(() => undefined).create();
    session.createDataFrame(orders, ORDERS).createOrReplaceTempView('orders');
    session.createDataFrame(customers, CUSTOMERS).createOrReplaceTempView('customers');
    let script = RUNNER;
    script += `spark.createDataFrame(${JSON.stringify(orders)}, ${JSON.stringify(ORDERS)}).createOrReplaceTempView("orders")\n`;
    script += `spark.createDataFrame(${JSON.stringify(customers)}, ${JSON.stringify(CUSTOMERS)}).createOrReplaceTempView("customers")\n`;
    const frames: Record<string, DataFrame> = {};
    for (const q of BATCH) {
      const df = session.sql(q.sql);
      frames[q.name] = df;
      engine[q.name] = { columns: df.columns, rows: arrays(df.collectInternal(), df.schema) };
      script += `df = spark.sql(${JSON.stringify(q.sql)})\n`;
      script += `out["batch"][${JSON.stringify(q.name)}] = {"columns": df.columns, "rows": rows(df)}\n`;
      script += `df = (${planChain(df.plan, { stubs, where: q.name }).join('\n    ')})\n`;
      script += `out["export"][${JSON.stringify(q.name)}] = {"columns": df.columns, "rows": rows(df)}\n`;
    }
    expect(stubs.stubs).toEqual([]);

    // The stream: one JSON file per micro-batch, modified in order so Spark reads them in order.
    const dir = join(work, 'events');
    mkdirSync(dir);
    EVENT_BATCHES.forEach((batch, i) => {
      const file = join(dir, `part-${i}.json`);
      writeFileSync(file, batch.map(([ts, cust_id, amount, status]) => JSON.stringify({ ts, cust_id, amount, status })).join('\n') + '\n');
      utimesSync(file, 1_700_000_000 + i * 10, 1_700_000_000 + i * 10);
    });
    script += `events = spark.readStream.schema(${JSON.stringify(EVENTS)}).option("maxFilesPerTrigger", 1).json(${JSON.stringify(dir)}).withWatermark("ts", "5 seconds")\n`;
    script += `events.createOrReplaceTempView("events")\n`;
    for (const s of STREAMS) {
      script += `batches = []\n`;
      script += `def keep(bdf, bid):\n    r = rows(bdf)\n    if r:\n        batches.append(r)\n`;
      script += `q = spark.sql(${JSON.stringify(s.sql)}).writeStream.outputMode(${JSON.stringify(s.mode)}).option("checkpointLocation", ${JSON.stringify(join(work, `cp-${s.name}`))}).trigger(availableNow=True).foreachBatch(keep).start()\n`;
      script += `q.awaitTermination()\n`;
      script += `out["stream"][${JSON.stringify(s.name)}] = batches\n`;

      session.conf.set('spark.sql.streaming.noDataMicroBatches.enabled', 'false');
      const ms = new MemoryStream(EVENTS, session);
      ms.toDF().withWatermark('ts', '5 seconds').createOrReplaceTempView('events');
      const df = session.sql(s.sql);
      expect(df.isStreaming).toBe(true);
      // The export of the query's plan, over the same files as Spark's source (the MemoryStream's read is replaced).
      const chain = planChain(df.plan, { stubs, where: s.name });
      const load = chain.indexOf('.load()');
      expect(chain[0]).toBe('spark.readStream');
      const exported = [`spark.readStream.schema(${JSON.stringify(EVENTS)}).option("maxFilesPerTrigger", 1).json(${JSON.stringify(dir)})`, ...chain.slice(load + 1)];
      script += `batches = []\n`;
      script += `q = (${exported.join('\n    ')}).writeStream.outputMode(${JSON.stringify(s.mode)}).option("checkpointLocation", ${JSON.stringify(join(work, `cp-export-${s.name}`))}).trigger(availableNow=True).foreachBatch(keep).start()\n`;
      script += `q.awaitTermination()\n`;
      script += `out["streamExport"][${JSON.stringify(s.name)}] = batches\n`;
      const batches: Plain[][] = [];
      const q = df.writeStream.outputMode(s.mode).foreachBatch((b) => {
        const r = arrays(b.collectInternal(), b.schema);
        if (r.length > 0) batches.push(r);
      }).start();
      for (const batch of EVENT_BATCHES) {
        ms.addData(...batch.map(([ts, c, a, st]) => [new Date(ts), c, a, st]));
        await q.processAllAvailable();
      }
      await q.stop();
      engineStreams[s.name] = batches;
    }

    script += `json.dump(out, open(${JSON.stringify(join(work, 'spark.json'))}, "w"))\n`;
    writeFileSync(join(work, 'sql.py'), script);
    const r = await runPython(join(work, 'sql.py'));
    if (r.code !== 0) throw new Error(`PySpark failed (${r.code}):\n${r.output.slice(-4000)}\n--- script ---\n${script}`);
    spark = JSON.parse(readFileSync(join(work, 'spark.json'), 'utf8'));
  }, 600_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  for (const q of BATCH) {
    it(`gives Spark's columns and rows for ${q.name}: ${q.sql}`, () => {
      const e = engine[q.name]!;
      const s = spark.batch[q.name]!;
      expect(e.columns).toEqual(s.columns);
      expect(e.rows.length).toBeGreaterThan(0);
      if (q.ordered) expect(e.rows).toEqual(s.rows);
      else expect(compareBatch(e.rows, s.rows)).toBeUndefined();
    });
  }

  it('exports each query as PySpark code that gives the same columns and rows on Spark', () => {
    for (const q of BATCH) {
      const s = spark.batch[q.name]!;
      const x = spark.export[q.name]!;
      expect(x.columns, q.name).toEqual(s.columns);
      if (q.ordered) expect(x.rows, q.name).toEqual(s.rows);
      else expect(compareBatch(x.rows, s.rows), q.name).toBeUndefined();
    }
  });

  for (const s of STREAMS) {
    it(`gives Spark's micro-batches for the streaming query ${s.name} (${s.mode}): ${s.sql}`, () => {
      const e = engineStreams[s.name]!;
      const k = spark.stream[s.name]!;
      expect(e.length).toBe(k.length);
      expect(e.length).toBeGreaterThan(1);
      e.forEach((batch, i) => expect(compareBatch(batch, k[i]!), `batch ${i}`).toBeUndefined());
    });
  }

  it('exports each streaming query as PySpark code that gives the same micro-batches on Spark', () => {
    expect(stubs.stubs).toEqual([]);
    for (const s of STREAMS) {
      const k = spark.stream[s.name]!;
      const x = spark.streamExport[s.name]!;
      expect(x.length, s.name).toBe(k.length);
      x.forEach((batch, i) => expect(compareBatch(batch, k[i]!), `${s.name} batch ${i}`).toBeUndefined());
    }
  });

  it('counts a row judged by the previous batch\'s watermark and drops the late row of the last micro-batch, as Spark does', () => {
    expect(engineStreams.windowed![2]).toContainEqual([Date.parse('2024-01-01T00:00:00Z') * 1000, 'new', 3, 28]);
    expect(engineStreams.windowed!.at(-1)).toEqual([[Date.parse('2024-01-01T00:00:40Z') * 1000, 'paid', 1, 2.5]]);
  });
});
