/**
 * Smoke test of the run's real Kafka: a kafkajs producer and consumer group round trip on a fresh
 * 3-partition topic. Fails when the broker is missing, wrong or loses, duplicates or reorders data.
 */
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshName, freshTopic, kafkaBootstrap } from '../../services/inject.js';

interface Received {
  partition: number;
  offset: number;
  key: string;
  value: string;
}

const kafka = new Kafka({ clientId: 'smoke', brokers: [kafkaBootstrap()], logLevel: logLevel.NOTHING });
let admin: Admin;
let producer: Producer;

beforeAll(async () => {
  admin = kafka.admin();
  // Idempotent: on a loaded machine a send whose answer is late is sent again although the broker
  // appended it (a partition then held its 10 records twice, on containers at load 30); the broker
  // drops such a retried batch, so "each once" below is about the broker, not about the timing.
  producer = kafka.producer({ idempotent: true });
  await Promise.all([admin.connect(), producer.connect()]);
});

afterAll(async () => {
  await Promise.allSettled([admin?.disconnect(), producer?.disconnect()]);
});

/** Reads from the beginning with a fresh group until `count` records arrived. */
async function consume(topic: string, count: number): Promise<Received[]> {
  const consumer = kafka.consumer({ groupId: freshName('smoke_group') });
  const received: Received[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer.run({
        eachMessage: async ({ partition, message }) => {
          received.push({ partition, offset: Number(message.offset), key: message.key!.toString(), value: message.value!.toString() });
          if (received.length === count) resolve();
        },
      }).catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return received;
}

describe('kafka smoke', () => {
  it('round-trips keyed records through a 3-partition topic: keys kept, each once, offsets +1 per partition', async () => {
    const topic = freshTopic('smoke-roundtrip');
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true })).toBe(true);
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(metadata.topics[0]!.partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2]);

    // Six keys, five values each, sent in one batch; the default partitioner places a key on one partition.
    const sent = Array.from({ length: 30 }, (_, i) => ({ key: `k${i % 6}`, value: `k${i % 6}:v${Math.floor(i / 6)}` }));
    await producer.send({ topic, messages: sent });

    const received = await consume(topic, sent.length);

    // Every message exactly once, with its key.
    expect(received.map((r) => `${r.key}|${r.value}`).sort()).toEqual(sent.map((m) => `${m.key}|${m.value}`).sort());
    for (const r of received) expect(r.value.startsWith(`${r.key}:`)).toBe(true);

    // A key lives on exactly one partition, and its values arrive in the order they were sent.
    for (let k = 0; k < 6; k += 1) {
      const ofKey = received.filter((r) => r.key === `k${k}`);
      expect(new Set(ofKey.map((r) => r.partition)).size).toBe(1);
      expect(ofKey.map((r) => r.value)).toEqual([0, 1, 2, 3, 4].map((v) => `k${k}:v${v}`));
    }

    // Within each partition offsets run 0, 1, 2, … in delivery order, and end at the high watermark.
    const watermarks = await admin.fetchTopicOffsets(topic);
    let total = 0;
    for (const partition of [0, 1, 2]) {
      const offsets = received.filter((r) => r.partition === partition).map((r) => r.offset);
      expect(offsets).toEqual(offsets.map((_, i) => i));
      const high = Number(watermarks.find((w) => w.partition === partition)!.high);
      expect(high).toBe(offsets.length);
      total += high;
    }
    expect(total).toBe(30);
  });

  it('writes to the partition a producer names, 10 records on each of the 3', async () => {
    const topic = freshTopic('smoke-explicit');
    await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true });
    const sent = Array.from({ length: 30 }, (_, i) => ({ key: `id-${i}`, value: String(i), partition: i % 3 }));
    await producer.send({ topic, messages: sent });

    const received = await consume(topic, sent.length);

    const byPartition = [0, 1, 2].map((p) => received.filter((r) => r.partition === p).map((r) => [r.offset, r.key, r.value]));
    expect(byPartition).toEqual([0, 1, 2].map((p) =>
      sent.filter((m) => m.partition === p).map((m, offset) => [offset, m.key, m.value])));
    const watermarks = (await admin.fetchTopicOffsets(topic)).map((w) => [w.partition, w.high]).sort();
    expect(watermarks).toEqual([[0, '10'], [1, '10'], [2, '10']]);
  });

  it('refuses to produce to a topic that does not exist (auto-creation is off)', async () => {
    const topic = freshTopic('smoke-missing');
    const strict = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 1, initialRetryTime: 100 } });
    await strict.connect();
    try {
      await expect(strict.send({ topic, messages: [{ value: 'x' }], timeout: 2_000 }))
        .rejects.toThrow(/This server does not host this topic-partition/);
    } finally {
      await strict.disconnect();
    }
  });
});
