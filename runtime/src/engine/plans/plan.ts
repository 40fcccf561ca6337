/**
 * Logical plans: frozen plain data with a `kind` tag. The DataFrame API builds them; analysis,
 * explain and physical planning are functions that walk them (see `planner.ts`, `analysis.ts`).
 */
import type { Row } from '../expressions/compile.js';
import type { Expr } from '../expressions/expr.js';
import type { JoinType } from '../physical/join.js';
import type { SourceProvider } from '../sources/source.js';
import type { StructType } from '../types.js';

/** Where a static relation's rows were read from (`spark.read.format(...)...load()`), for export. */
export interface StaticSource {
  readonly format: string;
  readonly options: Readonly<Record<string, string>>;
  readonly userSchema?: StructType;
}

/**
 * A Spark ML transformer applied to a plan (`model.transform(df)`): `expanded` is what it computes
 * (projections with the model's functions, and a filter where it drops rows), built over `child`;
 * `model` says how PySpark builds the same transformer, for export.
 */
export interface ModelRef {
  /** PySpark class name, e.g. `PipelineModel`. */
  readonly className: string;
  /** A Python expression that gives the same transformer, e.g. `PipelineModel.load("model")`. */
  readonly python: string;
  /** The `pyspark.ml` modules and names that expression needs (`pyspark.ml` → `PipelineModel`). */
  readonly imports: readonly (readonly [module: string, name: string])[];
}

/** A logical plan node. */
export type LogicalPlan =
  | { readonly kind: 'StreamingRelation'; readonly sourceId: number; readonly format: string; readonly options: Readonly<Record<string, string>>; readonly userSchema?: StructType; readonly schema: StructType; readonly provider: SourceProvider }
  | { readonly kind: 'LocalRelation'; readonly rows: readonly Row[]; readonly schema: StructType; readonly source?: StaticSource }
  | { readonly kind: 'Project'; readonly child: LogicalPlan; readonly exprs: readonly Expr[] }
  | { readonly kind: 'Filter'; readonly child: LogicalPlan; readonly condition: Expr }
  | { readonly kind: 'EventTimeWatermark'; readonly child: LogicalPlan; readonly column: string; readonly delayMs: number; readonly delay: string }
  | { readonly kind: 'Aggregate'; readonly child: LogicalPlan; readonly groupBy: readonly Expr[]; readonly aggregates: readonly Expr[] }
  | { readonly kind: 'Union'; readonly children: readonly LogicalPlan[] }
  | { readonly kind: 'Sort'; readonly child: LogicalPlan; readonly order: readonly Expr[] }
  | { readonly kind: 'Limit'; readonly child: LogicalPlan; readonly n: number }
  | { readonly kind: 'Deduplicate'; readonly child: LogicalPlan; readonly columns: readonly string[] | null; readonly withinWatermark?: boolean }
  | { readonly kind: 'Join'; readonly left: LogicalPlan; readonly right: LogicalPlan; readonly on: readonly string[] | Expr | null; readonly how: JoinType }
  | { readonly kind: 'ModelTransform'; readonly child: LogicalPlan; readonly model: ModelRef; readonly expanded: LogicalPlan };

/** Freezes a plan node. */
export function planNode<T extends LogicalPlan>(p: T): T {
  return Object.freeze(p);
}

/** Direct children of a plan node. */
export function planChildren(p: LogicalPlan): readonly LogicalPlan[] {
  switch (p.kind) {
    case 'StreamingRelation': case 'LocalRelation': return [];
    case 'Union': return p.children;
    case 'Join': return [p.left, p.right];
    default: return [p.child];
  }
}

/** Visits every node, parents first. */
export function visitPlan(p: LogicalPlan, f: (p: LogicalPlan) => void): void {
  f(p);
  for (const c of planChildren(p)) visitPlan(c, f);
}

/** Whether the plan reads a streaming source (PySpark `isStreaming`). */
export function isStreamingPlan(p: LogicalPlan): boolean {
  let s = false;
  visitPlan(p, (n) => {
    if (n.kind === 'StreamingRelation') s = true;
  });
  return s;
}
