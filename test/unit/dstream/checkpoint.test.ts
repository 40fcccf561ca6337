import { describe, expect, it } from 'vitest';
import { StreamingContext } from '../../../runtime/src/engine/dstream/index.js';
import { harness, sorted } from './harness.js';

describe('restart from a checkpoint', () => {
  it('a window spanning the restart still holds the batches from before it', async () => {
    const h = harness();
    const run = (ssc: StreamingContext, batches: number[][]): Array<[number, number[]]> => {
      ssc.checkpoint('ckpt-window');
      const out: Array<[number, number[]]> = [];
      ssc.queueStream(batches).window(3, 1).foreachRDD((time, rdd) => {
        out.push([time.getTime(), sorted(rdd.collect())]);
      });
      return out;
    };
    const before = run(h.ssc, [[1], [2]]);
    await h.runBatches(2);
    h.ssc.stop(false);
    const ssc2 = new StreamingContext(h.sc, 1, { clock: h.clock, checkpointStore: h.store });
    const after = run(ssc2, [[3], [4]]);
    ssc2.start();
    h.clock.advance(2000);
    await ssc2.awaitBatchCompleted(4000);
    ssc2.stop();
    expect(before).toEqual([[1000, [1]], [2000, [1, 2]]]);
    expect(after).toEqual([[3000, [1, 2, 3]], [4000, [2, 3, 4]]]);
  });

  it('a PySpark inverse window (window ≥ 5 × slide) resumes from the checkpointed window and subtracts batches from before the restart', async () => {
    const h = harness();
    const run = (ssc: StreamingContext, batches: [string, number][][]): Array<[number, [string, number][]]> => {
      ssc.checkpoint('ckpt-inverse');
      const out: Array<[number, [string, number][]]> = [];
      ssc.queueStream(batches).reduceByKeyAndWindow((a, b) => a + b, (a, b) => a - b, 5, 1).foreachRDD((time, rdd) => {
        out.push([time.getTime(), sorted(rdd.collect())]);
      });
      return out;
    };
    const before = run(h.ssc, [[['a', 1]], [['a', 10]], [['b', 100]]]);
    await h.runBatches(3);
    h.ssc.stop(false);
    const ssc2 = new StreamingContext(h.sc, 1, { clock: h.clock, checkpointStore: h.store });
    const after = run(ssc2, [[], [], [['a', 1000]], []]);
    ssc2.start();
    h.clock.advance(4000);
    await ssc2.awaitBatchCompleted(7000);
    ssc2.stop();
    expect(before).toEqual([[1000, [['a', 1]]], [2000, [['a', 11]]], [3000, [['a', 11], ['b', 100]]]]);
    expect(after).toEqual([
      [4000, [['a', 11], ['b', 100]]],
      [5000, [['a', 11], ['b', 100]]],
      [6000, [['a', 1010], ['b', 100]]],
      [7000, [['a', 1000], ['b', 100]]],
    ]);
  });
});
