/**
 * Physical operators share one small interface: run over this batch's rows and return the output
 * rows. Stateful operators additionally declare their state and react to the watermark through the
 * batch context (late-row threshold and eviction threshold). Defaults are no-ops.
 */
import type { EvalContext, Row } from '../compile.js';
import type { StateStore } from '../state-store.js';
import type { TraceCollector } from '../trace.js';
import type { StructType } from '../types.js';

/** Output modes (PySpark strings). */
export type OutputMode = 'append' | 'update' | 'complete';

/** Per-batch event-time statistics gathered by a watermark operator (milliseconds). */
export interface EventTimeStats {
  min: number;
  max: number;
  sum: number;
  count: number;
}

/** Metrics a stateful operator reports for the progress JSON. */
export interface StateOperatorMetrics {
  operatorName: string;
  numRowsTotal: number;
  numRowsUpdated: number;
  numRowsRemoved: number;
  numRowsDroppedByWatermark: number;
  memoryUsedBytes: number;
  /** Operator-specific counters (e.g. dedupe's `numDroppedDuplicateRows`). */
  customMetrics?: Record<string, number>;
}

/** Everything an operator may read or write while a batch runs. */
export interface BatchContext {
  readonly batchId: number;
  /** Rows of each source for this batch, by source id. */
  readonly inputs: ReadonlyMap<number, Row[]>;
  readonly eval: EvalContext;
  /** `streaming` for micro-batches, `batch` for static DataFrames. */
  readonly execution: 'streaming' | 'batch';
  readonly outputMode: OutputMode;
  /** Watermark in force for this batch (eviction), ms. */
  readonly evictionWatermarkMs: number;
  /** Watermark used to drop late rows (Spark 3.5: the previous batch's), ms. */
  readonly lateWatermarkMs: number;
  /** Whether any watermark is defined on the query (else nothing is late or evicted). */
  readonly hasWatermark: boolean;
  /** Event-time stats per watermark operator id, filled as rows flow. */
  readonly eventTimeStats: Map<number, EventTimeStats>;
  /** State store for a stateful operator id. */
  stateStore<V>(operatorId: number): StateStore<V>;
  /** Metrics per stateful operator id, filled by the operators. */
  readonly stateMetrics: Map<number, StateOperatorMetrics>;
  readonly trace: TraceCollector;
}

/** A physical operator. */
export interface PhysicalOperator {
  readonly schema: StructType;
  readonly children: readonly PhysicalOperator[];
  /** A one-line description for `explain()`. */
  describe(): string;
  execute(ctx: BatchContext): Row[];
  /**
   * Optional: hands this batch's rows to `f` one by one, in the order `execute` returns them, without
   * collecting them. Row-at-a-time operators (scan, project, filter, watermark) offer it so that a
   * consumer such as the aggregate folds each row while it is young instead of holding every
   * intermediate row of a large batch at once (which is what made garbage collection expensive).
   * `transient` promises that `f` keeps no reference to the row array after it returns (it may keep
   * the values), so a projection may hand over the same array every time.
   */
  forEachRow?(ctx: BatchContext, f: (row: Row) => void, transient?: boolean): void;
}

/** Streams `op`'s rows to `f` when it can, else runs it and walks the result. */
export function forEachRow(op: PhysicalOperator, ctx: BatchContext, f: (row: Row) => void, transient = false): void {
  if (op.forEachRow) {
    op.forEachRow(ctx, f, transient);
    return;
  }
  const rows = op.execute(ctx);
  for (let i = 0; i < rows.length; i++) f(rows[i]);
}

/** Renders an operator tree the way Spark's physical `explain()` indents it. */
export function explainTree(op: PhysicalOperator, indent = 0): string {
  const prefix = indent === 0 ? '' : `${'   '.repeat(indent - 1)}+- `;
  return [`${prefix}${op.describe()}`, ...op.children.map((c) => explainTree(c, indent + 1))].join('\n');
}
