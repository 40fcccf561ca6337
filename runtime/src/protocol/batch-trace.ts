/**
 * The explain trace of one batch as it travels from the job process to the workbench: what the batch
 * read, which window and key each record went to, what was late, emitted and evicted, and the
 * watermark. One schema per API, tagged by `api`:
 *
 *   batchTrace := structuredBatchTrace   (api 'structured': one micro-batch of a streaming query)
 *               | dstreamBatchTrace      (api 'dstream': one batch of a StreamingContext)
 *
 * Every time is epoch milliseconds, and each fact travels once: the watermark and the batch's event
 * times are here and nowhere else in `run.batch`. The engine's trace types (engine/execution/trace.ts,
 * engine/dstream/trace.ts) are assignable to these; per-row lists are sampled with exact totals.
 */
import { z } from 'zod';

/** An event-time window in epoch ms: start inclusive, end exclusive. */
export const traceWindow = z.strictObject({ startMs: z.number(), endMs: z.number() });
/** An event-time window. */
export type TraceWindow = z.infer<typeof traceWindow>;

/** A sampled list with its exact total: per-row detail stops at a cap, counts never do. */
const sampled = <T extends z.ZodType>(item: T) => z.strictObject({ total: z.int().min(0), sample: z.array(item) });

/** What happened to one input row at the stateful operator. */
export const rowTrace = z.strictObject({
  /** Cell values as Spark's `show()` prints them. */
  values: z.array(z.string()),
  /** Event time in epoch ms, when the row has one. */
  eventTimeMs: z.number().nullable(),
  /** `updated`: it changed a state row; `late`: dropped by the watermark; `passed`: no state involved. */
  outcome: z.enum(['updated', 'late', 'passed']),
  /** The window (or session) the row was assigned to. */
  window: traceWindow.optional(),
  /** The grouping key other than the window, as shown. */
  key: z.array(z.string()).optional(),
  /** Why the row was dropped, e.g. `window end 15000 <= watermark 15000`. */
  reason: z.string().optional(),
});
/** What happened to one input row. */
export type RowTrace = z.infer<typeof rowTrace>;

/** A state row removed because the watermark passed it. */
export const evictionTrace = z.strictObject({
  key: z.array(z.string()),
  window: traceWindow.optional(),
  /** Whether the evicted row was also written to the sink (append mode). */
  emitted: z.boolean(),
});
/** A state row removed by the watermark. */
export type EvictionTrace = z.infer<typeof evictionTrace>;

/** The watermarks of one micro-batch, in epoch ms. */
export const batchWatermark = z.strictObject({
  /** In force during this batch: state at or before it is evicted (Spark's progress `eventTime.watermark`). */
  beforeMs: z.number(),
  /** Computed from this batch's event times, in force from the next batch. */
  afterMs: z.number(),
  /** Used to decide lateness (Spark 3.5: the previous batch's watermark). */
  lateThresholdMs: z.number(),
});
/** The watermarks of one micro-batch. */
export type BatchWatermark = z.infer<typeof batchWatermark>;

/** Event times a micro-batch read, in epoch ms (Spark's progress `eventTime` min, max and avg). */
export const batchEventTime = z.strictObject({ minMs: z.number(), maxMs: z.number(), avgMs: z.number() });
/** Event times a micro-batch read. */
export type BatchEventTime = z.infer<typeof batchEventTime>;

/** The trace of one Structured Streaming micro-batch. */
export const structuredBatchTrace = z.strictObject({
  api: z.literal('structured'),
  batchId: z.int().min(0),
  /** `no-data`: a batch run only because the watermark moved (Spark's no-data batch). */
  kind: z.enum(['data', 'no-data']),
  /** The batch's trigger time (Spark's progress `timestamp`). */
  batchTimestampMs: z.number(),
  /** Null when the query has no watermark. */
  watermark: batchWatermark.nullable(),
  /** Null when the query has no watermark or the batch read no row with an event time. */
  eventTime: batchEventTime.nullable(),
  /** Output column names, in order. */
  columns: z.array(z.string()),
  input: sampled(rowTrace),
  /** Input rows dropped as late. */
  droppedLate: z.int().min(0),
  /** Output rows, each as shown. */
  emitted: sampled(z.array(z.string())),
  evicted: sampled(evictionTrace),
  /** Rows held by the stateful operators after the batch. */
  stateRowsTotal: z.int().min(0),
  /** Records `from_json` could not parse in PERMISSIVE mode (each became nulls): count and first texts. */
  malformed: sampled(z.string()),
});
/** The trace of one Structured Streaming micro-batch. */
export type StructuredBatchTrace = z.infer<typeof structuredBatchTrace>;

/** Records one input stream contributed to a DStream batch. */
export const dstreamInputTrace = z.strictObject({
  /** DStream id (creation order within the context, as in Spark). */
  streamId: z.int(),
  /** Kind of input, e.g. `queueStream`, `kafka[sensors]`. */
  name: z.string(),
  /** Records in this batch's RDD; 0 when the input produced none. */
  records: z.int().min(0),
  /** False when the input produced no RDD at all for this batch (Spark's `None`). */
  hasRdd: z.boolean(),
  /**
   * The batch's first records (at most 200), in order: a pair's key (a Kafka record's key, a tuple's
   * first element; null when there is none) and the record as `pprint` prints it. From version 8.
   */
  sample: z.array(z.strictObject({ key: z.string().nullable(), preview: z.string() })).optional(),
});
/** Records one input stream contributed. */
export type DStreamInputTrace = z.infer<typeof dstreamInputTrace>;

/** A processing-time window: the batches with times in (startMs, endMs]. */
export const dstreamWindowSpan = z.strictObject({
  /** Exclusive start: endMs − window duration. */
  startMs: z.number(),
  /** Inclusive end: the time the window's RDD is produced. */
  endMs: z.number(),
});
/** A processing-time window. */
export type DStreamWindowSpan = z.infer<typeof dstreamWindowSpan>;

/** How one windowed DStream sees the batch. */
export const dstreamWindowTrace = z.strictObject({
  streamId: z.int(),
  /** The operation that made the window, e.g. `window`, `reduceByKeyAndWindow`. */
  op: z.string(),
  windowMs: z.number(),
  slideMs: z.number(),
  /** Every window (past, current or future) that contains this batch's records. */
  containing: z.array(dstreamWindowSpan),
  /** The window whose result was produced at this batch time, with the batch times it covers. */
  emitted: dstreamWindowSpan.extend({ batchTimesMs: z.array(z.number()), inverse: z.boolean() }).nullable(),
});
/** How one windowed DStream sees the batch. */
export type DStreamWindowTrace = z.infer<typeof dstreamWindowTrace>;

/** Size of one stateful DStream after the batch. */
export const dstreamStateTrace = z.strictObject({
  streamId: z.int(),
  /** `updateStateByKey`, or `reduceByKeyAndWindow` (whose inverse path keeps the previous window). */
  op: z.string(),
  /** Live keys after this batch. */
  keys: z.int().min(0),
});
/** Size of one stateful DStream. */
export type DStreamStateTrace = z.infer<typeof dstreamStateTrace>;

/** The trace of one DStream batch (DStreams have no event time: every window is in batch time). */
export const dstreamBatchTrace = z.strictObject({
  api: z.literal('dstream'),
  /** Batch time: the end of the batch's interval. */
  batchTimeMs: z.number(),
  /** Batch time as `pprint` shows it (session time zone). */
  batchTime: z.string(),
  /** The batch holds data that arrived in (intervalStartMs, batchTimeMs]. */
  intervalStartMs: z.number(),
  inputs: z.array(dstreamInputTrace),
  windows: z.array(dstreamWindowTrace),
  state: z.array(dstreamStateTrace),
  /** Sum of `state[].keys`. */
  stateSize: z.int().min(0),
  /** Output operations (foreachRDD, pprint, …) that ran. */
  outputs: z.int().min(0),
});
/** The trace of one DStream batch. */
export type DStreamBatchTrace = z.infer<typeof dstreamBatchTrace>;

/** Either trace, by `api`. */
export const batchTrace = z.discriminatedUnion('api', [structuredBatchTrace, dstreamBatchTrace]);
/** Either trace. */
export type BatchTrace = z.infer<typeof batchTrace>;
