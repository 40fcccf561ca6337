/**
 * The partition reader's own decoding of Fetch answers (fetch-records.ts) against kafkajs' decoder
 * on the same bytes from the run's real Kafka: plain and gzip batches, null and empty keys and
 * values, repeated and null headers, multi-byte text, and every starting offset.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import Cluster from 'kafkajs/src/cluster/index.js';
import { createLogger, LEVELS } from 'kafkajs/src/loggers/index.js';
import defaultSocketFactory from 'kafkajs/src/network/socketFactory.js';
import { freshTopic, kafkaBootstrap } from '../../services/inject.js';
import { decodedMessages, decodeRecordSet, fetchRaw } from '../../../runtime/src/connectors/kafka/fetch-records.js';
import { KafkajsPartitionReader } from '../../../runtime/src/connectors/kafka/partition-reader.js';
import { createTopicReady } from '../../services/create-topic.js';

describe('Fetch answers decoded by the partition reader', () => {
  let kafka: Kafka;
  let cluster: Cluster;
  const topic = freshTopic('fetch-records');

  beforeAll(async () => {
    kafka = new Kafka({ brokers: [kafkaBootstrap()], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await createTopicReady(admin, topic, 1);
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    // Four sends, so four record batches; the third one gzip-compressed.
    await producer.send({ topic, messages: [{ key: 'a', value: 'one' }, { key: null, value: 'two', headers: { h: 'x' } }, { key: '', value: '' }] });
    await producer.send({ topic, messages: [{ key: 'b', value: null }, { key: 'c', value: 'trois – drei – três', headers: { h: ['1', '2'], z: 'zz' } }] });
    await producer.send({ topic, compression: CompressionTypes.GZIP, messages: Array.from({ length: 20 }, (_, i) => ({ key: `g${i}`, value: `gzip ${i}`, timestamp: String(1_700_000_000_000 + i) })) });
    await producer.send({ topic, messages: Array.from({ length: 30 }, (_, i) => ({ key: `p${i}`, value: JSON.stringify({ i }), timestamp: String(1_700_000_100_000 + i) })) });
    await producer.disconnect();
    cluster = new Cluster({
      logger: createLogger({ level: LEVELS.NOTHING, logCreator: () => () => {} }),
      socketFactory: defaultSocketFactory(),
      brokers: [kafkaBootstrap()],
      clientId: 'fetch-records-test',
      connectionTimeout: 10_000,
      requestTimeout: 30_000,
      enforceRequestTimeout: true,
      metadataMaxAge: 30_000,
      retry: { retries: 3 },
      allowAutoTopicCreation: false,
      isolationLevel: 0,
      offsets: new Map(),
    });
    await cluster.connect();
    await cluster.addMultipleTargetTopics([topic]);
  });
  afterAll(async () => {
    await cluster.disconnect();
  });

  it('gives, from every offset, the records kafkajs decodes from the same answer', async () => {
    const nodeId = Object.keys(cluster.findLeaderForPartitions(topic, [0]))[0]!;
    const broker = await cluster.findBroker({ nodeId });
    const request = {
      replicaId: -1,
      isolationLevel: 0,
      maxWaitTime: 100,
      minBytes: 1,
      maxBytes: 1 << 20,
      topics: [{ topic, partitions: [{ partition: 0, fetchOffset: '0', maxBytes: 1 << 20 }] }],
    };
    const raw = await fetchRaw(broker, request);
    expect(raw, 'a Kafka of version 2.3 or later answers Fetch v11').toBeDefined();
    const decoded = await broker.fetch(request);
    const set = raw!.responses[0]!.partitions[0]!.records;
    const messages = decoded.responses[0]!.partitions[0]!.messages;
    expect(messages).toHaveLength(55);
    for (let from = 0; from <= 56; from++) {
      // kafkajs' messages carry no batch identities; everything else must agree.
      expect({ ...(await decodeRecordSet(set, topic, 0, from)), batches: [] }, `from ${from}`).toEqual(decodedMessages(messages, topic, 0, from));
    }
    const all = await decodeRecordSet(set, topic, 0, 0);
    expect(all.last).toBe(54);
    expect(all.batches.map((b) => [b.base, b.last])).toEqual([[0, 2], [3, 4], [5, 24], [25, 54]]);
    expect(all.records[1]!.headers.map((h) => [h.key, String(h.value)])).toEqual([['h', 'x']]);
    expect(all.records[4]!.headers.map((h) => [h.key, String(h.value)])).toEqual([['h', '1'], ['h', '2'], ['z', 'zz']]);
    expect(all.records[6]!.timestamp).toBe(1_700_000_000_001);
  });

  it('skips a record batch cut short by the fetch size, as kafkajs does', async () => {
    const nodeId = Object.keys(cluster.findLeaderForPartitions(topic, [0]))[0]!;
    const broker = await cluster.findBroker({ nodeId });
    const raw = await fetchRaw(broker, {
      replicaId: -1, isolationLevel: 0, maxWaitTime: 100, minBytes: 1, maxBytes: 1 << 20,
      topics: [{ topic, partitions: [{ partition: 0, fetchOffset: '0', maxBytes: 1 << 20 }] }],
    });
    const set = raw!.responses[0]!.partitions[0]!.records;
    const cut = set.subarray(0, set.length - 10);
    const got = await decodeRecordSet(cut, topic, 0, 0);
    expect(got.last).toBe(24); // the last batch (offsets 25–54) is incomplete
    expect(got.records.map((r) => r.offset)).toEqual(Array.from({ length: 25 }, (_, i) => i));
  });

  it('reads consecutive ranges the same with read-ahead as without', async () => {
    const plain = new KafkajsPartitionReader({ brokers: [kafkaBootstrap()], clientId: 'plain' });
    const ahead = new KafkajsPartitionReader({ brokers: [kafkaBootstrap()], clientId: 'ahead' }, { readAhead: true });
    try {
      for (const step of [1, 4, 7, 55]) {
        const a = [];
        const b = [];
        for (let from = 0; from < 55; from += step) {
          const range = { topic, partition: 0, from, until: Math.min(55, from + step) };
          a.push(...(await plain.read(range)));
          b.push(...(await ahead.read(range)));
        }
        expect(b, `step ${step}`).toEqual(a);
        expect(a.map((r) => r.offset)).toEqual(Array.from({ length: 55 }, (_, i) => i));
      }
    } finally {
      await plain.close();
      await ahead.close();
    }
  });

  it('never serves records kept from a topic that was deleted and recreated with as many records', async () => {
    const name = freshTopic('recreated');
    const admin = kafka.admin();
    await admin.connect();
    const fill = async (tag: string) => {
      await createTopicReady(admin, name, 1);
      const producer = kafka.producer();
      await producer.connect();
      for (let b = 0; b < 4; b++) await producer.send({ topic: name, messages: Array.from({ length: 5 }, (_, i) => ({ value: `${tag}-${b * 5 + i}` })) });
      await producer.disconnect();
    };
    const values = (rs: { value: Uint8Array | null }[]) => rs.map((r) => Buffer.from(r.value!).toString());
    const reader = new KafkajsPartitionReader({ brokers: [kafkaBootstrap()], clientId: 'recreated' }, { readAhead: true, retryDeadlineMs: 20_000 });
    try {
      await fill('old');
      expect(await reader.partitionOffsets([name])).toEqual([{ topic: name, partition: 0, earliest: 0, latest: 20 }]);
      expect(values(await reader.read({ topic: name, partition: 0, from: 0, until: 7 }))).toEqual(Array.from({ length: 7 }, (_, i) => `old-${i}`));
      await admin.deleteTopics({ topics: [name] });
      for (let i = 0; i < 100 && (await admin.listTopics()).includes(name); i++) await new Promise((r) => setTimeout(r, 100));
      await fill('new');
      // The listing looks as before (same earliest and latest): only the batches tell them apart.
      expect(await reader.partitionOffsets([name])).toEqual([{ topic: name, partition: 0, earliest: 0, latest: 20 }]);
      expect(values(await reader.read({ topic: name, partition: 0, from: 7, until: 20 }))).toEqual(Array.from({ length: 13 }, (_, i) => `new-${i + 7}`));
    } finally {
      await reader.close();
      await admin.disconnect();
    }
  });
});
