/**
 * A small driver for DStream tests, in the spirit of Spark's TestSuiteBase: a ManualClock at 0, a
 * context with a 1 s batch by default, outputs collected per batch time, and `runBatches(n)`
 * advancing the clock one batch at a time and waiting for each batch to finish.
 */
import { ManualClock } from '../../../runtime/src/engine/clock.js';
import {
  InMemoryCheckpointStore,
  SparkContext,
  StreamingContext,
  type DStream,
  type RDD,
  type StreamingContextOptions,
} from '../../../runtime/src/engine/dstream/index.js';

export interface Harness {
  clock: ManualClock;
  sc: SparkContext;
  ssc: StreamingContext;
  store: InMemoryCheckpointStore;
  /** Everything pprint wrote. */
  stdout: string[];
  /** Registers a collecting output on `stream`; returns the [timeMs, rows] list it fills. */
  collect<T>(stream: DStream<T>): Array<[number, T[]]>;
  /** Starts the context if needed, then runs `n` batches. */
  runBatches(n: number): Promise<void>;
}

export function harness(batchSeconds = 1, options: StreamingContextOptions = {}): Harness {
  const clock = new ManualClock(0);
  const sc = new SparkContext({ master: 'local[2]' });
  const store = new InMemoryCheckpointStore();
  const stdout: string[] = [];
  const ssc = new StreamingContext(sc, batchSeconds, {
    clock,
    checkpointStore: store,
    stdout: (text) => stdout.push(text),
    ...options,
  });
  return {
    clock,
    sc,
    ssc,
    store,
    stdout,
    collect<T>(stream: DStream<T>) {
      const out: Array<[number, T[]]> = [];
      stream.foreachRDD((time: Date, rdd: RDD<T>) => {
        out.push([time.getTime(), rdd.collect()]);
      });
      return out;
    },
    async runBatches(n: number) {
      if (ssc.getState() === 'INITIALIZED') ssc.start();
      for (let i = 0; i < n; i++) {
        clock.advance(ssc.batchDurationMs);
        await ssc.awaitBatchCompleted(clock.now());
      }
    },
  };
}

/** Sorts rows by their JSON text, for comparing RDD contents as multisets. */
export function sorted<T>(rows: T[]): T[] {
  return [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0));
}
