import type { DirectInput } from './direct-input.js';
import { RDD } from './rdd.js';
import type { SparkContext } from './spark-context.js';

/**
 * What feeds an input DStream. As in Spark, an input's RDD for a batch time is computed only when an
 * operation first needs it (`compute`, synchronous, like `InputDStream.compute`): a window that skips
 * batches (slide longer than the window) never asks for some times, and a source that keeps a
 * position (a queue, Kafka offsets) then hands out at the next call everything since the previous
 * one. Asynchronous work (a broker fetch) happens in `prepare`, which the scheduler awaits before
 * each batch's graph runs. Connectors add inputs through `StreamingContext.inputStream(source)`.
 */
export interface InputSource<T> {
  /** Shown in traces. */
  readonly name: string;
  /** Called once before the first batch; `restored` is what `positions()` returned at the checkpoint. */
  start?(restored: unknown): Promise<void> | void;
  /** Called before the graph runs at each batch time, whether or not the RDD will be needed. */
  prepare?(timeMs: number, sc: SparkContext): Promise<void> | void;
  /** The RDD for the batch at `timeMs`, when first needed (during the batch at `timeMs` or a later one); null = no RDD. */
  compute(timeMs: number, sc: SparkContext): RDD<T> | null;
  /** JSON-serialisable positions to checkpoint after each batch (of what was handed out). */
  positions?(): unknown;
  /** Called when the context stops. */
  stop?(): Promise<void> | void;
}

/**
 * Spark's `QueueInputStream`: one queued RDD per computed batch (or all of them at once when
 * `oneAtATime` is false); once the queue is empty, `defaultRdd` if given, else an empty RDD with one
 * partition (`StreamingContext.queueStream` passes `sc.makeRDD(Seq.empty, 1)` as the default).
 */
export function queueSource<T>(queue: RDD<T>[], oneAtATime: boolean, defaultRdd: RDD<T> | null): InputSource<T> {
  return {
    name: 'queueStream',
    compute(_timeMs, sc) {
      if (queue.length > 0) {
        if (oneAtATime) return queue.shift() as RDD<T>;
        const all = queue.splice(0, queue.length);
        return sc.union(all);
      }
      return defaultRdd ?? sc.parallelize<T>([], 1);
    },
  };
}

/**
 * Adapts a pluggable direct input (Kafka) to an input source: one RDD partition per topic partition.
 * Each batch fetches what arrived by its time; the RDD, when computed, holds everything fetched and
 * not yet handed out (Spark's offset range [current, latest now)). The checkpointed positions are
 * those of what was handed out, so a restart fetches again what no batch consumed.
 */
export function directSource<T>(input: DirectInput<T>): InputSource<T> {
  let pending: T[][] = [];
  let handedOut: unknown;
  return {
    name: input.name,
    async start(restored) {
      await input.start(restored);
      handedOut = input.positions();
    },
    async prepare(timeMs) {
      const fetched = await input.fetch(timeMs);
      fetched.forEach((records, p) => {
        pending[p] = [...(pending[p] ?? []), ...records];
      });
    },
    compute(_timeMs, sc) {
      const rdd = new RDD(sc, pending.map((p) => p ?? []));
      pending = [];
      handedOut = input.positions();
      return rdd;
    },
    positions: () => handedOut,
    stop: () => input.stop(),
  };
}
