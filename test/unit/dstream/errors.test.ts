import { describe, expect, it } from 'vitest';
import type { DStreamBatchTrace } from '../../../runtime/src/engine/dstream/index.js';
import { harness } from './harness.js';

function parseReading(line: string): number {
  if (line === 'bad') throw new TypeError(`cannot parse ${line}`);
  return Number(line);
}

describe('failures in user functions', () => {
  it('a map that throws stops the context; awaitTermination rejects with the same error and its stack', async () => {
    const h = harness();
    const seen: number[] = [];
    const errors: unknown[] = [];
    const traces: DStreamBatchTrace[] = [];
    h.ssc.addStreamingListener({ onStreamingError: (e) => errors.push(e), onBatchCompleted: (t) => traces.push(t) });
    h.ssc.queueStream([['1'], ['bad'], ['3']]).map(parseReading).foreachRDD((rdd) => {
      seen.push(...rdd.collect());
    });
    const terminated = h.ssc.awaitTermination();
    h.ssc.start();
    h.clock.advance(1000);
    await h.ssc.awaitBatchCompleted(1000);
    h.clock.advance(1000);
    const error = await terminated.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('cannot parse bad');
    expect((error as Error).stack).toContain('parseReading');
    expect(errors).toEqual([error]);
    expect(h.ssc.getState()).toBe('STOPPED');
    // No batch runs after the failure, however far the clock moves.
    h.clock.advance(5000);
    await expect(h.ssc.awaitBatchCompleted(3000)).rejects.toBe(error);
    expect(seen).toEqual([1]);
    expect(traces.map((t) => t.batchTimeMs)).toEqual([1000]);
  });

  it('an exception in foreachRDD stops the context too', async () => {
    const h = harness();
    const boom = new RangeError('sink full');
    h.ssc.queueStream([[1]]).foreachRDD(() => {
      throw boom;
    });
    h.ssc.start();
    h.clock.advance(1000);
    await expect(h.ssc.awaitTermination()).rejects.toBe(boom);
  });

  it('start needs an output operation; streams cannot be added once started', () => {
    const h = harness();
    const s = h.ssc.queueStream([[1]]);
    expect(() => h.ssc.start()).toThrowError(
      expect.objectContaining({ name: 'IllegalArgumentException', message: 'requirement failed: No output operations registered, so nothing to execute' }),
    );
    s.pprint();
    h.ssc.start();
    expect(() => s.map((x) => x)).toThrowError(
      expect.objectContaining({ name: 'IllegalStateException', message: 'Adding new inputs, transformations, and output operations after starting a context is not supported' }),
    );
    h.ssc.stop();
    expect(() => h.ssc.start()).toThrowError('StreamingContext has already been stopped');
  });

  it('stop() resolves awaitTermination; awaitTerminationOrTimeout counts seconds on the context clock', async () => {
    const h = harness();
    h.ssc.queueStream([[1]]).pprint();
    h.ssc.start();
    const waiting = h.ssc.awaitTerminationOrTimeout(5);
    h.clock.advance(5000);
    expect(await waiting).toBe(false);
    const again = h.ssc.awaitTerminationOrTimeout(60);
    h.ssc.stop();
    expect(await again).toBe(true);
    await expect(h.ssc.awaitTermination()).resolves.toBeUndefined();
    expect(h.sc.isStopped).toBe(true);
  });
});
