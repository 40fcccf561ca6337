/**
 * The "explain the run" trace: what one micro-batch did, in JSON-safe plain data, for the runtime
 * server to stream and the workbench Timeline to draw. Per-row detail is sampled past a cap
 * (`TRACE_SAMPLE_CAP` rows per list) while every count stays exact. Every time is epoch ms. The wire
 * schema is `structuredBatchTrace` in runtime/src/protocol, to which this type is assignable.
 */

/** Maximum rows kept per sampled list in one batch trace. */
export const TRACE_SAMPLE_CAP = 200;

/** An event-time window in epoch milliseconds (start inclusive, end exclusive). */
export interface TraceWindow {
  readonly startMs: number;
  readonly endMs: number;
}

/** What happened to one input row at the stateful operator. */
export interface RowTrace {
  /** Cell values rendered as Spark's `show()` would print them. */
  readonly values: string[];
  /** Event time in epoch ms, when the row has one. */
  readonly eventTimeMs: number | null;
  /** `updated`: it changed a state row; `late`: dropped by the watermark; `passed`: no state involved. */
  readonly outcome: 'updated' | 'late' | 'passed';
  /** The window (or session) the row was assigned to, if any. */
  readonly window?: TraceWindow;
  /** The grouping key (other than the window), rendered. */
  readonly key?: string[];
  /** Why a row was dropped, e.g. `window end 15000 <= watermark 15000`. */
  readonly reason?: string;
}

/** A state row that was removed because the watermark passed it. */
export interface EvictionTrace {
  readonly key: string[];
  readonly window?: TraceWindow;
  /** Whether the evicted row was also written to the sink (append mode). */
  readonly emitted: boolean;
}

/** A sampled list with its exact total. */
export interface Sampled<T> {
  readonly total: number;
  readonly sample: T[];
}

/** The watermarks of one micro-batch, in epoch ms. */
export interface BatchWatermark {
  /** Watermark in force during this batch (used for state eviction; Spark's progress `eventTime.watermark`). */
  readonly beforeMs: number;
  /** Watermark computed from this batch, in force from the next one. */
  readonly afterMs: number;
  /** Watermark used to decide lateness (Spark 3.5: the previous batch's). */
  readonly lateThresholdMs: number;
}

/** Event times one micro-batch read, in epoch ms (Spark's progress `eventTime` min, max and avg). */
export interface BatchEventTime {
  readonly minMs: number;
  readonly maxMs: number;
  readonly avgMs: number;
}

/** The trace of one micro-batch. */
export interface BatchTrace {
  readonly api: 'structured';
  readonly batchId: number;
  readonly kind: 'data' | 'no-data';
  readonly batchTimestampMs: number;
  /** Null when the query has no watermark. */
  readonly watermark: BatchWatermark | null;
  /** Null when the query has no watermark or the batch read no row with an event time. */
  readonly eventTime: BatchEventTime | null;
  readonly columns: string[];
  readonly input: Sampled<RowTrace>;
  readonly droppedLate: number;
  readonly emitted: Sampled<string[]>;
  readonly evicted: Sampled<EvictionTrace>;
  readonly stateRowsTotal: number;
  /**
   * Records `from_json` could not parse in PERMISSIVE mode (each became nulls): the exact count and
   * the first few texts.
   */
  readonly malformed: Sampled<string>;
}

/** Collects a trace while a batch runs; cheap when nothing is recorded past the cap. */
export class TraceCollector {
  /** Rows kept per list; 0 turns per-row detail off (counts are still exact). */
  constructor(readonly cap: number = TRACE_SAMPLE_CAP) {}

  readonly rows: RowTrace[] = [];
  rowTotal = 0;
  droppedLate = 0;
  readonly evictions: EvictionTrace[] = [];
  evictedTotal = 0;

  /** Whether another row detail would still be kept (callers skip building details otherwise). */
  get wantsRow(): boolean {
    return this.rows.length < this.cap;
  }

  addRow(r: RowTrace): void {
    if (this.rows.length < this.cap) this.rows.push(r);
  }

  addEviction(e: EvictionTrace): void {
    this.evictedTotal++;
    if (this.evictions.length < this.cap) this.evictions.push(e);
  }

  get wantsEviction(): boolean {
    return this.evictions.length < this.cap;
  }
}
