/**
 * `pyspark.sql.functions`, imported by learners as `functions as F`. Strings passed where a column
 * is expected are column names (as in PySpark); use `lit(...)` for literal strings.
 */
import { call, literal, node, type Expr } from '../expr.js';
import { parseBareExpression } from '../sql-parser.js';
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
/** Parses a SQL expression string (`expr("CAST(value AS STRING)")`). */
export function expr(sql: string): Column { return new Column(parseBareExpression(sql)); }

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
/** The event time of a window: `window.end - 1 microsecond`. */
export function window_time(windowColumn: ColumnOrName): Column { return fn('window_time', c(windowColumn)); }

/** Parses a JSON string column with a StructType or DDL schema (PERMISSIVE: bad input → all-null struct). */
export function from_json(column: ColumnOrName, schema: StructType | DataType | string, options?: Record<string, string>): Column {
  const args: Expr[] = [c(column), literal(schema instanceof StructType || typeof schema !== 'string' ? schema : schema)];
  if (options) args.push(literal(JSON.stringify(options)));
  return new Column(call('from_json', args));
}
/** Renders a struct/array/map column as a JSON string. */
export function to_json(column: ColumnOrName): Column { return fn('to_json', c(column)); }
/** Builds a struct from columns. */
export function struct(...cols: (ColumnOrName | ColumnOrName[])[]): Column { return new Column(call('struct', (cols.flat() as ColumnOrName[]).map(c))); }
/** Builds an array from columns. */
export function array(...cols: (ColumnOrName | ColumnOrName[])[]): Column { return new Column(call('array', (cols.flat() as ColumnOrName[]).map(c))); }

export function count(column: ColumnOrName): Column { return fn('count', c(column)); }
export function countDistinct(column: ColumnOrName, ...more: ColumnOrName[]): Column { return new Column(call('count', [c(column), ...more.map(c)], true)); }
export const count_distinct = countDistinct;
export function sum(column: ColumnOrName): Column { return fn('sum', c(column)); }
export function avg(column: ColumnOrName): Column { return fn('avg', c(column)); }
export function mean(column: ColumnOrName): Column { return fn('avg', c(column)); }
export function min(column: ColumnOrName): Column { return fn('min', c(column)); }
export function max(column: ColumnOrName): Column { return fn('max', c(column)); }
export function first(column: ColumnOrName, ignorenulls = false): Column { return ignorenulls ? fn('first', c(column), literal(true)) : fn('first', c(column)); }
export function last(column: ColumnOrName, ignorenulls = false): Column { return ignorenulls ? fn('last', c(column), literal(true)) : fn('last', c(column)); }
export function collect_list(column: ColumnOrName): Column { return fn('collect_list', c(column)); }
export function collect_set(column: ColumnOrName): Column { return fn('collect_set', c(column)); }
export function approx_count_distinct(column: ColumnOrName): Column { return fn('approx_count_distinct', c(column)); }

export function round(column: ColumnOrName, scale = 0): Column { return fn('round', c(column), literal(scale)); }
export function abs(column: ColumnOrName): Column { return fn('abs', c(column)); }
export function sqrt(column: ColumnOrName): Column { return fn('sqrt', c(column)); }
export function floor(column: ColumnOrName): Column { return fn('floor', c(column)); }
/** HALF_EVEN rounding (banker's rounding). */
export function bround(column: ColumnOrName, scale = 0): Column { return fn('bround', c(column), literal(scale)); }
export function exp(column: ColumnOrName): Column { return fn('exp', c(column)); }
/** Natural logarithm. */
export function ln(column: ColumnOrName): Column { return fn('ln', c(column)); }
/** `log(col)` is the natural logarithm; `log(base, col)` the logarithm in `base`, as in PySpark. */
export function log(arg1: ColumnOrName | number, arg2?: ColumnOrName): Column {
  if (arg2 === undefined) return fn('ln', c(arg1 as ColumnOrName));
  return fn('log', literal(Number(arg1), DOUBLE), c(arg2));
}
export function log10(column: ColumnOrName): Column { return fn('log10', c(column)); }
export function log2(column: ColumnOrName): Column { return fn('log2', c(column)); }
export function log1p(column: ColumnOrName): Column { return fn('log1p', c(column)); }
export function pow(base: ColumnOrName | number, exponent: ColumnOrName | number): Column {
  return fn('power', typeof base === 'number' ? literal(base) : c(base), typeof exponent === 'number' ? literal(exponent) : c(exponent));
}
export function cbrt(column: ColumnOrName): Column { return fn('cbrt', c(column)); }
export function signum(column: ColumnOrName): Column { return fn('signum', c(column)); }
export function degrees(column: ColumnOrName): Column { return fn('degrees', c(column)); }
export function radians(column: ColumnOrName): Column { return fn('radians', c(column)); }
export function sin(column: ColumnOrName): Column { return fn('sin', c(column)); }
export function cos(column: ColumnOrName): Column { return fn('cos', c(column)); }
export function tan(column: ColumnOrName): Column { return fn('tan', c(column)); }
/** The positive remainder of `dividend / divisor`. */
export function pmod(dividend: ColumnOrName | number, divisor: ColumnOrName | number): Column {
  return fn('pmod', typeof dividend === 'number' ? literal(dividend) : c(dividend), typeof divisor === 'number' ? literal(divisor) : c(divisor));
}
/** Null when both are equal, else the first. */
export function nullif(col1: ColumnOrName, col2: ColumnOrName): Column { return fn('nullif', c(col1), c(col2)); }
export function initcap(column: ColumnOrName): Column { return fn('initcap', c(column)); }
export function reverse(column: ColumnOrName): Column { return fn('reverse', c(column)); }
export function ascii(column: ColumnOrName): Column { return fn('ascii', c(column)); }
export function repeat(column: ColumnOrName, n: number): Column { return fn('repeat', c(column), literal(n)); }
/** 1-based position of `substr` in the column, 0 when absent. */
export function instr(column: ColumnOrName, substr: string): Column { return fn('instr', c(column), literal(substr)); }
/** 1-based position of `substr` from `pos`, 0 when absent. */
export function locate(substr: string, column: ColumnOrName, pos = 1): Column { return fn('locate', literal(substr), c(column), literal(pos)); }
export function lpad(column: ColumnOrName, len: number, pad: string): Column { return fn('lpad', c(column), literal(len), literal(pad)); }
export function rpad(column: ColumnOrName, len: number, pad: string): Column { return fn('rpad', c(column), literal(len), literal(pad)); }
export function translate(column: ColumnOrName, matching: string, replace: string): Column { return fn('translate', c(column), literal(matching), literal(replace)); }
export function date_add(start: ColumnOrName, days: number | ColumnOrName): Column { return fn('date_add', c(start), typeof days === 'number' ? literal(days) : c(days)); }
export function date_sub(start: ColumnOrName, days: number | ColumnOrName): Column { return fn('date_sub', c(start), typeof days === 'number' ? literal(days) : c(days)); }
/** Days from `start` to `end`. */
export function datediff(end: ColumnOrName, start: ColumnOrName): Column { return fn('datediff', c(end), c(start)); }
/** Truncates a timestamp to `format` (year, quarter, month, week, day, hour, minute, second, ...). */
export function date_trunc(format: string, timestamp: ColumnOrName): Column { return fn('date_trunc', literal(format), c(timestamp)); }
export function e(): Column { return fn('e'); }
export function md5(column: ColumnOrName): Column { return fn('md5', c(column)); }
export function sha1(column: ColumnOrName): Column { return fn('sha1', c(column)); }
/** SHA-2 as hex; `numBits` 224 or 256 (0 means 256). */
export function sha2(column: ColumnOrName, numBits: number): Column { return fn('sha2', c(column), literal(numBits)); }
export function crc32(column: ColumnOrName): Column { return fn('crc32', c(column)); }
export function base64(column: ColumnOrName): Column { return fn('base64', c(column)); }
export function hex(column: ColumnOrName): Column { return fn('hex', c(column)); }
export function bin(column: ColumnOrName): Column { return fn('bin', c(column)); }
export function levenshtein(left: ColumnOrName, right: ColumnOrName): Column { return fn('levenshtein', c(left), c(right)); }
/** Grouped thousands and `d` decimals (`1,234.50`). */
export function format_number(column: ColumnOrName, d: number): Column { return fn('format_number', c(column), literal(d)); }
/** java.util.Formatter-style formatting: `format_string("%s: %.1f", "node", "temp")`. */
export function format_string(format: string, ...cols: ColumnOrName[]): Column { return fn('format_string', literal(format), ...cols.map(c)); }
export function pi(): Column { return fn('pi'); }
export function ceil(column: ColumnOrName): Column { return fn('ceil', c(column)); }
export function greatest(...cols: ColumnOrName[]): Column { return new Column(call('greatest', cols.map(c))); }
export function least(...cols: ColumnOrName[]): Column { return new Column(call('least', cols.map(c))); }
export function concat(...cols: ColumnOrName[]): Column { return new Column(call('concat', cols.map(c))); }
export function concat_ws(sep: string, ...cols: ColumnOrName[]): Column { return new Column(call('concat_ws', [literal(sep), ...cols.map(c)])); }
export function split(str: ColumnOrName, pattern: string, limit = -1): Column { return fn('split', c(str), literal(pattern), literal(limit)); }
export function explode(column: ColumnOrName): Column { return fn('explode', c(column)); }
export function explode_outer(column: ColumnOrName): Column { return fn('explode_outer', c(column)); }
export function upper(column: ColumnOrName): Column { return fn('upper', c(column)); }
export function lower(column: ColumnOrName): Column { return fn('lower', c(column)); }
export function trim(column: ColumnOrName): Column { return fn('trim', c(column)); }
export function length(column: ColumnOrName): Column { return fn('length', c(column)); }
export function substring(str: ColumnOrName, pos: number, len: number): Column { return fn('substring', c(str), literal(pos), literal(len)); }
export function regexp_replace(str: ColumnOrName, pattern: string, replacement: string): Column { return fn('regexp_replace', c(str), literal(pattern), literal(replacement)); }
export function regexp_extract(str: ColumnOrName, pattern: string, idx: number): Column { return fn('regexp_extract', c(str), literal(pattern), literal(idx)); }
export function size(column: ColumnOrName): Column { return fn('size', c(column)); }
export function element_at(column: ColumnOrName, extraction: ColumnOrValue): Column { return fn('element_at', c(column), valueExpr(extraction)); }
export function coalesce(...cols: ColumnOrName[]): Column { return new Column(call('coalesce', cols.map(c))); }
export function isnull(column: ColumnOrName): Column { return new Column(node({ kind: 'isnull', expr: c(column), negated: false })); }
export function hash(...cols: ColumnOrName[]): Column { return new Column(call('hash', cols.map(c))); }

export function current_timestamp(): Column { return fn('current_timestamp'); }
export function current_date(): Column { return fn('current_date'); }
export function date_format(date: ColumnOrName, format: string): Column { return fn('date_format', c(date), literal(format)); }
export function to_timestamp(column: ColumnOrName, format?: string): Column { return format === undefined ? fn('to_timestamp', c(column)) : fn('to_timestamp', c(column), literal(format)); }
export function to_date(column: ColumnOrName): Column { return fn('to_date', c(column)); }
export function unix_timestamp(timestamp?: ColumnOrName, format = 'yyyy-MM-dd HH:mm:ss'): Column {
  return timestamp === undefined ? fn('unix_timestamp') : fn('unix_timestamp', c(timestamp), literal(format));
}
export function from_unixtime(timestamp: ColumnOrName, format = 'yyyy-MM-dd HH:mm:ss'): Column { return fn('from_unixtime', c(timestamp), literal(format)); }
export function timestamp_seconds(column: ColumnOrName): Column { return fn('timestamp_seconds', c(column)); }
export function unix_micros(column: ColumnOrName): Column { return fn('unix_micros', c(column)); }
export function unix_millis(column: ColumnOrName): Column { return fn('unix_millis', c(column)); }
export function unix_seconds(column: ColumnOrName): Column { return fn('unix_seconds', c(column)); }
export function year(column: ColumnOrName): Column { return fn('year', c(column)); }
export function month(column: ColumnOrName): Column { return fn('month', c(column)); }
export function dayofmonth(column: ColumnOrName): Column { return fn('dayofmonth', c(column)); }
export function hour(column: ColumnOrName): Column { return fn('hour', c(column)); }
export function minute(column: ColumnOrName): Column { return fn('minute', c(column)); }
export function second(column: ColumnOrName): Column { return fn('second', c(column)); }

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
