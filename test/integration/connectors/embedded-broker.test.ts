/**
 * The connectors against Streamlab's embedded Kafka-protocol broker, the runtime's zero-install
 * default: the partition reader's direct fetches, the writer, and a streaming query on top.
 */
import { FormatRegistry } from '../../../runtime/src/engine/formats.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker, type RunningBroker } from '../../../runtime/src/broker/index.js';
import { KafkajsPartitionReader } from '../../../runtime/src/connectors/kafka/partition-reader.js';
import { KafkaWriter } from '../../../runtime/src/connectors/kafka/kafka-writer.js';
import { registerConnectors, type RegisteredConnectors } from '../../../runtime/src/connectors/index.js';
import type { KafkaConnection } from '../../../runtime/src/connectors/kafka/kafka-connection.js';
import { ManualClock } from '../../../runtime/src/engine/clock.js';
import { SparkSession } from '../../../runtime/src/engine/structured/index.js';
import { createTopicReady } from '../../services/create-topic.js';

/** The formats this file's sessions know. */
const formats = FormatRegistry.withBuiltIns();

describe('connectors on the embedded broker', () => {
  let broker: RunningBroker;
  let conn: KafkaConnection;
  let connectors: RegisteredConnectors;

  beforeAll(async () => {
    broker = await startBroker();
    conn = { brokers: [broker.bootstrap], clientId: 'embedded-test' };
    connectors = registerConnectors(formats, { kafka: conn });
    const admin = new Kafka({ brokers: conn.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await createTopicReady(admin, 'events', 3);
    await admin.disconnect();
  });
  afterAll(async () => {
    await connectors?.close();
    await broker?.close();
  });

  it('reads exact ranges and lists offsets', async () => {
    const writer = new KafkaWriter(conn, { topic: 'events' });
    await writer.write(Array.from({ length: 30 }, (_, i) => ({ key: `k${i}`, value: `v${i}`, partition: i % 3 })));
    await writer.close();
    const reader = new KafkajsPartitionReader(conn);
    try {
      expect(await reader.partitionOffsets(['events'])).toEqual([0, 1, 2].map((partition) => ({ topic: 'events', partition, earliest: 0, latest: 10 })));
      const [r] = await reader.readRanges([{ topic: 'events', partition: 1, from: 3, until: 6 }]);
      expect(r!.map((x) => [x.offset, Buffer.from(x.key!).toString(), Buffer.from(x.value!).toString()])).toEqual([
        [3, 'k10', 'v10'],
        [4, 'k13', 'v13'],
        [5, 'k16', 'v16'],
      ]);
    } finally {
      await reader.close();
    }
  });

  it('runs a streaming query with maxOffsetsPerTrigger', async () => {
    const spark = SparkSession.builder.formats(formats).clock(new ManualClock(0)).getOrCreate();
    const q = spark.readStream
      .format('kafka')
      .option('kafka.bootstrap.servers', broker.bootstrap)
      .option('subscribe', 'events')
      .option('startingOffsets', 'earliest')
      .option('maxOffsetsPerTrigger', 9)
      .load()
      .selectExpr('CAST(value AS STRING) AS v')
      .writeStream.format('memory')
      .queryName('embedded_out')
      .start();
    try {
      await q.processAllAvailable();
    } finally {
      await q.stop();
    }
    const sink = spark.memorySinks.get('embedded_out')!;
    expect(sink.batchIds()).toEqual([0, 1, 2, 3]);
    expect(sink.allRows().map((r) => r[0]).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `v${i}`).sort());
  });
});
