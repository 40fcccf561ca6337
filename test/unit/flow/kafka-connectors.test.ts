import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../runtime/src/engine/clock.js';
import { setKafkaClientFactory } from '../../../runtime/src/engine/kafka-client/client-factory.js';
import { InMemoryKafkaCluster } from '../../../runtime/src/engine/kafka-client/memory-kafka-cluster.js';
import {
  ActorSystem, Committer, CommitterSettings, Consumer, ConsumerSettings, Keep, Sink, StringDeserializer, Subscriptions,
} from '../../../runtime/src/engine/flow/index.js';
import { controlFailure } from '../../../runtime/src/engine/flow/kafka/consumer.js';
import { advanceInOrder, settle } from '../../../runtime/src/testing/flow/run-flow-scenario.js';

let cluster: InMemoryKafkaCluster;
let clock: ManualClock;
let system: ActorSystem;
const enc = new TextEncoder();

beforeEach(() => {
  cluster = new InMemoryKafkaCluster();
  setKafkaClientFactory(cluster);
  clock = new ManualClock(0);
  system = ActorSystem.create('kafka-unit', { clock });
});

afterEach(async () => {
  await system.terminate();
  setKafkaClientFactory(null);
});

async function produce(topic: string, values: string[]): Promise<void> {
  const p = cluster.producer({});
  for (const v of values) await p.send({ topic, key: enc.encode(v.slice(0, 1)), value: enc.encode(v), headers: [], partition: 0 });
}

const settings = (group?: string) => {
  const s = ConsumerSettings.create(system, new StringDeserializer(), new StringDeserializer()).withProperty('auto.offset.reset', 'earliest');
  return group ? s.withGroupId(group) : s;
};

async function until(test: () => boolean): Promise<void> {
  while (!test()) await new Promise((r) => setTimeout(r, 5));
}

describe('Committer.sink', () => {
  it('commits when a batch is full, when maxInterval passes on the clock, and at the end', async () => {
    await produce('fixes', ['a1', 'a2', 'a3', 'a4', 'a5']);
    const committedNow = () => cluster.committed('g1', 'fixes', 0);
    let seen = 0;
    const control = Consumer.committableSource(settings('g1'), Subscriptions.topics('fixes'))
      .wireTap(() => seen++)
      .map((m) => m.committableOffset)
      .toMat(Committer.sink(CommitterSettings.create(system).withMaxBatch(2).withMaxInterval('3 seconds')), Consumer.DrainingControl.apply)
      .run(system);
    await until(() => committedNow() === 4);
    // The fifth offset waits for its batch to fill or for 3 s of the system's clock.
    await settle();
    expect(committedNow()).toBe(4);
    await advanceInOrder(clock, 2999);
    expect(committedNow()).toBe(4);
    await advanceInOrder(clock, 1);
    expect(committedNow()).toBe(5);
    await produce('fixes', ['a6']);
    await until(() => seen === 6);
    // Draining stops the source and waits for the committer's last batch.
    await control.drainAndShutdown();
    expect(committedNow()).toBe(6);
  });
});

describe('Consumer sources', () => {
  it('a plain source reads keys, values and offsets; take cancels and closes it', async () => {
    await produce('t', ['x1', 'y2', 'z3']);
    const [control, records] = Consumer.plainSource(settings('p'), Subscriptions.topics('t')).take(2).toMat(Sink.seq(), Keep.both).run(system);
    expect((await records).map((r) => [r.key, r.value, r.offset])).toEqual([['x', 'x1', 0], ['y', 'y2', 1]]);
    await control.isShutdown;
  });

  it('needs a group for committable messages, and refuses a bad auto.offset.reset', async () => {
    expect(() => Consumer.committableSource(settings(), Subscriptions.topics('t'))).toThrow(/consumer group is not set/);
    const result = Consumer.plainSource(settings('p').withProperty('auto.offset.reset', 'smallest'), Subscriptions.topics('t')).runWith(Sink.ignore(), system);
    await expect(result).rejects.toThrow('Invalid value smallest for configuration auto.offset.reset: String must be one of: latest, earliest, none');
    expect(() => Subscriptions.topics()).toThrow(/one or more topic names/);
  });
});

describe('DrainingControl', () => {
  it('tells why its stream failed, and nothing while it runs or once it completed', async () => {
    await produce('fixes', ['a1', 'a2', 'b3']);
    const failing = Consumer.committableSource(settings('g2'), Subscriptions.topics('fixes'))
      .map((m) => {
        if (m.record.value === 'b3') throw new Error('invalid input syntax for type integer: "b3"');
        return m.committableOffset;
      })
      .toMat(Committer.sink(CommitterSettings.create(system)), Consumer.DrainingControl.apply)
      .run(system);
    await expect(failing.streamCompletion).rejects.toThrow('invalid input syntax');
    expect((controlFailure(failing)?.error as Error).message).toBe('invalid input syntax for type integer: "b3"');

    const running = Consumer.committableSource(settings('g3'), Subscriptions.topics('fixes'))
      .map((m) => m.committableOffset)
      .toMat(Committer.sink(CommitterSettings.create(system)), Consumer.DrainingControl.apply)
      .run(system);
    await settle();
    expect(controlFailure(running)).toBeUndefined();
    await running.drainAndShutdown();
    expect(controlFailure(running)).toBeUndefined();
  });
});
