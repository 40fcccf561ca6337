/**
 * Expressions (engine `Expr` trees) as PySpark code: `F.col(...)`, `F.window(...)`, Python operators
 * on Columns, and `F.expr("...")` with Spark SQL text for anything without a tidier spelling, so every
 * expression the engine accepts has a faithful rendering.
 */
import type { Expr } from '../engine/expressions/expr.js';
import { paramAt } from '../engine/functions/function-spec.js';
import { functionRegistry } from '../engine/functions/registry.js';
import type { DataType } from '../engine/types.js';
import { ML_FUNCTIONS } from '../engine/ml/functions.js';
import { formatDate, formatTimestamp } from '../format/spark-time.js';
import { pyIdent, pyStr, type StubCollector } from './python-text.js';

/** A DataType as Spark SQL DDL (`struct<a:int>` is valid DDL too). */
export function ddlType(t: DataType): string {
  return t.simpleString();
}

/** A StructType-like schema as a DDL column list, the form `from_json` accepts. */
export function ddlSchema(t: DataType): string {
  if (t.kind !== 'struct') return ddlType(t);
  return t.fields.map((f) => `${sqlIdent(f.name)} ${ddlType(f.dataType).toUpperCase()}`).join(', ');
}

function sqlIdent(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `\`${name.replace(/`/g, '``')}\``;
}

/** A column name as the engine holds it, unquoted for PySpark when that is unambiguous. */
function colName(name: string): string {
  // withColumn & co. quote plain names with backticks; PySpark reads `"name"` the same way.
  const m = /^`([^`.]+)`$/.exec(name);
  return m ? m[1]! : name;
}

function sqlLiteral(v: unknown, t?: DataType): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (t && t.kind === 'atomic' && t.name === 'timestamp') return `timestamp_micros(${v})`;
    if (t && t.kind === 'atomic' && t.name === 'date') return `DATE '${formatDate(v)}'`;
    if (t && t.kind === 'atomic' && t.name === 'timestamp_ntz') return `TIMESTAMP_NTZ '${formatTimestamp(v)}'`;
    return Number.isInteger(v) && Math.abs(v) > 2147483647 ? `${v}L` : String(v);
  }
  if (v instanceof Uint8Array) return `X'${[...v].map((b) => b.toString(16).padStart(2, '0')).join('').toUpperCase()}'`;
  if (v instanceof Date) return `TIMESTAMP '${v.toISOString().replace('T', ' ').replace('Z', '')}'`;
  if (typeof v === 'object' && v !== null && 'simpleString' in v) return `'${ddlSchema(v as DataType).replace(/'/g, "\\'")}'`;
  return `'${String(v).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Spark SQL text for an expression (what `F.expr` parses back to the same tree). */
export function sqlText(e: Expr): string {
  switch (e.kind) {
    case 'col': return colName(e.name).split('.').map((p) => (p.startsWith('`') ? p : sqlIdent(p))).join('.');
    case 'star': return e.qualifier ? `${e.qualifier}.*` : '*';
    case 'lit': return sqlLiteral(e.value, e.type);
    case 'call': {
      // Spark reads an interval's whole text in one string: INTERVAL '1 days 2 hours'.
      if (e.name === 'interval_literal') return `INTERVAL ${sqlLiteral((e.args[0] as { value: unknown }).value)}`;
      const args = e.name === 'count' && e.args.length === 1 && e.args[0]!.kind === 'star' ? '*' : e.args.map(sqlText).join(', ');
      return `${e.name}(${e.distinct ? 'DISTINCT ' : ''}${args})${e.filter ? ` FILTER (WHERE ${sqlText(e.filter)})` : ''}`;
    }
    case 'udf': return `${e.name}(${e.args.map(sqlText).join(', ')})`;
    case 'binary': {
      const op = e.op === 'and' ? 'AND' : e.op === 'or' ? 'OR' : e.op;
      return `(${sqlText(e.left)} ${op} ${sqlText(e.right)})`;
    }
    case 'not': return `(NOT ${sqlText(e.expr)})`;
    case 'neg': return `(- ${sqlText(e.expr)})`;
    case 'cast': return `${e.try ? 'TRY_CAST' : 'CAST'}(${sqlText(e.expr)} AS ${ddlType(e.to).toUpperCase()})`;
    case 'alias': return `${sqlText(e.expr)} AS ${e.names ? `(${e.names.map(sqlIdent).join(', ')})` : sqlIdent(e.name)}`;
    case 'field': return `${sqlText(e.expr)}.${sqlIdent(e.name)}`;
    case 'index': return `${sqlText(e.expr)}[${sqlText(e.index)}]`;
    case 'case': return `CASE ${e.branches.map(([c, v]) => `WHEN ${sqlText(c)} THEN ${sqlText(v)}`).join(' ')}${e.otherwise ? ` ELSE ${sqlText(e.otherwise)}` : ''} END`;
    case 'isnull': return `(${sqlText(e.expr)} IS ${e.negated ? 'NOT ' : ''}NULL)`;
    case 'in': return `(${sqlText(e.expr)} ${e.negated ? 'NOT ' : ''}IN (${e.list.map(sqlText).join(', ')}))`;
    case 'like': return `(${sqlText(e.expr)} ${e.negated ? 'NOT ' : ''}LIKE ${sqlText(e.pattern)})`;
    case 'between': return `(${sqlText(e.expr)} ${e.negated ? 'NOT ' : ''}BETWEEN ${sqlText(e.low)} AND ${sqlText(e.high)})`;
    case 'sort': return `${sqlText(e.expr)} ${e.desc ? 'DESC' : 'ASC'} NULLS ${e.nullsFirst ? 'FIRST' : 'LAST'}`;
    case 'over': {
      const parts: string[] = [];
      if (e.spec.partitionBy.length > 0) parts.push(`PARTITION BY ${e.spec.partitionBy.map(sqlText).join(', ')}`);
      if (e.spec.orderBy.length > 0) parts.push(`ORDER BY ${e.spec.orderBy.map(sqlText).join(', ')}`);
      const f = e.spec.frame;
      const bound = (b: number | null, lower: boolean) => (b === null ? `UNBOUNDED ${lower ? 'PRECEDING' : 'FOLLOWING'}` : b === 0 ? 'CURRENT ROW' : b < 0 ? `${-b} PRECEDING` : `${b} FOLLOWING`);
      if (f) parts.push(`${f.type.toUpperCase()} BETWEEN ${bound(f.lower, true)} AND ${bound(f.upper, false)}`);
      return `${sqlText(e.fn)} OVER (${parts.join(' ')})`;
    }
    case 'lambda': return `${e.params.length === 1 ? e.params[0] : `(${e.params.join(', ')})`} -> ${sqlText(e.body)}`;
    case 'lambdavar': return e.name;
  }
}

/** A window spec as PySpark code: `Window.partitionBy(...).orderBy(...).rowsBetween(...)`. */
function windowSpecCode(e: Extract<Expr, { kind: 'over' }>, ctx: ColumnContext): string {
  ctx.stubs.useImport('pyspark.sql', 'Window');
  const calls: string[] = [];
  if (e.spec.partitionBy.length > 0) calls.push(`partitionBy(${e.spec.partitionBy.map((x) => fnArg(x, ctx)).join(', ')})`);
  if (e.spec.orderBy.length > 0) calls.push(`orderBy(${e.spec.orderBy.map((x) => (x.kind === 'sort' && !x.desc && x.nullsFirst ? fnArg(x.expr, ctx) : columnCode(x, ctx))).join(', ')})`);
  const f = e.spec.frame;
  if (f) {
    const bound = (b: number | null, lower: boolean) => (b === null ? (lower ? 'Window.unboundedPreceding' : 'Window.unboundedFollowing') : b === 0 ? 'Window.currentRow' : String(b));
    calls.push(`${f.type}Between(${bound(f.lower, true)}, ${bound(f.upper, false)})`);
  }
  // `Window.partitionBy()` with nothing is Spark's empty spec: one partition, no order.
  return calls.length === 0 ? 'Window.partitionBy()' : `Window.${calls.join('.')}`;
}

/** A numeric literal as Python writes it (`10.0` for a double), or undefined. */
function numberLiteral(e: Expr): string | undefined {
  if (e.kind !== 'lit' || typeof e.value !== 'number' || !Number.isFinite(e.value)) return undefined;
  const double = e.type?.kind === 'atomic' && e.type.name === 'double';
  return double && Number.isInteger(e.value) ? `${e.value}.0` : String(e.value);
}

function pyLiteral(e: Expr): string | undefined {
  if (e.kind !== 'lit' || e.type) return undefined;
  const v = e.value;
  if (v === null) return 'None';
  if (typeof v === 'string') return pyStr(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** Whether a rendered operand needs wrapping in `F.lit` to become a Column. */
function asColumn(e: Expr, ctx: ColumnContext): string {
  const lit = pyLiteral(e);
  return lit !== undefined ? `F.lit(${lit})` : columnCode(e, ctx);
}

/** Right-hand operand: Python values combine with Columns directly. */
function operand(e: Expr, ctx: ColumnContext): string {
  return pyLiteral(e) ?? columnCode(e, ctx);
}

const PY_OPS: Partial<Record<string, string>> = { '+': '+', '-': '-', '*': '*', '/': '/', '%': '%', '=': '==', '!=': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=', and: '&', or: '|' };

/** What column rendering needs besides the expression. */
export interface ColumnContext {
  stubs: StubCollector;
  /** Where the expression is, for stub comments. */
  where: string;
}

/** PySpark Column code for an expression. */
export function columnCode(e: Expr, ctx: ColumnContext): string {
  switch (e.kind) {
    case 'col': return `F.col(${pyStr(colName(e.name))})`;
    case 'star': return `F.col(${pyStr(e.qualifier ? `${e.qualifier}.*` : '*')})`;
    case 'lit': {
      const p = pyLiteral(e);
      if (p !== undefined) return `F.lit(${p})`;
      return e.value === null ? 'F.lit(None)' : `F.expr(${pyStr(sqlText(e))})`;
    }
    case 'alias': return `${columnCode(e.expr, ctx)}.alias(${(e.names ?? [e.name]).map(pyStr).join(', ')})`;
    // PySpark 3.5's Column has no try_cast: the export writes it as SQL.
    case 'cast': return e.try ? `F.expr(${pyStr(sqlText(e))})` : `${columnCode(e.expr, ctx)}.cast(${pyStr(ddlType(e.to))})`;
    case 'field': return e.expr.kind === 'col' ? `F.col(${pyStr(`${colName(e.expr.name)}.${e.name}`)})` : `${columnCode(e.expr, ctx)}.getField(${pyStr(e.name)})`;
    case 'index': return `${columnCode(e.expr, ctx)}[${operand(e.index, ctx)}]`;
    case 'not': return `~${columnCode(e.expr, ctx)}`;
    case 'neg': return `-${columnCode(e.expr, ctx)}`;
    case 'isnull': return `${columnCode(e.expr, ctx)}.${e.negated ? 'isNotNull' : 'isNull'}()`;
    case 'in': {
      const c = `${columnCode(e.expr, ctx)}.isin(${e.list.map((x) => operand(x, ctx)).join(', ')})`;
      return e.negated ? `~${c}` : c;
    }
    case 'like': {
      const p = pyLiteral(e.pattern);
      if (p === undefined) return `F.expr(${pyStr(sqlText(e))})`;
      return e.negated ? `~${columnCode(e.expr, ctx)}.like(${p})` : `${columnCode(e.expr, ctx)}.like(${p})`;
    }
    case 'between': {
      const c = `${columnCode(e.expr, ctx)}.between(${operand(e.low, ctx)}, ${operand(e.high, ctx)})`;
      return e.negated ? `~${c}` : c;
    }
    case 'sort': {
      const dir = e.desc ? 'desc' : 'asc';
      const natural = e.desc ? !e.nullsFirst : e.nullsFirst;
      return `${columnCode(e.expr, ctx)}.${natural ? dir : `${dir}_nulls_${e.nullsFirst ? 'first' : 'last'}`}()`;
    }
    case 'case': {
      let s = 'F';
      for (const [c, v] of e.branches) s += `.when(${columnCode(c, ctx)}, ${operand(v, ctx)})`;
      if (e.otherwise) s += `.otherwise(${operand(e.otherwise, ctx)})`;
      return s;
    }
    case 'binary': {
      if (e.op === '<=>') return `${asColumn(e.left, ctx)}.eqNullSafe(${operand(e.right, ctx)})`;
      if (e.op === '||') return `F.concat(${asColumn(e.left, ctx)}, ${asColumn(e.right, ctx)})`;
      const op = PY_OPS[e.op];
      if (!op) return `F.expr(${pyStr(sqlText(e))})`;
      return `(${asColumn(e.left, ctx)} ${op} ${operand(e.right, ctx)})`;
    }
    case 'udf': {
      const ml = ML_FUNCTIONS.get(e.fn);
      if (ml) {
        ctx.stubs.useImport(ml.module, ml.name);
        return `${ml.name}(${[...e.args.map((a) => fnArg(a, ctx)), ...ml.extraArgs].join(', ')})`;
      }
      const name = ctx.stubs.add({
        name: pyIdent(e.name, 'udf'),
        where: `UDF in ${ctx.where}`,
        params: e.args.map((_, i) => `arg${i}`),
        source: e.fn.toString(),
        decorator: `@F.udf(returnType=${pyStr(ddlType(e.returnType))})`,
        key: `udf:${e.name}:${ddlType(e.returnType)}:${e.fn.toString()}`,
      });
      return `${name}(${e.args.map((a) => columnCode(a, ctx)).join(', ')})`;
    }
    case 'call': return callCode(e, ctx);
    case 'lambda': case 'lambdavar': return `F.expr(${pyStr(sqlText(e))})`;
    case 'over': return `${columnCode(e.fn, ctx)}.over(${windowSpecCode(e, ctx)})`;
  }
}

/** A function argument: PySpark's functions take a column name as a plain string. */
function fnArg(e: Expr, ctx: ColumnContext): string {
  return e.kind === 'col' ? pyStr(colName(e.name)) : columnCode(e, ctx);
}

function callCode(e: Extract<Expr, { kind: 'call' }>, ctx: ColumnContext): string {
  const args = e.args;
  const sqlFallback = `F.expr(${pyStr(sqlText(e))})`;
  // A higher-order function's lambda is written in SQL.
  if (args.some((a) => a.kind === 'lambda')) return sqlFallback;
  // PySpark's functions have no FILTER clause: SQL says it.
  if (e.filter) return sqlFallback;
  if (e.name === 'count') {
    if (e.distinct) return `F.countDistinct(${args.map((a) => fnArg(a, ctx)).join(', ')})`;
    if (args.length === 1 && (args[0]!.kind === 'star' || (args[0]!.kind === 'lit' && args[0]!.value === 1))) return 'F.count("*")';
    return `F.count(${fnArg(args[0]!, ctx)})`;
  }
  if (e.distinct) return sqlFallback;
  if (e.name === 'window' || e.name === 'session_window') {
    const rest = args.slice(1).map((a) => pyLiteral(a));
    if (rest.some((r) => r === undefined)) return sqlFallback;
    return `F.${e.name}(${[fnArg(args[0]!, ctx), ...rest].join(', ')})`;
  }
  if (e.name === 'from_json') {
    const schema = args[1];
    if (!schema || schema.kind !== 'lit') return sqlFallback;
    const text = typeof schema.value === 'string' ? schema.value : ddlSchema(schema.value as DataType);
    const opts = args[2] && args[2].kind === 'lit' && typeof args[2].value === 'string' ? `, ${pyDict(JSON.parse(args[2].value) as Record<string, string>)}` : '';
    return `F.from_json(${fnArg(args[0]!, ctx)}, ${pyStr(text)}${opts})`;
  }
  const spec = functionRegistry.lookup(e.name);
  if (spec && spec.py !== null) {
    const py = spec.pyAliases?.includes(e.name) ? e.name : spec.py ?? spec.name;
    const parts: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const p = paramAt(spec, i);
      const a = args[i]!;
      if (!p || p.sqlOnly) return sqlFallback;
      if (p.py === 'value') {
        const lit = pyLiteral(a) ?? numberLiteral(a);
        if (lit !== undefined) parts.push(lit);
        else if (p.orColumn) parts.push(columnCode(a, ctx));
        else return sqlFallback;
      } else if (a.kind === 'lit') {
        // A Python string would name a column: other literals go through F.lit, numbers as they are where PySpark takes them.
        const n = p.ts === 'number' ? numberLiteral(a) : undefined;
        parts.push(n ?? asColumn(a, ctx));
      } else parts.push(fnArg(a, ctx));
    }
    return `F.${py}(${parts.join(', ')})`;
  }
  return sqlFallback;
}

function pyDict(o: Record<string, string>): string {
  return `{${Object.entries(o).map(([k, v]) => `${pyStr(k)}: ${pyStr(v)}`).join(', ')}}`;
}

/**
 * An argument of `select`/`groupBy`/`orderBy`: a plain column name as a string, anything else as a
 * Column (as a person would write it).
 */
export function argCode(e: Expr, ctx: ColumnContext): string {
  if (e.kind === 'col') return pyStr(colName(e.name));
  if (e.kind === 'star') return pyStr(e.qualifier ? `${e.qualifier}.*` : '*');
  if (e.kind === 'field' && e.expr.kind === 'col') return pyStr(`${colName(e.expr.name)}.${e.name}`);
  return columnCode(e, ctx);
}
