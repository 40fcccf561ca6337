import type { DirectInput } from './direct-input.js';
import { RDD } from './rdd.js';
import type { SparkContext } from './spark-context.js';

/**
 * What feeds an input DStream. At each batch time the scheduler asks every input for its RDD before
 * the graph is evaluated, so inputs may be asynchronous (a broker fetch) while the operations stay
 * synchronous. Connectors add inputs through `StreamingContext.inputStream(source)`.
 */
export interface InputSource<T> {
  /** Shown in traces. */
  readonly name: string;
  /** Called once before the first batch; `restored` is what `positions()` returned at the checkpoint. */
  start?(restored: unknown): Promise<void> | void;
  /** The RDD for the batch at `timeMs` (data that arrived in (timeMs − batch, timeMs]); null = no RDD. */
  compute(timeMs: number, sc: SparkContext): Promise<RDD<T> | null> | RDD<T> | null;
  /** JSON-serialisable positions to checkpoint after each batch. */
  positions?(): unknown;
  /** Called when the context stops. */
  stop?(): Promise<void> | void;
}

/**
 * Spark's `QueueInputStream`: one queued RDD per batch (or all of them at once when `oneAtATime` is
 * false); once the queue is empty, `defaultRdd` if given, else an empty RDD with one partition
 * (`StreamingContext.queueStream` passes `sc.makeRDD(Seq.empty, 1)` as the default).
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

/** Adapts a pluggable direct input (Kafka) to an input source: one RDD partition per topic partition. */
export function directSource<T>(input: DirectInput<T>): InputSource<T> {
  return {
    name: input.name,
    start: (restored) => input.start(restored),
    async compute(timeMs, sc) {
      return new RDD(sc, await input.fetch(timeMs));
    },
    positions: () => input.positions(),
    stop: () => input.stop(),
  };
}
