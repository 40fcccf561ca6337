/**
 * The names Spark gives expressions: generated column names (`prettyName` rules, with each
 * function's own name and filled-in defaults from the function registry) and the SQL text of an
 * expression as Spark prints it in those names and in error messages.
 */
import type { Expr } from './expr.js';
import { functionRegistry } from '../functions/registry.js';
import type { DataType } from '../types.js';
import { formatDate, formatTimestamp } from '../../format/spark-time.js';
import { parsingZone } from '../time-zone.js';

/**
 * The output column name Spark gives an expression (`prettyName` rules): a column keeps its last name
 * part, an alias its name, a function call `fn(args)`, a cast `CAST(x AS TYPE)`.
 */
export function exprName(e: Expr): string {
  switch (e.kind) {
    case 'col': return e.name.includes('.') && !e.name.startsWith('`') ? e.name.split('.').pop()! : e.name.replace(/^`|`$/g, '');
    case 'star': return '*';
    case 'lit': return e.value === null ? 'NULL' : typeof e.value === 'string' ? e.value : typedLiteralSql(e.value, e.type) ?? String(e.value);
    case 'alias': return e.name;
    case 'field': return e.name;
    case 'cast': return `${e.try ? 'TRY_CAST' : 'CAST'}(${exprSql(e.expr)} AS ${e.to.simpleString().toUpperCase()})`;
    case 'call':
      if (e.name === 'window' || e.name === 'session_window') return e.name;
      return exprSql(e);
    default: return exprSql(e);
  }
}

/** A date, timestamp or binary literal as Spark's `Literal.sql` writes it (`DATE '2020-03-15'`, `X'0AFF'`), or undefined. */
function typedLiteralSql(v: unknown, t: DataType | undefined): string | undefined {
  if (t?.kind !== 'atomic') return undefined;
  switch (t.name) {
    case 'date': return `DATE '${formatDate(v as number)}'`;
    case 'timestamp': return `TIMESTAMP '${formatTimestamp(v as number, parsingZone())}'`;
    case 'timestamp_ntz': return `TIMESTAMP_NTZ '${formatTimestamp(v as number)}'`;
    case 'binary': return `X'${[...(v as Uint8Array)].map((b) => b.toString(16).padStart(2, '0')).join('').toUpperCase()}'`;
    default: return undefined;
  }
}

/** A double as Java's `Double.toString` writes it (`10.0`, `1.0E20`), as Spark names double literals. */
function javaDouble(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e7)) {
    const [m, x] = v.toExponential().split('e');
    return `${m.includes('.') ? m : `${m}.0`}E${Number(x)}`;
  }
  return Number.isInteger(v) ? `${v}.0` : String(v);
}

/**
 * A call as Spark names it: the entry's own rule where it has one, else `name(args)` with the
 * entry's pretty name and the defaults Spark fills in for arguments left out (`round(x, 0)`).
 */
function callSql(e: Extract<Expr, { kind: 'call' }>): string {
  const args = e.args.map(exprSql);
  const spec = functionRegistry.lookup(e.name);
  const filter = e.filter ? ` FILTER (WHERE ${exprSql(e.filter)})` : '';
  const special = spec?.columnName?.(args, e);
  if (special !== undefined) return special + filter;
  if (spec) {
    for (let i = args.length; i < spec.params.length; i++) {
      const d = spec.params[i].nameDefault;
      if (d === undefined) break;
      args.push(d);
    }
  }
  const pretty = typeof spec?.prettyName === 'string' ? spec.prettyName : spec?.prettyName?.[e.name];
  return `${pretty ?? e.name}(${e.distinct ? 'DISTINCT ' : ''}${args.join(', ')})${filter}`;
}

/**
 * The name of a column in `select`/`selectExpr`: as `exprName`, except that a top-level cast of a
 * column or alias (through further casts) keeps that name, as Spark's `Column.named` does
 * (`CAST(value AS STRING)` is called `value`). A nested field (`r.x`) keeps `CAST(r.x AS INT)`.
 */
export function projectionName(e: Expr): string {
  if (e.kind === 'cast') {
    let inner: Expr = e.expr;
    while (inner.kind === 'cast') inner = inner.expr;
    if (inner.kind === 'alias') return inner.name;
    if (inner.kind === 'col' && (inner.name.startsWith('`') || !inner.name.includes('.'))) return exprName(inner);
  }
  return exprName(e);
}

/** SQL text for an expression, as Spark prints it in generated column names. */
export function exprSql(e: Expr): string {
  switch (e.kind) {
    case 'col': return e.name;
    case 'star': return e.qualifier ? `${e.qualifier}.*` : '*';
    case 'lit':
      if (e.value === null) return 'NULL';
      if (typeof e.value === 'string') return e.value;
      if (typeof e.value === 'boolean') return e.value ? 'true' : 'false';
      if (typeof e.value === 'number' && e.type?.kind === 'atomic' && e.type.name === 'double') return javaDouble(e.value);
      return typedLiteralSql(e.value, e.type) ?? String(e.value);
    case 'call': return callSql(e);
    case 'udf': return `${e.name}(${e.args.map(exprSql).join(', ')})`;
    case 'binary': {
      // Spark has no `!=` node: it is `NOT (a = b)`, and `||` is `concat`.
      if (e.op === '!=') return `(NOT (${exprSql(e.left)} = ${exprSql(e.right)}))`;
      if (e.op === '||') return `concat(${exprSql(e.left)}, ${exprSql(e.right)})`;
      const op = e.op === 'and' ? 'AND' : e.op === 'or' ? 'OR' : e.op;
      return `(${exprSql(e.left)} ${op} ${exprSql(e.right)})`;
    }
    case 'not': return `(NOT ${exprSql(e.expr)})`;
    case 'neg': return `(- ${exprSql(e.expr)})`;
    case 'cast': return `${e.try ? 'TRY_CAST' : 'CAST'}(${exprSql(e.expr)} AS ${e.to.simpleString().toUpperCase()})`;
    case 'alias': return exprSql(e.expr);
    case 'field': return `${exprSql(e.expr)}.${e.name}`;
    case 'index': return `${exprSql(e.expr)}[${exprSql(e.index)}]`;
    case 'case': return `CASE ${e.branches.map(([c, v]) => `WHEN ${exprSql(c)} THEN ${exprSql(v)}`).join(' ')}${e.otherwise ? ` ELSE ${exprSql(e.otherwise)}` : ''} END`;
    case 'isnull': return `(${exprSql(e.expr)} IS ${e.negated ? 'NOT ' : ''}NULL)`;
    case 'in': return `(${exprSql(e.expr)} ${e.negated ? 'NOT ' : ''}IN (${e.list.map(exprSql).join(', ')}))`;
    case 'like': return e.negated ? `(NOT ${exprSql(e.expr)} LIKE ${exprSql(e.pattern)})` : `${exprSql(e.expr)} LIKE ${exprSql(e.pattern)}`;
    case 'between': {
      // Spark 3.5 rewrites BETWEEN before naming the column.
      const range = `((${exprSql(e.expr)} >= ${exprSql(e.low)}) AND (${exprSql(e.expr)} <= ${exprSql(e.high)}))`;
      return e.negated ? `(NOT ${range})` : range;
    }
    case 'sort': return `${exprSql(e.expr)} ${e.desc ? 'DESC' : 'ASC'} NULLS ${e.nullsFirst ? 'FIRST' : 'LAST'}`;
    case 'over': return `${exprSql(e.fn)} OVER (${windowSpecSql(e)})`;
    // Spark names lambda variables by no name of theirs.
    case 'lambda': return `lambdafunction(${exprSql(e.body)}, ${e.params.map(() => 'namedlambdavariable()').join(', ')})`;
    case 'lambdavar': return 'namedlambdavariable()';
  }
}

/** A frame bound as Spark prints it: offsets always as `n FOLLOWING`, negative ones too (`-2 FOLLOWING`). */
function boundSql(b: number | null, lower: boolean): string {
  if (b === null) return lower ? 'UNBOUNDED PRECEDING' : 'UNBOUNDED FOLLOWING';
  return b === 0 ? 'CURRENT ROW' : `${b} FOLLOWING`;
}

/** `PARTITION BY … ORDER BY … frame`, with the frame Spark resolves for the function and ordering. */
export function windowSpecSql(e: Extract<Expr, { kind: 'over' }>): string {
  const parts: string[] = [];
  if (e.spec.partitionBy.length > 0) parts.push(`PARTITION BY ${e.spec.partitionBy.map(exprSql).join(', ')}`);
  if (e.spec.orderBy.length > 0) parts.push(`ORDER BY ${e.spec.orderBy.map(exprSql).join(', ')}`);
  const f = resolvedFrame(e);
  parts.push(`${f.type.toUpperCase()} BETWEEN ${boundSql(f.lower, true)} AND ${boundSql(f.upper, false)}`);
  return parts.join(' ');
}

/**
 * The frame a window function runs over, as Spark's analyzer resolves it: lag and lead read one row
 * at an offset, row_number and rank run from the first row to the current one, aggregates use the
 * frame written or the default (the whole partition without ordering, `RANGE BETWEEN UNBOUNDED
 * PRECEDING AND CURRENT ROW` with it).
 */
export function resolvedFrame(e: Extract<Expr, { kind: 'over' }>): { type: 'rows' | 'range'; lower: number | null; upper: number | null; offset?: number } {
  if (e.fn.kind === 'call' && (e.fn.name === 'lag' || e.fn.name === 'lead')) {
    const o = e.fn.args[1];
    const n = o && o.kind === 'lit' && typeof o.value === 'number' ? o.value : 1;
    const at = e.fn.name === 'lag' ? -n : n;
    return { type: 'rows', lower: at, upper: at, offset: at };
  }
  if (e.fn.kind === 'call' && (e.fn.name === 'row_number' || e.fn.name === 'rank' || e.fn.name === 'dense_rank')) return { type: 'rows', lower: null, upper: 0 };
  if (e.spec.frame) return e.spec.frame;
  return e.spec.orderBy.length > 0 ? { type: 'range', lower: null, upper: 0 } : { type: 'rows', lower: null, upper: null };
}

/**
 * An expression written out whole, for comparing plans: like `exprSql`, but every call is
 * `name(args)` as built (no column-naming rule hides its arguments, as Spark's does for `window`),
 * string literals are quoted, and aliases keep their names (`x AS name`).
 */
export function exprStructure(e: Expr): string {
  const s = exprStructure;
  switch (e.kind) {
    case 'lit':
      if (typeof e.value === 'string') return `'${e.value.replace(/'/g, "\\'")}'`;
      return exprSql(e);
    case 'call': return `${e.name}(${e.distinct ? 'DISTINCT ' : ''}${e.args.map(s).join(', ')})${e.filter ? ` FILTER (WHERE ${s(e.filter)})` : ''}`;
    case 'udf': return `udf ${e.name}(${e.args.map(s).join(', ')})`;
    case 'binary': return `(${s(e.left)} ${e.op === 'and' ? 'AND' : e.op === 'or' ? 'OR' : e.op} ${s(e.right)})`;
    case 'not': return `(NOT ${s(e.expr)})`;
    case 'neg': return `(- ${s(e.expr)})`;
    case 'cast': return `${e.try ? 'TRY_CAST' : 'CAST'}(${s(e.expr)} AS ${e.to.simpleString().toUpperCase()})`;
    case 'alias': return `${s(e.expr)} AS ${e.name}`;
    case 'field': return `${s(e.expr)}.${e.name}`;
    case 'index': return `${s(e.expr)}[${s(e.index)}]`;
    case 'case': return `CASE ${e.branches.map(([c, v]) => `WHEN ${s(c)} THEN ${s(v)}`).join(' ')}${e.otherwise ? ` ELSE ${s(e.otherwise)}` : ''} END`;
    case 'isnull': return `(${s(e.expr)} IS ${e.negated ? 'NOT ' : ''}NULL)`;
    case 'in': return `(${s(e.expr)} ${e.negated ? 'NOT ' : ''}IN (${e.list.map(s).join(', ')}))`;
    case 'like': return `${s(e.expr)} ${e.negated ? 'NOT ' : ''}LIKE ${s(e.pattern)}`;
    case 'between': return `(${s(e.expr)} ${e.negated ? 'NOT ' : ''}BETWEEN ${s(e.low)} AND ${s(e.high)})`;
    case 'sort': return `${s(e.expr)} ${e.desc ? 'DESC' : 'ASC'} NULLS ${e.nullsFirst ? 'FIRST' : 'LAST'}`;
    case 'over': return `${s(e.fn)} OVER (${windowSpecSql(e)})`;
    case 'lambda': return `(${e.params.join(', ')}) -> ${s(e.body)}`;
    case 'lambdavar': return e.name;
    default: return exprSql(e);
  }
}
