/**
 * Learner code must type-check without annotations (the workbench shows tsc errors as you type):
 * pairs built with `[k, v]` stay tuples through map, reduceByKey, mapValues and windows.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { DStream, RDD } from '../../../runtime/src/engine/dstream/index.js';
import { harness } from './harness.js';

describe('DStream typing', () => {
  it('infers pair types the way a PySpark program reads', async () => {
    const h = harness();
    h.ssc.checkpoint('ckpt');
    const lines = h.ssc.queueStream([['s1 20', 's2 22', 's1 24']]);
    const readings = lines.map((l) => l.split(' ')).map(([sensor, t]) => [sensor!, [Number(t), 1]]);
    expectTypeOf(readings).toEqualTypeOf<DStream<[string, [number, number]]>>();
    const averages = readings.reduceByKey(([s1, n1], [s2, n2]) => [s1 + s2, n1 + n2]).mapValues(([s, n]) => s / n);
    expectTypeOf(averages).toEqualTypeOf<DStream<[string, number]>>();
    const counts = lines.flatMap((l) => l.split(' ')).map((w) => [w, 1]).reduceByKeyAndWindow((a, b) => a + b, (a, b) => a - b, 2, 1);
    expectTypeOf(counts).toEqualTypeOf<DStream<[string, number]>>();
    const totals = averages.updateStateByKey((vs, s: number | null) => vs.reduce((a, b) => a + b, s ?? 0));
    expectTypeOf(totals).toEqualTypeOf<DStream<[string, number]>>();
    const combined = readings.combineByKey(([t]) => [t, 1], ([s, n], [t]) => [s + t, n + 1], ([s1, n1], [s2, n2]) => [s1 + s2, n1 + n2]);
    expectTypeOf(combined).toEqualTypeOf<DStream<[string, [number, number]]>>();
    // @ts-expect-error reduceByKey needs a stream of [key, value] pairs
    lines.reduceByKey((a: string, b: string) => a + b);

    const seen: string[] = [];
    averages.foreachRDD((rdd) => {
      expectTypeOf(rdd).toMatchTypeOf<RDD<[string, number]>>();
      const sums = rdd.map(([k, v]) => [k.toUpperCase(), v]).reduceByKey((a, b) => a + b);
      expectTypeOf(sums).toEqualTypeOf<RDD<[string, number]>>();
      seen.push(...sums.sortBy(([k]) => k).collect().map(([k, v]) => `${k}=${v}`));
    });
    averages.foreachRDD((time, rdd) => {
      expectTypeOf(time).toMatchTypeOf<Date>();
      seen.push(`${time.toISOString()} ${rdd.count()}`);
    });
    await h.runBatches(1);
    expect(seen).toEqual(['S1=22', 'S2=22', '1970-01-01T00:00:01.000Z 2']);
  });
});
