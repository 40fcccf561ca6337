/**
 * Physical planning: walks a logical plan and builds the operator tree, compiling every expression
 * to a closure once. The same walk gives DataFrames their schema (so bad column names fail where the
 * learner wrote them, as in Spark). Rewrites done here, as Spark's analyzer does:
 * - `window(...)` in a projection or grouping becomes a WindowExpand operator appending a
 *   `window` struct column; `session_window(...)` in a grouping selects the session aggregate;
 * - `explode(...)` at the top of a projection becomes a generator;
 * - aggregate calls inside aggregate expressions become slots of the hash aggregate.
 */
import { withEvalScope } from '../time-zone.js';
import { compileAggregate, type AggregateFn } from '../expressions/aggregates.js';
import { castTo, compile, resolveColumn, type Compiled, type EvalContext, type Row } from '../expressions/compile.js';
import { AnalysisException } from '../errors.js';
import { exprName, exprSql, projectionName, resolvedFrame } from '../expressions/expr-names.js';
import { colRef, node, transformExpr, visitExpr, type Expr } from '../expressions/expr.js';
import { functionRegistry } from '../functions/registry.js';
import { wrongArgs } from '../functions/wrong-args.js';
import { jsonTuple } from '../json-path.js';
import { AggregateExec, type CompactWindowKey, type EventTimeKey, type TraceWindowKey } from '../physical/aggregate.js';
import { DeduplicateExec } from '../physical/deduplicate.js';
import { FilterExec } from '../physical/filter.js';
import { HashJoinExec } from '../physical/join.js';
import { LimitExec } from '../physical/limit.js';
import { statefulOperators, type PhysicalOperator, type StateDeclaration } from '../physical/operator.js';
import { ProjectExec } from '../physical/project.js';
import { ScanExec } from '../physical/scan.js';
import { SessionAggregateExec } from '../physical/session-aggregate.js';
import { SortExec, type SortKey } from '../physical/sort.js';
import { UnionExec } from '../physical/union.js';
import { EventTimeWatermarkExec } from '../physical/watermark.js';
import { WindowExpandExec } from '../physical/window-expand.js';
import { WindowExec, type WindowExprExec } from '../physical/window.js';
import { optimize } from './optimizer.js';
import type { LogicalPlan } from './plan.js';
import { addInterval, intervalMicros, parseInterval, type Interval } from '../time.js';
import { BOOLEAN, INT, STRING, StructField, StructType, TIMESTAMP, isTimestamp, type DataType, type FieldMetadata } from '../types.js';
import { validateWindow, type WindowSpec } from '../windows.js';

/** A watermark operator found while planning. */
export interface WatermarkInfo {
  readonly id: number;
  readonly column: string;
  readonly delayMs: number;
}

/** The result of planning: the root operator plus what the micro-batch loop needs to know. */
export interface PhysicalPlan {
  readonly root: PhysicalOperator;
  readonly watermarks: readonly WatermarkInfo[];
  /** What the stateful operators of `root` declare (`PhysicalOperator.state`), in id order. */
  readonly stateful: readonly StateDeclaration[];
}

/** Plans a logical plan; `ctx` is read by expressions such as `current_timestamp()` while batches run. */
export function planPhysical(plan: LogicalPlan, ctx: EvalContext): PhysicalPlan {
  // Expressions capture the session time zone (and the context they read "now" from) as they compile.
  return withEvalScope(ctx.timeZone, ctx, () => {
    const p = new Planner(ctx);
    const root = p.plan(optimize(plan));
    return { root, watermarks: p.watermarks, stateful: statefulOperators(root) };
  });
}

/** The schema of a logical plan (analysis only). */
export function planSchema(plan: LogicalPlan): StructType {
  return planPhysical(plan, { batchTimestampMs: 0 }).root.schema;
}

/** The generators a projection plans (json_tuple is planned as columns). */
const GENERATORS = new Map<string, { outer: boolean; position: boolean }>([
  ['explode', { outer: false, position: false }],
  ['explode_outer', { outer: true, position: false }],
  ['posexplode', { outer: false, position: true }],
  ['posexplode_outer', { outer: true, position: true }],
]);

/** Whether a generator call sits inside an expression (Spark refuses it there). */
function nestedGenerator(e: Expr): boolean {
  let found = false;
  visitExpr(e, (x) => {
    if (x !== e && x.kind === 'call' && (GENERATORS.has(x.name.toLowerCase()) || functionRegistry.lookup(x.name)?.name === 'json_tuple')) found = true;
  });
  return found;
}

const WINDOW_STRUCT_FIELDS = (t: DataType) => [new StructField('start', t, true), new StructField('end', t, true)];

function stripAlias(e: Expr): { expr: Expr; alias?: string } {
  return e.kind === 'alias' ? { expr: e.expr, alias: e.name } : { expr: e };
}

/** Several names on an expression that gives one column. */
function multiAlias(e: Extract<Expr, { kind: 'alias' }>): AnalysisException {
  return new AnalysisException(`[MULTI_ALIAS_WITHOUT_GENERATOR] Multi part aliasing (${(e.names ?? [e.name]).join(', ')}) is not supported with ${exprSql(e.expr)} as it is not a generator function.`, { code: 'MULTI_ALIAS_WITHOUT_GENERATOR' });
}

function literalString(e: Expr | undefined, what: string): string | number {
  if (!e || e.kind !== 'lit' || (typeof e.value !== 'string' && typeof e.value !== 'number')) {
    throw new AnalysisException(`[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] The ${what} of window() must be a constant string.`, { code: 'DATATYPE_MISMATCH' });
  }
  return e.value;
}

/** A session gap's interval, or null when the text is not one (Spark then gives no session). */
function gapInterval(text: string): Interval | null {
  try {
    return parseInterval(text);
  } catch {
    return null;
  }
}

/** Duration argument of window(): an interval string, or a number of microseconds in the SQL form. */
function durationMicros(e: Expr | undefined, what: string): number {
  const v = literalString(e, what);
  return typeof v === 'number' ? v : intervalMicros(v);
}

/**
 * Spark's check of an aggregation's output: every column outside an aggregate function must be a
 * grouping column (MISSING_AGGREGATION), and with no grouping at all there is none to use
 * (MISSING_GROUP_BY, as for `select(max(x), y)`).
 */
function checkAggregated(lifted: Expr, inter: StructType, input: StructType, global: boolean): void {
  visitExpr(lifted, (x) => {
    if (x.kind !== 'col') return;
    try {
      resolveColumn(inter, x.name);
      return;
    } catch {
      // Not an output of the aggregation: say why if it is a column of the input.
    }
    try {
      resolveColumn(input, x.name);
    } catch {
      return;
    }
    if (global) throw new AnalysisException('[MISSING_GROUP_BY] The query does not include a GROUP BY clause. Add GROUP BY or turn it into the window functions using OVER clauses.', { code: 'MISSING_GROUP_BY' });
    const name = exprSql(x);
    throw new AnalysisException(`[MISSING_AGGREGATION] The non-aggregating expression "${name}" is based on columns which are not participating in the GROUP BY clause.\nAdd the columns or the expression to the GROUP BY, aggregate the expression, or use "any_value(${name})" if you do not care which of the values within a group is returned.`, { code: 'MISSING_AGGREGATION' });
  });
}

class Planner {
  readonly watermarks: WatermarkInfo[] = [];
  /** The next stateful operator's state id. */
  private nextStateId = 0;
  private hidden = 0;
  constructor(private readonly ctx: EvalContext) {}

  plan(p: LogicalPlan): PhysicalOperator {
    switch (p.kind) {
      case 'StreamingRelation': return new ScanExec(p.schema, p.sourceId, `${p.format}[${p.sourceId}]`);
      case 'LocalRelation': return new ScanExec(p.schema, null, '', p.rows);
      case 'Project': {
        // A projection with aggregate functions is a global aggregation (Spark's analyzer does the same).
        if (p.exprs.some((e) => functionRegistry.containsAggregate(e))) return this.aggregate(this.plan(p.child), [], p.exprs);
        return this.project(this.plan(p.child), p.exprs);
      }
      case 'Filter': {
        const child = this.plan(p.child);
        const invalid: Expr[] = [];
        visitExpr(p.condition, (x) => {
          if (x.kind === 'call' && functionRegistry.isAggregate(x.name)) invalid.push(x);
        });
        visitExpr(p.condition, (x) => {
          if (x.kind === 'over') throw new AnalysisException('It is not allowed to use window functions inside WHERE clause.', { code: 'WINDOW_FUNCTION_IN_WHERE' });
        });
        if (invalid.length > 0) {
          throw new AnalysisException(`[INVALID_WHERE_CONDITION] The WHERE condition "${exprSql(p.condition)}" contains invalid expressions: ${invalid.map(exprSql).join(', ')}.\nRewrite the query to avoid window functions, aggregate functions, and generator functions in the WHERE clause.`, { code: 'INVALID_WHERE_CONDITION' });
        }
        const c = castTo(compile(p.condition, child.schema, this.ctx), BOOLEAN);
        return new FilterExec(child.schema, child, { ...c, name: exprSql(p.condition) });
      }
      case 'EventTimeWatermark': return this.watermark(this.plan(p.child), p.column, p.delayMs);
      case 'Aggregate': return this.aggregate(this.plan(p.child), p.groupBy, p.aggregates);
      case 'Union': {
        const children = p.children.map((c) => this.plan(c));
        const first = children[0].schema;
        for (const c of children.slice(1)) {
          if (c.schema.fields.length !== first.fields.length) {
            throw new AnalysisException(`[NUM_COLUMNS_MISMATCH] UNION can only be performed on inputs with the same number of columns, but the first input has ${first.fields.length} columns and the second input has ${c.schema.fields.length} columns.`, { code: 'NUM_COLUMNS_MISMATCH' });
          }
        }
        return new UnionExec(first, children);
      }
      case 'Sort': {
        const child = this.plan(p.child);
        const keys: SortKey[] = p.order.map((o) => {
          const s = o.kind === 'sort' ? o : { kind: 'sort' as const, expr: o, desc: false, nullsFirst: true };
          return { eval: compile(s.expr, child.schema, this.ctx).eval, desc: s.desc, nullsFirst: s.nullsFirst };
        });
        return new SortExec(child.schema, child, keys, p.order.map(exprSql).join(', '));
      }
      case 'Limit': {
        const child = this.plan(p.child);
        return new LimitExec(child.schema, child, p.n, { id: this.nextStateId++, kind: 'limit', hasEventTime: false });
      }
      case 'Deduplicate': return this.deduplicate(this.plan(p.child), p.columns, p.withinWatermark === true);
      case 'Join': return this.join(p);
      case 'ModelTransform': return this.plan(p.expanded);
    }
  }

  private watermark(child: PhysicalOperator, column: string, delayMs: number): PhysicalOperator {
    const fields = child.schema.fields;
    let idx = fields.findIndex((f) => f.name === column);
    if (idx < 0) idx = fields.findIndex((f) => f.name.toLowerCase() === column.toLowerCase());
    if (idx < 0) {
      throw new AnalysisException(`[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name \`${column}\` cannot be resolved. Did you mean one of the following? [${fields.map((f) => `\`${f.name}\``).join(', ')}].`, { code: 'UNRESOLVED_COLUMN' });
    }
    const f = fields[idx];
    if (!isTimestamp(f.dataType)) {
      throw new AnalysisException(`Event time must be defined on a window or a timestamp, but ${f.name} is of type ${f.dataType.simpleString()}`, { code: 'EVENT_TIME_NOT_TIMESTAMP' });
    }
    const id = this.watermarks.length;
    this.watermarks.push({ id, column: f.name, delayMs });
    // A later withWatermark replaces earlier metadata on other columns, as Spark's does.
    const schema = new StructType(fields.map((x, i) => (i === idx
      ? new StructField(x.name, x.dataType, x.nullable, { watermarkDelayMs: delayMs, watermarkId: id })
      : x.metadata.watermarkDelayMs !== undefined ? new StructField(x.name, x.dataType, x.nullable, {}) : x)));
    return new EventTimeWatermarkExec(schema, child, id, idx, delayMs);
  }

  /** Plans `window(time, duration[, slide[, start]])`; returns the child with the struct appended. */
  private windowExpand(child: PhysicalOperator, call: Extract<Expr, { kind: 'call' }>): { op: PhysicalOperator; index: number; type: DataType; metadata: FieldMetadata; tumbling: { windowUs: number; start: (row: Row) => unknown } | null; time: (row: Row) => unknown } {
    if (call.args.length < 2 || call.args.length > 4) {
      throw new AnalysisException(`[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The \`window\` requires [2, 3, 4] parameters but the actual number is ${call.args.length}.`, { code: 'WRONG_NUM_ARGS' });
    }
    const timeC = compile(call.args[0], child.schema, this.ctx);
    let time: (row: Row) => unknown;
    let tType: DataType = TIMESTAMP;
    if (timeC.type.kind === 'struct' && timeC.type.fields.length === 2) {
      // window(window_col, ...) uses window_time(window_col) = end - 1 microsecond.
      const f = timeC.eval;
      time = (row) => {
        const w = f(row) as unknown[] | null;
        return w === null || w[1] === null ? null : (w[1] as number) - 1;
      };
      tType = timeC.type.fields[1].dataType;
    } else if (isTimestamp(timeC.type)) {
      time = timeC.eval;
      tType = timeC.type;
    } else {
      time = castTo(timeC, TIMESTAMP).eval;
    }
    const windowUs = durationMicros(call.args[1], 'windowDuration');
    const slideUs = call.args.length > 2 && !(call.args[2].kind === 'lit' && call.args[2].value === null) ? durationMicros(call.args[2], 'slideDuration') : windowUs;
    const startUs = call.args.length > 3 ? durationMicros(call.args[3], 'startTime') : 0;
    const spec: WindowSpec = validateWindow(windowUs, slideUs, startUs);
    const name = `__window${this.hidden++}`;
    const metadata: FieldMetadata = timeC.metadata.watermarkDelayMs !== undefined ? { watermarkDelayMs: timeC.metadata.watermarkDelayMs, watermarkId: timeC.metadata.watermarkId } : {};
    const type = new StructType(WINDOW_STRUCT_FIELDS(tType));
    const schema = new StructType([...child.schema.fields, new StructField(name, type, true, metadata)]);
    const tumbling = spec.slideUs === spec.windowUs ? {
      windowUs,
      start: (row: Row): unknown => {
        const t = time(row) as number | null;
        if (t === null) return null;
        const remainder = (t - spec.startUs) % spec.slideUs;
        return t - (remainder < 0 ? remainder + spec.slideUs : remainder);
      },
    } : null;
    return { op: new WindowExpandExec(schema, child, time, spec), index: child.schema.fields.length, type, metadata, tumbling, time };
  }

  private expandStars(schema: StructType, exprs: readonly Expr[]): Expr[] {
    const out: Expr[] = [];
    for (const e of exprs) {
      if (e.kind === 'star') out.push(...this.starColumns(schema, e));
      else out.push(this.expandStarArguments(schema, e));
    }
    return out;
  }

  /** The columns a `*` or `qualifier.*` stands for, each named as Spark names it. */
  private starColumns(schema: StructType, e: Extract<Expr, { kind: 'star' }>): Expr[] {
    if (e.qualifier) {
      const r = resolveColumn(schema, e.qualifier);
      if (r.type.kind !== 'struct') throw new AnalysisException(`[CANNOT_RESOLVE_STAR_EXPAND] Cannot resolve \`${e.qualifier}\`.* given input columns ${schema.fieldNames().map((n) => `\`${n}\``).join(', ')}.`, { code: 'CANNOT_RESOLVE_STAR_EXPAND' });
      return r.type.fields.map((f) => ({ kind: 'alias', expr: { kind: 'field', expr: colRef(e.qualifier!), name: f.name }, name: f.name }));
    }
    return schema.fields.filter((f) => !f.name.startsWith('__')).map((f) => colRef(`\`${f.name}\``));
  }

  /**
   * Spark expands a star inside the arguments of a non-aggregate function (`struct(*)`, `array(*)`,
   * `concat(data.*)`), so `to_json(struct(*))` serialises the whole row. `count(*)` keeps its star.
   */
  private expandStarArguments(schema: StructType, e: Expr): Expr {
    return transformExpr(e, (x) => {
      if (x.kind !== 'call' || functionRegistry.isAggregate(x.name) || !x.args.some((a) => a.kind === 'star')) return x;
      return node({ ...x, args: x.args.flatMap((a) => (a.kind === 'star' ? this.starColumns(schema, a) : [a])) });
    });
  }

  /**
   * Plans the window expressions (`… OVER (…)`) of a projection as a Window operator that appends one
   * hidden column each, and returns the projection with those expressions read from their columns.
   */
  private windows(child: PhysicalOperator, exprs: readonly Expr[]): { input: PhysicalOperator; exprs: Expr[] } {
    const found: Extract<Expr, { kind: 'over' }>[] = [];
    const names: string[] = [];
    const rewritten = exprs.map((e) => transformExpr(e, (x) => {
      if (x.kind !== 'over') return x;
      const name = `__over${this.hidden++}`;
      found.push(x);
      names.push(name);
      return colRef(name);
    }));
    if (found.length === 0) return { input: child, exprs: [...exprs] };
    const schema = child.schema;
    const execs: WindowExprExec[] = found.map((o) => this.windowExpr(o, schema));
    const fields = found.map((o, i) => new StructField(names[i], this.windowType(o, schema), true));
    const op = new WindowExec(new StructType([...schema.fields, ...fields]), child, execs, found.map(exprSql).join(', '));
    return { input: op, exprs: rewritten };
  }

  private windowType(o: Extract<Expr, { kind: 'over' }>, schema: StructType): DataType {
    const fn = o.fn as Extract<Expr, { kind: 'call' }>;
    if (fn.name === 'row_number') return INT;
    if (fn.name === 'lag' || fn.name === 'lead') return compile(fn.args[0], schema, this.ctx).type;
    return compileAggregate(fn, schema, this.ctx).type;
  }

  private windowExpr(o: Extract<Expr, { kind: 'over' }>, schema: StructType): WindowExprExec {
    const fn = o.fn;
    const isWindowFn = fn.kind === 'call' && functionRegistry.lookup(fn.name)?.kind === 'window';
    if (fn.kind !== 'call' || (!isWindowFn && !functionRegistry.isAggregate(fn.name))) {
      throw new AnalysisException(`[UNSUPPORTED_EXPR_FOR_WINDOW] Expression "${exprSql(fn)}" not supported within a window function.`, { code: 'UNSUPPORTED_EXPR_FOR_WINDOW' });
    }
    const partitionBy = o.spec.partitionBy.map((e) => compile(e, schema, this.ctx).eval);
    const orderBy: SortKey[] = o.spec.orderBy.map((x) => {
      const s = x.kind === 'sort' ? x : { kind: 'sort' as const, expr: x, desc: false, nullsFirst: true };
      return { eval: compile(s.expr, schema, this.ctx).eval, desc: s.desc, nullsFirst: s.nullsFirst };
    });
    const frame = resolvedFrame(o);
    if (isWindowFn) {
      if (orderBy.length === 0) {
        const shown = fn.name === 'row_number' ? 'row_number()' : `${fn.name}(${fn.args.map(exprSql).join(', ')})`;
        throw new AnalysisException(`Window function ${shown} requires window to be ordered, please add ORDER BY clause. For example SELECT ${shown}(value_expr) OVER (PARTITION BY window_partition ORDER BY window_ordering) from table.`, { code: 'WINDOW_FUNCTION_NOT_ORDERED' });
      }
      if (fn.name === 'row_number') return { partitionBy, orderBy, fn: { kind: 'row_number' } };
      const value = compile(fn.args[0], schema, this.ctx);
      const offsetArg = fn.args[1];
      if (offsetArg && (offsetArg.kind !== 'lit' || typeof offsetArg.value !== 'number' || !Number.isInteger(offsetArg.value))) {
        throw new AnalysisException(`[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] The offset of ${fn.name} must be a constant integer.`, { code: 'DATATYPE_MISMATCH' });
      }
      const fallback = fn.args[2] ? castTo(compile(fn.args[2], schema, this.ctx), value.type).eval : () => null;
      return { partitionBy, orderBy, fn: { kind: 'offset', offset: frame.offset!, value: value.eval, fallback } };
    }
    return { partitionBy, orderBy, fn: { kind: 'aggregate', fn: compileAggregate(fn, schema, this.ctx), frame } };
  }

  project(child: PhysicalOperator, rawExprs: readonly Expr[]): PhysicalOperator {
    const expanded = this.expandStars(child.schema, rawExprs);
    const planned = this.windows(child, expanded);
    let input = planned.input;
    const exprs = planned.exprs;
    const compiled: Compiled[] = [];
    let generator: { index: number; outer: boolean; position: boolean; width: number } | null = null;
    // First pass: windows need the expanded input.
    const windowRefs = new Map<number, { index: number; name: string }>();
    const windowCalls = exprs.filter((e) => {
      const x = stripAlias(e).expr;
      return x.kind === 'call' && (x.name === 'window' || x.name === 'session_window');
    });
    if (windowCalls.length > 1) {
      throw new AnalysisException(`Multiple time/session window expressions would result in a cartesian product of rows, therefore they are currently not supported.`, { code: 'MULTIPLE_TIME_WINDOWS' });
    }
    exprs.forEach((e, i) => {
      const { expr, alias } = stripAlias(e);
      if (expr.kind === 'call' && expr.name === 'window') {
        const w = this.windowExpand(input, expr);
        input = w.op;
        windowRefs.set(i, { index: w.index, name: alias ?? 'window' });
      }
    });
    exprs.forEach((e, i) => {
      const { expr, alias } = stripAlias(e);
      const w = windowRefs.get(i);
      if (w) {
        const f = input.schema.fields[w.index];
        const idx = w.index;
        compiled.push({ type: f.dataType, nullable: true, name: w.name, metadata: f.metadata, eval: (row) => row[idx] });
        return;
      }
      if (expr.kind === 'call' && functionRegistry.lookup(expr.name)?.name === 'json_tuple') {
        compiled.push(...this.jsonTupleColumns(expr, input.schema, e.kind === 'alias' ? (e.names ?? [e.name]) : undefined));
        return;
      }
      const generatorName = expr.kind === 'call' ? GENERATORS.get(expr.name.toLowerCase()) : undefined;
      if (e.kind === 'alias' && e.names && !generatorName) throw multiAlias(e);
      if (expr.kind === 'call' && generatorName) {
        if (generator) throw new AnalysisException(`[UNSUPPORTED_GENERATOR.MULTI_GENERATOR] The generator is not supported: only one generator allowed per SELECT clause but found 2.`, { code: 'UNSUPPORTED_GENERATOR.MULTI_GENERATOR' });
        const c = compile(expr.args[0], input.schema, this.ctx);
        if (c.type.kind !== 'array' && c.type.kind !== 'map') {
          throw new AnalysisException(`[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "${exprSql(expr)}" due to data type mismatch: the first parameter requires the ("ARRAY" or "MAP") type, however "${exprSql(expr.args[0])}" has the type "${c.type.simpleString().toUpperCase()}".`, { code: 'DATATYPE_MISMATCH' });
        }
        // Spark's Generate output: `col` of an array, `key` and `value` of a map, after `pos`.
        const position = generatorName.position;
        const columns: [string, DataType][] = c.type.kind === 'array' ? [['col', c.type.elementType]] : [['key', c.type.keyType], ['value', c.type.valueType]];
        if (position) columns.unshift(['pos', INT]);
        const names = e.kind === 'alias' ? (e.names ?? [e.name]) : undefined;
        if (names && names.length !== columns.length) {
          throw new AnalysisException(`[UDTF_ALIAS_NUMBER_MISMATCH] The number of aliases supplied in the AS clause does not match the number of columns output by the UDTF. Expected ${columns.length} aliases, but got ${names.join(',')}. Please ensure that the number of aliases provided matches the number of columns output by the UDTF.`, { code: 'UDTF_ALIAS_NUMBER_MISMATCH' });
        }
        generator = { index: compiled.length, outer: generatorName.outer, position, width: columns.length };
        columns.forEach(([name, type], k) => compiled.push({ type, nullable: true, name: names?.[k] ?? name, metadata: {}, eval: c.eval }));
        return;
      }
      const nested = nestedGenerator(expr);
      if (nested) {
        throw new AnalysisException(`[UNSUPPORTED_GENERATOR.NESTED_IN_EXPRESSIONS] The generator is not supported: nested in expressions "${exprSql(expr)}".`, { code: 'UNSUPPORTED_GENERATOR.NESTED_IN_EXPRESSIONS' });
      }
      const c = compile(expr, input.schema, this.ctx);
      compiled.push({ ...c, name: alias ?? projectionName(stripAlias(expanded[i]).expr) });
    });
    const schema = new StructType(compiled.map((c) => new StructField(c.name, c.type, c.nullable, c.metadata)));
    return new ProjectExec(schema, input, compiled, generator);
  }

  /**
   * `json_tuple(json, f1, …)` at the top of a select: one string column per field, named `c0`, `c1`, …
   * or by the aliases. It always gives one row per input row, so it is planned as columns (Spark's
   * Generate of exactly one row); the text is read once per row, not once per column.
   */
  private jsonTupleColumns(call: Extract<Expr, { kind: 'call' }>, schema: StructType, aliases: readonly string[] | undefined): Compiled[] {
    if (call.args.length < 2) throw wrongArgs('json_tuple', call.args.length, { atLeast: 2 });
    const args = call.args.map((a) => compile(a, schema, this.ctx));
    if (args.some((a) => a.type !== STRING)) {
      throw new AnalysisException(`[DATATYPE_MISMATCH.NON_STRING_TYPE] Cannot resolve "${exprSql(call)}" due to data type mismatch: all arguments must be strings.`, { code: 'DATATYPE_MISMATCH.NON_STRING_TYPE' });
    }
    const n = args.length - 1;
    if (aliases && aliases.length !== n) {
      throw new AnalysisException(`[UDTF_ALIAS_NUMBER_MISMATCH] The number of aliases supplied in the AS clause does not match the number of columns output by the UDTF. Expected ${n} aliases, but got ${aliases.join(',')}. Please ensure that the number of aliases provided matches the number of columns output by the UDTF.`, { code: 'UDTF_ALIAS_NUMBER_MISMATCH' });
    }
    const text = args[0].eval;
    const fields = args.slice(1).map((a) => a.eval);
    let lastText: string | null = null;
    let lastFields: (string | null)[] = [];
    let last: (string | null)[] = fields.map(() => null);
    const tuple = (row: Row): (string | null)[] => {
      const s = text(row) as string | null;
      const fs = fields.map((f) => f(row) as string | null);
      if (s !== lastText || fs.some((f, k) => f !== lastFields[k])) {
        lastText = s;
        lastFields = fs;
        last = s === null ? fs.map(() => null) : jsonTuple(s, fs);
      }
      return last;
    };
    return Array.from({ length: n }, (_, k) => ({
      type: STRING, nullable: true, name: aliases?.[k] ?? `c${k}`, metadata: {}, eval: (row: Row) => tuple(row)[k],
    }));
  }

  private aggregate(child: PhysicalOperator, groupBy: readonly Expr[], aggregates: readonly Expr[]): PhysicalOperator {
    let input = child;
    const keyFields: StructField[] = [];
    const keyFns: ((row: Row) => unknown)[] = [];
    let session: { time: (row: Row) => unknown; gap: (row: Row, t: number) => number | null; position: number; field: StructField } | null = null;
    let windowCount = 0;
    let compact: CompactWindowKey | null = null;
    let traceWindow: TraceWindowKey | null = null;
    for (const g of groupBy) {
      const { expr, alias } = stripAlias(g);
      if (expr.kind === 'call' && expr.name === 'window') {
        windowCount++;
        const w = this.windowExpand(input, expr);
        // Expand appends its column, so the time function reads the rows of either input.
        traceWindow = { index: keyFields.length, time: w.time };
        if (w.tumbling) {
          // Tumbling windows need no Expand: the key is computed in place, kept as its start.
          compact = { index: keyFields.length, windowUs: w.tumbling.windowUs };
          keyFns.push(w.tumbling.start);
        } else {
          input = w.op;
          const idx = w.index;
          keyFns.push((row) => row[idx]);
        }
        keyFields.push(new StructField(alias ?? 'window', w.type, true, w.metadata));
      } else if (expr.kind === 'call' && expr.name === 'session_window') {
        windowCount++;
        const timeC = compile(expr.args[0], input.schema, this.ctx);
        const time = isTimestamp(timeC.type) ? timeC.eval : castTo(timeC, TIMESTAMP).eval;
        const gapArg = expr.args[1];
        // Spark reads the gap at run time: text that is not an interval gives no session (the row is
        // dropped, as is a gap <= 0), and months are calendar months from the row's time.
        let gap: (row: Row, t: number) => number | null;
        if (gapArg?.kind === 'lit' && typeof gapArg.value === 'string') {
          const iv = gapInterval(gapArg.value);
          gap = iv === null ? () => null : iv.months === 0 ? () => iv.micros : (_row, t) => addInterval(t, iv) - t;
        } else {
          const gc = compile(gapArg, input.schema, this.ctx).eval;
          gap = (row, t) => {
            const v = gc(row);
            if (v === null) return null;
            if (typeof v !== 'string') return v as number;
            const iv = gapInterval(v);
            return iv === null ? null : addInterval(t, iv) - t;
          };
        }
        const tType = isTimestamp(timeC.type) ? timeC.type : TIMESTAMP;
        const metadata = timeC.metadata.watermarkDelayMs !== undefined ? timeC.metadata : {};
        session = { time, gap, position: keyFields.length, field: new StructField(alias ?? 'session_window', new StructType(WINDOW_STRUCT_FIELDS(tType)), true, metadata) };
        keyFields.push(session.field);
      } else {
        const c = compile(expr, input.schema, this.ctx);
        keyFns.push(c.eval);
        keyFields.push(new StructField(alias ?? exprName(expr), c.type, c.nullable, c.metadata));
      }
    }
    if (windowCount > 1) {
      throw new AnalysisException(`Multiple time/session window expressions would result in a cartesian product of rows, therefore they are currently not supported.`, { code: 'MULTIPLE_TIME_WINDOWS' });
    }
    // Lift aggregate calls into slots over [keys..., slots...].
    const aggFns: AggregateFn[] = [];
    const slotFields: StructField[] = [];
    const outExprs = aggregates.map((a) => {
      const { expr, alias } = stripAlias(a);
      const lifted = transformExpr(expr, (x) => {
        if (x.kind === 'call' && functionRegistry.isAggregate(x.name)) {
          const fn = compileAggregate(x, input.schema, this.ctx);
          const slot = `__agg${aggFns.length}`;
          aggFns.push(fn);
          slotFields.push(new StructField(slot, fn.type));
          return colRef(slot);
        }
        return x;
      });
      return { lifted, name: alias ?? exprName(expr) };
    });
    const keyTypes = new StructType(keyFields);
    const inter = new StructType([...keyFields.map((f, i) => new StructField(f.name || `__key${i}`, f.dataType, f.nullable, f.metadata)), ...slotFields]);
    for (const o of outExprs) checkAggregated(o.lifted, inter, input.schema, groupBy.length === 0);
    const resultCompiled = outExprs.map((o) => ({ ...compile(o.lifted, inter, this.ctx), name: o.name }));
    const nk = keyFields.length;
    const rfs = resultCompiled.map((c) => c.eval);
    const resultFn = (r: Row): Row => {
      const out = r.slice(0, nk);
      for (const f of rfs) out.push(f(r));
      return out;
    };
    const schema = new StructType([...keyFields, ...resultCompiled.map((c) => new StructField(c.name, c.type, c.nullable, c.metadata))]);
    const timeIdx = input.schema.fields.findIndex((f) => f.metadata.watermarkDelayMs !== undefined);
    const id = this.nextStateId++;
    if (session) {
      const s = session;
      const otherTypes = new StructType(keyFields.filter((_, i) => i !== s.position));
      const state = { id, kind: 'session', hasEventTime: s.field.metadata.watermarkDelayMs !== undefined } as const;
      return new SessionAggregateExec(schema, input, keyFns, otherTypes, s.position, s.time, s.gap, aggFns, resultFn, state);
    }
    const etIdx = keyFields.findIndex((f) => f.metadata.watermarkDelayMs !== undefined);
    const eventTime: EventTimeKey | null = etIdx < 0 ? null : { index: etIdx, isWindow: keyFields[etIdx].dataType.kind === 'struct' };
    const state = { id, kind: 'aggregate', hasEventTime: eventTime !== null } as const;
    return new AggregateExec(schema, input, keyFns, keyTypes, aggFns, resultFn, state, eventTime, timeIdx, compact, traceWindow);
  }

  private deduplicate(child: PhysicalOperator, columns: readonly string[] | null, withinWatermark: boolean): PhysicalOperator {
    const names = columns ?? child.schema.fieldNames();
    const idx = names.map((n) => resolveColumn(child.schema, n).index);
    const et = idx.findIndex((i) => child.schema.fields[i].metadata.watermarkDelayMs !== undefined);
    // Rows are checked against the watermark by the input's event-time column, in the key or not.
    const timeIndex = child.schema.fields.findIndex((f) => f.metadata.watermarkDelayMs !== undefined);
    const delayUs = timeIndex >= 0 ? child.schema.fields[timeIndex].metadata.watermarkDelayMs! * 1000 : 0;
    // Any watermark below makes the operator ask for no-data batches (Spark's shouldRunAnotherBatch).
    const state = { id: this.nextStateId++, kind: 'dedupe', hasEventTime: et >= 0 || timeIndex >= 0 } as const;
    return new DeduplicateExec(child.schema, child, idx, state, et, timeIndex, withinWatermark ? delayUs : null);
  }

  private join(p: Extract<LogicalPlan, { kind: 'Join' }>): PhysicalOperator {
    const left = this.plan(p.left);
    const right = this.plan(p.right);
    const ls = left.schema;
    const rs = right.schema;
    if (Array.isArray(p.on)) {
      const names = p.on as readonly string[];
      const li = names.map((n) => resolveColumn(ls, n).index);
      const ri = names.map((n) => resolveColumn(rs, n).index);
      const lRest = ls.fields.map((_, i) => i).filter((i) => !li.includes(i));
      const rRest = rs.fields.map((_, i) => i).filter((i) => !ri.includes(i));
      const semi = p.how === 'left_semi' || p.how === 'left_anti';
      const schema = semi ? ls : new StructType([...li.map((i) => ls.fields[i]), ...lRest.map((i) => ls.fields[i]), ...rRest.map((i) => rs.fields[i])]);
      const combine = (l: Row | null, r: Row | null): Row => [
        ...li.map((i, k) => (l ? l[i] : r![ri[k]])),
        ...lRest.map((i) => (l ? l[i] : null)),
        ...rRest.map((i) => (r ? r[i] : null)),
      ];
      return new HashJoinExec(schema, left, right, li.map((i) => (row: Row) => row[i]), ri.map((i) => (row: Row) => row[i]), null, p.how, combine);
    }
    const both = new StructType([...ls.fields, ...rs.fields]);
    const residual = p.on ? castTo(compile(p.on as Expr, both, this.ctx), BOOLEAN).eval : null;
    const nl = ls.fields.length;
    const nr = rs.fields.length;
    const semi = p.how === 'left_semi' || p.how === 'left_anti';
    const combine = (l: Row | null, r: Row | null): Row => [...(l ?? new Array(nl).fill(null)), ...(r ?? new Array(nr).fill(null))];
    return new HashJoinExec(semi ? ls : both, left, right, [], [], residual, p.how, combine);
  }
}
