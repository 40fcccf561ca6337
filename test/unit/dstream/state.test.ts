import { describe, expect, it } from 'vitest';
import { StreamingContext, type DStream } from '../../../runtime/src/engine/dstream/index.js';
import { harness, sorted } from './harness.js';

const runningCount = (values: number[], state: number | null): number => values.reduce((a, b) => a + b, 0) + (state ?? 0);

describe('updateStateByKey', () => {
  it('outputs the whole state each batch, calling the update for keys without new values too', async () => {
    const h = harness();
    h.ssc.checkpoint('ckpt');
    const calls: string[] = [];
    const words = h.ssc.queueStream([['a'], ['a', 'b'], []]);
    const state = words.map((w) => [w, 1] as [string, number]).updateStateByKey((vs: number[], s: number | null) => {
      calls.push(`${JSON.stringify(vs)}/${s}`);
      return runningCount(vs, s);
    });
    const out = h.collect(state);
    await h.runBatches(3);
    expect(out.map(([t, r]) => [t, sorted(r)])).toEqual([
      [1000, [['a', 1]]],
      [2000, [['a', 2], ['b', 1]]],
      [3000, [['a', 2], ['b', 1]]],
    ]);
    expect(sorted(calls)).toEqual(sorted(['[1]/null', '[1]/1', '[1]/null', '[]/2', '[]/1']));
  });

  it('drops a key when the update returns null or undefined', async () => {
    const h = harness();
    h.ssc.checkpoint('ckpt');
    const input = h.ssc.queueStream([[['a', 1], ['b', 1]], [['a', -1]], [['b', 1]]] as [string, number][][]);
    const out = h.collect(
      input.updateStateByKey((vs: number[], s: number | null) => {
        const next = runningCount(vs, s);
        if (next === 0) return null;
        return next >= 2 ? undefined : next;
      }),
    );
    await h.runBatches(3);
    expect(out.map(([t, r]) => [t, sorted(r)])).toEqual([[1000, [['a', 1], ['b', 1]]], [2000, [['b', 1]]], [3000, []]]);
  });

  it('a Python-style update that mutates and returns its state does not change earlier outputs', async () => {
    const h = harness();
    h.ssc.checkpoint('ckpt');
    const input = h.ssc.queueStream([[['k', 0]], [['k', 1]], [['k', 2]]] as [string, number][][]);
    const out = h.collect(
      input.updateStateByKey((vs: number[], s: number[] | null) => {
        const state = s ?? [];
        state.push(...vs);
        return state;
      }),
    );
    await h.runBatches(3);
    expect(out).toEqual([[1000, [['k', [0]]]], [2000, [['k', [0, 1]]]], [3000, [['k', [0, 1, 2]]]]]);
  });

  it('seeds the state from initialRDD', async () => {
    const h = harness();
    h.ssc.checkpoint('ckpt');
    const input = h.ssc.queueStream([[['a', 1]]] as [string, number][][]);
    const out = h.collect(input.updateStateByKey(runningCount, undefined, h.sc.parallelize([['c', 5]] as [string, number][])));
    await h.runBatches(2);
    expect(out.map(([t, r]) => [t, sorted(r)])).toEqual([[1000, [['a', 1], ['c', 5]]], [2000, [['a', 1], ['c', 5]]]]);
  });

  it('refuses to start without a checkpoint directory (Spark\'s requirement text)', () => {
    const h = harness();
    h.collect(h.ssc.queueStream([[['a', 1]]] as [string, number][][]).updateStateByKey(runningCount));
    expect(() => h.ssc.start()).toThrowError(
      expect.objectContaining({
        name: 'IllegalArgumentException',
        message: 'requirement failed: The checkpoint directory has not been set. Please set it by StreamingContext.checkpoint().',
      }),
    );
  });

  it('restores the state on restart from the checkpoint, running the batches missed while stopped', async () => {
    const h = harness();
    const build = (ssc: StreamingContext, batches: string[][]): Array<[number, [string, number][]]> => {
      ssc.checkpoint('ckpt-restart');
      const counts: DStream<[string, number]> = ssc.queueStream(batches).map((w) => [w, 1] as [string, number]).updateStateByKey(runningCount);
      const out: Array<[number, [string, number][]]> = [];
      counts.foreachRDD((time: Date, rdd) => {
        out.push([time.getTime(), sorted(rdd.collect())]);
      });
      return out;
    };
    const first = build(h.ssc, [['a'], ['a', 'b']]);
    await h.runBatches(2);
    h.ssc.stop(false);
    expect(first).toEqual([[1000, [['a', 1]]], [2000, [['a', 2], ['b', 1]]]]);

    // Three batch intervals pass while the program is down; the same program is started again.
    h.clock.setTime(5_000);
    const ssc2 = StreamingContext.getOrCreate('ckpt-restart', () => new StreamingContext(h.sc, 1, { clock: h.clock, checkpointStore: h.store }));
    const second = build(ssc2, [['b'], ['c']]);
    ssc2.start();
    await ssc2.awaitBatchCompleted(5_000);
    expect(second).toEqual([
      [3000, [['a', 2], ['b', 2]]],
      [4000, [['a', 2], ['b', 2], ['c', 1]]],
      [5000, [['a', 2], ['b', 2], ['c', 1]]],
    ]);
    ssc2.stop();
  });

  it('JVM semantics re-apply the update with no values when the parent produced no RDD; PySpark carries the state over', async () => {
    for (const semantics of ['pyspark', 'jvm'] as const) {
      const h = harness(1, { semantics });
      h.ssc.checkpoint('ckpt');
      const batches: ([string, number][] | null)[] = [[['a', 1]], null, null];
      const input = h.ssc.inputStream<[string, number]>({
        name: 'test',
        compute: (t, sc) => {
          const b = batches[t / 1000 - 1];
          return b === null || b === undefined ? null : sc.parallelize(b, 2);
        },
      });
      const out = h.collect(input.updateStateByKey((vs: number[], s: number | null) => (vs.length === 0 ? (s ?? 0) + 10 : runningCount(vs, s))));
      await h.runBatches(3);
      expect(out).toEqual(
        semantics === 'jvm'
          ? [[1000, [['a', 1]]], [2000, [['a', 11]]], [3000, [['a', 21]]]]
          : [[1000, [['a', 1]]], [2000, [['a', 1]]], [3000, [['a', 1]]]],
      );
    }
  });
});
