/**
 * One entry of the function registry, as Spark's `FunctionRegistry` holds one per function: its
 * names, its parameters (PySpark's signature and Spark's expected input types), how it evaluates,
 * how it is named in generated column names, and its documentation. The expression compiler, the
 * aggregate operators, the PySpark export, the `functions` facade (and with it the editor's
 * completion) and the docs page all read these entries.
 *
 *   call f(a1..an)  →  look up f (name or alias)  →  check n against the parameters
 *                   →  compile each argument, coercing it to the parameter's input type
 *                      (Spark's implicit casts) or failing with DATATYPE_MISMATCH
 *                   →  the entry's `compile` (scalar) or `aggregate` (aggregate) builds the closure
 */
import type { Compiled, EvalContext, Row } from '../expressions/compiled.js';
import type { Expr } from '../expressions/expr.js';
import type { DataType } from '../types.js';

/**
 * The type a parameter expects, as Spark's `inputTypes` declare it. `numeric` keeps the argument's
 * numeric type; `double`, `int` and `long` cast to that type; `timestamp` accepts both timestamp
 * types. Strings are cast implicitly where Spark does (`sqrt('4')` is 2.0).
 */
export type InputType =
  | 'any' | 'numeric' | 'double' | 'int' | 'long' | 'string' | 'binary' | 'string-or-binary' | 'boolean'
  | 'timestamp' | 'date' | 'array' | 'map' | 'array-or-map' | 'struct' | 'numeric-or-interval';

/** One parameter of a function. */
export interface Param {
  /** PySpark's parameter name (and the name in the docs). */
  readonly name: string;
  /**
   * How PySpark's function takes it: `column` (a Column or a column name), `value` (a plain Python
   * value, e.g. `round(col, scale=0)`'s scale), or `columns` for a variadic tail of columns.
   */
  readonly py: 'column' | 'value' | 'columns';
  /**
   * The TypeScript type of a `value` parameter in the `functions` facade; on a `column` parameter,
   * a literal type PySpark also takes in place of a Column (`date_add(start, days: int | Column)`).
   */
  readonly ts?: 'string' | 'number' | 'boolean' | 'any';
  /** Spark's expected input type (default `any`). */
  readonly type?: InputType;
  /** Spark checks the type without casting (ExpectsInputTypes rather than ImplicitCastInputTypes). */
  readonly strict?: boolean;
  /** The parameter may be left out; PySpark's default value, when it has one. */
  readonly optional?: boolean;
  readonly default?: string | number | boolean | null;
  /** SQL text Spark prints in the column name when the argument is left out (`split(s, ,, -1)`). */
  readonly nameDefault?: string;
  /** A `value` parameter that PySpark also takes as a Column (`Union[str, Column]`). */
  readonly orColumn?: boolean;
  /** Only SQL has this parameter; PySpark's function (and the facade) stop before it. */
  readonly sqlOnly?: boolean;
}

/** What a scalar function's `compile` receives. */
export interface CallContext {
  /** The call node. */
  readonly call: Extract<Expr, { kind: 'call' }>;
  /** The arguments as written. */
  readonly args: readonly Expr[];
  /** The column name Spark gives the call. */
  readonly name: string;
  readonly evalContext: EvalContext;
  /** Argument i compiled and coerced to its parameter's input type (WRONG_NUM_ARGS when absent). */
  arg(i: number): Compiled;
  /** Argument i compiled as it is, without coercion. */
  raw(i: number): Compiled;
  /** Whether argument i was given. */
  has(i: number): boolean;
  /** Compiles any expression against the input row (for arguments the entry reads its own way). */
  compile(e: Expr): Compiled;
  /**
   * Argument i, a lambda, compiled with its parameters of `types` (a lambda may take fewer when the
   * function allows, `transform(xs, x -> …)` or `(x, i) -> …`: `arities` lists the counts allowed).
   * Set `slots[k].v` to the k-th parameter's value before evaluating `body`.
   */
  lambda(i: number, types: readonly DataType[], arities?: readonly number[]): CompiledLambda;
  /** The value of a literal argument (DATATYPE_MISMATCH.NON_FOLDABLE_INPUT when it is not one). */
  literal(i: number): unknown;
  /** The SQL text of argument i, as Spark's error messages quote it. */
  sql(i: number): string;
  /** A compiled expression named as the call. */
  make(type: DataType, evalFn: (row: Row) => unknown, options?: { nullable?: boolean; metadata?: Compiled['metadata'] }): Compiled;
  /** f(argument 0), NULL when the argument is NULL. */
  strict1(type: DataType, a: Compiled, f: (v: any) => unknown): Compiled;
  /** f(argument 0, argument 1), NULL when either is NULL. */
  strict2(type: DataType, a: Compiled, b: Compiled, f: (x: any, y: any) => unknown): Compiled;
}

/** A compiled lambda: its body, and the slots its parameters are read from. */
export interface CompiledLambda {
  readonly body: Compiled;
  readonly slots: readonly { v: unknown }[];
}

/** A compiled aggregate: buffer operations (see `aggregates.ts`). */
export interface AggregateFn {
  readonly name: string;
  readonly type: DataType;
  create(): unknown;
  update(buf: unknown, row: Row): unknown;
  merge(a: unknown, b: unknown): unknown;
  evaluate(buf: unknown): unknown;
}

/** What an aggregate function's `aggregate` receives: the call's arguments, and whether it is DISTINCT. */
export interface AggregateContext extends Pick<CallContext, 'call' | 'args' | 'name' | 'arg' | 'raw' | 'has' | 'literal' | 'sql'> {
  readonly distinct: boolean;
}

/** Families, as the docs page groups them (Spark's function groups). */
export type FunctionGroup =
  | 'math' | 'string' | 'datetime' | 'conditional' | 'collection' | 'map' | 'struct' | 'json' | 'hash'
  | 'aggregate' | 'window' | 'generator' | 'misc';

/** A registry entry. */
export interface FunctionSpec {
  /** The SQL name (lower case). */
  readonly name: string;
  /** Other SQL names for the same function (`ucase` for `upper`). */
  readonly aliases?: readonly string[];
  readonly group: FunctionGroup;
  readonly kind: 'scalar' | 'aggregate' | 'generator' | 'window';
  readonly params: readonly Param[];
  /** The last parameter repeats (`concat(*cols)`); `params` then ends with it. */
  readonly variadic?: boolean;
  /** One line for completion and the docs; more lines follow a blank line. */
  readonly doc: string;
  /** An example in SQL and the result PySpark 3.5.7 prints for it. */
  readonly example?: { readonly sql: string; readonly result: string };
  /**
   * The PySpark function (`F.<py>`), or null when PySpark has none (SQL only: the export writes
   * `F.expr(...)`). Defaults to the name.
   */
  readonly py?: string | null;
  /** Aliases PySpark also has as functions with the same parameters (`F.ucase`). */
  readonly pyAliases?: readonly string[];
  /**
   * Whether the `functions` facade is generated from the parameters (default), written by hand
   * (`manual`, for signatures the parameters cannot express), or absent (`none`).
   */
  readonly facade?: 'generated' | 'manual' | 'none';
  /**
   * The name Spark prints for the function in column names when it is not the name written
   * (`FLOOR`): one for every name, or one per name (`power` prints `POWER`, its alias `pow` stays).
   */
  readonly prettyName?: string | Readonly<Record<string, string>>;
  /** The whole generated column name, for calls Spark names specially (`(x IS NULL)`). */
  readonly columnName?: (args: readonly string[], call: Extract<Expr, { kind: 'call' }>) => string | undefined;
  /** Scalar functions: builds the compiled expression. */
  readonly compile?: (c: CallContext) => Compiled;
  /** Aggregate functions: builds the buffer operations. */
  readonly aggregate?: (c: AggregateContext) => AggregateFn;
}

/** Declares an entry (typed helper; registration happens in `registry.ts`). */
export function defineFunction(spec: FunctionSpec): FunctionSpec {
  return Object.freeze(spec);
}

/** A `column` parameter. */
export function col(name: string, type: InputType = 'any', extra: Partial<Param> = {}): Param {
  return { name, py: 'column', type, ...extra };
}

/** A `value` parameter (a plain Python value in PySpark). */
export function val(name: string, ts: Param['ts'], type: InputType = 'any', extra: Partial<Param> = {}): Param {
  return { name, py: 'value', ts, type, ...extra };
}

/** A variadic `*cols` parameter. */
export function cols(name = 'cols', type: InputType = 'any'): Param {
  return { name, py: 'columns', type };
}

/** The smallest and largest argument counts an entry accepts. */
export function arity(spec: FunctionSpec): { min: number; max: number } {
  const min = spec.params.filter((p) => !p.optional && p.py !== 'columns').length;
  return { min, max: spec.variadic || spec.params.some((p) => p.py === 'columns') ? Infinity : spec.params.length };
}

/** The parameter an argument position belongs to (the variadic tail repeats). */
export function paramAt(spec: FunctionSpec, i: number): Param | undefined {
  if (i < spec.params.length) return spec.params[i];
  const last = spec.params[spec.params.length - 1];
  return last && (last.py === 'columns' || spec.variadic) ? last : undefined;
}
