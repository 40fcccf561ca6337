/**
 * Layer B of the conformance plan with kafkajs 2.2.4: the same producer, consumer-group and admin
 * scenarios against the embedded broker and real Apache Kafka, with the same assertions.
 * Allowed differences, stated where they matter: member ids and timings.
 */
import { CompressionTypes, Kafka, logLevel, Partitioners, type Consumer, type EachMessagePayload } from 'kafkajs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { freshName, freshTopic } from '../../services/inject.js';
import { storedBatches } from './stored-batches.js';
import { stopEmbedded, TARGETS, type Target } from './targets.js';

afterAll(stopEmbedded);

/** Polls until `check` holds; the test timeout bounds it, so no timing threshold is asserted. */
async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 50));
}

/**
 * Retries a group call that real Kafka refuses with NOT_COORDINATOR (or COORDINATOR_LOAD_IN_PROGRESS)
 * while it creates `__consumer_offsets` on first use in a fresh cluster. A broker-specific allowance:
 * the embedded broker is its own coordinator from the start and answers at once.
 */
async function coordinatorReady<T>(call: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await call();
    } catch (e: any) {
      if (e?.type !== 'NOT_COORDINATOR' && e?.type !== 'COORDINATOR_LOAD_IN_PROGRESS') throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

type Seen = Array<{ partition: number; offset: string; key: string | null; value: string }>;

describe.each(TARGETS)('kafkajs scenarios: $name', (target: Target) => {
  const consumers: Consumer[] = [];
  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.disconnect().catch(() => undefined)));
  });

  async function client(): Promise<Kafka> {
    return new Kafka({ brokers: [await target.bootstrap()], clientId: 'conformance', logLevel: logLevel.NOTHING });
  }

  async function topicWith(partitions: number, prefix = 'kjs'): Promise<string> {
    const topic = freshTopic(prefix);
    const admin = (await client()).admin();
    await admin.connect();
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true })).toBe(true);
    await admin.disconnect();
    return topic;
  }

  async function consume(groupId: string, topic: string, count: number, fromBeginning = true, onMessage?: (p: EachMessagePayload, c: Consumer) => void): Promise<Seen> {
    const consumer = (await client()).consumer({ groupId, maxWaitTimeInMs: 200 });
    consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning });
    const seen: Seen = [];
    const delivered = new Set<string>();
    await consumer.run({
      eachMessage: async (p) => {
        // At-least-once: a rebalance right after the first join (real Kafka, while it sets up
        // __consumer_offsets) may deliver a record twice. Each offset is kept once.
        const id = `${p.partition}:${p.message.offset}`;
        if (delivered.has(id)) return;
        delivered.add(id);
        seen.push({ partition: p.partition, offset: p.message.offset, key: p.message.key?.toString() ?? null, value: p.message.value!.toString() });
        onMessage?.(p, consumer);
      },
    });
    await until(() => seen.length >= count);
    await consumer.disconnect();
    return seen;
  }

  it('keeps per-partition order and partitions keys like kafkajs\'s default partitioner', async () => {
    const topic = await topicWith(3);
    const producer = (await client()).producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const messages = Array.from({ length: 30 }, (_, i) => ({ key: `k${i % 10}`, value: `v${i}` }));
    for (let i = 0; i < 30; i += 5) await producer.send({ topic, messages: messages.slice(i, i + 5) });
    await producer.disconnect();
    const seen = await consume(freshName('order'), topic, 30);
    expect(seen.length).toBe(30);
    const partitioner = Partitioners.DefaultPartitioner();
    const partitionMetadata = [0, 1, 2].map((partitionId) => ({ partitionId, leader: 1, replicas: [1], isr: [1], partitionErrorCode: 0 }));
    for (const m of seen) {
      expect(m.partition).toBe(partitioner({ topic, partitionMetadata, message: { key: m.key!, value: m.value } }));
    }
    for (const p of [0, 1, 2]) {
      const inPartition = seen.filter((m) => m.partition === p);
      expect(inPartition.map((m) => Number(m.offset))).toEqual(inPartition.map((_, i) => i));
      const values = inPartition.map((m) => Number(m.value.slice(1)));
      expect(values).toEqual([...values].sort((a, b) => a - b));
    }
  });

  it('commits and resumes: a second consumer in the group sees only what came after', async () => {
    const topic = await topicWith(1);
    const groupId = freshName('resume');
    const producer = (await client()).producer();
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: 10 }, (_, i) => ({ value: `a${i}` })) });
    const first = await consume(groupId, topic, 10);
    expect(first.map((m) => m.value)).toEqual(Array.from({ length: 10 }, (_, i) => `a${i}`));
    const admin = (await client()).admin();
    await admin.connect();
    expect(await admin.fetchOffsets({ groupId, topics: [topic] })).toEqual([{ topic, partitions: [{ partition: 0, offset: '10', metadata: null }] }]);
    await producer.send({ topic, messages: Array.from({ length: 5 }, (_, i) => ({ value: `b${i}` })) });
    await producer.disconnect();
    const second = await consume(groupId, topic, 5);
    expect(second.map((m) => [m.offset, m.value])).toEqual(Array.from({ length: 5 }, (_, i) => [String(10 + i), `b${i}`]));
    // setOffsets on the now-empty group: the next consumer starts exactly at offset 3.
    await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '3' }] });
    const third = await consume(groupId, topic, 12);
    expect(third[0]).toMatchObject({ offset: '3', value: 'a3' });
    expect(third.length).toBe(12);
    await admin.disconnect();
  });

  it('fromBeginning false starts at the end; seek moves the position', async () => {
    const topic = await topicWith(1);
    const producer = (await client()).producer();
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: 10 }, (_, i) => ({ value: `old${i}` })) });
    const consumer = (await client()).consumer({ groupId: freshName('latest'), maxWaitTimeInMs: 200 });
    consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: false });
    let fetched = false;
    consumer.on(consumer.events.FETCH, () => (fetched = true));
    const seen: string[] = [];
    let sought = false;
    await consumer.run({
      eachMessage: async ({ message }) => {
        seen.push(`${message.offset}:${message.value}`);
        if (!sought && message.value!.toString() === 'new0') {
          sought = true;
          consumer.seek({ topic, partition: 0, offset: '2' });
        }
      },
    });
    await until(() => fetched);
    await producer.send({ topic, messages: [{ value: 'new0' }] });
    await until(() => seen.length >= 10);
    await producer.disconnect();
    expect(seen).toEqual(['10:new0', '2:old2', '3:old3', '4:old4', '5:old5', '6:old6', '7:old7', '8:old8', '9:old9', '10:new0']);
  });

  it('a group of three shares six partitions and rebalances when one leaves', async () => {
    const topic = await topicWith(6);
    const groupId = freshName('three');
    const assignments = new Map<string, number[]>();
    const members: Consumer[] = [];
    for (let i = 0; i < 3; i++) {
      const c = (await client()).consumer({ groupId, maxWaitTimeInMs: 200, heartbeatInterval: 500 });
      consumers.push(c);
      members.push(c);
      c.on(c.events.GROUP_JOIN, (e) => {
        assignments.set(e.payload.memberId, (e.payload.memberAssignment[topic] ?? []).slice().sort());
      });
      await c.connect();
      await c.subscribe({ topic, fromBeginning: true });
      await c.run({ eachMessage: async () => undefined });
    }
    const cover = (ids: string[]) => ids.flatMap((id) => assignments.get(id) ?? []).sort();
    const describe = async () => {
      const admin = (await client()).admin();
      await admin.connect();
      const { groups } = await admin.describeGroups([groupId]);
      await admin.disconnect();
      return groups[0];
    };
    await until(async () => {
      const g = await describe();
      return g.state === 'Stable' && g.members.length === 3 && g.members.every((m) => (assignments.get(m.memberId) ?? []).length === 2);
    });
    const before = await describe();
    expect(cover(before.members.map((m) => m.memberId))).toEqual([0, 1, 2, 3, 4, 5]);
    await members[0].disconnect();
    await until(async () => {
      const g = await describe();
      return g.state === 'Stable' && g.members.length === 2 && cover(g.members.map((m) => m.memberId)).length === 6;
    });
    const after = await describe();
    expect(cover(after.members.map((m) => m.memberId))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(after.members.map((m) => (assignments.get(m.memberId) ?? []).length)).toEqual([3, 3]);
  });

  it('gzip batches are stored compressed and read back intact', async () => {
    const topic = await topicWith(1);
    const producer = (await client()).producer();
    await producer.connect();
    const values = Array.from({ length: 50 }, (_, i) => JSON.stringify({ i, text: 'repetitive '.repeat(5) }));
    await producer.send({ topic, compression: CompressionTypes.GZIP, messages: values.map((value) => ({ value })) });
    await producer.disconnect();
    // The stored batch, fetched raw, is one gzip batch (codec 1) of all 50 records.
    expect((await storedBatches(await target.bootstrap(), topic)).map(({ codec, recordsCount, baseOffset }) => ({ codec, recordsCount, baseOffset }))).toEqual([{ codec: 1, recordsCount: 50, baseOffset: 0 }]);
    const seen = await consume(freshName('gzip'), topic, 50);
    expect(seen.map((m) => m.value)).toEqual(values);
  });

  it('admin.deleteTopicRecords moves the log start: earliest is the new start, a group behind it resets as its policy says, -1 empties', async () => {
    const topic = await topicWith(2);
    const producer = (await client()).producer();
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: 6 }, (_, i) => ({ value: `a${i}`, partition: 0 })) });
    await producer.send({ topic, messages: [{ value: 'p1', partition: 1 }] });
    const admin = (await client()).admin();
    await admin.connect();
    // A group that read up to offset 1 of partition 0, then stopped.
    const behind = freshName('behind');
    await coordinatorReady(() => admin.setOffsets({ groupId: behind, topic, partitions: [{ partition: 0, offset: '1' }, { partition: 1, offset: '1' }] }));
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '4' }] });
    const offsets = async () => (await admin.fetchTopicOffsets(topic)).sort((a, b) => a.partition - b.partition).map((p) => [p.low, p.high]);
    expect(await offsets()).toEqual([['4', '6'], ['0', '1']]);
    // A new reader from the beginning starts at the new start.
    const fresh = await consume(freshName('fresh'), topic, 3);
    expect(fresh.map((m) => `${m.partition}:${m.offset}:${m.value}`).sort()).toEqual(['0:4:a4', '0:5:a5', '1:0:p1']);
    // The group at offset 1 gets OFFSET_OUT_OF_RANGE and resets to the earliest offset (fromBeginning).
    const resumed = await consume(behind, topic, 2);
    expect(resumed.map((m) => `${m.partition}:${m.offset}:${m.value}`)).toEqual(['0:4:a4', '0:5:a5']);
    // An offset past the high watermark is refused; -1 (the high watermark) empties the partition.
    const past = await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '7' }] }).catch((e: any) => e);
    // (kafkajs reports OFFSET_OUT_OF_RANGE only as this, once its retrier gives up on the partition error)
    expect([past.name, past.message]).toEqual(['KafkaJSNonRetriableError', 'Error while deleting records']);
    expect(await offsets()).toEqual([['4', '6'], ['0', '1']]);
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '-1' }, { partition: 1, offset: '-1' }] });
    expect(await offsets()).toEqual([['6', '6'], ['1', '1']]);
    await producer.send({ topic, messages: [{ value: 'after', partition: 0 }] });
    await producer.disconnect();
    const after = await consume(freshName('after'), topic, 1);
    expect(after.map((m) => `${m.partition}:${m.offset}:${m.value}`)).toEqual(['0:6:after']);
    await admin.disconnect();
  });

  it('admin: create, duplicate, invalid replication, list, describe, offsets of an unknown group, delete', async () => {
    const admin = (await client()).admin();
    await admin.connect();
    const topic = freshTopic('admin');
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true })).toBe(true);
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] })).toBe(false);
    const replicated = await admin.createTopics({ topics: [{ topic: freshTopic('rf'), replicationFactor: 3 }] }).catch((e: any) => e);
    expect(replicated.errors?.[0]?.type ?? replicated.type).toBe('INVALID_REPLICATION_FACTOR');
    const badName = await admin.createTopics({ topics: [{ topic: 'no spaces allowed' }] }).catch((e: any) => e);
    expect(badName.errors?.[0]?.type ?? badName.type).toBe('INVALID_TOPIC_EXCEPTION');
    expect((await admin.listTopics()).filter((t) => !t.startsWith('__'))).toContain(topic);
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(meta.topics.map((t) => [t.name, t.partitions.map((p) => p.partitionId).sort()])).toEqual([[topic, [0, 1]]]);
    // Partition order of this answer differs between the brokers (Kafka groups by request); sort.
    expect((await admin.fetchTopicOffsets(topic)).sort((a, b) => a.partition - b.partition)).toEqual([
      { partition: 0, offset: '0', high: '0', low: '0' },
      { partition: 1, offset: '0', high: '0', low: '0' },
    ]);
    const unknownGroup = freshName('nobody');
    const unknownOffsets = await coordinatorReady(() => admin.fetchOffsets({ groupId: unknownGroup, topics: [topic] }));
    expect(unknownOffsets.map((t) => [t.topic, t.partitions.sort((a, b) => a.partition - b.partition)])).toEqual([
      [topic, [{ partition: 0, offset: '-1', metadata: null }, { partition: 1, offset: '-1', metadata: null }]],
    ]);
    const groupId = freshName('listed');
    await admin.setOffsets({ groupId, topic, partitions: [{ partition: 1, offset: '0' }] });
    expect((await admin.listGroups()).groups.filter((g) => g.groupId === groupId)).toEqual([{ groupId, protocolType: 'consumer' }]);
    const described = (await admin.describeGroups([groupId])).groups[0];
    expect([described.groupId, described.state, described.members]).toEqual([groupId, 'Empty', []]);
    await admin.deleteTopics({ topics: [topic] });
    expect((await admin.listTopics()).includes(topic)).toBe(false);
    await admin.disconnect();
  });
});
