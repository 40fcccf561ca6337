/**
 * `spark.sql(...)`: a parsed query (`plans/sql-query.ts`) turned into the logical plan the DataFrame
 * API builds for the same query — `where` → Filter, `GROUP BY` → Aggregate, `JOIN` → Join,
 * `ORDER BY` → Sort — so a query over a streaming view is a streaming DataFrame with the same
 * watermarks, output modes, explain and PySpark export.
 *
 * Columns of a FROM clause are known by their relation's name or alias (`o.id`). The engine's rows
 * carry no qualifiers, so a qualified name is read as the bare column; when the right side of a join
 * has a column of a name the left side has too, its copy is renamed `alias.name` before the join (and
 * named back in `SELECT *`), so `a.id` and `b.id` stay apart as Spark keeps them apart.
 */
import { AnalysisException } from '../errors.js';
import { exprName } from '../expressions/expr-names.js';
import { colRef, mapChildren, node, transformExpr, type Expr } from '../expressions/expr.js';
import { functionRegistry } from '../functions/registry.js';
import { planNode } from '../plans/plan.js';
import { parseStatement, type SqlBody, type SqlQuery, type SqlRelation, type SqlSelect } from '../plans/sql-query.js';
import { StructType } from '../types.js';
import { Column } from './column.js';
import { DataFrame } from './dataframe.js';
import type { SparkSession } from './session.js';

/** A column of the FROM clause: its relation's names, its own name and its field in the plan. */
interface ScopeColumn {
  readonly quals: readonly string[];
  readonly name: string;
  readonly field: string;
}

interface Scope {
  readonly df: DataFrame;
  readonly cols: readonly ScopeColumn[];
}

type Ctes = ReadonlyMap<string, DataFrame>;

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const quote = (name: string) => `\`${name}\``;
const key = (e: Expr) => JSON.stringify(e, (_k, v: unknown) => (typeof v === 'function' ? String(v) : v));

function stripAlias(e: Expr): Expr {
  return e.kind === 'alias' ? e.expr : e;
}

function isLiteralInt(e: Expr): e is Extract<Expr, { kind: 'lit' }> {
  return e.kind === 'lit' && typeof e.value === 'number' && Number.isInteger(e.value);
}

/** The temporary views a statement reads and creates. */
export interface SqlViews {
  lookup(name: string): DataFrame | undefined;
  /** Whether a temporary view of that name exists (not a memory-sink table). */
  exists(name: string): boolean;
  register(name: string, df: DataFrame): void;
}

/** Runs a statement's text against the session's temporary views. */
export function runSql(session: SparkSession, text: string, views: SqlViews): DataFrame {
  const statement = parseStatement(text);
  const builder = new SqlBuilder(session, (name) => views.lookup(name));
  if (statement.kind === 'query') return builder.query(statement.query, new Map());
  if (!statement.replace && views.exists(statement.name)) {
    throw new AnalysisException(`[TEMP_TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create the temporary view \`${statement.name}\` because it already exists.\nChoose a different name, drop or replace the existing view,  or add the IF NOT EXISTS clause to tolerate pre-existing views.`, { code: 'TEMP_TABLE_OR_VIEW_ALREADY_EXISTS' });
  }
  views.register(statement.name, builder.query(statement.query, new Map()));
  return new DataFrame(session, planNode({ kind: 'LocalRelation', rows: [], schema: new StructType([]) }));
}

class SqlBuilder {
  constructor(private readonly session: SparkSession, private readonly lookup: (name: string) => DataFrame | undefined) {}

  query(q: SqlQuery, outer: Ctes): DataFrame {
    const ctes = new Map(outer);
    for (const c of q.ctes) ctes.set(c.name.toLowerCase(), this.query(c.query, ctes));
    let df: DataFrame;
    if (q.body.kind === 'select') df = this.select(q.body, ctes, q.orderBy);
    else {
      df = this.body(q.body, ctes);
      if (q.orderBy.length > 0) df = this.sortOutput(df, q.orderBy, []);
    }
    return q.limit === undefined ? df : df.limit(q.limit);
  }

  private body(b: SqlBody, ctes: Ctes): DataFrame {
    switch (b.kind) {
      case 'select': return this.select(b, ctes, []);
      case 'query': return this.query(b.query, ctes);
      case 'union': {
        const u = this.body(b.left, ctes).union(this.body(b.right, ctes));
        return b.all ? u : u.distinct();
      }
    }
  }

  // ---- FROM ----

  private relation(r: SqlRelation, ctes: Ctes): Scope {
    switch (r.kind) {
      case 'table': {
        const df = ctes.get(r.name.toLowerCase()) ?? this.lookup(r.name);
        const format = /^(json|csv|text|parquet|orc|avro)\.(.+)$/i.exec(r.name);
        if (!df && format) {
          throw new AnalysisException(
            `[UNSUPPORTED_FEATURE] Querying files by path (${format[1]}.\`${format[2]}\`) is not supported by Streamlab's spark.sql: read them with spark.read.${format[1].toLowerCase()}(path) and register the DataFrame with createOrReplaceTempView.; line 1 pos ${r.pos}`,
            { code: 'UNSUPPORTED_FEATURE' },
          );
        }
        if (!df) {
          throw new AnalysisException(
            `[TABLE_OR_VIEW_NOT_FOUND] The table or view \`${r.name}\` cannot be found. Verify the spelling and correctness of the schema and catalog.\nIf you did not qualify the name with a schema, verify the current_schema() output, or qualify the name with the correct schema and catalog.\nTo tolerate the error on drop use DROP VIEW IF EXISTS or DROP TABLE IF EXISTS.; line 1 pos ${r.pos}`,
            { code: 'TABLE_OR_VIEW_NOT_FOUND' },
          );
        }
        const qual = r.alias ?? r.name.split('.').pop()!;
        return { df, cols: df.columns.map((c) => ({ quals: [qual], name: c, field: c })) };
      }
      case 'subquery': {
        const df = this.query(r.query, ctes);
        return { df, cols: df.columns.map((c) => ({ quals: r.alias ? [r.alias] : [], name: c, field: c })) };
      }
      case 'join': return this.join(r, ctes);
    }
  }

  private join(r: Extract<SqlRelation, { kind: 'join' }>, ctes: Ctes): Scope {
    const left = this.relation(r.left, ctes);
    let right = this.relation(r.right, ctes);
    const semi = r.how === 'left_semi' || r.how === 'left_anti';
    const using = r.using ?? [];
    for (const u of using) {
      if (!left.cols.some((c) => same(c.name, u)) || !right.cols.some((c) => same(c.name, u))) {
        const side = left.cols.some((c) => same(c.name, u)) ? 'right' : 'left';
        const cols = (side === 'left' ? left : right).cols.map((c) => quote(c.name)).join(', ');
        throw new AnalysisException(`[UNRESOLVED_USING_COLUMN_FOR_JOIN] USING column \`${u}\` cannot be resolved on the ${side} side of the join. The ${side}-side columns: [${cols}].`, { code: 'UNRESOLVED_USING_COLUMN_FOR_JOIN' });
      }
    }
    // A right-side column the left side also has (other than USING keys) is renamed by its relation's name.
    const isKey = (c: ScopeColumn) => using.some((u) => same(u, c.name));
    const l = left;
    right = this.rename(right, (c) => !isKey(c) && l.cols.some((o) => !isKey(o) && same(o.name, c.name)));
    if (using.length > 0) {
      const keys = using.map((u) => left.cols.find((c) => same(c.name, u))!);
      const df = left.df.join(right.df, keys.map((k) => k.field), r.how);
      if (semi) return { df, cols: left.cols };
      const rightKeys = using.map((u) => right.cols.find((c) => same(c.name, u))!);
      const cols: ScopeColumn[] = [
        ...keys.map((k, i) => ({ ...k, quals: [...k.quals, ...rightKeys[i].quals] })),
        ...left.cols.filter((c) => !keys.includes(c)),
        ...right.cols.filter((c) => !rightKeys.includes(c)),
      ];
      return { df, cols };
    }
    const both: Scope = { df: left.df, cols: [...left.cols, ...right.cols] };
    const on = r.on ? new Column(this.udfs(this.resolve(r.on, both))) : undefined;
    const df = left.df.join(right.df, on, r.how);
    return { df, cols: semi ? left.cols : both.cols };
  }

  /** The scope with the columns `which` picks renamed `qualifier.name`, by a projection. */
  private rename(s: Scope, which: (c: ScopeColumn) => boolean): Scope {
    if (!s.cols.some(which)) return s;
    const cols = s.cols.map((c) => (which(c) ? { ...c, field: `${c.quals[0] ?? '_right'}.${c.name}` } : c));
    const exprs = cols.map((c, i) => (c.field === s.cols[i].field ? colRef(quote(c.field)) : node({ kind: 'alias', expr: colRef(quote(s.cols[i].field)), name: c.field })));
    return { df: s.df.select(...exprs.map((e) => new Column(e))), cols };
  }

  /** An expression with its column names read in the FROM clause's scope. */
  private resolve(e: Expr, s: Scope): Expr {
    return transformExpr(e, (x) => (x.kind === 'col' ? this.column(x.name, s) ?? x : x));
  }

  /** A reference to the scope's column `name` (maybe qualified, maybe into a struct), or undefined. */
  private column(name: string, s: Scope): Expr | undefined {
    if (name.startsWith('`')) return undefined;
    const parts = name.split('.');
    if (parts.length >= 2) {
      const qualified = s.cols.filter((c) => c.quals.some((q) => same(q, parts[0])));
      if (qualified.length > 0 && !s.cols.some((c) => same(c.name, parts[0]))) {
        const hit = qualified.find((c) => same(c.name, parts[1]));
        if (!hit) {
          const names = qualified.map((c) => `${quote(parts[0])}.${quote(c.name)}`).join(', ');
          throw new AnalysisException(`[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name ${parts.slice(0, 2).map(quote).join('.')} cannot be resolved. Did you mean one of the following? [${names}].`, { code: 'UNRESOLVED_COLUMN' });
        }
        return this.ref(hit, parts.slice(2));
      }
    }
    const hits = s.cols.filter((c) => same(c.name, parts[0]));
    if (hits.length > 1 && new Set(hits.map((h) => h.field)).size > 1) {
      const could = hits.map((h) => (h.quals[0] ? `${quote(h.quals[0])}.${quote(h.name)}` : quote(h.name))).join(', ');
      throw new AnalysisException(`[AMBIGUOUS_REFERENCE] Reference ${quote(parts[0])} is ambiguous, could be: [${could}].`, { code: 'AMBIGUOUS_REFERENCE' });
    }
    return hits.length > 0 ? this.ref(hits[0], parts.slice(1)) : undefined;
  }

  private ref(c: ScopeColumn, path: readonly string[]): Expr {
    if (c.field === c.name) return colRef([c.name, ...path].join('.'));
    return path.reduce<Expr>((e, p) => node({ kind: 'field', expr: e, name: p }), colRef(quote(c.field)));
  }

  /** Calls of functions registered with `spark.udf.register` made calls of those functions. */
  private udfs(e: Expr): Expr {
    return this.session.udf.resolve(e);
  }

  // ---- SELECT ----

  /** The select list with stars expanded where the scope renamed columns, each column named as Spark names it. */
  private items(sel: SqlSelect, s: Scope): Expr[] {
    const renamed = s.cols.some((c) => c.field !== c.name);
    return sel.items.flatMap((item): Expr[] => {
      if (item.kind === 'star' && (item.qualifier !== undefined || renamed)) {
        const cols = item.qualifier === undefined ? s.cols : s.cols.filter((c) => c.quals.some((q) => same(q, item.qualifier!)));
        if (cols.length === 0) {
          throw new AnalysisException(`[CANNOT_RESOLVE_STAR_EXPAND] Cannot resolve \`${item.qualifier}\`.* given input columns ${s.cols.map((c) => quote(c.name)).join(', ')}.`, { code: 'CANNOT_RESOLVE_STAR_EXPAND' });
        }
        return cols.map((c) => (c.field === c.name ? colRef(quote(c.field)) : node({ kind: 'alias', expr: colRef(quote(c.field)), name: c.name })));
      }
      const resolved = this.udfs(this.resolve(item, s));
      const name = item.kind === 'col' ? item.name.split('.').pop()! : undefined;
      if (name !== undefined && (resolved.kind !== 'col' || exprName(resolved) !== name)) return [node({ kind: 'alias', expr: resolved, name })];
      return [resolved];
    });
  }

  private select(sel: SqlSelect, ctes: Ctes, orderBy: readonly Expr[]): DataFrame {
    const from: Scope = sel.from
      ? this.relation(sel.from, ctes)
      : { df: this.session.range(1), cols: [] };
    const input = sel.where ? from.df.filter(new Column(this.udfs(this.resolve(sel.where, from)))) : from.df;
    const scope: Scope = { df: input, cols: from.cols };
    const items = this.items(sel, scope);
    const aggregated = sel.groupBy !== undefined || sel.having !== undefined || items.some((e) => functionRegistry.containsAggregate(e));
    let df: DataFrame;
    if (aggregated) df = this.aggregate(sel, scope, items, orderBy);
    else {
      df = this.project(input, items);
      if (orderBy.length > 0) {
        if (sel.distinct) df = this.sortOutput(df.distinct(), orderBy, items);
        else {
          try {
            df = this.sortOutput(df, orderBy, items);
          } catch (e) {
            // Spark also sorts by columns of the FROM clause the select list leaves out.
            if (!(e instanceof AnalysisException)) throw e;
            const order = this.ordinals(orderBy, items, false).map((o) => this.resolve(this.aliasesIn(o, items), scope));
            try {
              df = this.project(new DataFrame(this.session, planNode({ kind: 'Sort', child: input.plan, order })), items);
            } catch {
              throw e;
            }
          }
        }
        return df;
      }
    }
    return sel.distinct ? df.distinct() : df;
  }

  private project(df: DataFrame, items: readonly Expr[]): DataFrame {
    if (items.length === 1 && items[0].kind === 'star' && items[0].qualifier === undefined) return df;
    return df.select(...items.map((e) => new Column(e)));
  }

  /** ORDER BY over a query's output: ordinals are select items, names are output columns. */
  private sortOutput(df: DataFrame, orderBy: readonly Expr[], items: readonly Expr[]): DataFrame {
    const order = this.ordinals(orderBy, items.length > 0 ? items : df.columns.map((c) => colRef(quote(c))), true);
    return new DataFrame(this.session, planNode({ kind: 'Sort', child: df.plan, order }));
  }

  /** Sort keys with `ORDER BY 2` read as the second select item (its output name when `byName`). */
  private ordinals(orderBy: readonly Expr[], items: readonly Expr[], byName: boolean): Expr[] {
    return orderBy.map((o) => {
      const s = o as Extract<Expr, { kind: 'sort' }>;
      if (!isLiteralInt(s.expr)) return o;
      const item = this.ordinal(s.expr, items, 'ORDER BY');
      return node({ ...s, expr: byName ? colRef(quote(outputName(item))) : stripAlias(item) });
    });
  }

  private ordinal(e: Extract<Expr, { kind: 'lit' }>, items: readonly Expr[], clause: string): Expr {
    const n = e.value as number;
    if (n < 1 || n > items.length) {
      throw new AnalysisException(`[${clause === 'ORDER BY' ? 'ORDER_BY_POS_OUT_OF_RANGE' : 'GROUP_BY_POS_OUT_OF_RANGE'}] ${clause} position ${n} is not in select list (valid range is [1, ${items.length}]).`, { code: clause === 'ORDER BY' ? 'ORDER_BY_POS_OUT_OF_RANGE' : 'GROUP_BY_POS_OUT_OF_RANGE' });
    }
    return items[n - 1];
  }

  /** `e` with references to the select list's aliases replaced by what they name. */
  private aliasesIn(e: Expr, items: readonly Expr[]): Expr {
    return transformExpr(e, (x) => {
      if (x.kind !== 'col') return x;
      const item = items.find((i) => i.kind === 'alias' && same(i.name, x.name));
      return item ? stripAlias(item) : x;
    });
  }

  /**
   * GROUP BY (or a global aggregation): when the select list starts with the grouping expressions it
   * is `groupBy(keys).agg(rest)`, as the DataFrame API writes it; otherwise the keys are grouped under
   * hidden names and a projection gives the select list. HAVING and ORDER BY may use aggregates the
   * select list lacks: they are computed under hidden names and projected away.
   */
  private aggregate(sel: SqlSelect, s: Scope, items: readonly Expr[], orderBy: readonly Expr[]): DataFrame {
    const keys = (sel.groupBy ?? []).map((g) => {
      if (isLiteralInt(g)) return stripAlias(this.ordinal(g, items, 'GROUP BY'));
      if (g.kind === 'col' && !this.column(g.name, s)) {
        const aliased = items.find((i) => i.kind === 'alias' && same(i.name, g.name));
        if (aliased) return stripAlias(aliased);
      }
      return this.udfs(this.resolve(g, s));
    });
    const keyName = (k: Expr) => (k.kind === 'call' && (k.name === 'window' || k.name === 'session_window') ? k.name : exprName(k));
    const simple = items.length >= keys.length && keys.every((k, i) => {
      const item = stripAlias(items[i]);
      return key(item) === key(k) || (item.kind === 'col' && same(item.name, keyName(k)));
    });
    const hidden: Expr[] = [];
    let byKey = (e: Expr): Expr => e;
    let groupBy: Expr[];
    let aggregates: Expr[];
    let outputs: string[];
    if (simple) {
      groupBy = keys.map((k, i) => (items[i].kind === 'alias' && key(stripAlias(items[i])) === key(k) ? items[i] : k));
      aggregates = items.slice(keys.length);
      outputs = items.map(outputName);
    } else {
      const hiddenKey = (k: Expr, i: number) => (k.kind === 'call' && (k.name === 'window' || k.name === 'session_window') ? keyName(k) : `__key${i}`);
      groupBy = keys.map((k, i) => (hiddenKey(k, i) === keyName(k) ? k : node({ kind: 'alias', expr: k, name: hiddenKey(k, i) })));
      byKey = (e: Expr): Expr => {
        const i = keys.findIndex((k) => key(k) === key(e));
        return i >= 0 ? colRef(quote(hiddenKey(keys[i], i))) : e;
      };
      aggregates = items.map((item) => {
        const inner = stripAlias(item);
        const mapped = transformAggregateAware(inner, byKey);
        return node({ kind: 'alias', expr: mapped, name: outputName(item) });
      });
      outputs = items.map(outputName);
    }
    // Aggregates in HAVING and ORDER BY: the select list's own output when it has them, else hidden.
    const lift = (e: Expr): Expr => transformAggregateAware(this.udfs(this.resolve(e, s)), (x) => {
      if (x.kind !== 'call' || !functionRegistry.isAggregate(x.name)) return byKey(x);
      const i = items.findIndex((it) => key(stripAlias(it)) === key(x));
      if (i >= 0) return colRef(quote(outputs[i]));
      const name = `__agg_${hidden.length}`;
      hidden.push(node({ kind: 'alias', expr: x, name }));
      return colRef(quote(name));
    });
    const having = sel.having ? lift(sel.having) : undefined;
    const order = this.ordinals(orderBy, items, true).map((o) => (o.kind === 'sort' ? node({ ...o, expr: lift(o.expr) }) : lift(o)));
    let df = new DataFrame(this.session, planNode({ kind: 'Aggregate', child: s.df.plan, groupBy, aggregates: [...aggregates, ...hidden] }));
    if (having) df = df.filter(new Column(having));
    const finalProject = !simple || hidden.length > 0;
    if (!finalProject && order.length > 0) df = new DataFrame(this.session, planNode({ kind: 'Sort', child: df.plan, order }));
    if (finalProject) {
      if (sel.distinct || order.length === 0) df = df.select(...outputs.map((o) => new Column(colRef(quote(o)))));
      else {
        df = new DataFrame(this.session, planNode({ kind: 'Sort', child: df.plan, order }));
        df = df.select(...outputs.map((o) => new Column(colRef(quote(o)))));
      }
    }
    if (sel.distinct) {
      df = df.distinct();
      if (finalProject && order.length > 0) df = new DataFrame(this.session, planNode({ kind: 'Sort', child: df.plan, order }));
    }
    return df;
  }
}

/** The name Spark gives a select item's column. */
function outputName(item: Expr): string {
  return item.kind === 'alias' ? item.name : exprName(item);
}

/** Maps top-down: a node `f` changes is not looked into (an aggregate call stays whole). */
function transformAggregateAware(e: Expr, f: (e: Expr) => Expr): Expr {
  const mapped = f(e);
  if (mapped !== e) return mapped;
  return mapChildren(e, (c) => transformAggregateAware(c, f));
}
