/**
 * `spark.read.format("kafka")` on real Kafka through the registered connectors: exact
 * per-partition ranges, earliest..latest by default, a clear timeout when the broker is
 * unreachable, and a static read inside foreachBatch of a running streaming query.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { freshTopic, kafkaBootstrap } from '../../services/inject.js';
import { freePort } from '../../services/free-port.js';
import { ManualClock } from '../../../runtime/src/engine/clock.js';
import { FormatRegistry } from '../../../runtime/src/engine/formats.js';
import { SparkSession } from '../../../runtime/src/engine/structured/index.js';
import { KafkaReadTimeoutError, registerConnectors, type RegisteredConnectors } from '../../../runtime/src/connectors/index.js';
import { kafkaBatchSourceProvider } from '../../../runtime/src/connectors/kafka/kafka-formats.js';
import { KafkaWriter } from '../../../runtime/src/connectors/kafka/kafka-writer.js';
import type { KafkaConnection } from '../../../runtime/src/connectors/kafka/kafka-connection.js';
import { createTopicReady } from '../../services/create-topic.js';

/** The formats this file's sessions know. */
const formats = FormatRegistry.withBuiltIns();

describe('static Kafka reads on real Kafka', () => {
  let conn: KafkaConnection;
  let admin: ReturnType<Kafka['admin']>;
  let connectors: RegisteredConnectors;
  let spark: SparkSession;

  beforeAll(async () => {
    conn = { brokers: [kafkaBootstrap()], clientId: 'static-read-test' };
    connectors = registerConnectors(formats, { kafka: conn });
    admin = new Kafka({ brokers: conn.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    spark = SparkSession.builder.formats(formats).clock(new ManualClock(0)).output(() => undefined).getOrCreate();
  });
  afterAll(async () => {
    await admin.disconnect();
    await connectors.close();
  });

  /** A 3-partition topic where partition p holds `p-0` … `p-(4+p)` (5, 6 and 7 records). */
  async function filledTopic(prefix: string): Promise<string> {
    const topic = freshTopic(prefix);
    await createTopicReady(admin, topic, 3);
    const writer = new KafkaWriter(conn, { topic });
    await writer.write([0, 1, 2].flatMap((p) => Array.from({ length: 5 + p }, (_, i) => ({
      key: `k${i}`, value: `${p}-${i}`, partition: p, headers: i === 0 ? [{ key: 'first', value: Buffer.from(`p${p}`) }] : [],
    }))));
    await writer.close();
    return topic;
  }

  it('reads exactly the records of per-partition JSON starting and ending offsets', async () => {
    const topic = await filledTopic('static-ranges');
    const df = spark.read
      .format('kafka')
      // The runtime's connection wins over what the learner typed.
      .option('kafka.bootstrap.servers', 'learner-typed:9092')
      .option('subscribe', topic)
      .option('startingOffsets', JSON.stringify({ [topic]: { 0: 1, 1: -2, 2: 4 } }))
      .option('endingOffsets', JSON.stringify({ [topic]: { 0: 3, 1: 2, 2: -1 } }))
      .load();
    expect(df.isStreaming).toBe(false);
    expect(df.selectExpr('CAST(key AS STRING) AS k', 'CAST(value AS STRING) AS v', 'partition', 'offset').collect()).toEqual([
      { k: 'k1', v: '0-1', partition: 0, offset: 1 },
      { k: 'k2', v: '0-2', partition: 0, offset: 2 },
      { k: 'k0', v: '1-0', partition: 1, offset: 0 },
      { k: 'k1', v: '1-1', partition: 1, offset: 1 },
      { k: 'k4', v: '2-4', partition: 2, offset: 4 },
      { k: 'k5', v: '2-5', partition: 2, offset: 5 },
      { k: 'k6', v: '2-6', partition: 2, offset: 6 },
    ]);
  });

  it('reads everything from earliest to latest by default, headers included on request', async () => {
    const topic = await filledTopic('static-all');
    const df = spark.read.format('kafka').option('kafka.bootstrap.servers', 'x').option('subscribe', topic).option('includeHeaders', 'true').load();
    expect(df.count()).toBe(18);
    const values = df.selectExpr('CAST(value AS STRING) AS v').collect().map((r) => r.v);
    expect(values).toEqual([0, 1, 2].flatMap((p) => Array.from({ length: 5 + p }, (_, i) => `${p}-${i}`)));
    const firsts = df.filter('offset = 0').selectExpr('partition', 'headers[0].key AS hk', 'CAST(headers[0].value AS STRING) AS hv').collect();
    expect(firsts).toEqual([0, 1, 2].map((p) => ({ partition: p, hk: 'first', hv: `p${p}` })));
    // Rejected before any I/O, with Spark's message.
    expect(() => spark.read.format('kafka').option('kafka.bootstrap.servers', 'x').option('subscribe', topic).option('startingOffsets', 'latest').load())
      .toThrow("starting offset can't be latest for batch queries on Kafka");
  });

  it('fails with a clear timeout error when the broker is unreachable, instead of hanging', async () => {
    const port = await freePort();
    formats.registerBatchSource('kafka', kafkaBatchSourceProvider({ brokers: [`127.0.0.1:${port}`], connectionTimeoutMs: 300 }, { timeoutMs: 3_000 }));
    try {
      let error: Error | undefined;
      try {
        spark.read.format('kafka').option('kafka.bootstrap.servers', 'x').option('subscribe', 'anything').load();
      } catch (e) {
        error = e as Error;
      }
      expect(error).toBeInstanceOf(KafkaReadTimeoutError);
      expect(error!.message).toBe(`Timed out after 3 s listing partitions from Kafka at 127.0.0.1:${port}: the broker did not answer. Check that Kafka is running and reachable.`);
    } finally {
      formats.registerBatchSource('kafka', kafkaBatchSourceProvider(conn));
    }
  });

  it('reads a static range inside foreachBatch of a running streaming query', async () => {
    const lookup = await filledTopic('static-lookup');
    const input = freshTopic('static-input');
    await createTopicReady(admin, input, 1);
    const writer = new KafkaWriter(conn, { topic: input });
    await writer.write([{ value: '1' }, { value: '2' }]);
    const seen: { batchId: number; input: string[]; lookup: string[] }[] = [];
    const q = spark.readStream.format('kafka').option('kafka.bootstrap.servers', 'x').option('subscribe', input).option('startingOffsets', 'earliest').load()
      .selectExpr('CAST(value AS STRING) AS v')
      .writeStream.foreachBatch((batch, batchId) => {
        // Each input value n reads the first n records of partition 0 of the lookup topic.
        const n = Math.max(...batch.collect().map((r) => Number(r.v)));
        const rows = spark.read.format('kafka').option('kafka.bootstrap.servers', 'x').option('assign', JSON.stringify({ [lookup]: [0] }))
          .option('endingOffsets', JSON.stringify({ [lookup]: { 0: n } })).load().selectExpr('CAST(value AS STRING) AS v').collect();
        seen.push({ batchId, input: batch.collect().map((r) => String(r.v)), lookup: rows.map((r) => String(r.v)) });
      })
      .start();
    try {
      await q.processAllAvailable();
      await writer.write([{ value: '4' }]);
      await q.processAllAvailable();
    } finally {
      await q.stop();
      await writer.close();
    }
    expect(seen).toEqual([
      { batchId: 0, input: ['1', '2'], lookup: ['0-0', '0-1'] },
      { batchId: 1, input: ['4'], lookup: ['0-0', '0-1', '0-2', '0-3'] },
    ]);
  });
});
