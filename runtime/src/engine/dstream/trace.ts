/**
 * The explain trace of one DStream batch: what the workbench needs to draw processing-time batches
 * next to event-time windows for the same records. DStreams have no event time, so every window here
 * is a range of batch (processing) times.
 */

/** Records one input stream contributed to a batch. */
export interface DStreamInputTrace {
  /** DStream id (creation order within the context, as in Spark). */
  streamId: number;
  /** Kind of input, e.g. `queueStream`, `kafka[sensors]`. */
  name: string;
  /** Records in this batch's RDD; 0 when the input produced no RDD. */
  records: number;
  /** False when the input produced no RDD at all for this batch (Spark's `None`). */
  hasRdd: boolean;
  /**
   * The first records of the batch's RDD (at most `INPUT_SAMPLE_SIZE`), in order: a pair's key (a Kafka
   * record's key, the first element of a tuple; null when there is none) and the record as `pprint`
   * would print it.
   */
  sample: DStreamRecordSample[];
}

/** One input record as a trace shows it. */
export interface DStreamRecordSample {
  key: string | null;
  preview: string;
}

/** How many records of each input a batch's trace lists. */
export const INPUT_SAMPLE_SIZE = 200;

/** A processing-time window: the batches with times in (startMs, endMs]. */
export interface DStreamWindowSpan {
  /** Exclusive start: endMs − window duration. */
  startMs: number;
  /** Inclusive end: the time the window's RDD is produced. */
  endMs: number;
}

/** How one windowed DStream sees the batch. */
export interface DStreamWindowTrace {
  streamId: number;
  /** Operation that created the window, e.g. `window`, `reduceByKeyAndWindow`. */
  op: string;
  windowMs: number;
  slideMs: number;
  /** Every window (past, current or future) that will contain this batch's records. */
  containing: DStreamWindowSpan[];
  /** The window whose result was produced at this batch time, with the batch times it covers. */
  emitted: (DStreamWindowSpan & { batchTimesMs: number[]; inverse: boolean }) | null;
}

/** Size of one stateful DStream after the batch. */
export interface DStreamStateTrace {
  streamId: number;
  /** `updateStateByKey` or `reduceByKeyAndWindow` (the inverse path keeps the previous window). */
  op: string;
  /** Live keys after this batch. */
  keys: number;
}

/** One executed DStream batch. */
export interface DStreamBatchTrace {
  api: 'dstream';
  /** Batch time in epoch milliseconds. */
  batchTimeMs: number;
  /** Batch time as pprint shows it (session time zone). */
  batchTime: string;
  /** The batch holds data that arrived in (intervalStartMs, batchTimeMs]. */
  intervalStartMs: number;
  inputs: DStreamInputTrace[];
  windows: DStreamWindowTrace[];
  state: DStreamStateTrace[];
  /** Sum of `state[].keys`. */
  stateSize: number;
  /** Output operations (foreachRDD, pprint, ...) that ran. */
  outputs: number;
}

/** Listener hook, named after PySpark's `StreamingListener`. Every method is optional. */
export interface DStreamListener {
  /** Called after each batch's output operations completed. */
  onBatchCompleted?(trace: DStreamBatchTrace): void;
  /** Called once when the context stops because a batch failed. */
  onStreamingError?(error: unknown): void;
}
