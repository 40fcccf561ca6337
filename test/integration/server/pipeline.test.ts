/**
 * Pipelines through the real server and job processes: a memory-source aggregation (system and manual
 * clock) and a Kafka-source pipeline against the run's real Kafka. Asserts the `run.batch` rows exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../runtime/src/config.js';
import type { LegacyRunBatch, ServerMessageOf, StructuredBatchEvent } from '../../../runtime/src/protocol/index.js';
import { startRuntimeServer, type RuntimeServer } from '../../../runtime/src/server/runtime-server.js';
import { databaseUrl, kafkaBootstrap } from '../../services/inject.js';
import { topicWithMessages } from '../../services/kafka-topics.js';
import { TestClient } from './ws-client.js';

const TOKEN = 'pipeline-test-token-0123456789';
let server: RuntimeServer;
let client: TestClient;

beforeAll(async () => {
  server = await startRuntimeServer({ config: resolveConfig({ port: 0, token: TOKEN }), services: { kafka: kafkaBootstrap(), pg: databaseUrl() } });
  client = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws?token=${TOKEN}`);
  expect(await client.hello(undefined, [1, 2, 3, 4])).toMatchObject({ kind: 'hello.ok', version: 4 });
});

afterAll(async () => {
  await client?.close();
  await server?.close();
});

const WORD_COUNT = `import { SparkSession, MemoryStream } from "streamlab";

export function main(): void {
  const spark = SparkSession.builder.appName("words").getOrCreate();
  const words = new MemoryStream("word STRING", spark);
  words.addData({ word: "kafka" }, { word: "spark" }, { word: "kafka" });
  words.toDF().groupBy("word").count().orderBy("word")
    .writeStream.outputMode("complete").format("console").queryName("counts").start();
}
`;

async function start(content: string, mode: 'system' | 'manual'): Promise<string> {
  const reply = await client.request({ kind: 'run.start', files: [{ path: 'pipeline.ts', content }], mode });
  if (reply.kind !== 'run.start.ok') throw new Error(JSON.stringify(reply));
  return reply.runId;
}

function batches(runId: string): ServerMessageOf<'run.batch'>[] {
  return client.messages.filter((m): m is ServerMessageOf<'run.batch'> => m.kind === 'run.batch' && m.runId === runId);
}

describe('memory source', () => {
  for (const mode of ['system', 'manual'] as const) {
    it(`streams run.batch with the aggregated rows on the ${mode} clock, then stops`, async () => {
      const runId = await start(WORD_COUNT, mode);
      const batch = await client.waitFor((m) => m.kind === 'run.batch' && m.runId === runId) as StructuredBatchEvent;
      expect([batch.queryName, batch.batchId, batch.rows, batch.totalRows, batch.truncated]).toEqual([
        'counts', 0, [{ word: 'kafka', count: 2 }, { word: 'spark', count: 1 }], 2, false,
      ]);
      // The query announced itself before its first batch: no trigger set, so Spark's default.
      const events = client.eventsOf(runId).map((m) => m.kind);
      expect(events.indexOf('run.query')).toBeLessThan(events.indexOf('run.batch'));
      expect(client.eventsOf(runId).filter((m) => m.kind === 'run.query')).toEqual([
        { kind: 'run.query', runId, queryName: 'counts', queryId: batch.progress.id, trigger: { kind: 'default', intervalMs: 0 } },
      ]);
      expect(batch.schema).toEqual([{ name: 'word', type: 'string' }, { name: 'count', type: 'bigint' }]);
      expect([batch.progress.batchId, batch.progress.numInputRows, batch.progress.name]).toEqual([0, 3, 'counts']);
      expect([batch.api, batch.trace.api, batch.trace.columns, batch.trace.input.total, batch.trace.watermark]).toEqual(['structured', 'structured', ['word', 'count'], 3, null]);
      const log = await client.waitFor((m) => m.kind === 'run.log' && m.runId === runId);
      expect(log).toEqual({
        kind: 'run.log', runId, level: 'log',
        text: '-------------------------------------------\nBatch: 0\n-------------------------------------------\n+-----+-----+\n| word|count|\n+-----+-----+\n|kafka|    2|\n|spark|    1|\n+-----+-----+\n',
      });
      if (mode === 'manual') {
        // Nothing new arrived, so a step runs no batch and the manual clock has not moved.
        expect(await client.request({ kind: 'run.step', runId, batches: 1 })).toMatchObject({ kind: 'run.step.ok', runId, batchesRun: 0, clockMs: 0 });
        expect(await client.request({ kind: 'run.step', runId, advanceMs: 5000 })).toMatchObject({ kind: 'run.step.ok', runId, batchesRun: 0, clockMs: 5000 });
      } else {
        const step = await client.request({ kind: 'run.step', runId, batches: 1 });
        expect(step).toMatchObject({ kind: 'error', code: 'invalid-request', message: 'run.step needs a run started with mode "manual".' });
      }
      expect(await client.request({ kind: 'run.stop', runId })).toMatchObject({ kind: 'run.stop.ok', runId });
      expect((await client.runEnded(runId)).state).toBe('stopped');
      expect(batches(runId).length).toBe(1);
    });
  }

  it('sends the rows a client asks for up to 1000 per batch, then flags the rest as truncated', async () => {
    const content = `import { SparkSession, MemoryStream, functions as F } from "streamlab";

export function main(): void {
  const spark = SparkSession.builder.appName("rows").getOrCreate();
  const numbers = new MemoryStream("n INT", spark);
  numbers.addData(...Array.from({ length: 1200 }, (_, n) => ({ n })));
  numbers.toDF().filter(F.col("n").lt(1000)).writeStream.format("memory").queryName("thousand").start();
  numbers.toDF().writeStream.format("memory").queryName("all").start();
}
`;
    const refused = await client.request({ kind: 'run.start', files: [{ path: 'pipeline.ts', content }], mode: 'manual', maxRows: 1001 });
    expect(refused).toMatchObject({ kind: 'error', code: 'bad-message', message: 'Invalid run.start message: maxRows: Too big: expected number to be <=1000.' });
    const asked = async (maxRows: number | undefined): Promise<Record<string, [number, number, boolean, unknown]>> => {
      const reply = await client.request({ kind: 'run.start', files: [{ path: 'pipeline.ts', content }], mode: 'manual', ...(maxRows === undefined ? {} : { maxRows }) });
      if (reply.kind !== 'run.start.ok') throw new Error(JSON.stringify(reply));
      const runId = reply.runId;
      await client.waitFor((m) => m.kind === 'run.batch' && m.runId === runId && 'queryName' in m && m.queryName === 'all');
      await client.waitFor((m) => m.kind === 'run.batch' && m.runId === runId && 'queryName' in m && m.queryName === 'thousand');
      await client.request({ kind: 'run.stop', runId });
      await client.runEnded(runId);
      const seen: Record<string, [number, number, boolean, unknown]> = {};
      for (const b of batches(runId) as StructuredBatchEvent[]) seen[b.queryName!] = [b.rows.length, b.totalRows, b.truncated, b.rows.at(-1)];
      return seen;
    };
    expect(await asked(1000)).toEqual({ thousand: [1000, 1000, false, { n: 999 }], all: [1000, 1200, true, { n: 999 }] });
    expect(await asked(undefined)).toEqual({ thousand: [100, 1000, true, { n: 99 }], all: [100, 1200, true, { n: 99 }] });
  });

  it('sends no more rows than asked for even when the pipeline patches the engine\'s Array.prototype.slice', async () => {
    // An array the engine made is of the job process's realm: through its prototype, learner code can
    // change what the process's own code calls when it cuts a batch's rows.
    const content = `import { SparkSession, MemoryStream } from "streamlab";

export function main(): void {
  const spark = SparkSession.builder.appName("rows").getOrCreate();
  const numbers = new MemoryStream("n INT", spark);
  const engineArray = Object.getPrototypeOf(numbers.toDF().columns) as { slice: unknown };
  engineArray.slice = function (this: unknown[]) { return [...this]; };
  console.log(Object.getPrototypeOf([]) === engineArray ? "same realm" : "the engine's realm");
  numbers.addData(...Array.from({ length: 1200 }, (_, n) => ({ n })));
  numbers.toDF().writeStream.format("memory").queryName("all").start();
}
`;
    const reply = await client.request({ kind: 'run.start', files: [{ path: 'pipeline.ts', content }], mode: 'manual', maxRows: 10 });
    if (reply.kind !== 'run.start.ok') throw new Error(JSON.stringify(reply));
    const runId = reply.runId;
    const batch = await client.waitFor((m) => m.kind === 'run.batch' && m.runId === runId) as StructuredBatchEvent;
    await client.request({ kind: 'run.stop', runId });
    await client.runEnded(runId);
    expect(client.eventsOf(runId).filter((m) => m.kind === 'run.log').map((m) => (m as { text: string }).text)).toEqual(["the engine's realm"]);
    expect([batch.rows.length, batch.totalRows, batch.truncated, batch.rows.at(-1)]).toEqual([10, 1200, true, { n: 9 }]);
  });

  it('refuses a pipeline that patches the job process\'s built-ins through an engine array, so the rows, progress, trace and latency it reports are the engine\'s', async () => {
    // Through an engine array's prototype chain, learner code reaches the job process's Array.prototype
    // and Object.prototype. An Object.prototype.toJSON there would rewrite every message the process
    // sends the runtime as it is serialized; a replaced Array.prototype.slice would cut the rows its way.
    const content = `import { SparkSession, MemoryStream } from "streamlab";

export function main(): void {
  const spark = SparkSession.builder.appName("forge").getOrCreate();
  const numbers = new MemoryStream("n INT", spark);
  const arrays = Object.getPrototypeOf(numbers.toDF().columns) as Record<string, unknown>;
  const objects = Object.getPrototypeOf(arrays) as Record<string, unknown>;
  const forged = { name: "forged", kind: "flow", count: 1, p50: 1, p95: 1, p99: 1, max: 1, histogram: [1, 0] };
  const toJSON = function (this: Record<string, any>) {
    if (this.type === "heartbeat" || this.type === "latency") return { type: "latency", bucketsMs: [1], pipelines: [forged] };
    if (this.type === "batch") return {
      ...this, rows: [{ n: -1 }], totalRows: 1,
      progress: { ...this.progress, numInputRows: 999 },
      trace: { ...this.trace, input: { ...this.trace.input, total: 999 } },
    };
    return this;
  };
  const slice = function () { return [{ n: -2 }]; };
  const attempts: [string, Record<string, unknown>, string, unknown][] = [
    ["Object.prototype.toJSON", objects, "toJSON", toJSON],
    ["Array.prototype.slice", arrays, "slice", slice],
  ];
  for (const [name, target, key, value] of attempts) {
    try {
      target[key] = value;
    } catch {
      // A strict-mode assignment to a frozen object throws; a sloppy one is ignored.
    }
    console.log(name + (target[key] === value ? " patched" : " refused"));
  }
  numbers.addData(...Array.from({ length: 5 }, (_, n) => ({ n })));
  numbers.toDF().writeStream.format("memory").queryName("all").start();
}
`;
    const reply = await client.request({ kind: 'run.start', files: [{ path: 'pipeline.ts', content }], mode: 'manual', maxRows: 10 });
    if (reply.kind !== 'run.start.ok') throw new Error(JSON.stringify(reply));
    const runId = reply.runId;
    const batch = await client.waitFor((m) => m.kind === 'run.batch' && m.runId === runId) as StructuredBatchEvent;
    await client.request({ kind: 'run.stop', runId });
    expect((await client.runEnded(runId)).state).toBe('stopped');
    expect(client.eventsOf(runId).filter((m) => m.kind === 'run.log').map((m) => (m as { text: string }).text)).toEqual([
      'Object.prototype.toJSON refused', 'Array.prototype.slice refused',
    ]);
    expect([batch.rows, batch.totalRows, batch.truncated]).toEqual([[0, 1, 2, 3, 4].map((n) => ({ n })), 5, false]);
    expect([batch.progress.numInputRows, batch.trace.input.total]).toEqual([5, 5]);
    expect(client.eventsOf(runId).filter((m) => m.kind === 'run.latency')).toEqual([]);
    expect(batches(runId).length).toBe(1);
  });

  it('sends a protocol 1 client the run without run.query and without the batch schema', async () => {
    const v1 = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws?token=${TOKEN}`);
    try {
      expect(await v1.hello()).toMatchObject({ kind: 'hello.ok', version: 1 });
      const reply = await v1.request({ kind: 'run.start', files: [{ path: 'pipeline.ts', content: WORD_COUNT }], mode: 'manual' });
      if (reply.kind !== 'run.start.ok') throw new Error(JSON.stringify(reply));
      const batch = await v1.waitFor((m) => m.kind === 'run.batch' && m.runId === reply.runId);
      expect(batch).toMatchObject({ kind: 'run.batch', queryName: 'counts', batchId: 0, rows: [{ word: 'kafka', count: 2 }, { word: 'spark', count: 1 }] });
      expect(Object.keys(batch)).not.toContain('schema');
      expect(await v1.request({ kind: 'run.stop', runId: reply.runId })).toMatchObject({ kind: 'run.stop.ok' });
      await v1.runEnded(reply.runId);
      expect(v1.eventsOf(reply.runId).map((m) => m.kind)).not.toContain('run.query');
      expect(v1.invalid).toEqual([]);
    } finally {
      await v1.close();
    }
  });

  it('sends the watermark and event times once, in the trace in epoch ms, and a protocol 3 client Spark\'s ISO eventTime', async () => {
    const content = `import { SparkSession, MemoryStream, functions as F } from "streamlab";

export function main(): void {
  const spark = SparkSession.builder.appName("late").getOrCreate();
  const readings = new MemoryStream("sensor STRING, ts TIMESTAMP", spark);
  readings.addData({ sensor: "s1", ts: new Date(1000) }, { sensor: "s2", ts: new Date(2500) });
  readings.toDF().withWatermark("ts", "1 second").groupBy(F.window("ts", "10 seconds"), "sensor").count()
    .writeStream.outputMode("update").format("memory").queryName("counts").start();
}
`;
    const runId = await start(content, 'manual');
    const batch = await client.waitFor((m) => m.kind === 'run.batch' && m.runId === runId) as StructuredBatchEvent;
    expect([batch.trace.watermark, batch.trace.eventTime]).toEqual([{ beforeMs: 0, afterMs: 1500, lateThresholdMs: 0 }, { minMs: 1000, maxMs: 2500, avgMs: 1750 }]);
    expect(Object.keys(batch.progress)).not.toContain('eventTime');
    await client.request({ kind: 'run.stop', runId });
    await client.runEnded(runId);

    const v3 = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws?token=${TOKEN}`);
    try {
      expect(await v3.hello(undefined, [1, 2, 3])).toMatchObject({ kind: 'hello.ok', version: 3 });
      const reply = await v3.request({ kind: 'run.start', files: [{ path: 'pipeline.ts', content }], mode: 'manual' });
      if (reply.kind !== 'run.start.ok') throw new Error(JSON.stringify(reply));
      const old = await v3.waitFor((m) => m.kind === 'run.batch' && m.runId === reply.runId) as LegacyRunBatch;
      expect(old.progress.eventTime).toEqual({ avg: '1970-01-01T00:00:01.750Z', max: '1970-01-01T00:00:02.500Z', min: '1970-01-01T00:00:01.000Z', watermark: '1970-01-01T00:00:00.000Z' });
      expect(Object.keys(old.progress)).toEqual([
        'id', 'runId', 'name', 'timestamp', 'batchId', 'batchDuration', 'numInputRows', 'inputRowsPerSecond', 'processedRowsPerSecond',
        'durationMs', 'eventTime', 'stateOperators', 'sources', 'sink',
      ]);
      expect(old.trace).toMatchObject({ batchId: 0, kind: 'data', watermark: { beforeMs: 0, afterMs: 1500, lateThresholdMs: 0 }, columns: ['window', 'sensor', 'count'] });
      expect(Object.keys(old.trace as object)).not.toContain('api');
      expect(Object.keys(old.trace as object)).not.toContain('eventTime');
      await v3.request({ kind: 'run.stop', runId: reply.runId });
      await v3.runEnded(reply.runId);
      expect(v3.invalid).toEqual([]);
    } finally {
      await v3.close();
    }
  });

  it('reports a throw inside a user function of a query at the learner line', async () => {
    const content = `import { SparkSession, MemoryStream } from "streamlab";
const spark = SparkSession.builder.getOrCreate();
const temps = new MemoryStream("t DOUBLE", spark);
temps.addData({ t: 21 }, { t: 150 });
temps.toDF().writeStream.foreachBatch((df: any, id: number) => {
  throw new Error("batch " + id + " rejected");
}).start();
`;
    const runId = await start(content, 'system');
    const ended = await client.runEnded(runId);
    expect(ended.state).toBe('failed');
    const error = client.messages.find((m) => m.kind === 'run.error' && m.runId === runId);
    expect(error).toMatchObject({ kind: 'run.error', runId, message: 'batch 0 rejected', file: 'pipeline.ts', line: 6, column: 9 });
  });
});

describe('a wrong schema string', () => {
  // As learners write it: the readings' JSON read from Kafka with a DDL string; the run fails before
  // any query starts, at the line that names the schema.
  const cases = [
    {
      name: 'in F.from_json',
      code: `import { SparkSession, functions as F } from "streamlab";
const spark = SparkSession.builder.getOrCreate();
spark.readStream.format("kafka").option("kafka.bootstrap.servers", "localhost:9092").option("subscribe", "sensors.temperature").load()
  .select(F.from_json(F.col("value").cast("string"), "node_name STRING, temperature DOUBL").alias("data"))
  .writeStream.format("console").start();
`,
      error: { code: 'UNSUPPORTED_DATATYPE', message: '[UNSUPPORTED_DATATYPE] Unsupported data type "DOUBL".', file: 'pipeline.ts', line: 4, column: 13 },
    },
    {
      name: 'in a selectExpr',
      code: `import { SparkSession } from "streamlab";
const spark = SparkSession.builder.getOrCreate();
spark.readStream.format("kafka").option("kafka.bootstrap.servers", "localhost:9092").option("subscribe", "sensors.temperature").load()
  .selectExpr("from_json(CAST(value AS STRING), 'node_name STRING,, ts TIMESTAMP') AS data")
  .writeStream.format("console").start();
`,
      error: {
        code: 'PARSE_SYNTAX_ERROR', message: `[PARSE_SYNTAX_ERROR] Syntax error at or near ', ts TIMES' (position 18): expected a column name in DDL "node_name STRING,, ts TIMESTAMP".`,
        file: 'pipeline.ts', line: 4, column: 4,
      },
    },
    {
      name: 'kept in a constant and used in main()',
      code: `import { SparkSession, functions as F } from "streamlab";

const schema = "node_name STRING, temperature DOUBLE, ts TIMESTAMPP";

export function main(): void {
  const spark = SparkSession.builder.getOrCreate();
  const readings = spark.readStream.format("kafka").option("kafka.bootstrap.servers", "localhost:9092").option("subscribe", "sensors.temperature").load()
    .select(F.from_json(F.col("value").cast("string"), schema).alias("data"));
  readings.writeStream.format("console").start();
}
`,
      error: { code: 'UNSUPPORTED_DATATYPE', message: '[UNSUPPORTED_DATATYPE] Unsupported data type "TIMESTAMPP".', file: 'pipeline.ts', line: 8, column: 15 },
    },
  ];
  for (const c of cases) {
    it(`${c.name} fails the run at the learner's line`, async () => {
      const runId = await start(c.code, 'system');
      expect((await client.runEnded(runId)).state).toBe('failed');
      const errors = client.eventsOf(runId).filter((m) => m.kind === 'run.error');
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ kind: 'run.error', runId, ...c.error });
      expect(batches(runId)).toEqual([]);
    });
  }
});

describe('triggers and output schema', () => {
  it('reports each query\'s trigger, and the window struct and average types of the output', async () => {
    const content = `import { SparkSession, MemoryStream, functions as F } from "streamlab";

export function main(): void {
  const spark = SparkSession.builder.appName("triggers").getOrCreate();
  const readings = new MemoryStream("sensor STRING, temp INT, ts TIMESTAMP", spark);
  readings.addData({ sensor: "s1", temp: 21, ts: new Date(1000) }, { sensor: "s1", temp: 22, ts: new Date(2000) });
  readings.toDF().groupBy(F.window("ts", "10 seconds"), "sensor").agg(F.avg("temp").alias("avg_temp"))
    .writeStream.outputMode("complete").format("memory").queryName("averages")
    .trigger({ processingTime: "10 seconds" }).start();
  readings.toDF().select("sensor").writeStream.format("memory").queryName("raw")
    .trigger({ processingTime: "2 seconds" }).start();
}
`;
    const runId = await start(content, 'manual');
    const averages = await client.waitFor((m) => m.kind === 'run.batch' && m.runId === runId && 'queryName' in m && m.queryName === 'averages') as StructuredBatchEvent;
    const raw = await client.waitFor((m) => m.kind === 'run.batch' && m.runId === runId && 'queryName' in m && m.queryName === 'raw') as StructuredBatchEvent;
    const queries = client.eventsOf(runId).filter((m) => m.kind === 'run.query');
    expect(queries.map((q) => (q.kind === 'run.query' ? [q.queryName, q.queryId, q.trigger] : null)).sort()).toEqual([
      ['averages', averages.progress.id, { kind: 'processingTime', intervalMs: 10_000 }],
      ['raw', raw.progress.id, { kind: 'processingTime', intervalMs: 2000 }],
    ]);
    expect(averages.schema).toEqual([
      { name: 'window', type: 'struct<start:timestamp,end:timestamp>' }, { name: 'sensor', type: 'string' }, { name: 'avg_temp', type: 'double' },
    ]);
    // An average of whole numbers is still a double, which a guess from the JSON value 21.5 or 21 could not tell.
    expect(averages.rows).toEqual([{ window: { start: '1970-01-01T00:00:00.000Z', end: '1970-01-01T00:00:10.000Z' }, sensor: 's1', avg_temp: 21.5 }]);
    expect(raw.schema).toEqual([{ name: 'sensor', type: 'string' }]);
    expect(await client.request({ kind: 'run.stop', runId })).toMatchObject({ kind: 'run.stop.ok', runId });
    expect((await client.runEnded(runId)).state).toBe('stopped');
  });
});

describe('no-data batches', () => {
  const evicting = (noData: boolean) => `import { SparkSession, MemoryStream, functions as F } from "streamlab";

export function main(): void {
  const spark = SparkSession.builder.appName("evict").getOrCreate();
  ${noData ? '' : 'spark.conf.set("spark.sql.streaming.noDataMicroBatches.enabled", "false");'}
  const readings = new MemoryStream("sensor STRING, ts TIMESTAMP", spark);
  readings.addData({ sensor: "s1", ts: new Date(1000) }, { sensor: "s1", ts: new Date(12000) });
  readings.toDF().withWatermark("ts", "1 second").groupBy(F.window("ts", "10 seconds")).count()
    .writeStream.outputMode("append").format("memory").queryName("windows")
    .trigger({ processingTime: "5 seconds" }).start();
}
`;
  for (const noData of [true, false]) {
    it(`sends the batch Spark runs without new data to evict a window${noData ? '' : ' (none when no-data batches are disabled)'}, and none for idle triggers`, async () => {
      const runId = await start(evicting(noData), 'manual');
      await client.waitFor((m) => m.kind === 'run.batch' && m.runId === runId);
      const ran: number[] = [];
      for (let i = 0; i < 4; i++) {
        const step = await client.request({ kind: 'run.step', runId, advanceMs: 5000 });
        if (step.kind !== 'run.step.ok') throw new Error(JSON.stringify(step));
        ran.push(step.batchesRun);
      }
      await client.request({ kind: 'run.stop', runId });
      await client.runEnded(runId);
      const seen = (batches(runId) as StructuredBatchEvent[]).map((b) => [
        b.batchId, b.trace.kind, b.progress.timestamp, b.progress.numInputRows, b.trace.watermark?.beforeMs, b.progress.stateOperators[0]?.numRowsRemoved, b.rows,
      ]);
      const first = [0, 'data', '1970-01-01T00:00:00.000Z', 2, 0, 0, []];
      if (noData) {
        // Batch 0 moved the watermark to 11 s, so the next trigger runs a batch without data that evicts
        // [0 s, 10 s) and writes it; the triggers after it have neither data nor a watermark to act on.
        expect(ran).toEqual([1, 0, 0, 0]);
        expect(seen).toEqual([first, [1, 'no-data', '1970-01-01T00:00:05.000Z', 0, 11_000, 1, [{ window: { start: '1970-01-01T00:00:00.000Z', end: '1970-01-01T00:00:10.000Z' }, count: 1 }]]]);
      } else {
        expect(ran).toEqual([0, 0, 0, 0]);
        expect(seen).toEqual([first]);
      }
    });
  }
});

describe('dstream', () => {
  it('runs a StreamingContext on the manual clock: pprint output and a batch per interval', async () => {
    const content = `import { SparkSession, StreamingContext } from "streamlab";

export function main(): void {
  const spark = SparkSession.builder.appName("pairs").getOrCreate();
  const sc = spark.sparkContext;
  const ssc = new StreamingContext(sc, 10);
  ssc.queueStream([sc.parallelize(["a", "b", "a"])])
    .map((w: string) => [w, 1]).reduceByKey((x: number, y: number) => x + y).pprint();
  ssc.start();
}
`;
    const runId = await start(content, 'manual');
    await client.waitFor((m) => m.kind === 'run.status' && m.runId === runId && m.state === 'running');
    // The StreamingContext's batch duration is its trigger interval.
    expect(await client.waitFor((m) => m.kind === 'run.query' && m.runId === runId)).toEqual({
      kind: 'run.query', runId, queryName: null, queryId: null, trigger: { kind: 'batchDuration', intervalMs: 10_000 },
    });
    expect(await client.request({ kind: 'run.step', runId, advanceMs: 10_000 })).toMatchObject({ kind: 'run.step.ok', runId, clockMs: 10_000 });
    const log = await client.waitFor((m) => m.kind === 'run.log' && m.runId === runId);
    expect(log).toEqual({ kind: 'run.log', runId, level: 'log', text: "-------------------------------------------\nTime: 1970-01-01 00:00:10\n-------------------------------------------\n('a', 2)\n('b', 1)\n" });
    const batch = await client.waitFor((m) => m.kind === 'run.batch' && m.runId === runId);
    expect(batch).toEqual({
      kind: 'run.batch', api: 'dstream', runId, batchId: 0,
      trace: {
        api: 'dstream', batchTimeMs: 10_000, batchTime: '1970-01-01 00:00:10', intervalStartMs: 0,
        inputs: [{ streamId: 0, name: 'queueStream', records: 3, hasRdd: true }], windows: [], state: [], stateSize: 0, outputs: 1,
      },
    });
    expect(await client.request({ kind: 'run.stop', runId })).toMatchObject({ kind: 'run.stop.ok', runId });
    expect((await client.runEnded(runId)).state).toBe('stopped');
  });
});

describe('kafka source', () => {
  it('reads a real Kafka topic and streams its rows', async () => {
    const topic = await topicWithMessages('server-pipeline', 1, [{ key: 's1', value: '21.5' }, { key: 's2', value: '19.0' }]);
    const content = `import { SparkSession, functions as F } from "streamlab";
const spark = SparkSession.builder.getOrCreate();
spark.readStream.format("kafka")
  .option("kafka.bootstrap.servers", "ignored:9092")
  .option("subscribe", "${topic}")
  .option("startingOffsets", "earliest")
  .load()
  .select(F.col("key").cast("string").alias("sensor"), F.col("value").cast("string").cast("double").alias("temp"), "offset")
  .writeStream.format("console").queryName("readings").start();
`;
    const runId = await start(content, 'system');
    const first = await client.waitFor((m) => (m.kind === 'run.batch' || m.kind === 'run.error') && m.runId === runId);
    expect(first).toMatchObject({ kind: 'run.batch', queryName: 'readings', batchId: 0, rows: [{ sensor: 's1', temp: 21.5, offset: 0 }, { sensor: 's2', temp: 19, offset: 1 }], totalRows: 2 });
    expect(await client.request({ kind: 'run.stop', runId })).toMatchObject({ kind: 'run.stop.ok', runId });
    expect((await client.runEnded(runId)).state).toBe('stopped');
  });

  it('reads a static Kafka range with spark.read inside a job process', async () => {
    const topic = await topicWithMessages('server-static-read', 2, ['a', 'b', 'c', 'd'].map((value, i) => ({ value, partition: i % 2 })));
    const content = `import { SparkSession } from "streamlab";
const spark = SparkSession.builder.getOrCreate();
const df = spark.read.format("kafka")
  .option("kafka.bootstrap.servers", "ignored:9092")
  .option("subscribe", "${topic}")
  .option("startingOffsets", '{"${topic}": {"0": 1, "1": 0}}')
  .option("endingOffsets", '{"${topic}": {"0": -1, "1": 1}}')
  .load()
  .selectExpr("CAST(value AS STRING) AS v", "partition", "offset");
console.log(df.count(), JSON.stringify(df.orderBy("partition", "offset").collect().map((r) => [r.v, r.partition, r.offset])));
`;
    const runId = await start(content, 'system');
    const ended = await client.runEnded(runId);
    const logs = client.eventsOf(runId).filter((e) => e.kind === 'run.log' || e.kind === 'run.error');
    expect(logs, JSON.stringify(logs)).toEqual([expect.objectContaining({ kind: 'run.log', text: '2 [["c",0,1],["b",1,0]]' })]);
    expect(ended.state).toBe('finished');
  });
});
