/**
 * The embedded broker as the runtime uses it: auto-creation on Metadata, a restart on the same data
 * dir that keeps records and committed offsets, and the `streamlab broker` command's arguments.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { runBrokerCommand, startBroker, type RunningBroker } from '../../../runtime/src/broker/index.js';
import { crc32c } from '../../../runtime/src/broker/protocol/crc32c.js';
import { Reader } from '../../../runtime/src/broker/protocol/reader.js';
import { RawClient } from '../../integration/broker/raw-client.js';
import { kafkajsDecodeResponse, kafkajsRequestFrame } from './kafkajs-protocol.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function broker(options: Parameters<typeof startBroker>[0] = {}): Promise<RunningBroker> {
  const b = await startBroker(options);
  cleanups.push(() => b.close());
  return b;
}

const kafkaFor = (b: RunningBroker) => new Kafka({ brokers: [b.bootstrap], clientId: 'embedded-test', logLevel: logLevel.NOTHING });

async function consumeN(kafka: Kafka, groupId: string, topic: string, n: number): Promise<string[]> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const seen: string[] = [];
  await consumer.run({ eachMessage: async ({ message }) => void seen.push(`${message.offset}:${message.value}`) });
  while (seen.length < n) await new Promise((r) => setTimeout(r, 20));
  await consumer.disconnect();
  return seen;
}

describe('embedded broker', () => {
  it('creates a topic named in Metadata with the default partition count', async () => {
    const b = await broker({ defaultPartitions: 2 });
    const producer = kafkaFor(b).producer();
    await producer.connect();
    await producer.send({ topic: 'fresh', messages: [{ value: 'x' }] });
    await producer.disconnect();
    expect(b.store.topic('fresh')!.partitions.length).toBe(2);
  });

  it('does not create topics when auto-creation is off', async () => {
    const b = await broker({ autoCreateTopics: false });
    const admin = kafkaFor(b).admin();
    await admin.connect();
    cleanups.push(() => admin.disconnect());
    const err = await admin.fetchTopicMetadata({ topics: ['missing'] }).catch((e: any) => e);
    expect(err.type).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    expect(b.store.topic('missing')).toBeUndefined();
  });

  it('keeps records and committed offsets across a restart on the same data dir', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'embedded-broker-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const first = await startBroker({ dataDir });
    const producer = kafkaFor(first).producer();
    await producer.connect();
    await producer.send({ topic: 'kept', messages: ['a', 'b', 'c'].map((value) => ({ value })) });
    await producer.disconnect();
    expect(await consumeN(kafkaFor(first), 'g', 'kept', 3)).toEqual(['0:a', '1:b', '2:c']);
    await first.close();

    const second = await broker({ dataDir });
    const producer2 = kafkaFor(second).producer();
    await producer2.connect();
    await producer2.send({ topic: 'kept', messages: [{ value: 'd' }] });
    await producer2.disconnect();
    // The group resumes after its commit: only the new record.
    expect(await consumeN(kafkaFor(second), 'g', 'kept', 1)).toEqual(['3:d']);
    const admin = kafkaFor(second).admin();
    await admin.connect();
    expect(await admin.fetchOffsets({ groupId: 'g', topics: ['kept'] })).toEqual([{ topic: 'kept', partitions: [{ partition: 0, offset: '4', metadata: null }] }]);
    await admin.disconnect();
  });

  it('answers a Produce with acks=0 with nothing, so the next answer is the next request\'s', async () => {
    const b = await broker();
    const producer = kafkaFor(b).producer();
    await producer.connect();
    await producer.send({ topic: 'quiet', acks: 0, messages: [{ value: 'q' }] });
    await producer.send({ topic: 'quiet', acks: 1, messages: [{ value: 'r' }] });
    await producer.disconnect();
    expect(b.store.partition('quiet', 0)!.logEndOffset).toBe(2);
  });

  it('refuses zstd batches to Fetch below v10 and serves them from v10', async () => {
    const b = await broker();
    b.store.createTopic('z', 1);
    const frame = await kafkajsRequestFrame('Produce', 7, {
      acks: 1,
      timeout: 1000,
      topicData: [{ topic: 'z', partitions: [{ partition: 0, firstSequence: 0, messages: [{ value: 'v' }] }] }],
    });
    // Mark the batch zstd (attributes codec 4) and fix its CRC: the broker stores codecs opaquely.
    const recordsAt = frame.indexOf(Buffer.from('z')) + 1 + 4 + 4 + 4; // name, partitions count, index, bytes length
    frame.writeInt16BE(4, recordsAt + 21);
    frame.writeUInt32BE(crc32c(frame, recordsAt + 21, frame.length), recordsAt + 17);
    const c = await RawClient.connect(b.bootstrap);
    cleanups.push(() => c.close());
    const produced = await kafkajsDecodeResponse('Produce', 7, (await c.send(frame)).body);
    expect(produced.topics[0].partitions[0].errorCode).toBe(0);
    const fetchArgs = { replicaId: -1, maxWaitTime: 0, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 1, topics: [{ topic: 'z', partitions: [{ partition: 0, fetchOffset: '0', maxBytes: 1 << 20 }] }] };
    const old = (await c.send(await kafkajsRequestFrame('Fetch', 9, fetchArgs))).body;
    // Fetch v9 body: throttle, error, session, [topics] name [partitions] index errorCode ...
    const r = new Reader(old);
    r.int32();
    r.int16();
    r.int32();
    r.int32();
    r.string();
    r.int32();
    r.int32();
    expect(r.int16()).toBe(76);
    const recent = (await c.send(await kafkajsRequestFrame('Fetch', 11, fetchArgs))).body;
    const r2 = new Reader(recent);
    r2.int32();
    r2.int16();
    r2.int32();
    r2.int32();
    r2.string();
    r2.int32();
    r2.int32();
    expect(r2.int16()).toBe(0);
  });

  it('streamlab broker rejects unknown options and bad ports with exit code 2', async () => {
    expect(await runBrokerCommand(['--nope'])).toBe(2);
    expect(await runBrokerCommand(['--port', 'abc'])).toBe(2);
    expect(await runBrokerCommand(['--help'])).toBe(0);
  });
});
