/**
 * The kafkajs partition reader and the Kafka writer against the run's real Kafka: exact offset
 * ranges, bytes kept as bytes, headers, timestamps, and data loss (deleted records, deleted topic).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { freshTopic, kafkaBootstrap } from '../../services/inject.js';
import { KafkajsPartitionReader } from '../../../runtime/src/connectors/kafka/partition-reader.js';
import { KafkaWriter } from '../../../runtime/src/connectors/kafka/kafka-writer.js';
import { KafkaDataLossError } from '../../../runtime/src/connectors/kafka/data-loss.js';
import type { KafkaConnection } from '../../../runtime/src/connectors/kafka/kafka-connection.js';
import { KafkaUnavailableError } from '../../../runtime/src/connectors/kafka/retry.js';
import { freePort } from '../../services/free-port.js';
import { createTopicReady } from '../../services/create-topic.js';

const text = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b).toString('utf8'));

describe('kafkajs partition reader and writer', () => {
  let conn: KafkaConnection;
  let admin: ReturnType<Kafka['admin']>;

  beforeAll(async () => {
    conn = { brokers: [kafkaBootstrap()], clientId: 'connectors-test' };
    admin = new Kafka({ brokers: conn.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
  });
  afterAll(async () => {
    await admin.disconnect();
  });

  it('reads exactly [from, until) per partition, with keys, values, headers and timestamps as written', async () => {
    const topic = freshTopic('reader');
    await createTopicReady(admin, topic, 3);
    const writer = new KafkaWriter(conn, { topic });
    // partition p gets values p-0 … p-(9+p): 10, 11 and 12 records
    const rows = [];
    for (let p = 0; p < 3; p++) {
      for (let i = 0; i < 10 + p; i++) {
        rows.push({
          key: i % 2 === 0 ? `k${i}` : null,
          value: `${p}-${i}`,
          partition: p,
          headers: i === 0 ? [{ key: 'h', value: Buffer.from('one') }, { key: 'h', value: Buffer.from('two') }] : [],
        });
      }
    }
    const before = Date.now();
    await writer.write(rows);
    await writer.close();

    const reader = new KafkajsPartitionReader(conn);
    try {
      expect(await reader.partitionOffsets([topic, 'no-such-topic-xyz'])).toEqual([
        { topic, partition: 0, earliest: 0, latest: 10 },
        { topic, partition: 1, earliest: 0, latest: 11 },
        { topic, partition: 2, earliest: 0, latest: 12 },
      ]);
      expect(await reader.listTopics()).toContain(topic);

      const [r0, r1, r2, empty] = await reader.readRanges([
        { topic, partition: 0, from: 2, until: 5 },
        { topic, partition: 1, from: 0, until: 11 },
        { topic, partition: 2, from: 11, until: 12 },
        { topic, partition: 2, from: 4, until: 4 },
      ]);
      expect(r0!.map((r) => [r.offset, text(r.key), text(r.value)])).toEqual([
        [2, 'k2', '0-2'],
        [3, null, '0-3'],
        [4, 'k4', '0-4'],
      ]);
      expect(r1!.map((r) => r.offset)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(r1!.map((r) => text(r.value))).toEqual(Array.from({ length: 11 }, (_, i) => `1-${i}`));
      expect(r2!.map((r) => [r.topic, r.partition, r.offset, text(r.value)])).toEqual([[topic, 2, 11, '2-11']]);
      expect(empty).toEqual([]);

      const [first] = await reader.readRanges([{ topic, partition: 1, from: 0, until: 1 }]);
      const rec = first![0]!;
      expect(rec.headers.map((h) => [h.key, text(h.value)])).toEqual([['h', 'one'], ['h', 'two']]);
      expect(rec.timestampType).toBe(0);
      expect(rec.timestamp).toBeGreaterThanOrEqual(before - 1000);
      expect(rec.timestamp).toBeLessThanOrEqual(Date.now() + 1000);
    } finally {
      await reader.close();
    }
  });

  it('keeps bad input intact: non-UTF-8 bytes, empty and null values, a 1 MB value', async () => {
    const topic = freshTopic('bad-input');
    await createTopicReady(admin, topic, 1);
    const big = Buffer.alloc(1_000_000, 0x61);
    const binary = Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28]);
    const writer = new KafkaWriter(conn, { topic });
    await writer.write([{ value: 'a' }, { value: binary, key: binary }, { value: big }, { value: '' }, { value: null }, { value: 'z' }]);
    await writer.close();
    const reader = new KafkajsPartitionReader(conn, { maxBytesPerPartition: 64 * 1024 });
    try {
      const [recs] = await reader.readRanges([{ topic, partition: 0, from: 0, until: 6 }]);
      expect(recs!.map((r) => r.offset)).toEqual([0, 1, 2, 3, 4, 5]);
      expect(Buffer.from(recs![1]!.value!).equals(binary)).toBe(true);
      expect(Buffer.from(recs![1]!.key!).equals(binary)).toBe(true);
      expect(recs![2]!.value!.length).toBe(1_000_000);
      expect(Buffer.from(recs![2]!.value!).equals(big)).toBe(true);
      expect(text(recs![3]!.value)).toBe('');
      expect(recs![4]!.value).toBeNull();
      expect(text(recs![5]!.value)).toBe('z');
    } finally {
      await reader.close();
    }
  });

  it('reports records deleted by retention as data loss, or skips to the earliest offset', async () => {
    const topic = freshTopic('loss');
    await createTopicReady(admin, topic, 1);
    const writer = new KafkaWriter(conn, { topic });
    await writer.write(Array.from({ length: 10 }, (_, i) => ({ value: `v${i}` })));
    await writer.close();
    // kafkajs' deleteTopicRecords looks the leader up in cached metadata: load the topic's first.
    await admin.fetchTopicOffsets(topic);
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '6' }] });

    const failing = new KafkajsPartitionReader(conn);
    try {
      expect(await failing.partitionOffsets([topic])).toEqual([{ topic, partition: 0, earliest: 6, latest: 10 }]);
      const error = await failing.readRanges([{ topic, partition: 0, from: 2, until: 8 }]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KafkaDataLossError);
      expect((error as Error).message).toContain(`Cannot fetch offset 2 (TopicPartition: ${topic}-0); the earliest available offset is 6`);
      expect((error as Error).message).toContain('set the source option "failOnDataLoss" to "false"');
    } finally {
      await failing.close();
    }

    const warnings: string[] = [];
    const lenient = new KafkajsPartitionReader(conn, { failOnDataLoss: false, warn: (m) => warnings.push(m) });
    try {
      const [recs] = await lenient.readRanges([{ topic, partition: 0, from: 2, until: 8 }]);
      expect(recs!.map((r) => text(r.value))).toEqual(['v6', 'v7']);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('Cannot fetch offset 2');
    } finally {
      await lenient.close();
    }
  });

  it('reports a deleted topic as data loss', async () => {
    const topic = freshTopic('deleted');
    await createTopicReady(admin, topic, 1);
    const writer = new KafkaWriter(conn, { topic });
    await writer.write([{ value: 'a' }, { value: 'b' }]);
    await writer.close();
    const reader = new KafkajsPartitionReader(conn);
    const lenientWarnings: string[] = [];
    const lenient = new KafkajsPartitionReader(conn, { failOnDataLoss: false, warn: (m) => lenientWarnings.push(m) });
    try {
      expect((await reader.read({ topic, partition: 0, from: 0, until: 2 })).map((r) => text(r.value))).toEqual(['a', 'b']);
      await admin.deleteTopics({ topics: [topic] });
      const error = await reader.read({ topic, partition: 0, from: 0, until: 2 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KafkaDataLossError);
      expect((error as Error).message).toContain(`Topic ${topic} was deleted`);
      expect(await reader.partitionOffsets([topic])).toEqual([]);
      expect(await lenient.read({ topic, partition: 0, from: 0, until: 2 })).toEqual([]);
      expect(lenientWarnings).toHaveLength(1);
    } finally {
      await reader.close();
      await lenient.close();
    }
  });

  it('answers no partitions, not a retry until its deadline, for a topic deleted while they are listed', async () => {
    const topic = freshTopic('deleted-while-listed');
    await createTopicReady(admin, topic, 2);
    // A deadline far shorter than the test's: a listing that keeps retrying the gone topic gives up with
    // KafkaUnavailableError instead of answering.
    const reader = new KafkajsPartitionReader(conn, { retryDeadlineMs: 15_000 });
    // The topic is deleted right after the reader's first look at which topics exist, the window a
    // loaded machine hits now and then between that look and the partitions' metadata.
    const internals = reader as unknown as { topicsOn(c: unknown): Promise<string[]> };
    const topicsOn = internals.topicsOn.bind(reader);
    let looks = 0;
    internals.topicsOn = async (c) => {
      const names = await topicsOn(c);
      if (looks++ === 0) await admin.deleteTopics({ topics: [topic] });
      return names;
    };
    try {
      expect(await reader.partitionOffsets([topic])).toEqual([]);
      expect(looks).toBeGreaterThanOrEqual(2);
    } finally {
      await reader.close();
    }
  });

  it('maps topic names under a per-learner prefix both ways', async () => {
    const prefix = `${freshTopic('learner')}.`;
    const prefixed: KafkaConnection = { ...conn, topicPrefix: prefix };
    const writer = new KafkaWriter(prefixed);
    await writer.write([{ topic: 'report', value: 'r1' }, { topic: 'report', value: 'r2' }]);
    await writer.close();
    expect((await admin.listTopics()).filter((t) => t.startsWith(prefix))).toEqual([`${prefix}report`]);
    const reader = new KafkajsPartitionReader(prefixed);
    try {
      expect(await reader.listTopics()).toEqual(['report']);
      expect(await reader.partitionOffsets(['report'])).toEqual([{ topic: 'report', partition: 0, earliest: 0, latest: 2 }]);
      const recs = await reader.read({ topic: 'report', partition: 0, from: 0, until: 2 });
      expect(recs.map((r) => [r.topic, text(r.value)])).toEqual([['report', 'r1'], ['report', 'r2']]);
    } finally {
      await reader.close();
    }
  });

  it('gives up on an unreachable Kafka after the retry deadline with a clear error', async () => {
    const port = await freePort();
    const down: KafkaConnection = { brokers: [`127.0.0.1:${port}`], connectionTimeoutMs: 300 };
    const reader = new KafkajsPartitionReader(down, { retryDeadlineMs: 1500 });
    const error = await reader.partitionOffsets(['t']).then(() => null, (e: unknown) => e as Error);
    await reader.close();
    expect(error).toBeInstanceOf(KafkaUnavailableError);
    expect(error!.message).toMatch(new RegExp(`^Kafka is not reachable at 127\\.0\\.0\\.1:${port} while listing partition offsets: `));
    const writer = new KafkaWriter(down, { topic: 't', retryDeadlineMs: 1500, autoCreateTopics: false });
    const writeError = await writer.write([{ value: 'x' }]).then(() => null, (e: unknown) => e as Error);
    await writer.close();
    expect(writeError).toBeInstanceOf(KafkaUnavailableError);
    expect(writeError!.message).toMatch(new RegExp(`^Kafka is not reachable at 127\\.0\\.0\\.1:${port} while writing to t: `));
  });
});
