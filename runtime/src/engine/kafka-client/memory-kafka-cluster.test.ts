import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { setKafkaClientFactory } from './client-factory.js';
import { KafkaConsumer } from './kafka-consumer.js';
import { KafkaProducer } from './kafka-producer.js';
import { InMemoryKafkaCluster } from './memory-kafka-cluster.js';

afterEach(() => setKafkaClientFactory(null));

function cluster(): InMemoryKafkaCluster {
  const c = new InMemoryKafkaCluster({ clock: new ManualClock(1_000) });
  c.createTopic('t', 3);
  setKafkaClientFactory(c);
  return c;
}

async function drain(consumer: KafkaConsumer): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    const batch = Object.values(await consumer.poll({ timeout_ms: 0 })).flat();
    if (batch.length === 0) return out.sort();
    for (const r of batch) out.push(`${r.partition}:${r.offset}=${r.value}`);
  }
}

describe('KafkaProducer', () => {
  it('sends keyed records to the murmur2 partition with dense offsets and the clock as timestamp', async () => {
    const c = cluster();
    const p = new KafkaProducer({ bootstrap_servers: 'localhost:9092' });
    const metas = [await p.send('t', { key: 'sensor-3', value: 'a' }), await p.send('t', { key: 'sensor-3', value: 'b' }), await p.send('t', { key: 'sensor-1', value: 'c', timestamp_ms: 5 })];
    await p.close();
    expect(metas).toEqual([
      { topic: 't', partition: 2, offset: 0, timestamp: 1_000 },
      { topic: 't', partition: 2, offset: 1, timestamp: 1_000 },
      { topic: 't', partition: 1, offset: 0, timestamp: 5 },
    ]);
    expect(c.textRecords('t')).toEqual([
      { partition: 1, offset: 0, key: 'sensor-1', value: 'c' },
      { partition: 2, offset: 0, key: 'sensor-3', value: 'a' },
      { partition: 2, offset: 1, key: 'sensor-3', value: 'b' },
    ]);
  });

  it('applies value_serializer and refuses objects without one', async () => {
    const c = cluster();
    const p = new KafkaProducer({ value_serializer: (v) => JSON.stringify(v) });
    await p.send('t', { partition: 0, value: { x: 1 } });
    expect(c.textRecords('t')).toEqual([{ partition: 0, offset: 0, key: null, value: '{"x":1}' }]);
    expect(() => new KafkaProducer().send('t', { value: { x: 1 } })).toThrow('value must be a string or bytes (or set value_serializer); got object');
  });
});

describe('KafkaConsumer', () => {
  it('starts at the end by default and at the beginning with auto_offset_reset="earliest"', async () => {
    const c = cluster();
    c.produce('t', 'old', { partition: 0 });
    const latest = new KafkaConsumer(['t'], { group_id: 'g1' });
    const earliest = new KafkaConsumer(['t'], { group_id: 'g2', auto_offset_reset: 'earliest' });
    expect(await drain(latest)).toEqual([]);
    expect(await drain(earliest)).toEqual(['0:0=old']);
    c.produce('t', 'new', { partition: 0 });
    expect(await drain(latest)).toEqual(['0:1=new']);
  });

  it('splits partitions between two members of a group and reads each record once', async () => {
    const c = cluster();
    for (let p = 0; p < 3; p++) c.produce('t', `v${p}`, { partition: p });
    const a = new KafkaConsumer(['t'], { group_id: 'g', auto_offset_reset: 'earliest' });
    const b = new KafkaConsumer(['t'], { group_id: 'g', auto_offset_reset: 'earliest' });
    const fromA = await drain(a);
    const fromB = await drain(b);
    expect(a.assignment()).toEqual([{ topic: 't', partition: 0 }, { topic: 't', partition: 1 }]);
    expect(b.assignment()).toEqual([{ topic: 't', partition: 2 }]);
    expect([fromA, fromB]).toEqual([['0:0=v0', '1:0=v1'], ['2:0=v2']]);
  });

  it('resumes from the committed offset after a restart, and a new group replays everything', async () => {
    const c = cluster();
    c.produce('t', 'x', { partition: 1 });
    const first = new KafkaConsumer(['t'], { group_id: 'g', auto_offset_reset: 'earliest' });
    expect(await drain(first)).toEqual(['1:0=x']);
    await first.close();
    expect(c.committed('g', 't', 1)).toBe(1);
    c.produce('t', 'y', { partition: 1 });
    expect(await drain(new KafkaConsumer(['t'], { group_id: 'g', auto_offset_reset: 'earliest' }))).toEqual(['1:1=y']);
    expect(await drain(new KafkaConsumer(['t'], { group_id: 'other', auto_offset_reset: 'earliest' }))).toEqual(['1:0=x', '1:1=y']);
  });

  it('without auto-commit, commits only when told to', async () => {
    const c = cluster();
    c.produce('t', 'x', { partition: 0 });
    const k = new KafkaConsumer(['t'], { group_id: 'g', auto_offset_reset: 'earliest', enable_auto_commit: false });
    await drain(k);
    expect(c.committed('g', 't', 0)).toBe(null);
    await k.commit();
    expect(c.committed('g', 't', 0)).toBe(1);
  });

  it('without auto-commit, a rebalance or a close while a poll waits commits nothing: the group starts again from the reset', async () => {
    const c = cluster();
    c.produce('t', 'x', { partition: 0 });
    const config = { group_id: 'g', auto_offset_reset: 'earliest' as const, enable_auto_commit: false };
    const first = c.consumer(config);
    first.subscribe(['t']);
    expect((await first.poll(0, 10)).map((r) => r.value && new TextDecoder().decode(r.value))).toEqual(['x']);
    // A poll waiting for records (the clock is manual, so only an append wakes it) while a second member joins.
    const waiting = first.poll(60_000, 10);
    const second = c.consumer(config);
    second.subscribe(['t']);
    await first.close(false);
    c.produce('t', 'y', { partition: 0 });
    expect(await waiting).toEqual([]);
    expect(c.committed('g', 't', 0)).toBe(null);
    expect((await second.poll(0, 10)).map((r) => r.value && new TextDecoder().decode(r.value))).toEqual(['x', 'y']);
  });

  it('with auto-commit, a rebalance commits what the member consumed', async () => {
    const c = cluster();
    c.produce('t', 'x', { partition: 0 });
    const first = c.consumer({ group_id: 'g', auto_offset_reset: 'earliest' });
    first.subscribe(['t']);
    await first.poll(0, 10);
    c.consumer({ group_id: 'g', auto_offset_reset: 'earliest' }).subscribe(['t']);
    await first.poll(0, 10);
    expect(c.committed('g', 't', 0)).toBe(1);
  });

  it('ends iteration after consumer_timeout_ms without records', async () => {
    const c = cluster();
    c.produce('t', 'only', { partition: 2, key: null });
    const seen: string[] = [];
    for await (const m of new KafkaConsumer(['t'], { auto_offset_reset: 'earliest', consumer_timeout_ms: 10 })) seen.push(`${m.topic}:${m.partition}:${m.offset}: key=${m.key} value=${m.value}`);
    expect(seen).toEqual(['t:2:0: key=null value=only']);
  });
});

describe('direct input for DStreams', () => {
  it('hands each batch the records appended up to its time, once', async () => {
    const clock = new ManualClock(0);
    const c = new InMemoryKafkaCluster({ clock });
    c.createTopic('s', 2);
    const input = c.createDirectInput(['s'], { 'auto.offset.reset': 'earliest' });
    await input.start();
    clock.setTime(5);
    c.produce('s', 'a', { partition: 0 });
    clock.setTime(15);
    c.produce('s', 'b', { partition: 1, key: 'k' });
    expect(await input.fetch(10)).toEqual([[[null, 'a']], []]);
    expect(await input.fetch(20)).toEqual([[], [['k', 'b']]]);
    expect(input.positions()).toEqual({ 's:0': 1, 's:1': 1 });
  });
});
