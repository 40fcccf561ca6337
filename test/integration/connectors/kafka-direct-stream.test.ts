/**
 * `KafkaUtils.createDirectStream` over real Kafka: each batch's RDD holds the `[key, value]` pairs
 * that arrived since the previous batch, one RDD partition per Kafka partition, and a context
 * restarted from its checkpoint resumes at the saved offsets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { freshTopic, kafkaBootstrap } from '../../services/inject.js';
import { ManualClock } from '../../../runtime/src/engine/clock.js';
import { InMemoryCheckpointStore, KafkaUtils, SparkContext, StreamingContext, type RDD } from '../../../runtime/src/engine/dstream/index.js';
import { KafkaDirectInputFactory } from '../../../runtime/src/connectors/kafka/kafka-direct-input.js';
import { KafkaWriter } from '../../../runtime/src/connectors/kafka/kafka-writer.js';
import type { KafkaConnection } from '../../../runtime/src/connectors/kafka/kafka-connection.js';
import { createTopicReady } from '../../services/create-topic.js';

describe('DStream Kafka direct stream', () => {
  let conn: KafkaConnection;
  let admin: ReturnType<Kafka['admin']>;

  beforeAll(async () => {
    conn = { brokers: [kafkaBootstrap()], clientId: 'dstream-test' };
    admin = new Kafka({ brokers: conn.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
  });
  afterAll(async () => {
    await admin.disconnect();
  });

  it('hands each batch the records that arrived since the last one, and resumes from the checkpoint', async () => {
    const topic = freshTopic('sensors');
    await createTopicReady(admin, topic, 2);
    const writer = new KafkaWriter(conn, { topic });
    const store = new InMemoryCheckpointStore();
    const factory = new KafkaDirectInputFactory(conn);

    const run = (clock: ManualClock, batches: Array<{ parts: Array<Array<[string | null, string]>> }>) => {
      const ssc = new StreamingContext(new SparkContext(), 1, { clock, kafka: factory, checkpointStore: store });
      ssc.checkpoint('ckpt');
      const stream = KafkaUtils.createDirectStream(ssc, [topic], { 'bootstrap.servers': 'ignored:9092', 'auto.offset.reset': 'earliest' });
      stream.foreachRDD((rdd: RDD<[string | null, string]>) => {
        batches.push({ parts: rdd.glom().collect() });
      });
      return ssc;
    };

    await writer.write([{ key: 'a', value: 'a1', partition: 0 }, { value: 'b1', partition: 1 }]);
    const clock = new ManualClock(0);
    const seen: Array<{ parts: Array<Array<[string | null, string]>> }> = [];
    const ssc = run(clock, seen);
    ssc.start();
    clock.advance(1000);
    await ssc.awaitBatchCompleted(1000);
    await writer.write([{ key: 'a', value: 'a2', partition: 0 }, { key: 'a', value: 'a3', partition: 0 }]);
    clock.advance(1000);
    await ssc.awaitBatchCompleted(2000);
    clock.advance(1000);
    await ssc.awaitBatchCompleted(3000);
    ssc.stop();
    expect(seen.map((b) => b.parts)).toEqual([
      [[['a', 'a1']], [[null, 'b1']]],
      [[['a', 'a2'], ['a', 'a3']], []],
      [[], []],
    ]);

    // Records written while the context is down arrive in the first batch after the restart.
    await writer.write([{ value: 'b2', partition: 1 }]);
    await writer.close();
    const clock2 = new ManualClock(3000);
    const resumed: typeof seen = [];
    const ssc2 = run(clock2, resumed);
    ssc2.start();
    clock2.advance(1000);
    await ssc2.awaitBatchCompleted(4000);
    ssc2.stop();
    expect(resumed.map((b) => b.parts)).toEqual([[[], [[null, 'b2']]]]);
  });
});
