import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../runtime/src/engine/clock.js';
import {
  AbruptTerminationException, ActorAttributes, ActorSystem, Attributes, Done, Flow, Keep, NoSuchElementException, NotUsed, OverflowStrategy,
  QueueOfferResult, Sink, Source, Supervision, addStreamListener,
} from '../../../runtime/src/engine/flow/index.js';
import { TestSink, TestSource } from '../../../runtime/src/testing/flow/probes.js';
import { advanceInOrder, settle } from '../../../runtime/src/testing/flow/run-flow-scenario.js';

let system: ActorSystem;
let clock: ManualClock;

function fresh(): ActorSystem {
  clock = new ManualClock(Date.UTC(2026, 0, 1));
  system = ActorSystem.create('test', { clock, output: () => {} });
  return system;
}

afterEach(async () => {
  await system?.terminate();
});

describe('composition and materialized values', () => {
  it('runs map, filter and scan into Sink.seq', async () => {
    fresh();
    const out = await Source.range(1, 10).map((n) => n * 3).filter((n) => n % 2 === 0).scan(0, (a, n) => a + n).runWith(Sink.seq(), system);
    expect(out).toEqual([0, 6, 18, 36, 60, 90]);
  });

  it('keeps the left value with via/to and picks with Keep', async () => {
    fresh();
    const graph = Source.queue<number>(4, OverflowStrategy.backpressure).via(Flow.create<number>().map((n) => n + 1)).toMat(Sink.seq(), Keep.both);
    const [queue, done] = graph.run(system);
    expect(await queue.offer(1)).toBe(QueueOfferResult.Enqueued);
    expect(await queue.offer(2)).toBe(QueueOfferResult.Enqueued);
    queue.complete();
    expect(await done).toEqual([2, 3]);
    expect(await queue.watchCompletion()).toBe(Done);
    expect(Source.single(1).to(Sink.ignore()).run(system)).toBe(NotUsed);
    expect(Source.single(1).toMat(Sink.ignore(), Keep.none).run(system)).toBe(NotUsed);
    const right = await Source.single(5).toMat(Sink.head(), Keep.right).run(system);
    expect(right).toBe(5);
  });

  it('maps materialized values, and a blueprint runs again with fresh operators', async () => {
    fresh();
    const counted = Source.from([1, 2, 3]).toMat(Sink.fold(0, (a: number, n: number) => a + n), Keep.right).mapMaterializedValue((p) => p.then((s) => `sum=${s}`));
    expect(await counted.run(system)).toBe('sum=6');
    expect(await counted.run(system)).toBe('sum=6');
    const shared = Flow.create<number>().grouped(2);
    expect(await Source.from([1, 2, 3]).via(shared).runWith(Sink.seq(), system)).toEqual([[1, 2], [3]]);
    expect(await Source.from([4]).via(shared).runWith(Sink.seq(), system)).toEqual([[4]]);
  });

  it('a flow to a sink is a sink', async () => {
    fresh();
    const sink = Flow.create<string>().map((s) => s.length).toMat(Sink.fold(0, (a: number, n: number) => a + n), Keep.right);
    expect(await Source.from(['ab', 'cde']).runWith(sink, system)).toBe(5);
  });

  it('uses the latest system when none is passed, and says so when there is none', async () => {
    fresh();
    expect(await Source.single(1).runWith(Sink.head())).toBe(1);
    await system.terminate();
    expect(() => Source.single(1).runWith(Sink.head())).toThrow(/No ActorSystem to run the stream on/);
  });
});

describe('attributes', () => {
  it('supervision set on a composite applies to the operators inside it', async () => {
    fresh();
    const out = await Source.from([1, 2, 3]).map((n) => {
      if (n === 2) throw new Error('boom');
      return n;
    }).withAttributes(ActorAttributes.supervisionStrategy(Supervision.resumingDecider)).runWith(Sink.seq(), system);
    expect(out).toEqual([1, 3]);
  });

  it("an operator's own attribute is more specific than the composite's", async () => {
    fresh();
    const strict = Flow.create<number>().map((n) => {
      if (n === 2) throw new Error('strict');
      return n;
    }).withAttributes(ActorAttributes.supervisionStrategy(Supervision.stoppingDecider));
    const result = Source.from([1, 2, 3]).via(strict).withAttributes(ActorAttributes.supervisionStrategy(Supervision.resumingDecider)).runWith(Sink.seq(), system);
    await expect(result).rejects.toThrow('strict');
    expect(Attributes.name('x').and(Attributes.name('y')).nameOrDefault('z')).toBe('y');
  });
});

describe('errors a learner meets', () => {
  it('a map that returns undefined fails the stream with a clear message', async () => {
    fresh();
    const result = Source.from([1]).map(() => undefined as unknown as number).runWith(Sink.seq(), system);
    await expect(result).rejects.toThrow(/Element must not be null or undefined/);
  });

  it('Sink.head on an empty stream', async () => {
    fresh();
    const err = await Source.empty<number>().runWith(Sink.head(), system).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoSuchElementException);
    expect((err as Error).message).toBe('head of empty stream');
  });

  it('terminating the system fails running streams and reports failures to listeners', async () => {
    fresh();
    const failures: unknown[] = [];
    const remove = addStreamListener({ onStreamFailed: (_s, e) => failures.push(e) });
    const pending = Source.queue<number>(1, OverflowStrategy.dropNew).runWith(Sink.seq(), system);
    await Source.failed(new Error('broken')).runWith(Sink.ignore(), system).catch(() => {});
    expect(failures.map((e) => (e as Error).message)).toEqual(['broken']);
    expect(system.runningStreams).toBe(1);
    await system.terminate();
    await expect(pending).rejects.toBeInstanceOf(AbruptTerminationException);
    expect(system.runningStreams).toBe(0);
    remove();
  });

  it('refuses bad arguments with Pekko-like messages', () => {
    expect(() => Source.single(1).mapAsync(0, (x) => x)).toThrow('requirement failed: parallelism must be at least 1');
    expect(() => Source.single(1).buffer(0, OverflowStrategy.fail)).toThrow('buffer size must be greater than 0');
    expect(() => Source.single(1).buffer(2, 'drop' as never)).toThrow(/expected an OverflowStrategy/);
    expect(() => Source.single(1).groupedWithin(10, 'soon')).toThrow(/cannot read "soon" as a duration/);
    expect(() => Source.single(1).throttle(0, '1 second')).toThrow('requirement failed: cost must be > 0');
    expect(() => ActorSystem.create('bad name')).toThrow(/invalid ActorSystem name/);
  });
});

describe('sources on the clock', () => {
  it('Source.tick emits on schedule and drops ticks without demand', async () => {
    fresh();
    const [cancellable, probe] = Source.tick(100, '1 second', 'tick').toMat(TestSink.probe<string>(), Keep.both).run(system);
    probe.request(1);
    await advanceInOrder(clock, 99);
    expect(probe.received).toEqual([]);
    await advanceInOrder(clock, 1);
    expect(probe.received).toEqual([{ kind: 'next', value: 'tick' }]);
    await advanceInOrder(clock, 3000); // three ticks, no demand: dropped
    probe.request(1);
    await advanceInOrder(clock, 999);
    expect(probe.received).toHaveLength(1);
    await advanceInOrder(clock, 1);
    expect(probe.received).toHaveLength(2);
    expect(cancellable.cancel()).toBe(true);
    await settle();
    expect(probe.received[2]).toEqual({ kind: 'complete' });
  });

  it('Source.queue answers each overflow strategy', async () => {
    fresh();
    const [q1, p1] = Source.queue<number>(1, OverflowStrategy.dropNew).toMat(TestSink.probe<number>(), Keep.both).run(system);
    expect(await q1.offer(1)).toBe(QueueOfferResult.Enqueued);
    expect(await q1.offer(2)).toBe(QueueOfferResult.Dropped);
    p1.request(2);
    await settle();
    expect(p1.received).toEqual([{ kind: 'next', value: 1 }]);

    const [q3] = Source.queue<number>(1, OverflowStrategy.fail).toMat(TestSink.probe<number>(), Keep.both).run(system);
    expect(await q3.offer(1)).toBe(QueueOfferResult.Enqueued);
    const failed = await q3.offer(2);
    expect(failed.kind).toBe('Failure');
    await expect(q3.watchCompletion()).rejects.toThrow('Buffer overflow (max capacity was: 1)!');
    expect(await q3.offer(3)).toBe(QueueOfferResult.QueueClosed);
  });

  it('Source.queue with backpressure holds one offer until there is room', async () => {
    fresh();
    const [q, probe] = Source.queue<number>(1, OverflowStrategy.backpressure).toMat(TestSink.probe<number>(), Keep.both).run(system);
    expect(await q.offer(1)).toBe(QueueOfferResult.Enqueued);
    let answered: unknown = null;
    void q.offer(2).then((r) => (answered = r));
    await settle();
    expect(answered).toBeNull();
    expect((await q.offer(3)).kind).toBe('Failure');
    probe.request(1);
    await settle();
    expect(answered).toBe(QueueOfferResult.Enqueued);
  });
});

describe('test probes', () => {
  it('a probe source needs demand', async () => {
    fresh();
    const [pub, sub] = TestSource.probe<number>().toMat(TestSink.probe<number>(), Keep.both).run(system);
    expect(() => pub.sendNext(1)).toThrow(/without demand/);
    sub.request(1);
    pub.sendNext(1).sendComplete();
    await settle();
    expect(sub.received).toEqual([{ kind: 'next', value: 1 }, { kind: 'complete' }]);
  });
});
