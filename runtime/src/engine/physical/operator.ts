/**
 * Physical operators share one small interface: run over this batch's rows and return the output
 * rows. A stateful operator also declares the state it keeps (`state`), and one whose state the
 * watermark evicts removes it in its `onWatermark` hook:
 *
 *   execute(streaming batch) := fold this batch's rows into state   (rows at or below the late threshold dropped)
 *                               onWatermark                         (state at or below the eviction watermark removed,
 *                                                                    and written in append mode)
 *                               report the operator's progress metrics
 *
 * The micro-batch loop reads the declarations from the plan's tree (`statefulOperators`): which state
 * stores to restore, commit and checkpoint, which operators report progress, and whether a no-data
 * batch is due.
 */
import type { EvalContext, Row } from '../expressions/compile.js';
import type { StateStore } from '../state/state-store.js';
import type { TraceCollector } from '../execution/trace.js';
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

/** The state a stateful operator keeps across a stream's batches. */
export interface StateDeclaration {
  /** Its state store's id, in planning order (children first): the checkpoint's `state/<id>` folder. */
  readonly id: number;
  /** `aggregate` (hash aggregation), `session` (session windows), `dedupe`, `limit` (streaming global limit). */
  readonly kind: 'aggregate' | 'session' | 'dedupe' | 'limit';
  /** Whether the watermark can evict its state (its key or its input carries the watermarked column). */
  readonly hasEventTime: boolean;
}

/** A physical operator. */
export interface PhysicalOperator {
  readonly schema: StructType;
  readonly children: readonly PhysicalOperator[];
  /** The state it keeps across a stream's batches; absent for stateless operators. */
  readonly state?: StateDeclaration;
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

/** A stateful operator whose state the watermark evicts. */
export interface EvictingOperator extends PhysicalOperator {
  readonly state: StateDeclaration;
  /**
   * Removes the state at or below the batch's eviction watermark (`ctx.evictionWatermarkMs`), after
   * this batch's rows were folded in, and hands `emit` the rows written for it (append mode). Returns
   * how many state rows it removed. The operator's `execute` calls it once per streaming batch of a
   * query with a watermark (an aggregation's state is never evicted in complete mode).
   */
  onWatermark(ctx: BatchContext, emit: (row: Row) => void): number;
}

/** The state declarations of a plan's operators, in id order (each operator's children before it). */
export function statefulOperators(root: PhysicalOperator): StateDeclaration[] {
  const out: StateDeclaration[] = [];
  const visit = (op: PhysicalOperator): void => {
    for (const c of op.children) visit(c);
    if (op.state) out.push(op.state);
  };
  visit(root);
  return out.sort((a, b) => a.id - b.id);
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
