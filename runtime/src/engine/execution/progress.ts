/**
 * `StreamingQueryProgress` in Spark's JSON shape (`query.lastProgress`), built once per micro-batch.
 * Durations are measured on the query's injected clock, so a manual clock reports 0 ms.
 */
import type { StateOperatorMetrics } from '../physical/operator.js';

/** Progress of one source in one batch. */
export interface SourceProgress {
  readonly description: string;
  readonly startOffset: unknown;
  readonly endOffset: unknown;
  readonly latestOffset: unknown;
  readonly numInputRows: number;
  readonly inputRowsPerSecond: number;
  readonly processedRowsPerSecond: number;
}

/** Progress of a stateful operator (Spark's StateOperatorProgress). */
export interface StateOperatorProgress {
  readonly operatorName: string;
  readonly numRowsTotal: number;
  readonly numRowsUpdated: number;
  readonly allUpdatesTimeMs: number;
  readonly numRowsRemoved: number;
  readonly allRemovalsTimeMs: number;
  readonly commitTimeMs: number;
  readonly memoryUsedBytes: number;
  readonly numRowsDroppedByWatermark: number;
  readonly numShufflePartitions: number;
  readonly numStateStoreInstances: number;
  readonly customMetrics: Readonly<Record<string, number>>;
}

/** Spark's StreamingQueryProgress. */
export interface StreamingQueryProgress {
  readonly id: string;
  readonly runId: string;
  readonly name: string | null;
  /** Trigger time, ISO-8601. */
  readonly timestamp: string;
  readonly batchId: number;
  readonly batchDuration: number;
  readonly numInputRows: number;
  readonly inputRowsPerSecond: number;
  readonly processedRowsPerSecond: number;
  readonly durationMs: Readonly<Record<string, number>>;
  /** Present when the query has a watermark: min/max/avg event time of this batch and the watermark. */
  readonly eventTime?: Readonly<Record<string, string>>;
  readonly stateOperators: StateOperatorProgress[];
  readonly sources: SourceProgress[];
  readonly sink: { readonly description: string; readonly numOutputRows: number };
}

/** Converts operator metrics to the progress shape. */
export function stateOperatorProgress(m: StateOperatorMetrics): StateOperatorProgress {
  return {
    operatorName: m.operatorName,
    numRowsTotal: m.numRowsTotal,
    numRowsUpdated: m.numRowsUpdated,
    allUpdatesTimeMs: 0,
    numRowsRemoved: m.numRowsRemoved,
    allRemovalsTimeMs: 0,
    commitTimeMs: 0,
    memoryUsedBytes: m.memoryUsedBytes,
    numRowsDroppedByWatermark: m.numRowsDroppedByWatermark,
    numShufflePartitions: 1,
    numStateStoreInstances: 1,
    customMetrics: { ...(m.customMetrics ?? {}) },
  };
}

/** Rows per second, 0 when the interval is empty (Spark omits the value then). */
export function perSecond(rows: number, ms: number): number {
  return ms > 0 ? (rows * 1000) / ms : 0;
}
