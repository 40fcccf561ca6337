/**
 * PySpark's DataFrame over a logical plan. Every method returns a new DataFrame; the plan is
 * analysed eagerly so a wrong column name fails where the learner wrote it, as in Spark.
 */
import type { Row } from '../expressions/compile.js';
import { AnalysisException, IllegalArgumentException } from '../errors.js';
import { exprName, exprSql } from '../expressions/expr-names.js';
import { colRef, node, type Expr } from '../expressions/expr.js';
import { functionRegistry } from '../functions/registry.js';
import type { JoinType } from '../physical/join.js';
import { explainTree, type BatchContext } from '../physical/operator.js';
import { isStreamingPlan, planNode, type LogicalPlan } from '../plans/plan.js';
import { planPhysical, planSchema } from '../plans/planner.js';
import { toRowObject, type RowObject } from '../rows.js';
import { showString } from '../show.js';
import { parseNamedExpression, parseBareExpression, parseSortList } from '../plans/sql-parser.js';
import { StateStore } from '../state/state-store.js';
import { delayMillis } from '../time.js';
import { withEvalScope, type Zone } from '../time-zone.js';
import { TraceCollector } from '../execution/trace.js';
import type { StructType } from '../types.js';
import { Column, columnExpr, type ColumnOrName } from './column.js';
import { GroupedData } from './grouped-data.js';
import type { SparkSession } from './session.js';
import { DataStreamWriter } from './stream-writer.js';
import { DataFrameWriter } from './writer.js';

/** A distributed collection of rows with named columns (here: an in-process plan). */
export class DataFrame {
  /** The logical plan (frozen plain data). */
  readonly plan: LogicalPlan;
  /** The session that created it. */
  readonly sparkSession: SparkSession;
  private readonly _schema: StructType;

  constructor(session: SparkSession, plan: LogicalPlan) {
    this.sparkSession = session;
    this.plan = plan;
    this._schema = planSchema(plan);
  }

  /** The schema (PySpark `df.schema`). */
  get schema(): StructType {
    return this._schema;
  }

  /** Column names in order. */
  get columns(): string[] {
    return this._schema.fieldNames();
  }

  /** `[name, simpleString type]` pairs. */
  get dtypes(): [string, string][] {
    return this._schema.fields.map((f) => [f.name, f.dataType.simpleString()]);
  }

  /** Whether the DataFrame reads a streaming source. */
  get isStreaming(): boolean {
    return isStreamingPlan(this.plan);
  }

  private with(plan: LogicalPlan): DataFrame {
    return new DataFrame(this.sparkSession, plan);
  }

  /** A column of this DataFrame (PySpark `df["name"]` / `df.name`). */
  col(name: string): Column {
    return new Column(colRef(name));
  }

  /**
   * A projection; with aggregate functions in it, a global aggregation (one row for all input), as
   * Spark's analyzer turns `select(max(x))` into an Aggregate without grouping.
   */
  private project(exprs: readonly Expr[]): DataFrame {
    if (exprs.some((e) => functionRegistry.containsAggregate(e))) {
      return this.with(planNode({ kind: 'Aggregate', child: this.plan, groupBy: [], aggregates: exprs }));
    }
    return this.with(planNode({ kind: 'Project', child: this.plan, exprs }));
  }

  select(...cols: (ColumnOrName | ColumnOrName[])[]): DataFrame {
    const list = cols.flat() as ColumnOrName[];
    return this.project(list.map(columnExpr));
  }

  /** Parses SQL text in this DataFrame's session time zone (`TIMESTAMP '…'` literals read it). */
  private parsing<T>(parse: () => T): T {
    return withEvalScope(this.sparkSession.timeZone, null, parse);
  }

  selectExpr(...exprs: (string | string[])[]): DataFrame {
    return this.project(this.parsing(() => (exprs.flat() as string[]).map((e) => this.sparkSession.udf.resolve(parseNamedExpression(e)))));
  }

  /** Adds or replaces a column. */
  withColumn(name: string, col: Column): DataFrame {
    const fields = this.columns;
    const idx = fields.findIndex((f) => f.toLowerCase() === name.toLowerCase());
    const aliased: Expr = node({ kind: 'alias', expr: col.expr, name });
    const exprs: Expr[] = fields.map((f) => colRef(`\`${f}\``));
    if (idx >= 0) exprs[idx] = aliased;
    else exprs.push(aliased);
    return this.project(exprs);
  }

  /** Adds or replaces several columns (`withColumns({name: column})`). */
  withColumns(cols: Record<string, Column>): DataFrame {
    return Object.entries(cols).reduce<DataFrame>((df, [name, c]) => df.withColumn(name, c), this);
  }

  /** Renames every column, in order (`toDF("a", "b")`). */
  toDF(...names: string[]): DataFrame {
    if (names.length !== this.columns.length) {
      throw new AnalysisException(`[LENGTH_MISMATCH] The number of columns doesn't match. Old column names (${this.columns.length}): ${this.columns.join(', ')}. New column names (${names.length}): ${names.join(', ')}.`, { code: 'LENGTH_MISMATCH' });
    }
    return this.with(planNode({ kind: 'Project', child: this.plan, exprs: this.columns.map((c, i) => node({ kind: 'alias', expr: colRef(`\`${c}\``), name: names[i] })) }));
  }

  /** Drops rows with NULLs: `how` `any` (default) or `all`, optionally over a subset of columns. */
  dropna(how: 'any' | 'all' = 'any', subset?: string[]): DataFrame {
    const cols = subset ?? this.columns;
    if (cols.length === 0) return this;
    const tests = cols.map((c) => new Column(node({ kind: 'isnull', expr: colRef(`\`${c}\``), negated: true })));
    const cond = tests.reduce((a, b) => (how === 'all' ? a.or(b) : a.and(b)));
    return this.filter(cond);
  }

  /** Replaces NULLs with `value` in the (type-compatible) columns, or the given subset. */
  fillna(value: string | number | boolean, subset?: string[]): DataFrame {
    const wanted = (subset ?? this.columns).map((c) => c.toLowerCase());
    const kind = typeof value;
    const exprs: Expr[] = this._schema.fields.map((f) => {
      const ref = colRef(`\`${f.name}\``);
      const t = f.dataType.kind === 'atomic' ? f.dataType.name : f.dataType.kind;
      const fits = kind === 'number' ? ['tinyint', 'smallint', 'int', 'bigint', 'float', 'double', 'decimal'].includes(t) : kind === 'string' ? t === 'string' : t === 'boolean';
      if (!fits || !wanted.includes(f.name.toLowerCase())) return ref;
      return node({ kind: 'alias', expr: node({ kind: 'call', name: 'coalesce', args: [ref, node({ kind: 'cast', expr: node({ kind: 'lit', value }), to: f.dataType })] }), name: f.name });
    });
    return this.with(planNode({ kind: 'Project', child: this.plan, exprs }));
  }

  withColumnRenamed(existing: string, newName: string): DataFrame {
    const exprs: Expr[] = this.columns.map((f) => (f.toLowerCase() === existing.toLowerCase()
      ? node({ kind: 'alias', expr: colRef(`\`${f}\``), name: newName })
      : colRef(`\`${f}\``)));
    return this.with(planNode({ kind: 'Project', child: this.plan, exprs }));
  }

  drop(...cols: ColumnOrName[]): DataFrame {
    const names = cols.map((c) => (typeof c === 'string' ? c : exprName(c.expr)).toLowerCase());
    const keep = this.columns.filter((f) => !names.includes(f.toLowerCase()));
    return this.with(planNode({ kind: 'Project', child: this.plan, exprs: keep.map((f) => colRef(`\`${f}\``)) }));
  }

  filter(condition: Column | string): DataFrame {
    const e = typeof condition === 'string' ? this.sparkSession.udf.resolve(this.parsing(() => parseBareExpression(condition))) : condition.expr;
    return this.with(planNode({ kind: 'Filter', child: this.plan, condition: e }));
  }

  where(condition: Column | string): DataFrame {
    return this.filter(condition);
  }

  /** Defines the event-time watermark: `withWatermark("eventTime", "10 minutes")`. */
  withWatermark(eventTime: string, delayThreshold: string): DataFrame {
    const delayMs = delayMillis(delayThreshold);
    if (delayMs < 0) throw new IllegalArgumentException(`requirement failed: delay threshold (${delayThreshold}) should not be negative.`, { code: 'INVALID_WATERMARK_DELAY' });
    if (!this.isStreaming) return this;
    return this.with(planNode({ kind: 'EventTimeWatermark', child: this.plan, column: eventTime, delayMs, delay: delayThreshold }));
  }

  groupBy(...cols: (ColumnOrName | ColumnOrName[])[]): GroupedData {
    return new GroupedData(this, (cols.flat() as ColumnOrName[]).map(columnExpr));
  }

  /** Alias of `groupBy`. */
  groupby(...cols: (ColumnOrName | ColumnOrName[])[]): GroupedData {
    return this.groupBy(...cols);
  }

  /** Global aggregation (`df.agg(F.count("*"))`). */
  agg(...exprs: Column[]): DataFrame {
    return this.groupBy().agg(...exprs);
  }

  /** Drops duplicate rows, over all columns or the given ones (state kept on streams). */
  dropDuplicates(subset?: string[]): DataFrame {
    return this.with(planNode({ kind: 'Deduplicate', child: this.plan, columns: subset ?? null }));
  }

  /**
   * Drops rows whose columns (all, or the given ones) repeat a row seen within the watermark delay:
   * on a stream each key is kept until the watermark passes its first event time plus the delay
   * (a watermark is required); on a static DataFrame it is `dropDuplicates`.
   */
  dropDuplicatesWithinWatermark(subset?: string[]): DataFrame {
    if (!this.isStreaming) return this.dropDuplicates(subset);
    return this.with(planNode({ kind: 'Deduplicate', child: this.plan, columns: subset ?? null, withinWatermark: true }));
  }

  drop_duplicates(subset?: string[]): DataFrame {
    return this.dropDuplicates(subset);
  }

  distinct(): DataFrame {
    return this.dropDuplicates();
  }

  union(other: DataFrame): DataFrame {
    return this.with(planNode({ kind: 'Union', children: [this.plan, other.plan] }));
  }

  unionAll(other: DataFrame): DataFrame {
    return this.union(other);
  }

  /** Union resolving columns by name. */
  unionByName(other: DataFrame): DataFrame {
    const reordered = other.select(...this.columns.map((c) => new Column(colRef(`\`${c}\``))));
    return this.union(reordered);
  }

  orderBy(...cols: (ColumnOrName | ColumnOrName[])[]): DataFrame {
    const order = (cols.flat() as ColumnOrName[]).flatMap((c) => (typeof c === 'string' ? this.parsing(() => parseSortList(c)).map((e) => this.sparkSession.udf.resolve(e)) : [c.expr]));
    return this.with(planNode({ kind: 'Sort', child: this.plan, order }));
  }

  sort(...cols: (ColumnOrName | ColumnOrName[])[]): DataFrame {
    return this.orderBy(...cols);
  }

  limit(n: number): DataFrame {
    return this.with(planNode({ kind: 'Limit', child: this.plan, n }));
  }

  /**
   * Joins with another DataFrame: `on` is a column name, a list of names (using-join) or a Column
   * condition. A stream may be joined with a static DataFrame.
   */
  join(other: DataFrame, on?: string | string[] | Column, how: string = 'inner'): DataFrame {
    const kinds: Record<string, JoinType> = {
      inner: 'inner', cross: 'cross', left: 'left', leftouter: 'left', left_outer: 'left', right: 'right', rightouter: 'right', right_outer: 'right',
      outer: 'full', full: 'full', fullouter: 'full', full_outer: 'full',
      semi: 'left_semi', leftsemi: 'left_semi', left_semi: 'left_semi', anti: 'left_anti', leftanti: 'left_anti', left_anti: 'left_anti',
    };
    const j = kinds[how.toLowerCase()];
    if (!j) throw new AnalysisException(`[UNSUPPORTED_JOIN_TYPE] Unsupported join type '${how}'. Supported join types include: 'inner', 'outer', 'full', 'fullouter', 'full_outer', 'leftouter', 'left', 'left_outer', 'rightouter', 'right', 'right_outer', 'leftsemi', 'left_semi', 'semi', 'leftanti', 'left_anti', 'anti', 'cross'.`, { code: 'UNSUPPORTED_JOIN_TYPE' });
    const cond = on === undefined ? null : typeof on === 'string' ? [on] : Array.isArray(on) ? on : on.expr;
    return this.with(planNode({ kind: 'Join', left: this.plan, right: other.plan, on: cond, how: j }));
  }

  /** The schema tree (returned and printed through the session's output function). */
  printSchema(): string {
    const s = this._schema.treeString();
    this.sparkSession.output(`${s}\n`);
    return s;
  }

  /** Logical and physical plan text (printed and returned). */
  explain(extended = false): string {
    const physical = planPhysical(this.plan, { batchTimestampMs: 0, timeZone: this.sparkSession.timeZone });
    let text = `== Physical Plan ==\n${explainTree(physical.root)}\n`;
    if (extended) text = `== Analyzed Logical Plan ==\n${explainLogical(this.plan)}\n\n${text}`;
    this.sparkSession.output(`${text}\n`);
    return text;
  }

  /** The writer for a streaming DataFrame (`writeStream.format(...).start()`). */
  get writeStream(): DataStreamWriter {
    if (!this.isStreaming) {
      throw new AnalysisException("'writeStream' can be called only on streaming Dataset/DataFrame", { code: 'WRITE_STREAM_NOT_ALLOWED' });
    }
    return new DataStreamWriter(this);
  }

  private assertStatic(what: string): void {
    if (this.isStreaming) {
      throw new AnalysisException(`Queries with streaming sources must be executed with writeStream.start(); (${what})`, { code: 'STREAMING_QUERY_NOT_STARTED' });
    }
  }

  /** Evaluates a static DataFrame to engine rows. */
  collectInternal(): Row[] {
    this.assertStatic('collect');
    return executeStatic(this.plan, this.sparkSession.clock.now(), this.sparkSession.timeZone);
  }

  /** All rows as objects (`Date` for timestamps). */
  collect(): RowObject[] {
    const schema = this.schema;
    return this.collectInternal().map((r) => toRowObject(r, schema));
  }

  count(): number {
    return this.collectInternal().length;
  }

  first(): RowObject | null {
    return this.collect()[0] ?? null;
  }

  head(n = 1): RowObject[] {
    return this.limit(n).collect();
  }

  take(n: number): RowObject[] {
    return this.head(n);
  }

  /** Prints the first rows as Spark's `show()` does (through the session output) and returns the text. */
  show(n = 20, truncate: boolean | number = true): string {
    const rows = this.collectInternal();
    const text = showString(this.schema, rows, n, truncate, this.sparkSession.timeZone);
    this.sparkSession.output(text);
    return text;
  }

  /** The writer for a static DataFrame (`df.write.format("jdbc")...save()`; inside foreachBatch too). */
  get write(): DataFrameWriter {
    this.assertStatic('write');
    return new DataFrameWriter(this);
  }

  /** No-op kept for PySpark parity: data is already in memory. */
  persist(): DataFrame {
    return this;
  }

  /** No-op kept for PySpark parity. */
  cache(): DataFrame {
    return this;
  }

  /** No-op kept for PySpark parity. */
  unpersist(): DataFrame {
    return this;
  }

  /** Registers the DataFrame as a temporary view usable by `spark.table(name)`. */
  createOrReplaceTempView(name: string): void {
    this.sparkSession.registerView(name, this);
  }

  toString(): string {
    return `DataFrame[${this._schema.fields.map((f) => `${f.name}: ${f.dataType.simpleString()}`).join(', ')}]`;
  }
}

/** Runs a static plan once (no state kept). */
export function executeStatic(plan: LogicalPlan, nowMs: number, timeZone?: Zone): Row[] {
  const evalCtx = { batchTimestampMs: nowMs, timeZone };
  const physical = planPhysical(plan, evalCtx);
  const ctx: BatchContext = {
    batchId: 0,
    inputs: new Map(),
    eval: evalCtx,
    execution: 'batch',
    outputMode: 'complete',
    evictionWatermarkMs: 0,
    lateWatermarkMs: 0,
    hasWatermark: false,
    eventTimeStats: new Map(),
    stateStore: <V>() => new StateStore<V>(),
    stateMetrics: new Map(),
    trace: new TraceCollector(),
  };
  return physical.root.execute(ctx);
}

/** A compact logical plan rendering for `explain(true)`. */
export function explainLogical(p: LogicalPlan, indent = 0): string {
  const pad = indent === 0 ? '' : `${'   '.repeat(indent - 1)}+- `;
  let line: string;
  let kids: LogicalPlan[] = [];
  switch (p.kind) {
    case 'StreamingRelation': line = `StreamingRelation ${p.format}, [${p.schema.fieldNames().join(', ')}]`; break;
    case 'LocalRelation': line = `LocalRelation [${p.schema.fieldNames().join(', ')}]`; break;
    case 'Project': line = `Project [${p.exprs.map(exprSql).join(', ')}]`; kids = [p.child]; break;
    case 'Filter': line = `Filter ${exprSql(p.condition)}`; kids = [p.child]; break;
    case 'EventTimeWatermark': line = `EventTimeWatermark ${p.column}, ${p.delay}`; kids = [p.child]; break;
    case 'Aggregate': line = `Aggregate [${p.groupBy.map(exprSql).join(', ')}], [${p.aggregates.map(exprSql).join(', ')}]`; kids = [p.child]; break;
    case 'Union': line = 'Union'; kids = [...p.children]; break;
    case 'Sort': line = `Sort [${p.order.map(exprSql).join(', ')}]`; kids = [p.child]; break;
    case 'Limit': line = `GlobalLimit ${p.n}`; kids = [p.child]; break;
    case 'Deduplicate': line = `Deduplicate [${(p.columns ?? ['*']).join(', ')}]`; kids = [p.child]; break;
    case 'Join': line = `Join ${p.how}`; kids = [p.left, p.right]; break;
    case 'ModelTransform': line = `ModelTransform ${p.model.className} [${planSchema(p.expanded).fieldNames().join(', ')}]`; kids = [p.child]; break;
  }
  return [`${pad}${line}`, ...kids.map((k) => explainLogical(k, indent + 1))].join('\n');
}
