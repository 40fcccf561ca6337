/**
 * Unresolved expressions: frozen plain data with a `kind` tag, built by the Column API and by the SQL
 * parser alike. Resolution against a schema and compilation to closures happens in `compile.ts`.
 */
import type { DataType } from './types.js';

/** Binary operators, as written in SQL (normalised: `==` → `=`, `<>` → `!=`). */
export type BinaryOp = '+' | '-' | '*' | '/' | '%' | 'div' | '=' | '!=' | '<' | '<=' | '>' | '>=' | '<=>' | 'and' | 'or' | '||';

/** An expression tree node. */
export type Expr =
  | { readonly kind: 'col'; readonly name: string }
  | { readonly kind: 'star'; readonly qualifier?: string }
  | { readonly kind: 'lit'; readonly value: unknown; readonly type?: DataType }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Expr[]; readonly distinct?: boolean }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'not'; readonly expr: Expr }
  | { readonly kind: 'neg'; readonly expr: Expr }
  | { readonly kind: 'cast'; readonly expr: Expr; readonly to: DataType }
  | { readonly kind: 'alias'; readonly expr: Expr; readonly name: string }
  | { readonly kind: 'field'; readonly expr: Expr; readonly name: string }
  | { readonly kind: 'index'; readonly expr: Expr; readonly index: Expr }
  | { readonly kind: 'case'; readonly branches: readonly (readonly [Expr, Expr])[]; readonly otherwise?: Expr }
  | { readonly kind: 'isnull'; readonly expr: Expr; readonly negated: boolean }
  | { readonly kind: 'in'; readonly expr: Expr; readonly list: readonly Expr[]; readonly negated: boolean }
  | { readonly kind: 'like'; readonly expr: Expr; readonly pattern: Expr; readonly negated: boolean }
  | { readonly kind: 'between'; readonly expr: Expr; readonly low: Expr; readonly high: Expr; readonly negated: boolean }
  | { readonly kind: 'sort'; readonly expr: Expr; readonly desc: boolean; readonly nullsFirst: boolean }
  | { readonly kind: 'udf'; readonly name: string; readonly fn: (...args: unknown[]) => unknown; readonly returnType: DataType; readonly args: readonly Expr[] };

/** Freezes and returns a node (plan and expression nodes are immutable plain data). */
export function node<T extends Expr>(e: T): T {
  return Object.freeze(e);
}

/** A column reference. */
export function colRef(name: string): Expr {
  return node({ kind: 'col', name });
}

/** A literal. */
export function literal(value: unknown, type?: DataType): Expr {
  return node({ kind: 'lit', value, type });
}

/** A function call. */
export function call(name: string, args: readonly Expr[], distinct = false): Expr {
  return node({ kind: 'call', name: name.toLowerCase(), args: Object.freeze([...args]), distinct });
}

/** Names of the aggregate functions the engine knows. */
export const AGGREGATE_FUNCTIONS = new Set([
  'count', 'sum', 'avg', 'mean', 'min', 'max', 'first', 'last', 'collect_list', 'collect_set',
  'approx_count_distinct', 'count_distinct', 'first_value', 'last_value', 'any_value',
]);

/** Whether an expression contains an aggregate function call. */
export function containsAggregate(e: Expr): boolean {
  let found = false;
  visitExpr(e, (x) => {
    if (x.kind === 'call' && AGGREGATE_FUNCTIONS.has(x.name)) found = true;
  });
  return found;
}

/** Calls `f` on every node, parents before children. */
export function visitExpr(e: Expr, f: (e: Expr) => void): void {
  f(e);
  for (const c of children(e)) visitExpr(c, f);
}

/** The direct children of a node. */
export function children(e: Expr): Expr[] {
  switch (e.kind) {
    case 'col': case 'star': case 'lit': return [];
    case 'call': case 'udf': return [...e.args];
    case 'binary': return [e.left, e.right];
    case 'not': case 'neg': case 'cast': case 'alias': case 'field': case 'isnull': case 'sort': return [e.expr];
    case 'index': return [e.expr, e.index];
    case 'case': return [...e.branches.flat(), ...(e.otherwise ? [e.otherwise] : [])];
    case 'in': return [e.expr, ...e.list];
    case 'like': return [e.expr, e.pattern];
    case 'between': return [e.expr, e.low, e.high];
  }
}

/** Rebuilds a node with its children mapped by `f` (bottom-up transform). */
export function transformExpr(e: Expr, f: (e: Expr) => Expr): Expr {
  const m = (x: Expr): Expr => transformExpr(x, f);
  let r: Expr;
  switch (e.kind) {
    case 'col': case 'star': case 'lit': r = e; break;
    case 'call': r = node({ ...e, args: e.args.map(m) }); break;
    case 'udf': r = node({ ...e, args: e.args.map(m) }); break;
    case 'binary': r = node({ ...e, left: m(e.left), right: m(e.right) }); break;
    case 'not': case 'neg': case 'cast': case 'alias': case 'field': case 'isnull': case 'sort': r = node({ ...e, expr: m(e.expr) } as Expr); break;
    case 'index': r = node({ ...e, expr: m(e.expr), index: m(e.index) }); break;
    case 'case': r = node({ ...e, branches: e.branches.map(([c, v]) => [m(c), m(v)] as const), otherwise: e.otherwise ? m(e.otherwise) : undefined }); break;
    case 'in': r = node({ ...e, expr: m(e.expr), list: e.list.map(m) }); break;
    case 'like': r = node({ ...e, expr: m(e.expr), pattern: m(e.pattern) }); break;
    case 'between': r = node({ ...e, expr: m(e.expr), low: m(e.low), high: m(e.high) }); break;
  }
  return f(r);
}

/**
 * The output column name Spark gives an expression (`prettyName` rules): a column keeps its last name
 * part, an alias its name, a function call `fn(args)`, a cast `CAST(x AS TYPE)`.
 */
export function exprName(e: Expr): string {
  switch (e.kind) {
    case 'col': return e.name.includes('.') && !e.name.startsWith('`') ? e.name.split('.').pop()! : e.name.replace(/^`|`$/g, '');
    case 'star': return '*';
    case 'lit': return e.value === null ? 'NULL' : typeof e.value === 'string' ? e.value : String(e.value);
    case 'alias': return e.name;
    case 'field': return e.name;
    case 'cast': return `CAST(${exprSql(e.expr)} AS ${e.to.simpleString().toUpperCase()})`;
    case 'call':
      if (e.name === 'window' || e.name === 'session_window') return e.name;
      return exprSql(e);
    default: return exprSql(e);
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

/** Functions whose generated names Spark prints in upper case (their `prettyName`). */
const UPPER_CASE_NAMES: Readonly<Record<string, string>> = {
  floor: 'FLOOR', ceil: 'CEIL', ceiling: 'CEIL', sqrt: 'SQRT', exp: 'EXP', log10: 'LOG10', log2: 'LOG2', log1p: 'LOG1P', cbrt: 'CBRT',
  signum: 'SIGNUM', sign: 'SIGNUM', degrees: 'DEGREES', radians: 'RADIANS', sin: 'SIN', cos: 'COS', tan: 'TAN', e: 'E', pi: 'PI',
  // The DataFrame API's pow builds `power` (POWER); SQL `pow(…)` keeps its name.
  power: 'POWER', rlike: 'RLIKE', regexp: 'RLIKE',
};

/** Arguments Spark fills in before naming the column, for calls that leave them out. */
const DEFAULT_ARGS: Readonly<Record<string, { readonly given: number; readonly sql: string }>> = {
  split: { given: 2, sql: '-1' },
  regexp_replace: { given: 3, sql: '1' },
  round: { given: 1, sql: '0' },
  locate: { given: 2, sql: '1' },
  bround: { given: 1, sql: '0' },
  unix_timestamp: { given: 1, sql: 'yyyy-MM-dd HH:mm:ss' },
  from_unixtime: { given: 1, sql: 'yyyy-MM-dd HH:mm:ss' },
};

function callSql(e: Extract<Expr, { kind: 'call' }>): string {
  if (e.name === 'count' && e.args.length === 1 && (e.args[0].kind === 'star' || (e.args[0].kind === 'lit' && e.args[0].value === 1))) {
    return `count(${e.distinct ? 'DISTINCT ' : ''}1)`;
  }
  const args = e.args.map(exprSql);
  if (e.name === 'isnull' && args.length === 1) return `(${args[0]} IS NULL)`;
  if (e.name === 'isnotnull' && args.length === 1) return `(${args[0]} IS NOT NULL)`;
  // SQL log(x) is Logarithm(E, x); the DataFrame API's one-argument log is ln.
  if (e.name === 'log') return args.length === 1 ? `LOG(E(), ${args[0]})` : `LOG(${args.join(', ')})`;
  if (e.name === 'unix_timestamp' && args.length === 0) return 'unix_timestamp(current_timestamp(), yyyy-MM-dd HH:mm:ss)';
  if (e.name === 'if' || e.name === 'iff') return `(IF(${args.join(', ')}))`;
  const fill = DEFAULT_ARGS[e.name];
  if (fill && args.length === fill.given) args.push(fill.sql);
  return `${UPPER_CASE_NAMES[e.name] ?? e.name}(${e.distinct ? 'DISTINCT ' : ''}${args.join(', ')})`;
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
      return String(e.value);
    case 'call': return callSql(e);
    case 'udf': return `${e.name}(${e.args.map(exprSql).join(', ')})`;
    case 'binary': {
      const op = e.op === 'and' ? 'AND' : e.op === 'or' ? 'OR' : e.op;
      return `(${exprSql(e.left)} ${op} ${exprSql(e.right)})`;
    }
    case 'not': return `(NOT ${exprSql(e.expr)})`;
    case 'neg': return `(- ${exprSql(e.expr)})`;
    case 'cast': return `CAST(${exprSql(e.expr)} AS ${e.to.simpleString().toUpperCase()})`;
    case 'alias': return exprSql(e.expr);
    case 'field': return `${exprSql(e.expr)}.${e.name}`;
    case 'index': return `${exprSql(e.expr)}[${exprSql(e.index)}]`;
    case 'case': return `CASE ${e.branches.map(([c, v]) => `WHEN ${exprSql(c)} THEN ${exprSql(v)}`).join(' ')}${e.otherwise ? ` ELSE ${exprSql(e.otherwise)}` : ''} END`;
    case 'isnull': return `(${exprSql(e.expr)} IS ${e.negated ? 'NOT ' : ''}NULL)`;
    case 'in': return `(${exprSql(e.expr)} ${e.negated ? 'NOT ' : ''}IN (${e.list.map(exprSql).join(', ')}))`;
    case 'like': return `${exprSql(e.expr)} ${e.negated ? 'NOT ' : ''}LIKE ${exprSql(e.pattern)}`;
    case 'between': {
      // Spark 3.5 rewrites BETWEEN before naming the column.
      const range = `((${exprSql(e.expr)} >= ${exprSql(e.low)}) AND (${exprSql(e.expr)} <= ${exprSql(e.high)}))`;
      return e.negated ? `(NOT ${range})` : range;
    }
    case 'sort': return `${exprSql(e.expr)} ${e.desc ? 'DESC' : 'ASC'} NULLS ${e.nullsFirst ? 'FIRST' : 'LAST'}`;
  }
}
