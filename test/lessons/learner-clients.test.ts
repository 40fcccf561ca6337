/**
 * The learner's KafkaProducer and KafkaConsumer on the run's real Kafka (kafkajs factory): keys land
 * on the partitions the in-memory cluster of the lesson checks predicts, a group reads each record
 * once and resumes from its commit, and a second group replays the topic.
 */
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkajsClientFactory } from '../../runtime/src/connectors/kafka/learner-clients.js';
import { setKafkaClientFactory } from '../../runtime/src/engine/kafka-client/client-factory.js';
import { KafkaConsumer } from '../../runtime/src/engine/kafka-client/kafka-consumer.js';
import { KafkaProducer } from '../../runtime/src/engine/kafka-client/kafka-producer.js';
import { partitionForKey } from '../../runtime/src/engine/kafka-client/murmur2.js';
import { generateSensorReadings } from '../../runtime/src/datagen/index.js';
import { freshName, kafkaBootstrap } from '../services/inject.js';
import { createTopicReady } from '../services/create-topic.js';

const READINGS = generateSensorReadings({ count: 12, sensors: 3 }).map((a) => a.reading);
let prefix: string;

beforeAll(async () => {
  prefix = `${freshName('lesson01')}.`;
  const admin = new Kafka({ brokers: [kafkaBootstrap()], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await createTopicReady(admin, `${prefix}sensors.temperature`, 3);
  await admin.disconnect();
  setKafkaClientFactory(kafkajsClientFactory({ brokers: [kafkaBootstrap()], topicPrefix: prefix }));
});

afterAll(() => setKafkaClientFactory(null));

/** Polls until `n` records came (each poll waits up to 2 s for the first record); returns them as text. */
async function read(consumer: KafkaConsumer, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let polls = 0; out.length < n && polls < 30; polls++) {
    for (const recs of Object.values(await consumer.poll({ timeout_ms: 2000 }))) {
      for (const r of recs) out.push(`${r.partition}:${r.offset}: key=${r.key} value=${r.value}`);
    }
  }
  return out.sort();
}

const expected = READINGS.map((r) => ({ partition: partitionForKey(r.node_name, 3), key: r.node_name, value: JSON.stringify(r) }));
const lines = (() => {
  const next = [0, 0, 0];
  return expected.map((e) => `${e.partition}:${next[e.partition]!++}: key=${e.key} value=${e.value}`).sort();
})();

describe('learner Kafka clients on a real broker', () => {
  it('puts each sensor on the murmur2 partition, like the in-memory cluster', async () => {
    const producer = new KafkaProducer({ bootstrap_servers: 'ignored:9092' });
    const metas = [];
    for (const r of READINGS) metas.push(await producer.send('sensors.temperature', { key: r.node_name, value: JSON.stringify(r) }));
    await producer.close();
    expect(metas.map((m) => [m.topic, m.partition])).toEqual(expected.map((e) => ['sensors.temperature', e.partition]));
    expect([...new Set(expected.map((e) => `${e.key}→${e.partition}`))].sort()).toEqual(['sensor-1→1', 'sensor-2→1', 'sensor-3→2']);
  });

  it('a group reads every record once and resumes from its commit; a second group replays them', async () => {
    const first = new KafkaConsumer(['sensors.temperature'], { group_id: 'dashboard', auto_offset_reset: 'earliest' });
    expect(await read(first, READINGS.length)).toEqual(lines);
    await first.close();
    expect(await first.committed({ topic: 'sensors.temperature', partition: 1 })).toBe(8);

    const again = new KafkaConsumer(['sensors.temperature'], { group_id: 'dashboard', auto_offset_reset: 'earliest' });
    const producer = new KafkaProducer();
    await producer.send('sensors.temperature', { key: 'sensor-3', value: 'after restart' });
    await producer.close();
    expect(await read(again, 1)).toEqual(['2:4: key=sensor-3 value=after restart']);
    await again.close();

    const audit = new KafkaConsumer(['sensors.temperature'], { group_id: 'audit', auto_offset_reset: 'earliest' });
    expect(await read(audit, READINGS.length + 1)).toEqual([...lines, '2:4: key=sensor-3 value=after restart'].sort());
    await audit.close();
  });
});
