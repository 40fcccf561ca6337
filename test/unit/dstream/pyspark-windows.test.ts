/**
 * PySpark's own window tests (test_dstream.py, 0.5 s batches, queue of `range(i)` batches): with
 * window 2.5 s = 5 × slide PySpark takes the inverse path, so these exercise it.
 */
import { describe, expect, it } from 'vitest';
import { harness } from './harness.js';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('PySpark window tests', () => {
  it('test_count_by_window_large: countByWindow(2.5, .5)', async () => {
    const h = harness(0.5);
    h.ssc.checkpoint('ckpt');
    const out = h.collect(h.ssc.queueStream([1, 2, 3, 4, 5, 6].map((i) => h.sc.parallelize(range(i), 1))).countByWindow(2.5, 0.5));
    await h.runBatches(11);
    expect(out.map(([, rows]) => rows)).toEqual([[1], [3], [6], [10], [15], [20], [18], [15], [11], [6], [0]]);
  });

  it('test_count_by_value_and_window: countByValueAndWindow(2.5, .5) drops values whose count fell to 0', async () => {
    const h = harness(0.5);
    h.ssc.checkpoint('ckpt');
    const stream = h.ssc.queueStream([1, 2, 3, 4, 5, 6].map((i) => h.sc.parallelize(range(i), 1)));
    const out = h.collect(stream.countByValueAndWindow(2.5, 0.5));
    await h.runBatches(11);
    const counts = (...cs: number[]): [number, number][] => cs.map((c, v) => [v, c]);
    expect(out.map(([, rows]) => [...rows].sort((x, y) => x[0] - y[0]))).toEqual([
      counts(1),
      counts(2, 1),
      counts(3, 2, 1),
      counts(4, 3, 2, 1),
      counts(5, 4, 3, 2, 1),
      counts(5, 5, 4, 3, 2, 1),
      counts(4, 4, 4, 3, 2, 1),
      counts(3, 3, 3, 3, 2, 1),
      counts(2, 2, 2, 2, 2, 1),
      counts(1, 1, 1, 1, 1, 1),
      [],
    ]);
  });
});
