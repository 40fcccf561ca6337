/**
 * Unresolved expressions: frozen plain data with a `kind` tag, built by the Column API and by the SQL
 * parser alike. Resolution against a schema and compilation to closures happens in `compile.ts`.
 */
import type { DataType } from '../types.js';

/** Binary operators, as written in SQL (normalised: `==` → `=`, `<>` → `!=`). */
export type BinaryOp = '+' | '-' | '*' | '/' | '%' | 'div' | '=' | '!=' | '<' | '<=' | '>' | '>=' | '<=>' | 'and' | 'or' | '||' | '|' | '&' | '^';

/**
 * A window frame: `rows` counts rows from the current one, `range` compares order values (only its
 * unbounded and current-row bounds are supported); `null` bounds are unbounded.
 */
export interface WindowFrame {
  readonly type: 'rows' | 'range';
  readonly lower: number | null;
  readonly upper: number | null;
}

/** A window specification (`Window.partitionBy(...).orderBy(...).rowsBetween(...)`). */
export interface WindowSpecExpr {
  readonly partitionBy: readonly Expr[];
  /** `sort` nodes. */
  readonly orderBy: readonly Expr[];
  /** The frame as written, or null for the default (Spark's default depends on the ordering). */
  readonly frame: WindowFrame | null;
}

/** An expression tree node. */
export type Expr =
  | { readonly kind: 'col'; readonly name: string }
  | { readonly kind: 'star'; readonly qualifier?: string }
  | { readonly kind: 'lit'; readonly value: unknown; readonly type?: DataType }
  /** `filter`: an aggregate's `FILTER (WHERE …)`, the rows it reads. */
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Expr[]; readonly distinct?: boolean; readonly filter?: Expr }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'not'; readonly expr: Expr }
  | { readonly kind: 'neg'; readonly expr: Expr }
  /** `try` is SQL's `try_cast`: the same conversion, named `TRY_CAST` (casts here are non-ANSI, NULL on bad input). */
  | { readonly kind: 'cast'; readonly expr: Expr; readonly to: DataType; readonly try?: boolean }
  /** `names`: several names for a generator's columns (PySpark `alias(*alias)`, SQL `AS (a, b)`); `name` is the first. */
  | { readonly kind: 'alias'; readonly expr: Expr; readonly name: string; readonly names?: readonly string[] }
  | { readonly kind: 'field'; readonly expr: Expr; readonly name: string }
  | { readonly kind: 'index'; readonly expr: Expr; readonly index: Expr }
  | { readonly kind: 'case'; readonly branches: readonly (readonly [Expr, Expr])[]; readonly otherwise?: Expr }
  | { readonly kind: 'isnull'; readonly expr: Expr; readonly negated: boolean }
  | { readonly kind: 'in'; readonly expr: Expr; readonly list: readonly Expr[]; readonly negated: boolean }
  | { readonly kind: 'like'; readonly expr: Expr; readonly pattern: Expr; readonly negated: boolean }
  | { readonly kind: 'between'; readonly expr: Expr; readonly low: Expr; readonly high: Expr; readonly negated: boolean }
  | { readonly kind: 'sort'; readonly expr: Expr; readonly desc: boolean; readonly nullsFirst: boolean }
  | { readonly kind: 'udf'; readonly name: string; readonly fn: (...args: unknown[]) => unknown; readonly returnType: DataType; readonly args: readonly Expr[] }
  | { readonly kind: 'over'; readonly fn: Expr; readonly spec: WindowSpecExpr }
  /** A lambda function argument of a higher-order function (`x -> x + 1`, `(acc, x) -> acc + x`). */
  | { readonly kind: 'lambda'; readonly params: readonly string[]; readonly body: Expr }
  /** A reference to a parameter of an enclosing lambda. */
  | { readonly kind: 'lambdavar'; readonly name: string };

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

/** Calls `f` on every node, parents before children. */
export function visitExpr(e: Expr, f: (e: Expr) => void): void {
  f(e);
  for (const c of children(e)) visitExpr(c, f);
}

/** The direct children of a node. */
export function children(e: Expr): Expr[] {
  switch (e.kind) {
    case 'col': case 'star': case 'lit': case 'lambdavar': return [];
    case 'lambda': return [e.body];
    case 'call': return e.filter ? [...e.args, e.filter] : [...e.args];
    case 'udf': return [...e.args];
    case 'binary': return [e.left, e.right];
    case 'not': case 'neg': case 'cast': case 'alias': case 'field': case 'isnull': case 'sort': return [e.expr];
    case 'index': return [e.expr, e.index];
    case 'case': return [...e.branches.flat(), ...(e.otherwise ? [e.otherwise] : [])];
    case 'in': return [e.expr, ...e.list];
    case 'like': return [e.expr, e.pattern];
    case 'between': return [e.expr, e.low, e.high];
    case 'over': return [e.fn, ...e.spec.partitionBy, ...e.spec.orderBy];
  }
}

/** Rebuilds a node with its children mapped by `f` (bottom-up transform). */
export function transformExpr(e: Expr, f: (e: Expr) => Expr): Expr {
  return f(mapChildren(e, (x) => transformExpr(x, f)));
}

/** A node with its direct children replaced by `m` of each (the node itself when it has none). */
export function mapChildren(e: Expr, m: (e: Expr) => Expr): Expr {
  let r: Expr;
  switch (e.kind) {
    case 'col': case 'star': case 'lit': case 'lambdavar': r = e; break;
    case 'lambda': r = node({ ...e, body: m(e.body) }); break;
    case 'call': r = node(e.filter ? { ...e, args: e.args.map(m), filter: m(e.filter) } : { ...e, args: e.args.map(m) }); break;
    case 'udf': r = node({ ...e, args: e.args.map(m) }); break;
    case 'binary': r = node({ ...e, left: m(e.left), right: m(e.right) }); break;
    case 'not': case 'neg': case 'cast': case 'alias': case 'field': case 'isnull': case 'sort': r = node({ ...e, expr: m(e.expr) } as Expr); break;
    case 'index': r = node({ ...e, expr: m(e.expr), index: m(e.index) }); break;
    case 'case': r = node({ ...e, branches: e.branches.map(([c, v]) => [m(c), m(v)] as const), otherwise: e.otherwise ? m(e.otherwise) : undefined }); break;
    case 'in': r = node({ ...e, expr: m(e.expr), list: e.list.map(m) }); break;
    case 'like': r = node({ ...e, expr: m(e.expr), pattern: m(e.pattern) }); break;
    case 'between': r = node({ ...e, expr: m(e.expr), low: m(e.low), high: m(e.high) }); break;
    case 'over': r = node({ ...e, fn: m(e.fn), spec: { ...e.spec, partitionBy: e.spec.partitionBy.map(m), orderBy: e.spec.orderBy.map(m) } }); break;
  }
  return r;
}
