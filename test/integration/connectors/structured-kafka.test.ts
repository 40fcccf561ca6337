/**
 * Structured Streaming over real Kafka through the registered connectors: Spark's batch formation
 * with maxOffsetsPerTrigger, the temperature pipeline into a `report` topic, and bad input.
 */
import { FormatRegistry } from '../../../runtime/src/engine/formats.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { freshTopic, kafkaBootstrap } from '../../services/inject.js';
import { ManualClock } from '../../../runtime/src/engine/clock.js';
import { SparkSession } from '../../../runtime/src/engine/structured/index.js';
import * as F from '../../../runtime/src/engine/structured/functions.js';
import { registerConnectors, type RegisteredConnectors } from '../../../runtime/src/connectors/index.js';
import { KafkaWriter } from '../../../runtime/src/connectors/kafka/kafka-writer.js';
import { KafkajsPartitionReader } from '../../../runtime/src/connectors/kafka/partition-reader.js';
import type { KafkaConnection } from '../../../runtime/src/connectors/kafka/kafka-connection.js';
import { createTopicReady } from '../../services/create-topic.js';

/** The formats this file's sessions know. */
const formats = FormatRegistry.withBuiltIns();

describe('Structured Streaming on real Kafka', () => {
  let conn: KafkaConnection;
  let admin: ReturnType<Kafka['admin']>;
  let connectors: RegisteredConnectors;

  beforeAll(async () => {
    conn = { brokers: [kafkaBootstrap()], clientId: 'structured-test' };
    connectors = registerConnectors(formats, { kafka: conn });
    admin = new Kafka({ brokers: conn.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
  });
  afterAll(async () => {
    await admin.disconnect();
    await connectors.close();
  });

  async function topicWith(prefix: string, partitions: number): Promise<string> {
    const topic = freshTopic(prefix);
    await createTopicReady(admin, topic, partitions);
    return topic;
  }

  it('forms batches as Spark does with maxOffsetsPerTrigger (KafkaMicroBatchSourceSuite)', async () => {
    const topic = await topicWith('max-offsets', 3);
    const writer = new KafkaWriter(conn, { topic });
    const sizes = [101, 11, 1];
    const first = [100, 10, 1];
    await writer.write(sizes.flatMap((n, p) => Array.from({ length: n }, (_, i) => ({ value: String(first[p]! + i), partition: p }))));
    await writer.close();

    const spark = SparkSession.builder.formats(formats).clock(new ManualClock(0)).getOrCreate();
    const q = spark.readStream
      .format('kafka')
      .option('kafka.bootstrap.servers', 'learner-typed:9092')
      .option('subscribe', topic)
      .option('startingOffsets', 'earliest')
      .option('maxOffsetsPerTrigger', 10)
      .load()
      .selectExpr('CAST(CAST(value AS STRING) AS INT) AS value', 'partition', 'offset')
      .writeStream.format('memory')
      .queryName('max_offsets')
      .start();
    try {
      for (let i = 0; i < 4; i++) await q.runOnce();
      const sink = spark.memorySinks.get('max_offsets')!;
      // [partition, offset from, offset until) per batch, from the scenario's trace
      const ranges = [0, 1, 2, 3].map((b) => {
        const byPart = new Map<number, number[]>();
        for (const [, p, o] of sink.batchRows(b) as Array<[number, number, number]>) byPart.set(p, [...(byPart.get(p) ?? []), o]);
        return [...byPart].sort((a, c) => a[0] - c[0]).map(([p, os]) => [p, Math.min(...os), Math.max(...os) + 1]);
      });
      expect(ranges).toEqual([
        [[0, 0, 8], [1, 0, 1], [2, 0, 1]],
        [[0, 8, 17], [1, 1, 2]],
        [[0, 17, 26], [1, 2, 3]],
        [[0, 26, 35], [1, 3, 4]],
      ]);
      expect((sink.batchRows(0) as number[][]).map((r) => r[0]).sort((a, b) => a! - b!)).toEqual([1, 10, 100, 101, 102, 103, 104, 105, 106, 107]);
    } finally {
      await q.stop();
    }
  });

  it('runs the temperature pipeline into the report topic: averages per sensor and minute', async () => {
    const input = await topicWith('sensors', 3);
    const report = await topicWith('report', 1);
    const t0 = Date.UTC(2024, 0, 1);
    const readings = Array.from({ length: 10_000 }, (_, i) => ({
      node_name: `node-${i % 7}`,
      temperature: 10 + ((i * 37) % 230) / 10,
      ts: new Date(t0 + i * 100).toISOString(),
    }));
    const writer = new KafkaWriter(conn, { topic: input });
    await writer.write(readings.map((r, i) => ({ key: r.node_name, value: JSON.stringify(r), partition: i % 3 })));
    await writer.close();

    // Expected aggregates, computed independently of the engine.
    const expected = new Map<string, { sum: number; n: number }>();
    for (const r of readings) {
      const start = new Date(Math.floor(Date.parse(r.ts) / 60_000) * 60_000).toISOString();
      const k = `${start}|${r.node_name}`;
      const e = expected.get(k) ?? { sum: 0, n: 0 };
      e.sum += r.temperature;
      e.n += 1;
      expected.set(k, e);
    }

    const spark = SparkSession.builder.formats(formats).clock(new ManualClock(0)).getOrCreate();
    const parsed = spark.readStream
      .format('kafka')
      .option('kafka.bootstrap.servers', 'kafka:9092')
      .option('subscribe', input)
      .option('startingOffsets', 'earliest')
      .option('maxOffsetsPerTrigger', 1500)
      .load()
      .select(F.from_json(F.col('value').cast('string'), 'node_name STRING, temperature DOUBLE, ts TIMESTAMP').alias('r'))
      .select('r.node_name', 'r.temperature', 'r.ts');
    const q = parsed
      .withWatermark('ts', '2 minutes')
      .groupBy(F.window('ts', '1 minute'), 'node_name')
      .agg(F.avg('temperature').alias('avg_temp'), F.count('*').alias('n'))
      .select(F.col('node_name').alias('key'), F.to_json(F.struct(F.col('window.start').alias('window_start'), 'node_name', 'avg_temp', 'n')).alias('value'))
      .writeStream.format('kafka')
      .option('kafka.bootstrap.servers', 'kafka:9092')
      .option('topic', report)
      .outputMode('update')
      .start();
    try {
      await q.processAllAvailable();
    } finally {
      await q.stop();
    }

    // Update mode re-emits a key whenever it changes: the last record per key is its final value.
    const reader = new KafkajsPartitionReader(conn);
    const latest = (await reader.partitionOffsets([report]))[0]!.latest;
    const records = await reader.read({ topic: report, partition: 0, from: 0, until: latest });
    await reader.close();
    const final = new Map<string, { avg_temp: number; n: number }>();
    for (const r of records) {
      const v = JSON.parse(Buffer.from(r.value!).toString()) as { window_start: string; node_name: string; avg_temp: number; n: number };
      expect(Buffer.from(r.key!).toString()).toBe(v.node_name);
      final.set(`${new Date(v.window_start).toISOString()}|${v.node_name}`, { avg_temp: v.avg_temp, n: v.n });
    }
    expect([...final.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [k, e] of expected) {
      expect(final.get(k)!.n).toBe(e.n);
      expect(final.get(k)!.avg_temp).toBeCloseTo(e.sum / e.n, 9);
    }
    expect(q.recentProgress.length).toBeGreaterThanOrEqual(7);
  });

  it('keeps running on bad input: malformed JSON gives nulls, null keys, 1 MB and non-UTF-8 values', async () => {
    const topic = await topicWith('bad', 1);
    const writer = new KafkaWriter(conn, { topic });
    await writer.write([
      { value: '{"id": 1, "name": "ok"}' },
      { value: '{"id": 2, "name": ' },
      { key: null, value: 'not json at all' },
      { value: Buffer.from([0xff, 0xfe, 0x7b]) },
      { value: `{"id": 5, "name": "${'x'.repeat(1_000_000)}"}` },
      { value: null },
    ]);
    await writer.close();
    const spark = SparkSession.builder.formats(formats).clock(new ManualClock(0)).getOrCreate();
    const q = spark.readStream
      .format('kafka')
      .option('kafka.bootstrap.servers', 'kafka:9092')
      .option('subscribe', topic)
      .option('startingOffsets', 'earliest')
      .load()
      .select(F.col('offset'), F.col('key').isNull().alias('null_key'), F.from_json(F.col('value').cast('string'), 'id INT, name STRING').alias('r'))
      .select('offset', 'null_key', 'r.id', F.length(F.col('r.name')).alias('name_len'))
      .writeStream.format('memory')
      .queryName('bad_input')
      .start();
    const malformed: Array<{ total: number; sample: readonly string[] }> = [];
    q.onBatch((b) => malformed.push(b.trace.malformed));
    try {
      await q.processAllAvailable();
      // The trace counts the three values from_json could not read (a null value is not malformed).
      expect(malformed).toEqual([{ total: 3, sample: ['{"id": 2, "name": ', 'not json at all', '\ufffd\ufffd{'] }]);
      expect(spark.memorySinks.get('bad_input')!.allRows()).toEqual([
        [0, true, 1, 2],
        [1, true, null, null],
        [2, true, null, null],
        [3, true, null, null],
        [4, true, 5, 1_000_000],
        [5, true, null, null],
      ]);
      expect(q.isActive).toBe(true);
    } finally {
      await q.stop();
    }
  });

  it('reads headers with includeHeaders and topics by subscribePattern', async () => {
    const base = freshTopic('pattern');
    for (const t of [`${base}-a`, `${base}-b`]) await createTopicReady(admin, t, 1);
    const writer = new KafkaWriter(conn);
    await writer.write([
      { topic: `${base}-a`, value: 'a0', headers: [{ key: 'trace', value: new TextEncoder().encode('t1') }, { key: 'empty', value: null }] },
      { topic: `${base}-b`, value: 'b0' },
    ]);
    await writer.close();
    const spark = SparkSession.builder.formats(formats).clock(new ManualClock(0)).getOrCreate();
    const q = spark.readStream
      .format('kafka')
      .option('kafka.bootstrap.servers', 'kafka:9092')
      .option('subscribePattern', `${base.replace(/[.]/g, '\\.')}-.*`)
      .option('startingOffsets', 'earliest')
      .option('includeHeaders', 'true')
      .load()
      .selectExpr('topic', 'CAST(value AS STRING) AS v', 'headers')
      .writeStream.format('memory')
      .queryName('headers_out')
      .start();
    try {
      await q.processAllAvailable();
    } finally {
      await q.stop();
    }
    const rows = (spark.memorySinks.get('headers_out')!.allRows() as Array<[string, string, Array<[string, Uint8Array | null]> | null]>)
      .map(([t, v, h]) => [t, v, h === null ? null : h.map(([k, val]) => [k, val === null ? null : Buffer.from(val).toString()])])
      .sort((x, y) => String(x[0]).localeCompare(String(y[0])));
    // kafkajs cannot send a null header value, so the writer sends it empty; a record without
    // headers has a null headers column, as in Spark.
    expect(rows).toEqual([
      [`${base}-a`, 'a0', [['trace', 't1'], ['empty', '']]],
      [`${base}-b`, 'b0', null],
    ]);
  });

  it('fails on offsets removed by retention with failOnDataLoss, and skips them without', async () => {
    const topic = await topicWith('retention', 1);
    const writer = new KafkaWriter(conn, { topic });
    await writer.write(Array.from({ length: 10 }, (_, i) => ({ value: `v${i}` })));
    await writer.close();
    await admin.fetchTopicOffsets(topic);
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '6' }] });
    const run = async (failOnDataLoss: boolean, name: string) => {
      const spark = SparkSession.builder.formats(formats).clock(new ManualClock(0)).getOrCreate();
      const q = spark.readStream
        .format('kafka')
        .option('kafka.bootstrap.servers', 'kafka:9092')
        .option('subscribe', topic)
        .option('startingOffsets', JSON.stringify({ [topic]: { '0': 2 } }))
        .option('failOnDataLoss', String(failOnDataLoss))
        .load()
        .selectExpr('CAST(value AS STRING) AS v')
        .writeStream.format('memory')
        .queryName(name)
        .start();
      const error = await q.processAllAvailable().then(() => null, (e: unknown) => e as Error);
      await q.stop();
      return { error, rows: spark.memorySinks.get(name)!.allRows() };
    };
    const strict = await run(true, 'loss_strict');
    expect(strict.error?.message).toContain(`Cannot fetch offset 2 (TopicPartition: ${topic}-0); the earliest available offset is 6`);
    expect(strict.error?.message).toContain('If you don\'t want your streaming query to fail on such cases, set the source option "failOnDataLoss" to "false".');
    expect(strict.rows).toEqual([]);
    const lenient = await run(false, 'loss_lenient');
    expect(lenient.error).toBeNull();
    expect(lenient.rows).toEqual([['v6'], ['v7'], ['v8'], ['v9']]);
  });

  it('fails when a subscribed topic is deleted with failOnDataLoss, and warns without', async () => {
    const run = async (failOnDataLoss: boolean, name: string) => {
      const topic = await topicWith('doomed', 2);
      const writer = new KafkaWriter(conn, { topic });
      await writer.write([{ value: 'a', partition: 0 }, { value: 'b', partition: 1 }]);
      await writer.close();
      const spark = SparkSession.builder.formats(formats).clock(new ManualClock(0)).getOrCreate();
      const q = spark.readStream
        .format('kafka')
        .option('kafka.bootstrap.servers', 'kafka:9092')
        .option('subscribe', topic)
        .option('startingOffsets', 'earliest')
        .option('failOnDataLoss', String(failOnDataLoss))
        .load()
        .selectExpr('CAST(value AS STRING) AS v')
        .writeStream.format('memory')
        .queryName(name)
        .start();
      await q.processAllAvailable();
      await admin.deleteTopics({ topics: [topic] });
      const error = await q.processAllAvailable().then(() => null, (e: unknown) => e as Error);
      const active = q.isActive;
      await q.stop();
      return { topic, error, active, rows: spark.memorySinks.get(name)!.allRows().map((r) => r[0]).sort() };
    };
    const strict = await run(true, 'deleted_strict');
    expect(strict.error?.message).toContain(`Partitions [${strict.topic}-0, ${strict.topic}-1] are gone`);
    expect(strict.error?.message).toContain('set the source option "failOnDataLoss" to "false"');
    expect(strict.rows).toEqual(['a', 'b']);
    const lenient = await run(false, 'deleted_lenient');
    expect(lenient.error).toBeNull();
    expect(lenient.active).toBe(true);
    expect(lenient.rows).toEqual(['a', 'b']);
  });

  it('gives batch k = offsets [kN, (k+1)N) with Trigger.AvailableNow on one partition, then stops', async () => {
    const topic = await topicWith('available-now', 1);
    const writer = new KafkaWriter(conn, { topic });
    await writer.write(Array.from({ length: 25 }, (_, i) => ({ value: String(i) })));
    await writer.close();
    const spark = SparkSession.builder.formats(formats).clock(new ManualClock(0)).getOrCreate();
    const q = spark.readStream
      .format('kafka')
      .option('kafka.bootstrap.servers', 'kafka:9092')
      .option('subscribe', topic)
      .option('startingOffsets', 'earliest')
      .option('maxOffsetsPerTrigger', 10)
      .load()
      .selectExpr('offset')
      .writeStream.format('memory')
      .queryName('available_now')
      .trigger({ availableNow: true })
      .start();
    await q.awaitTermination();
    const sink = spark.memorySinks.get('available_now')!;
    expect(sink.batchIds().map((b) => sink.batchRows(b).map((r) => r[0]))).toEqual([
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      [10, 11, 12, 13, 14, 15, 16, 17, 18, 19],
      [20, 21, 22, 23, 24],
    ]);
    expect(q.isActive).toBe(false);
  });

  it('maps learner topic names under the runtime prefix for the source and the sink', async () => {
    const prefix = `${freshTopic('learner')}.`;
    await createTopicReady(admin, `${prefix}in`, 1);
    const raw = new KafkaWriter(conn, { topic: `${prefix}in` });
    await raw.write([{ value: 'hello' }, { value: 'world' }]);
    await raw.close();
    const prefixed = registerConnectors(formats, { kafka: { ...conn, topicPrefix: prefix } });
    try {
      const spark = SparkSession.builder.formats(formats).clock(new ManualClock(0)).getOrCreate();
      const q = spark.readStream
        .format('kafka')
        .option('kafka.bootstrap.servers', 'kafka:9092')
        .option('subscribe', 'in')
        .option('startingOffsets', 'earliest')
        .load()
        .selectExpr('topic', 'upper(CAST(value AS STRING)) AS value')
        .writeStream.format('kafka')
        .option('kafka.bootstrap.servers', 'kafka:9092')
        .option('topic', 'out')
        .start();
      try {
        await q.processAllAvailable();
      } finally {
        await q.stop();
      }
    } finally {
      await prefixed.close();
      connectors = registerConnectors(formats, { kafka: conn });
    }
    const reader = new KafkajsPartitionReader(conn);
    try {
      const out = await reader.read({ topic: `${prefix}out`, partition: 0, from: 0, until: 2 });
      expect(out.map((r) => Buffer.from(r.value!).toString())).toEqual(['HELLO', 'WORLD']);
    } finally {
      await reader.close();
    }
  });

  it('waits for minOffsetsPerTrigger records until maxTriggerDelay has passed', async () => {
    const topic = await topicWith('min-offsets', 1);
    const writer = new KafkaWriter(conn, { topic });
    const spark = SparkSession.builder.formats(formats).clock(new ManualClock(0)).getOrCreate();
    // getOrCreate() returns the session an earlier test made, with its clock: drive that one.
    const clock = spark.clock as ManualClock;
    const q = spark.readStream
      .format('kafka')
      .option('kafka.bootstrap.servers', 'kafka:9092')
      .option('subscribe', topic)
      .option('startingOffsets', 'earliest')
      .option('minOffsetsPerTrigger', 5)
      .option('maxTriggerDelay', '10 seconds')
      .load()
      .selectExpr('CAST(value AS STRING) AS v')
      .writeStream.format('memory')
      .queryName('min_offsets')
      // The default trigger's driver loop would also run triggers (it polls Kafka on the clock, so
      // the advance below wakes it) and could take a due batch before runOnce does. A processing-time
      // trigger the clock never reaches leaves every batch after the first (empty) one to the test.
      .trigger({ processingTime: '1 hour' })
      .start();
    try {
      await q.awaitIdle();
      await writer.write(['a', 'b', 'c'].map((value) => ({ value })));
      expect(await q.runOnce()).toBe(false); // 3 < 5 and no delay has passed
      await writer.write(['d', 'e'].map((value) => ({ value })));
      expect(await q.runOnce()).toBe(true); // 5 records
      await writer.write([{ value: 'f' }]);
      expect(await q.runOnce()).toBe(false);
      clock.advance(10_000); // maxTriggerDelay since the last batch
      expect(await q.runOnce()).toBe(true);
    } finally {
      await q.stop();
      await writer.close();
    }
    const sink = spark.memorySinks.get('min_offsets')!;
    expect(sink.batchIds().map((b) => sink.batchRows(b).map((r) => r[0]))).toEqual([['a', 'b', 'c', 'd', 'e'], ['f']]);
  });
});
