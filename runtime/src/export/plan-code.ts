/**
 * A logical plan as a PySpark method chain, source first:
 *
 *     spark.readStream                       (spark.read for a static read)
 *     .format("kafka")
 *     .option("subscribe", "sensors.temperature")
 *     .load()
 *     .select(...)
 *
 * Plans the learner built in a named function are replaced by a call to that function, so the
 * exported program keeps the learner's names.
 */
import type { Expr } from '../engine/expressions/expr.js';
import type { LogicalPlan } from '../engine/plans/plan.js';
import { planSchema } from '../engine/plans/planner.js';
import type { DataType } from '../engine/types.js';
import { argCode, columnCode, ddlSchema, type ColumnContext } from './column-code.js';
import { pyStr, pyValue, type StubCollector } from './python-text.js';

/**
 * A row value as Python text for a column of that type: PySpark's createDataFrame refuses an int for a
 * DOUBLE or FLOAT column, so a whole number there is written `30.0`.
 */
function typedValue(v: unknown, type: DataType | undefined): string {
  if (typeof v === 'number' && Number.isInteger(v) && type?.kind === 'atomic' && (type.name === 'double' || type.name === 'float')) {
    const text = String(v);
    return /^-?\d+$/.test(text) ? `${text}.0` : text;
  }
  if (Array.isArray(v) && type?.kind === 'array') return `[${v.map((x) => typedValue(x, type.elementType)).join(', ')}]`;
  return pyValue(v);
}

/** How the chain is rendered. */
export interface PlanContext {
  stubs: StubCollector;
  /** Where the plan is, for stub comments. */
  where: string;
  /** Rewrites a streaming source's options (the parity tier points them at its own topic). */
  sourceOptions?: (format: string, options: Readonly<Record<string, string>>) => Record<string, string>;
  /** Chains already defined as functions (rendered chain text → call text). */
  named?: ReadonlyMap<string, string>;
}

/** The chain's lines; the first is the receiver, the rest start with `.`. */
export function planChain(plan: LogicalPlan, ctx: PlanContext): string[] {
  const lines = rawChain(plan, ctx);
  const call = ctx.named?.get(lines.join('\n'));
  return call ? [call] : lines;
}

function cctx(ctx: PlanContext): ColumnContext {
  return { stubs: ctx.stubs, where: ctx.where };
}

function args(exprs: readonly Expr[], ctx: PlanContext): string {
  return exprs.map((e) => argCode(e, cctx(ctx))).join(', ');
}

/** The plan as text on one line per call, for nesting (`.union(<other>)`). */
function inline(plan: LogicalPlan, ctx: PlanContext): string {
  const lines = planChain(plan, ctx);
  return lines.length === 1 ? lines[0]! : `(\n        ${lines.join('\n        ')}\n    )`;
}

function quotedColumn(e: Expr): string | undefined {
  if (e.kind !== 'col') return undefined;
  const m = /^`([^`]+)`$/.exec(e.name);
  return m ? m[1] : undefined;
}

/** `withColumn`/`withColumnRenamed`/`drop` when a projection is exactly one of them. */
function projectionShortcut(plan: Extract<LogicalPlan, { kind: 'Project' }>, ctx: PlanContext): string | undefined {
  const childCols = planSchema(plan.child).fieldNames();
  const exprs = plan.exprs;
  const kept = exprs.map(quotedColumn);
  const odd = kept.map((k, i) => (k !== undefined && k === childCols[i] ? -1 : i)).filter((i) => i >= 0);
  if (exprs.length === childCols.length + 1 && odd.length === 1 && odd[0] === exprs.length - 1) {
    const last = exprs[exprs.length - 1]!;
    if (last.kind === 'alias') return `.withColumn(${pyStr(last.name)}, ${columnCode(last.expr, cctx(ctx))})`;
  }
  if (exprs.length === childCols.length && odd.length === 1) {
    const e = exprs[odd[0]!]!;
    if (e.kind === 'alias') {
      const inner = quotedColumn(e.expr);
      if (inner === childCols[odd[0]!]) return `.withColumnRenamed(${pyStr(inner!)}, ${pyStr(e.name)})`;
      if (e.name === childCols[odd[0]!]) return `.withColumn(${pyStr(e.name)}, ${columnCode(e.expr, cctx(ctx))})`;
    }
  }
  if (exprs.length < childCols.length && kept.every((k) => k !== undefined)) {
    const names = kept as string[];
    let j = 0;
    for (const c of childCols) if (names[j] === c) j++;
    if (j === names.length) {
      const dropped = childCols.filter((c) => !names.includes(c));
      return `.drop(${dropped.map(pyStr).join(', ')})`;
    }
  }
  return undefined;
}

function rawChain(plan: LogicalPlan, ctx: PlanContext): string[] {
  switch (plan.kind) {
    case 'StreamingRelation': {
      const options = ctx.sourceOptions ? ctx.sourceOptions(plan.format, plan.options) : { ...plan.options };
      const lines = ['spark.readStream', `.format(${pyStr(plan.format)})`];
      if (plan.userSchema) lines.push(`.schema(${pyStr(ddlSchema(plan.userSchema))})`);
      for (const [k, v] of Object.entries(options)) lines.push(`.option(${pyStr(k)}, ${pyStr(v)})`);
      lines.push('.load()');
      return lines;
    }
    case 'LocalRelation': {
      if (plan.source) {
        // A static read exports as the read itself (PySpark reads it again when the job runs).
        const lines = ['spark.read', `.format(${pyStr(plan.source.format)})`];
        if (plan.source.userSchema) lines.push(`.schema(${pyStr(ddlSchema(plan.source.userSchema))})`);
        for (const [k, v] of Object.entries(plan.source.options)) lines.push(`.option(${pyStr(k)}, ${pyStr(v)})`);
        lines.push('.load()');
        return lines;
      }
      const rows = plan.rows.map((r) => `[${r.map((v, i) => typedValue(v, plan.schema.fields[i]?.dataType)).join(', ')}]`).join(', ');
      return [`spark.createDataFrame([${rows}], ${pyStr(ddlSchema(plan.schema))})`];
    }
    case 'Project': {
      const lines = planChain(plan.child, ctx);
      return [...lines, projectionShortcut(plan, ctx) ?? `.select(${args(plan.exprs, ctx)})`];
    }
    case 'Filter':
      return [...planChain(plan.child, ctx), `.filter(${columnCode(plan.condition, cctx(ctx))})`];
    case 'EventTimeWatermark':
      return [...planChain(plan.child, ctx), `.withWatermark(${pyStr(plan.column)}, ${pyStr(plan.delay)})`];
    case 'Aggregate': {
      const lines = planChain(plan.child, ctx);
      // A global aggregation is written as the learner would: `.agg(...)` without a grouping.
      if (plan.groupBy.length === 0) return [...lines, `.agg(${plan.aggregates.map((a) => columnCode(a, cctx(ctx))).join(', ')})`];
      const group = `.groupBy(${args(plan.groupBy, ctx)})`;
      const only = plan.aggregates.length === 1 ? plan.aggregates[0]! : undefined;
      if (only && only.kind === 'alias' && only.name === 'count' && only.expr.kind === 'call' && only.expr.name === 'count' && only.expr.args[0]?.kind === 'star') {
        return [...lines, group, '.count()'];
      }
      return [...lines, group, `.agg(${plan.aggregates.map((a) => columnCode(a, cctx(ctx))).join(', ')})`];
    }
    case 'Union':
      return [...planChain(plan.children[0]!, ctx), ...plan.children.slice(1).map((c) => `.union(${inline(c, ctx)})`)];
    case 'Sort':
      return [...planChain(plan.child, ctx), `.orderBy(${plan.order.map((o) => columnCode(o, cctx(ctx))).join(', ')})`];
    case 'Limit':
      return [...planChain(plan.child, ctx), `.limit(${plan.n})`];
    case 'Deduplicate': {
      const method = plan.withinWatermark ? 'dropDuplicatesWithinWatermark' : 'dropDuplicates';
      return [...planChain(plan.child, ctx), plan.columns ? `.${method}(${pyValue([...plan.columns])})` : `.${method}()`];
    }
    case 'Join': {
      const on = plan.on === null ? 'None' : Array.isArray(plan.on) ? pyValue([...plan.on]) : columnCode(plan.on as Expr, cctx(ctx));
      return [...planChain(plan.left, ctx), `.join(${inline(plan.right, ctx)}, ${on}, ${pyStr(plan.how)})`];
    }
    case 'ModelTransform':
      // PySpark's DataFrame.transform(f) calls f(df): the model's own transform, as the learner applied it.
      for (const [module, name] of plan.model.imports) ctx.stubs.useImport(module, name);
      return [...planChain(plan.child, ctx), `.transform(${plan.model.python}.transform)`];
  }
}
