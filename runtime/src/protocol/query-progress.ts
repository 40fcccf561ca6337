/**
 * Spark's `StreamingQueryProgress` as `run.batch` carries it: the JSON `query.lastProgress` gives, less
 * `eventTime`, whose numbers (the watermark, and the batch's min, max and avg event time) travel in epoch
 * ms in the batch's trace (`structuredBatchTrace.watermark` and `.eventTime`). The engine's
 * `StreamingQueryProgress` (engine/execution/progress.ts) is assignable to this once `eventTime` is taken off.
 */
import { z } from 'zod';
import { jsonValue } from './common.js';

/** Progress of one source in one batch (Spark's SourceProgress). */
export const sourceProgress = z.strictObject({
  description: z.string(),
  /** Source-specific offsets as JSON (a Kafka source's `{topic: {partition: offset}}`). */
  startOffset: jsonValue,
  endOffset: jsonValue,
  latestOffset: jsonValue,
  numInputRows: z.int().min(0),
  inputRowsPerSecond: z.number(),
  processedRowsPerSecond: z.number(),
});
/** Progress of one source in one batch. */
export type SourceProgress = z.infer<typeof sourceProgress>;

/** Progress of a stateful operator (Spark's StateOperatorProgress). */
export const stateOperatorProgress = z.strictObject({
  operatorName: z.string(),
  numRowsTotal: z.int().min(0),
  numRowsUpdated: z.int().min(0),
  allUpdatesTimeMs: z.number(),
  numRowsRemoved: z.int().min(0),
  allRemovalsTimeMs: z.number(),
  commitTimeMs: z.number(),
  memoryUsedBytes: z.number(),
  numRowsDroppedByWatermark: z.int().min(0),
  numShufflePartitions: z.int(),
  numStateStoreInstances: z.int(),
  customMetrics: z.record(z.string(), z.number()),
});
/** Progress of a stateful operator. */
export type StateOperatorProgress = z.infer<typeof stateOperatorProgress>;

/** Spark's StreamingQueryProgress of one micro-batch, without `eventTime` (see the file comment). */
export const streamingQueryProgress = z.strictObject({
  /** The query's id, stable across restarts from one checkpoint. */
  id: z.string(),
  /** This run of the query. */
  runId: z.string(),
  name: z.string().nullable(),
  /** Trigger time, ISO-8601 as Spark prints it (the trace has it in epoch ms: `batchTimestampMs`). */
  timestamp: z.string(),
  batchId: z.int().min(0),
  batchDuration: z.number(),
  numInputRows: z.int().min(0),
  inputRowsPerSecond: z.number(),
  processedRowsPerSecond: z.number(),
  /** Phases of the trigger in ms: `triggerExecution` is the whole batch. */
  durationMs: z.record(z.string(), z.number()),
  /** The operator nearest the sink first. */
  stateOperators: z.array(stateOperatorProgress),
  sources: z.array(sourceProgress),
  sink: z.strictObject({ description: z.string(), numOutputRows: z.int().min(0) }),
});
/** Spark's StreamingQueryProgress of one micro-batch, without `eventTime`. */
export type StreamingQueryProgress = z.infer<typeof streamingQueryProgress>;
