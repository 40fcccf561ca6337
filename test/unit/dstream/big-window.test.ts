/**
 * WindowOperationsSuite's "big" input (1 s batches, window 2 s, slide 1 s) through every windowed
 * reduction, under the JVM's and PySpark's rules.
 */
import { describe, expect, it } from 'vitest';
import type { DStream } from '../../../runtime/src/engine/dstream/index.js';
import { harness, sorted } from './harness.js';

type P = [string, number];
const a: P = ['a', 1];
const b: P = ['b', 1];
const c: P = ['c', 1];
const bigInput: P[][] = [[a], [a, b], [a, b, c], [a, b], [a], [], [a], [a, b], [a, b, c], [a, b], [a], []];

const bigReduceOutput = [
  [['a', 1]],
  [['a', 2], ['b', 1]],
  [['a', 2], ['b', 2], ['c', 1]],
  [['a', 2], ['b', 2], ['c', 1]],
  [['a', 2], ['b', 1]],
  [['a', 1]],
  [['a', 1]],
  [['a', 2], ['b', 1]],
  [['a', 2], ['b', 2], ['c', 1]],
  [['a', 2], ['b', 2], ['c', 1]],
  [['a', 2], ['b', 1]],
  [['a', 1]],
];

// With an inverse function and no filter the JVM keeps keys whose value went back to 0.
const bigReduceInvOutput = [
  [['a', 1]],
  [['a', 2], ['b', 1]],
  [['a', 2], ['b', 2], ['c', 1]],
  [['a', 2], ['b', 2], ['c', 1]],
  [['a', 2], ['b', 1], ['c', 0]],
  [['a', 1], ['b', 0], ['c', 0]],
  [['a', 1], ['b', 0], ['c', 0]],
  [['a', 2], ['b', 1], ['c', 0]],
  [['a', 2], ['b', 2], ['c', 1]],
  [['a', 2], ['b', 2], ['c', 1]],
  [['a', 2], ['b', 1], ['c', 0]],
  [['a', 1], ['b', 0], ['c', 0]],
];

const bigGroupByOutput = bigReduceOutput.map((rows) => rows.map(([k, n]) => [k, Array.from({ length: n as number }, () => 1)]));

async function run<U>(semantics: 'pyspark' | 'jvm', op: (s: DStream<P>) => DStream<U>): Promise<U[][]> {
  const h = harness(1, { semantics });
  h.ssc.checkpoint('ckpt');
  const out = h.collect(op(h.ssc.queueStream(bigInput, true)));
  await h.runBatches(bigInput.length);
  return out.map(([, rows]) => sorted(rows));
}

describe('WindowOperationsSuite big test', () => {
  it('without an inverse function keys leave the window (both APIs)', async () => {
    for (const semantics of ['pyspark', 'jvm'] as const) {
      expect(await run(semantics, (s) => s.reduceByKeyAndWindow((x, y) => x + y, null, 2, 1))).toEqual(bigReduceOutput);
    }
  });

  it('with an inverse function the JVM keeps zero counts; a filter removes them', async () => {
    expect(await run('jvm', (s) => s.reduceByKeyAndWindow((x, y) => x + y, (x, y) => x - y, 2, 1))).toEqual(bigReduceInvOutput);
    expect(await run('jvm', (s) => s.reduceByKeyAndWindow((x, y) => x + y, (x, y) => x - y, 2, 1, 2, ([, v]) => v > 0))).toEqual(bigReduceOutput);
  });

  it('with an inverse function PySpark recomputes the 2 s window, so zero counts never appear', async () => {
    expect(await run('pyspark', (s) => s.reduceByKeyAndWindow((x, y) => x + y, (x, y) => x - y, 2, 1))).toEqual(bigReduceOutput);
  });

  it('groupByKeyAndWindow and countByValueAndWindow agree with the plain reduction', async () => {
    for (const semantics of ['pyspark', 'jvm'] as const) {
      expect(await run(semantics, (s) => s.groupByKeyAndWindow(2, 1))).toEqual(bigGroupByOutput);
      expect(await run(semantics, (s) => s.map(([k]) => k).countByValueAndWindow(2, 1))).toEqual(bigReduceOutput);
    }
  });
});
