import { describe, expect, it } from 'vitest';
import { harness, sorted } from './harness.js';

describe('DStream operations per batch', () => {
  it('map, filter and flatMap run on every batch; batches are cut at multiples of the interval', async () => {
    const h = harness();
    const lines = h.ssc.queueStream([['a b', 'c'], [], ['d e f']]);
    expect(lines.context()).toBe(h.ssc);
    const words = h.collect(lines.flatMap((l) => l.split(' ')).filter((w) => w !== 'c').map((w) => w.toUpperCase()));
    await h.runBatches(4);
    expect(words.map(([t, rows]) => [t, sorted(rows)])).toEqual([
      [1000, ['A', 'B']],
      [2000, []],
      [3000, ['D', 'E', 'F']],
      [4000, []],
    ]);
  });

  it('starts at the next multiple of the batch interval after the clock', async () => {
    const h = harness(2);
    h.clock.setTime(5_300);
    const out = h.collect(h.ssc.queueStream([[1], [2]]));
    h.ssc.start();
    h.clock.setTime(8_000);
    await h.ssc.awaitBatchCompleted(8_000);
    expect(out).toEqual([[6_000, [1]], [8_000, [2]]]);
  });

  it('reduceByKey, countByValue, count and reduce aggregate each batch separately', async () => {
    const h = harness();
    const s = h.ssc.queueStream([['a', 'b', 'a'], ['b']]);
    const byKey = h.collect(s.map((w) => [w, 1] as [string, number]).reduceByKey((x, y) => x + y));
    const byValue = h.collect(s.countByValue());
    const counts = h.collect(s.count());
    const joined = h.collect(s.reduce((x, y) => (x < y ? `${x}${y}` : `${y}${x}`)));
    await h.runBatches(2);
    expect(byKey.map(([t, r]) => [t, sorted(r)])).toEqual([[1000, [['a', 2], ['b', 1]]], [2000, [['b', 1]]]]);
    expect(byValue.map(([t, r]) => [t, sorted(r)])).toEqual([[1000, [['a', 2], ['b', 1]]], [2000, [['b', 1]]]]);
    expect(counts).toEqual([[1000, [3]], [2000, [1]]]);
    expect(joined).toEqual([[1000, ['aab']], [2000, ['b']]]);
  });

  it('count of an RDD without partitions is no element in PySpark and 0 on the JVM', async () => {
    const py = harness();
    // An exhausted queue serves an empty one-partition RDD, which PySpark counts as 0.
    const pyCounts = py.collect(py.ssc.queueStream([[1, 2], py.sc.emptyRDD<number>()]).count());
    await py.runBatches(3);
    expect(pyCounts).toEqual([[1000, [2]], [2000, []], [3000, [0]]]);

    const jvm = harness(1, { semantics: 'jvm' });
    const jvmCounts = jvm.collect(jvm.ssc.queueStream([[1, 2], jvm.sc.emptyRDD<number>()]).count());
    await jvm.runBatches(3);
    expect(jvmCounts).toEqual([[1000, [2]], [2000, [0]], [3000, [0]]]);
  });

  it('groupByKey, mapValues, flatMapValues and combineByKey work on pairs', async () => {
    const h = harness();
    const pairs = h.ssc.queueStream([[['a', 1], ['b', 2], ['a', 3]] as [string, number][]]);
    const grouped = h.collect(pairs.groupByKey());
    const doubled = h.collect(pairs.mapValues((v) => v * 2));
    const spread = h.collect(pairs.flatMapValues((v) => [v, -v]));
    const avg = h.collect(
      pairs
        .combineByKey((v) => [v, 1] as [number, number], (c, v) => [c[0] + v, c[1] + 1] as [number, number], (x, y) => [x[0] + y[0], x[1] + y[1]] as [number, number])
        .mapValues(([s, n]) => s / n),
    );
    await h.runBatches(1);
    expect(sorted(grouped[0]![1])).toEqual([['a', [1, 3]], ['b', [2]]]);
    expect(doubled[0]![1]).toEqual([['a', 2], ['b', 4], ['a', 6]]);
    expect(spread[0]![1]).toEqual([['a', 1], ['a', -1], ['b', 2], ['b', -2], ['a', 3], ['a', -3]]);
    expect(sorted(avg[0]![1])).toEqual([['a', 2], ['b', 2]]);
  });

  it('union, join and leftOuterJoin combine two streams batch by batch', async () => {
    const h = harness();
    const left = h.ssc.queueStream([[['a', 1], ['b', 2]] as [string, number][], [['c', 3]] as [string, number][]]);
    const right = h.ssc.queueStream([[['a', 'x'], ['a', 'y']] as [string, string][], []]);
    const joined = h.collect(left.join(right));
    const outer = h.collect(left.leftOuterJoin(right));
    const both = h.collect(left.map(([k]) => k).union(right.map(([k]) => k)));
    await h.runBatches(2);
    expect(joined.map(([t, r]) => [t, sorted(r)])).toEqual([[1000, [['a', [1, 'x']], ['a', [1, 'y']]]], [2000, []]]);
    expect(outer.map(([t, r]) => [t, sorted(r)])).toEqual([
      [1000, [['a', [1, 'x']], ['a', [1, 'y']], ['b', [2, null]]]],
      [2000, [['c', [3, null]]]],
    ]);
    expect(both.map(([t, r]) => [t, sorted(r)])).toEqual([[1000, ['a', 'a', 'a', 'b']], [2000, ['c']]]);
  });

  it('ssc.union merges streams with the same slide and refuses different slides', async () => {
    const h = harness();
    const a = h.ssc.queueStream([[1]]);
    const b = h.ssc.queueStream([[2]]);
    const c = h.ssc.queueStream([[3]]);
    const all = h.collect(h.ssc.union(a, b, c));
    expect(() => h.ssc.union(a, a.window(2, 2))).toThrowError(expect.objectContaining({ name: 'ValueError', message: 'All DStreams should have same slide duration' }));
    expect(() => a.union(a.window(2, 2))).toThrowError(expect.objectContaining({ name: 'ValueError', message: 'the two DStream should have same slide duration' }));
    await h.runBatches(1);
    expect(all).toEqual([[1000, [1, 2, 3]]]);
  });

  it('transform and foreachRDD accept (rdd) or (time, rdd), as PySpark decides by the parameter count', async () => {
    const h = harness();
    const s = h.ssc.queueStream([[3, 1, 2]]);
    const seen: string[] = [];
    s.foreachRDD((rdd) => {
      seen.push(`rdd:${rdd.count()}`);
    });
    s.foreachRDD((time, rdd) => {
      seen.push(`${time.toISOString()}:${rdd.count()}`);
    });
    const sortedOut = h.collect(s.transform((rdd) => rdd.sortBy((x) => x)));
    const stamped = h.collect(s.transform((time, rdd) => rdd.map((x) => time.getTime() + x)));
    await h.runBatches(1);
    expect(seen).toEqual(['rdd:3', '1970-01-01T00:00:01.000Z:3']);
    expect(sortedOut).toEqual([[1000, [1, 2, 3]]]);
    expect(sorted(stamped[0]![1])).toEqual([1001, 1002, 1003]);
  });

  it('queueStream serves one RDD per batch, all at once without oneAtATime, then the default', async () => {
    const h = harness();
    const all = h.collect(h.ssc.queueStream([[1], [2], [3]], false));
    const withDefault = h.collect(h.ssc.queueStream([[1]], true, [0]));
    await h.runBatches(3);
    expect(all.map(([t, r]) => [t, sorted(r)])).toEqual([[1000, [1, 2, 3]], [2000, []], [3000, []]]);
    expect(withDefault).toEqual([[1000, [1]], [2000, [0]], [3000, [0]]]);
  });

  it('RDD actions behave as in PySpark', () => {
    const h = harness();
    const rdd = h.sc.parallelize([5, 1, 4, 2, 3], 2);
    expect(rdd.getNumPartitions()).toBe(2);
    expect(rdd.glom().collect()).toEqual([[5, 1], [4, 2, 3]]);
    expect(rdd.take(3)).toEqual([5, 1, 4]);
    expect(rdd.first()).toBe(5);
    expect(rdd.reduce((a, b) => a + b)).toBe(15);
    expect(rdd.sortBy((x) => x, false).collect()).toEqual([5, 4, 3, 2, 1]);
    expect(h.sc.parallelize([], 2).isEmpty()).toBe(true);
    expect(() => h.sc.parallelize<number>([], 1).reduce((a, b) => a + b)).toThrow('Can not reduce() empty RDD');
    expect(() => h.sc.emptyRDD().first()).toThrow('RDD is empty');
    expect(rdd.mapPartitionsWithIndex((i, it) => [`${i}:${[...it].join('')}`]).collect()).toEqual(['0:51', '1:423']);
    expect(h.sc.parallelize([3, 1, 3, 2, 1]).distinct().collect()).toEqual([3, 1, 2]);
    expect([rdd.sum(), rdd.mean(), rdd.max(), rdd.min()]).toEqual([15, 3, 5, 1]);
    expect(h.sc.parallelize<number>([]).sum()).toBe(0);
    expect(rdd.takeOrdered(2)).toEqual([1, 2]);
    expect(rdd.top(2)).toEqual([5, 4]);
    expect(rdd.max((x) => -x)).toBe(1);
    const pairs = h.sc.parallelize<[string, number]>([['a', 1], ['b', 2], ['a', 3]]);
    expect(pairs.countByKey()).toEqual(new Map([['a', 2], ['b', 1]]));
    expect(pairs.collectAsMap()).toEqual(new Map([['a', 3], ['b', 2]]));
  });
});
