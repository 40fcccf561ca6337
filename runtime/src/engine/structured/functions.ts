/**
 * `pyspark.sql.functions`, imported by learners as `functions as F`. Strings passed where a column
 * is expected are column names (as in PySpark); use `lit(...)` for literal strings. Most functions
 * are generated from the function registry (`generated-functions.ts`); the ones here take
 * arguments the registry's parameters cannot describe.
 */
import { call, literal, node, type Expr } from '../expressions/expr.js';
import { parseNamedExpression } from '../plans/sql-parser.js';
import { DOUBLE, StructType, parseDataType, type DataType } from '../types.js';
import { Column, columnExpr, valueExpr, type ColumnOrName, type ColumnOrValue } from './column.js';

function fn(name: string, ...args: Expr[]): Column {
  return new Column(call(name, args));
}

const c = columnExpr;

/** A column by name (`"window.start"` reaches into a struct). */
export function col(name: string): Column { return new Column(columnExpr(name)); }
/** Alias of `col`. */
export const column = col;
/** A literal value (Date → timestamp, number → int/bigint/double). */
export function lit(value: ColumnOrValue): Column { return value instanceof Column ? value : new Column(literal(value)); }
/** Parses a SQL expression string, with an optional alias as Spark's parser allows (`expr("sum(cases) AS cases")`). */
export function expr(sql: string): Column { return new Column(parseNamedExpression(sql)); }

let lambdaVariables = 0;

/**
 * A lambda argument from a function of Columns, as PySpark builds one from a Python function: its
 * parameters are fresh lambda variables (`x_0`, `y_1`, … in the SQL the export writes).
 */
function lambdaArg(f: (...cols: Column[]) => ColumnOrValue, arity = Math.max(f.length, 1)): Expr {
  const params = Array.from({ length: arity }, (_, k) => `${'xyz'[k] ?? 'v'}_${lambdaVariables++}`);
  const body = f(...params.map((name) => new Column(node({ kind: 'lambdavar', name }))));
  return node({ kind: 'lambda', params, body: lit(body).expr });
}

/** Each element through `f(x)` or `f(x, i)` (i the index from 0): `transform("xs", (x) => x.plus(1))`. */
export function transform(col: ColumnOrName, f: (x: Column, i: Column) => ColumnOrValue): Column {
  return fn('transform', c(col), lambdaArg(f));
}
/** The elements for which `f(x)` (or `f(x, i)`) is true. */
export function filter(col: ColumnOrName, f: (x: Column, i: Column) => Column): Column {
  return fn('filter', c(col), lambdaArg(f));
}
/** Whether `f(x)` is true for some element. */
export function exists(col: ColumnOrName, f: (x: Column) => Column): Column {
  return fn('exists', c(col), lambdaArg(f, 1));
}
/** Whether `f(x)` is true for every element. */
export function forall(col: ColumnOrName, f: (x: Column) => Column): Column {
  return fn('forall', c(col), lambdaArg(f, 1));
}
/** Folds the elements into `initialValue` with `merge(acc, x)`, then applies `finish(acc)` when given. */
export function aggregate(col: ColumnOrName, initialValue: ColumnOrName, merge: (acc: Column, x: Column) => ColumnOrValue, finish?: (acc: Column) => ColumnOrValue): Column {
  return fn('aggregate', c(col), c(initialValue), lambdaArg(merge, 2), ...(finish ? [lambdaArg(finish, 1)] : []));
}
/** The same as `aggregate`. */
export function reduce(col: ColumnOrName, initialValue: ColumnOrName, merge: (acc: Column, x: Column) => ColumnOrValue, finish?: (acc: Column) => ColumnOrValue): Column {
  return fn('reduce', c(col), c(initialValue), lambdaArg(merge, 2), ...(finish ? [lambdaArg(finish, 1)] : []));
}
/** The two arrays merged element by element with `f(x, y)`; the shorter is padded with NULLs. */
export function zip_with(left: ColumnOrName, right: ColumnOrName, f: (x: Column, y: Column) => ColumnOrValue): Column {
  return fn('zip_with', c(left), c(right), lambdaArg(f, 2));
}
/** The entries for which `f(k, v)` is true. */
export function map_filter(col: ColumnOrName, f: (k: Column, v: Column) => Column): Column {
  return fn('map_filter', c(col), lambdaArg(f, 2));
}
/** The map with each key replaced by `f(k, v)`. */
export function transform_keys(col: ColumnOrName, f: (k: Column, v: Column) => ColumnOrValue): Column {
  return fn('transform_keys', c(col), lambdaArg(f, 2));
}
/** The map with each value replaced by `f(k, v)`. */
export function transform_values(col: ColumnOrName, f: (k: Column, v: Column) => ColumnOrValue): Column {
  return fn('transform_values', c(col), lambdaArg(f, 2));
}

/** Tumbling/sliding event-time window: `window("ts", "1 minute", "30 seconds", "5 seconds")`. */
export function window(timeColumn: ColumnOrName, windowDuration: string, slideDuration?: string | null, startTime?: string | null): Column {
  const args: Expr[] = [c(timeColumn), literal(windowDuration)];
  if (slideDuration != null || startTime != null) args.push(slideDuration == null ? literal(null) : literal(slideDuration));
  if (startTime != null) args.push(literal(startTime));
  return new Column(call('window', args));
}
/** Session window with a fixed gap (`"10 seconds"`) or a per-row gap column. */
export function session_window(timeColumn: ColumnOrName, gapDuration: string | Column): Column {
  return new Column(call('session_window', [c(timeColumn), typeof gapDuration === 'string' ? literal(gapDuration) : gapDuration.expr]));
}

/** Parses a JSON string column with a StructType or DDL schema (PERMISSIVE: bad input → all-null struct). */
export function from_json(column: ColumnOrName, schema: StructType | DataType | string, options?: Record<string, string>): Column {
  // Spark parses a schema string where from_json is called, so a wrong one fails at the learner's line
  // (not later, when a streaming query starts, far from it). The string itself is kept, for the export.
  if (typeof schema === 'string') parseDataType(schema);
  const args: Expr[] = [c(column), literal(schema)];
  if (options) args.push(literal(JSON.stringify(options)));
  return new Column(call('from_json', args));
}

/**
 * One string column per JSON field (`c0`, `c1`, …; name them with `.alias("a", "b")`); only at the
 * top of a select.
 */
export function json_tuple(column: ColumnOrName, ...fields: string[]): Column {
  return new Column(call('json_tuple', [c(column), ...fields.map((f) => literal(f))]));
}

/** The schema Spark infers for a constant JSON text (a string here is the JSON, not a column name, as in PySpark). */
export function schema_of_json(json: string | Column, options?: Record<string, string>): Column {
  const args: Expr[] = [json instanceof Column ? json.expr : literal(json)];
  if (options) args.push(literal(JSON.stringify(options)));
  return new Column(call('schema_of_json', args));
}

/**
 * The value at a percentile of the group (an array of them for an array of percentages), as Spark's
 * `percentile_approx`: exact up to 50,000 values.
 */
export function percentile_approx(column: ColumnOrName, percentage: number | number[] | Column, accuracy: number | Column = 10000): Column {
  return percentileCall('percentile_approx', column, percentage, accuracy);
}
/** `percentile_approx` under the name PySpark 3.5 also gives it (and Spark prints). */
export function approx_percentile(column: ColumnOrName, percentage: number | number[] | Column, accuracy: number | Column = 10000): Column {
  return percentileCall('approx_percentile', column, percentage, accuracy);
}
function percentileCall(name: string, column: ColumnOrName, percentage: number | number[] | Column, accuracy: number | Column): Column {
  const p = percentage instanceof Column ? percentage.expr : Array.isArray(percentage) ? call('array', percentage.map((x) => literal(x, DOUBLE))) : literal(percentage, DOUBLE);
  return new Column(call(name, [c(column), p, accuracy instanceof Column ? accuracy.expr : literal(accuracy)]));
}

export function count(column: ColumnOrName): Column { return fn('count', c(column)); }
/** The mean (PySpark's `mean` is `avg`, and is named so). */
export function mean(column: ColumnOrName): Column { return fn('avg', c(column)); }
export function countDistinct(column: ColumnOrName, ...more: ColumnOrName[]): Column { return new Column(call('count', [c(column), ...more.map(c)], true)); }
export const count_distinct = countDistinct;
export function first(column: ColumnOrName, ignorenulls = false): Column { return ignorenulls ? fn('first', c(column), literal(true)) : fn('first', c(column)); }
export function last(column: ColumnOrName, ignorenulls = false): Column { return ignorenulls ? fn('last', c(column), literal(true)) : fn('last', c(column)); }

/** `log(col)` is the natural logarithm; `log(base, col)` the logarithm in `base`, as in PySpark. */
export function log(arg1: ColumnOrName | number, arg2?: ColumnOrName): Column {
  if (arg2 === undefined) return fn('ln', c(arg1 as ColumnOrName));
  return fn('log', literal(Number(arg1), DOUBLE), c(arg2));
}
export function pow(base: ColumnOrName | number, exponent: ColumnOrName | number): Column {
  return fn('power', typeof base === 'number' ? literal(base) : c(base), typeof exponent === 'number' ? literal(exponent) : c(exponent));
}
/** The positive remainder of `dividend / divisor`. */
export function pmod(dividend: ColumnOrName | number, divisor: ColumnOrName | number): Column {
  return fn('pmod', typeof dividend === 'number' ? literal(dividend) : c(dividend), typeof divisor === 'number' ? literal(divisor) : c(divisor));
}
export function isnull(column: ColumnOrName): Column { return new Column(node({ kind: 'isnull', expr: c(column), negated: false })); }


/** The value `offset` rows before the current row in a window's order, or `defaultValue` (use with `.over(window)`). */
export function lag(col: ColumnOrName, offset = 1, defaultValue: ColumnOrValue = null): Column {
  return fn('lag', c(col), literal(offset), valueExpr(defaultValue));
}
/** The value `offset` rows after the current row in a window's order, or `defaultValue` (use with `.over(window)`). */
export function lead(col: ColumnOrName, offset = 1, defaultValue: ColumnOrValue = null): Column {
  return fn('lead', c(col), literal(offset), valueExpr(defaultValue));
}

/** Starts a CASE expression; continue with `.when(...)` and end with `.otherwise(...)`. */
export function when(condition: Column, value: ColumnOrValue): Column {
  return new Column(node({ kind: 'case', branches: [[condition.expr, valueExpr(value)]], otherwise: undefined }));
}

export function asc(column: ColumnOrName): Column { return new Column(columnExpr(column)).asc(); }
export function desc(column: ColumnOrName): Column { return new Column(columnExpr(column)).desc(); }

/** A user-defined function over column values (PySpark `udf(f, returnType)`). */
export function udf(f: (...args: any[]) => unknown, returnType: DataType | string = 'string'): (...cols: ColumnOrName[]) => Column {
  const rt = typeof returnType === 'string' ? parseDataType(returnType) : returnType;
  const name = f.name || 'udf';
  return (...cols) => new Column(node({ kind: 'udf', name, fn: f, returnType: rt, args: cols.map(c) }));
}

export * from './generated-functions.js';
