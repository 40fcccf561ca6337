import { describe, expect, it } from 'vitest';
import { KafkaUtils, MemoryTopics, Milliseconds, Seconds } from '../../../runtime/src/engine/dstream/index.js';
import { harness, sorted } from './harness.js';

const pairs = (...batches: [string, number][][]): [string, number][][] => batches;

describe('DStream windows', () => {
  it('a window at time t holds the batches in (t − window, t], partial at first and decaying after the input ends', async () => {
    const h = harness();
    const out = h.collect(h.ssc.queueStream([[0], [1], [2], [3]]).window(3, 1));
    await h.runBatches(6);
    expect(out.map(([t, r]) => [t, sorted(r)])).toEqual([
      [1000, [0]],
      [2000, [0, 1]],
      [3000, [0, 1, 2]],
      [4000, [1, 2, 3]],
      [5000, [2, 3]],
      [6000, [3]],
    ]);
  });

  it('a slide larger than the window skips batch times, and a queue is dequeued only at the times computed (window 2 s, slide 3 s)', async () => {
    // The window at 3 s needs the input at 2 s and 3 s only; nothing asks for 1 s, so the queue's
    // first RDD is served at 2 s (PySpark 3.5 gives the same: QueueInputDStream pops in compute).
    const h = harness();
    const out = h.collect(h.ssc.queueStream([[1], [2], [3], [4], [5], [6]]).window(Seconds(2), Seconds(3)));
    await h.runBatches(6);
    expect(out.map(([t, r]) => [t, sorted(r)])).toEqual([[3000, [1, 2]], [6000, [3, 4]]]);
  });

  it('a Kafka input skipped at some batch times hands out what arrived at the next time it is computed', async () => {
    // Spark's direct stream reads [current offset, latest now) when computed: the records of the
    // batch at 1 s (never computed) come with the RDD at 2 s, so the window at 3 s still has them.
    const topics = new MemoryTopics();
    const h = harness(1, { kafka: topics });
    const out = h.collect(KafkaUtils.createDirectStream(h.ssc, ['t'], { 'auto.offset.reset': 'earliest' }).map(([, v]) => v).window(Seconds(2), Seconds(3)));
    for (let k = 1; k <= 6; k++) {
      topics.produce('t', `r${k}`, { arrivalMs: k * 1000 - 500 });
      await h.runBatches(1);
    }
    expect(out.map(([t, r]) => [t, sorted(r)])).toEqual([[3000, ['r1', 'r2', 'r3']], [6000, ['r4', 'r5', 'r6']]]);
  });

  it('window and slide must be multiples of the batch interval (PySpark ValueError text)', () => {
    const h = harness(0.5);
    const s = h.ssc.queueStream([[1]]);
    expect(() => s.window(0.7)).toThrowError(
      expect.objectContaining({ name: 'ValueError', message: "windowDuration must be multiple of the parent dstream's slide (batch) duration (500 ms)" }),
    );
    expect(() => s.window(1, 0.3)).toThrowError(
      expect.objectContaining({ name: 'ValueError', message: "slideDuration must be multiple of the parent dstream's slide (batch) duration (500 ms)" }),
    );
    const keyed = s.map((x) => [x, 1] as [number, number]);
    expect(() => keyed.reduceByKeyAndWindow((a, b) => a + b, null, 0.1, 0.1)).toThrowError(expect.objectContaining({ name: 'ValueError' }));
    expect(() => keyed.reduceByKeyAndWindow((a, b) => a + b, null, Milliseconds(1000), Milliseconds(100))).toThrowError(
      expect.objectContaining({ name: 'ValueError', message: "slideDuration must be multiple of the parent dstream's slide (batch) duration (500 ms)" }),
    );
  });

  it('under JVM semantics the errors are Spark\'s WindowedDStream and ReducedWindowedDStream texts', () => {
    const h = harness(1, { semantics: 'jvm' });
    const s = h.ssc.queueStream([[['a', 1]]] as [string, number][][]);
    expect(() => s.window(2.5)).toThrowError(
      expect.objectContaining({ name: 'Exception', message: 'The window duration of windowed DStream (2500 ms) must be a multiple of the slide duration of parent DStream (1000 ms)' }),
    );
    expect(() => s.window(2, 1.5)).toThrowError(
      expect.objectContaining({ name: 'Exception', message: 'The slide duration of windowed DStream (1500 ms) must be a multiple of the slide duration of parent DStream (1000 ms)' }),
    );
    expect(() => s.reduceByKeyAndWindow((x, y) => x + y, (x, y) => x - y, 2.5, 1)).toThrowError(
      expect.objectContaining({
        name: 'IllegalArgumentException',
        message: 'requirement failed: The window duration of ReducedWindowedDStream (2500 ms) must be multiple of the slide duration of parent DStream (1000 ms)',
      }),
    );
  });

  it('reduceByKeyAndWindow without an inverse drops keys that left the window', async () => {
    const h = harness();
    const out = h.collect(h.ssc.queueStream(pairs([['a', 1]], [['a', 1], ['b', 5]], [], [])).reduceByKeyAndWindow((x, y) => x + y, null, 2, 1));
    await h.runBatches(4);
    expect(out.map(([t, r]) => [t, sorted(r)])).toEqual([
      [1000, [['a', 1]]],
      [2000, [['a', 2], ['b', 5]]],
      [3000, [['a', 1], ['b', 5]]],
      [4000, []],
    ]);
  });

  it('PySpark ignores the inverse function when window < 5 × slide, so a key that left the window vanishes', async () => {
    const h = harness();
    h.ssc.checkpoint('ckpt');
    const out = h.collect(h.ssc.queueStream(pairs([['a', 1]], [['a', 1]], [], [])).reduceByKeyAndWindow((x, y) => x + y, (x, y) => x - y, 2, 1));
    await h.runBatches(4);
    expect(out).toEqual([[1000, [['a', 1]]], [2000, [['a', 2]]], [3000, [['a', 1]]], [4000, []]]);
  });

  it('the JVM API always uses the inverse, so the key stays with 0 unless filterFunc removes it', async () => {
    const h = harness(1, { semantics: 'jvm' });
    h.ssc.checkpoint('ckpt');
    const input = h.ssc.queueStream(pairs([['a', 1]], [['a', 1]], [], []));
    const kept = h.collect(input.reduceByKeyAndWindow((x, y) => x + y, (x, y) => x - y, 2, 1));
    const filtered = h.collect(input.reduceByKeyAndWindow((x, y) => x + y, (x, y) => x - y, 2, 1, undefined, ([, v]) => v !== 0));
    await h.runBatches(4);
    expect(kept).toEqual([[1000, [['a', 1]]], [2000, [['a', 2]]], [3000, [['a', 1]]], [4000, [['a', 0]]]]);
    expect(filtered).toEqual([[1000, [['a', 1]]], [2000, [['a', 2]]], [3000, [['a', 1]]], [4000, []]]);
  });

  it('PySpark uses the inverse when window ≥ 5 × slide: the key stays at 0, filterFunc applies only when batches enter', async () => {
    const h = harness();
    h.ssc.checkpoint('ckpt');
    const input = h.ssc.queueStream(pairs([['a', 1]], [['a', 2]], [], [], [], [], []));
    const kept = h.collect(input.reduceByKeyAndWindow((x, y) => x + y, (x, y) => x - y, 5, 1));
    const filtered = h.collect(input.reduceByKeyAndWindow((x, y) => x + y, (x, y) => x - y, 5, 1, undefined, ([, v]) => v !== 0));
    await h.runBatches(7);
    expect(kept).toEqual([
      [1000, [['a', 1]]],
      [2000, [['a', 3]]],
      [3000, [['a', 3]]],
      [4000, [['a', 3]]],
      [5000, [['a', 3]]],
      [6000, [['a', 2]]],
      [7000, [['a', 0]]],
    ]);
    // Every batch after the second is an (empty) entering batch, so the filter runs and removes the 0.
    expect(filtered.slice(5)).toEqual([[6000, [['a', 2]]], [7000, []]]);
  });

  it('countByWindow differs: an empty window is an empty RDD in PySpark and 0 on the JVM', async () => {
    const py = harness();
    py.ssc.checkpoint('ckpt');
    const pyOut = py.collect(py.ssc.queueStream([[1], [1, 2], [], []]).countByWindow(2, 1));
    await py.runBatches(4);
    expect(pyOut).toEqual([[1000, [1]], [2000, [3]], [3000, [2]], [4000, []]]);

    const jvm = harness(1, { semantics: 'jvm' });
    jvm.ssc.checkpoint('ckpt');
    const jvmOut = jvm.collect(jvm.ssc.queueStream([[1], [1, 2], [], []]).countByWindow(2, 1));
    await jvm.runBatches(4);
    expect(jvmOut).toEqual([[1000, [1]], [2000, [3]], [3000, [2]], [4000, [0]]]);
  });

  it('countByValueAndWindow, groupByKeyAndWindow and reduceByWindow', async () => {
    const h = harness(0.5);
    h.ssc.checkpoint('ckpt');
    const input = h.ssc.queueStream([['a'], ['a', 'b'], ['b'], []]);
    const counts = h.collect(input.countByValueAndWindow(1, 0.5));
    const groups = h.collect(input.map((x) => [x, x.toUpperCase()] as [string, string]).groupByKeyAndWindow(1, 0.5));
    const concat = h.collect(input.reduceByWindow((x, y) => (x < y ? x + y : y + x), null, 1, 0.5));
    await h.runBatches(4);
    expect(counts.map(([t, r]) => [t, sorted(r)])).toEqual([
      [500, [['a', 1]]],
      [1000, [['a', 2], ['b', 1]]],
      [1500, [['a', 1], ['b', 2]]],
      [2000, [['b', 1]]],
    ]);
    expect(groups.map(([t, r]) => [t, sorted(r)])).toEqual([
      [500, [['a', ['A']]]],
      [1000, [['a', ['A', 'A']], ['b', ['B']]]],
      [1500, [['a', ['A']], ['b', ['B', 'B']]]],
      [2000, [['b', ['B']]]],
    ]);
    expect(concat).toEqual([[500, ['a']], [1000, ['aab']], [1500, ['abb']], [2000, ['b']]]);
  });

  it('a reduce function that mutates its first argument does not leak into later windows or outputs', async () => {
    const h = harness();
    const input = h.ssc.queueStream([[['a', [1]]], [['a', [2]]], [['a', [3]]]] as [string, number[]][][]);
    const out = h.collect(
      input.reduceByKeyAndWindow((x, y) => {
        x.push(...y);
        return x;
      }, null, 2, 1),
    );
    const seen: number[][] = [];
    input.foreachRDD((rdd) => {
      for (const [, v] of rdd.collect()) {
        seen.push([...v]);
        v.push(99);
      }
    });
    await h.runBatches(4);
    expect(out).toEqual([[1000, [['a', [1]]]], [2000, [['a', [1, 2]]]], [3000, [['a', [2, 3]]]], [4000, [['a', [3]]]]]);
    expect(seen).toEqual([[1], [2], [3]]);
  });

  it('stateful window operations need a checkpoint directory, checked at start', () => {
    const h = harness();
    h.collect(h.ssc.queueStream(pairs([['a', 1]])).reduceByKeyAndWindow((x, y) => x + y, (x, y) => x - y, 2, 1));
    expect(() => h.ssc.start()).toThrowError(
      expect.objectContaining({
        name: 'IllegalArgumentException',
        message: 'requirement failed: The checkpoint directory has not been set. Please set it by StreamingContext.checkpoint().',
      }),
    );
  });
});
