import type { Clock } from '../clock.js';
import { toMillis, type DurationLike } from './duration.js';
import type { SparkContext } from './spark-context.js';

/** Options that PySpark does not have: the injected processing-time clock. */
export interface StreamingContextOptions {
  /** Processing-time clock; tests and lessons pass a ManualClock. */
  clock?: Clock;
}

/** The entry point of the DStream API (PySpark `StreamingContext`). */
export class StreamingContext {
  /** The SparkContext batches run on. */
  readonly sparkContext: SparkContext;
  /** Batch interval in milliseconds. */
  readonly batchDurationMs: number;

  constructor(sparkContext: SparkContext, batchDuration: DurationLike, options: StreamingContextOptions = {}) {
    this.sparkContext = sparkContext;
    this.batchDurationMs = toMillis(batchDuration);
    void options;
  }
}
