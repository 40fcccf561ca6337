/**
 * Idempotent producers on the embedded broker: InitProducerId hands out producer ids that are never
 * reused, and each partition checks producer epochs and sequence numbers as Kafka does (duplicates
 * written once, gaps and stale epochs refused with Kafka's error codes). Requests are encoded by
 * kafkajs's own Produce encoder, which takes a producer id, epoch and first sequence.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { startBroker, type RunningBroker } from '../../../runtime/src/broker/index.js';
import { readBatchHeader } from '../../../runtime/src/broker/log/record-batch.js';
import { RawClient } from '../../integration/broker/raw-client.js';
import { kafkajsDecodeResponse, kafkajsRequestFrame } from './kafkajs-protocol.js';

const require = createRequire(import.meta.url);
const Long = require('kafkajs/src/utils/long') as { fromNumber(n: number): unknown };

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function broker(options: Parameters<typeof startBroker>[0] = {}): Promise<RunningBroker> {
  const b = await startBroker(options);
  cleanups.push(() => b.close());
  if (!b.store.topic('t')) b.store.createTopic('t', 1);
  return b;
}

async function client(b: RunningBroker): Promise<RawClient> {
  const c = await RawClient.connect(b.bootstrap);
  cleanups.push(() => c.close());
  return c;
}

let correlation = 1;

async function initProducerId(c: RawClient, transactionalId: string | null = null): Promise<{ errorCode: number; producerId: number; producerEpoch: number }> {
  const res = await c.send(await kafkajsRequestFrame('InitProducerId', 1, { transactionalId }, correlation++));
  const decoded = await kafkajsDecodeResponse('InitProducerId', 1, res.body);
  return { errorCode: decoded.errorCode, producerId: Number(decoded.producerId), producerEpoch: decoded.producerEpoch };
}

/** Sends one idempotent batch of `values` to t-0; resolves with the partition's error code and base offset. */
async function produce(c: RawClient, topic: string, producerId: number, producerEpoch: number, firstSequence: number, values: string[]): Promise<{ errorCode: number; baseOffset: number }> {
  const frame = await kafkajsRequestFrame('Produce', 7, {
    acks: -1,
    timeout: 1000,
    producerId: Long.fromNumber(producerId),
    producerEpoch,
    topicData: [{ topic, partitions: [{ partition: 0, firstSequence, messages: values.map((value) => ({ value, timestamp: 1_700_000_000_000 })) }] }],
  }, correlation++);
  const res = await c.send(frame);
  // The error path of kafkajs's decoder throws; read the fields directly (v7: topics, partitions).
  const body = res.body;
  let pos = 4;
  pos += 2 + body.readInt16BE(pos); // topic name
  pos += 4 + 4; // partitions count, index
  const errorCode = body.readInt16BE(pos);
  const baseOffset = Number(body.readBigInt64BE(pos + 2));
  return { errorCode, baseOffset };
}

async function storedBatches(b: RunningBroker, topic: string): Promise<{ producerId: number; baseSequence: number; count: number }[]> {
  const log = b.store.partition(topic, 0)!;
  const read = log.read(0, 1 << 20)!;
  const out = [];
  for (let pos = 0; pos < read.records.length; ) {
    const h = readBatchHeader(read.records, pos)!;
    out.push({ producerId: h.producerId, baseSequence: h.baseSequence, count: h.recordsCount });
    pos += h.size;
  }
  return out;
}

describe('InitProducerId', () => {
  it('gives every idempotent producer a new id at epoch 0, and refuses transactional ids (no transaction coordinator)', async () => {
    const b = await broker();
    const c = await client(b);
    const first = await initProducerId(c);
    const second = await initProducerId(c);
    expect([first.errorCode, first.producerEpoch, second.errorCode, second.producerEpoch]).toEqual([0, 0, 0, 0]);
    expect(second.producerId).toBe(first.producerId + 1);
    expect((await initProducerId(c, 'txn-1')).errorCode).toBe(42);
  });

  it('never hands out an id twice across restarts on the same data dir', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamlab-pid-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const b1 = await startBroker({ dataDir: dir });
    const c1 = await RawClient.connect(b1.bootstrap);
    const before = await initProducerId(c1);
    c1.close();
    await b1.close();
    const b2 = await broker({ dataDir: dir });
    const after = await initProducerId(await client(b2));
    expect(after.producerId).toBeGreaterThan(before.producerId);
  });
});

describe('sequence checks on produce', () => {
  it('writes a retried batch once and acknowledges the retry with the first offset', async () => {
    const b = await broker();
    const c = await client(b);
    const { producerId } = await initProducerId(c);
    expect(await produce(c, 't', producerId, 0, 0, ['a', 'b'])).toEqual({ errorCode: 0, baseOffset: 0 });
    expect(await produce(c, 't', producerId, 0, 2, ['c'])).toEqual({ errorCode: 0, baseOffset: 2 });
    // The same batch again (a retry after a lost acknowledgement): same offset, nothing appended.
    expect(await produce(c, 't', producerId, 0, 0, ['a', 'b'])).toEqual({ errorCode: 0, baseOffset: 0 });
    expect(b.store.partition('t', 0)!.logEndOffset).toBe(3);
  });

  it('refuses a gap in the sequence with OUT_OF_ORDER_SEQUENCE_NUMBER and appends nothing', async () => {
    const b = await broker();
    const c = await client(b);
    const { producerId } = await initProducerId(c);
    await produce(c, 't', producerId, 0, 0, ['a']);
    expect((await produce(c, 't', producerId, 0, 5, ['x'])).errorCode).toBe(45);
    // A sequence already written, but not the remembered batch: also out of order.
    expect((await produce(c, 't', producerId, 0, 0, ['a', 'extra'])).errorCode).toBe(45);
    expect(await produce(c, 't', producerId, 0, 1, ['b'])).toEqual({ errorCode: 0, baseOffset: 1 });
    expect(await storedBatches(b, 't')).toEqual([
      { producerId, baseSequence: 0, count: 1 },
      { producerId, baseSequence: 1, count: 1 },
    ]);
  });

  it('refuses an epoch lower than the last seen with INVALID_PRODUCER_EPOCH, and a new epoch not starting at 0', async () => {
    const b = await broker();
    const c = await client(b);
    const { producerId } = await initProducerId(c);
    await produce(c, 't', producerId, 0, 0, ['a']);
    expect((await produce(c, 't', producerId, 1, 3, ['b'])).errorCode).toBe(45);
    expect(await produce(c, 't', producerId, 1, 0, ['b'])).toEqual({ errorCode: 0, baseOffset: 1 });
    expect((await produce(c, 't', producerId, 0, 1, ['late'])).errorCode).toBe(47);
  });

  it('keeps the producer state across a restart: a retry after the broker came back is still written once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamlab-pstate-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const b1 = await startBroker({ dataDir: dir });
    b1.store.createTopic('t', 1);
    const c1 = await RawClient.connect(b1.bootstrap);
    const { producerId } = await initProducerId(c1);
    await produce(c1, 't', producerId, 0, 0, ['a']);
    await produce(c1, 't', producerId, 0, 1, ['b', 'c']);
    c1.close();
    await b1.close();
    const b2 = await broker({ dataDir: dir });
    const c2 = await client(b2);
    expect(await produce(c2, 't', producerId, 0, 1, ['b', 'c'])).toEqual({ errorCode: 0, baseOffset: 1 });
    expect((await produce(c2, 't', producerId, 0, 7, ['d'])).errorCode).toBe(45);
    expect(await produce(c2, 't', producerId, 0, 3, ['d'])).toEqual({ errorCode: 0, baseOffset: 3 });
  });

  it('serves kafkajs\'s idempotent producer: every record once, in order, from one producer id', async () => {
    const b = await broker();
    const kafka = new Kafka({ brokers: [b.bootstrap], clientId: 'idempotent-test', logLevel: logLevel.NOTHING });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    for (let i = 0; i < 3; i++) await producer.send({ topic: 'k', acks: -1, messages: [{ value: `m${i}` }, { value: `n${i}` }] });
    const batches = await storedBatches(b, 'k');
    expect(batches.map((x) => [x.baseSequence, x.count])).toEqual([[0, 2], [2, 2], [4, 2]]);
    expect(new Set(batches.map((x) => x.producerId)).size).toBe(1);
    expect(batches[0]!.producerId).toBeGreaterThanOrEqual(0);
  });
});
