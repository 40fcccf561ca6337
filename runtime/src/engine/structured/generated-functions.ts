/**
 * PySpark functions generated from the function registry (`engine/functions`); do not edit.
 * Regenerate with `npm run generate` after changing an entry.
 */

import type { Column, ColumnOrName } from './column.js';
import { callWith, colArg, colOrLiteralArg, colOrNumberArg, colsArg, valueArg } from './facade-args.js';

/**
 * The absolute value.
 *
 * Example: `abs(-1)` gives `1`.
 */
export function abs(col: ColumnOrName): Column {
  return callWith('abs', [colArg(col)]);
}

/**
 * The date `months` months after `start` (the day is cut to the month's length).
 *
 * Example: `add_months('2024-01-31', 1)` gives `2024-02-29`.
 */
export function add_months(start: ColumnOrName, months: ColumnOrName | number): Column {
  return callWith('add_months', [colArg(start), colOrNumberArg(months)]);
}

/**
 * The number of distinct values (counted exactly here; Spark estimates it with HyperLogLog++).
 */
export function approx_count_distinct(col: ColumnOrName, rsd?: number): Column {
  return callWith('approx_count_distinct', [colArg(col), valueArg(rsd)]);
}

/**
 * An array of the columns' values.
 */
export function array(...cols: (ColumnOrName | ColumnOrName[])[]): Column {
  return callWith('array', [colsArg(cols)]);
}

/**
 * Whether the array contains the value (NULL when it does not but holds a NULL).
 *
 * Example: `array_contains(array(1, 2), 2)` gives `true`.
 */
export function array_contains(col: ColumnOrName, value: unknown): Column {
  return callWith('array_contains', [colArg(col), valueArg(value)]);
}

/**
 * The code of the first character (0 for an empty string).
 */
export function ascii(col: ColumnOrName): Column {
  return callWith('ascii', [colArg(col)]);
}

/**
 * The mean of the values that are not NULL.
 */
export function avg(col: ColumnOrName): Column {
  return callWith('avg', [colArg(col)]);
}

/**
 * The binary value (or the string's UTF-8 bytes) in base 64.
 */
export function base64(col: ColumnOrName): Column {
  return callWith('base64', [colArg(col)]);
}

/**
 * A number (two's complement for negatives) in binary.
 */
export function bin(col: ColumnOrName): Column {
  return callWith('bin', [colArg(col)]);
}

/**
 * The bits of an integral value inverted (SQL `~x`).
 *
 * Example: `~0` gives `-1`.
 */
export function bitwise_not(col: ColumnOrName): Column {
  return callWith('bitwise_not', [colArg(col)]);
}

/**
 * Rounds to `scale` decimal places, half to even (banker's rounding).
 *
 * Example: `bround(2.5, 0)` gives `2`.
 */
export function bround(col: ColumnOrName, scale: number = 0): Column {
  return callWith('bround', [colArg(col), valueArg(scale)]);
}

/**
 * The number of elements of an array or map (-1 for NULL).
 *
 * Example: `size(array(1, 2))` gives `2`.
 */
export function cardinality(col: ColumnOrName): Column {
  return callWith('cardinality', [colArg(col)]);
}

/**
 * The cube root.
 */
export function cbrt(col: ColumnOrName): Column {
  return callWith('cbrt', [colArg(col)]);
}

/**
 * The smallest integer not less than the value.
 *
 * Example: `ceil(-0.1)` gives `0`.
 */
export function ceil(col: ColumnOrName): Column {
  return callWith('ceil', [colArg(col)]);
}

/**
 * The smallest integer not less than the value.
 *
 * Example: `ceil(-0.1)` gives `0`.
 */
export function ceiling(col: ColumnOrName): Column {
  return callWith('ceiling', [colArg(col)]);
}

/**
 * The character with this code (modulo 256).
 */
export function char(col: ColumnOrName): Column {
  return callWith('chr', [colArg(col)]);
}

/**
 * The number of characters of a string, or of bytes of a binary value.
 *
 * Example: `length('Spark')` gives `5`.
 */
export function char_length(col: ColumnOrName): Column {
  return callWith('char_length', [colArg(col)]);
}

/**
 * The number of characters of a string, or of bytes of a binary value.
 *
 * Example: `length('Spark')` gives `5`.
 */
export function character_length(col: ColumnOrName): Column {
  return callWith('character_length', [colArg(col)]);
}

/**
 * The first argument that is not NULL.
 *
 * Example: `coalesce(NULL, 1, 2)` gives `1`.
 */
export function coalesce(...cols: (ColumnOrName | ColumnOrName[])[]): Column {
  return callWith('coalesce', [colsArg(cols)]);
}

/**
 * The values of the group as an array (NULLs left out).
 */
export function collect_list(col: ColumnOrName): Column {
  return callWith('collect_list', [colArg(col)]);
}

/**
 * The distinct values of the group as an array (NULLs left out).
 */
export function collect_set(col: ColumnOrName): Column {
  return callWith('collect_set', [colArg(col)]);
}

/**
 * The strings (or arrays) joined; NULL when any is NULL. `a || b` is `concat(a, b)`.
 *
 * Example: `concat('Spark', 'SQL')` gives `SparkSQL`.
 */
export function concat(...cols: (ColumnOrName | ColumnOrName[])[]): Column {
  return callWith('concat', [colsArg(cols)]);
}

/**
 * The strings (and the elements of string arrays) joined by `sep`, skipping NULLs.
 *
 * Example: `concat_ws('-', 'a', NULL, 'b')` gives `a-b`.
 */
export function concat_ws(sep: string, ...cols: (ColumnOrName | ColumnOrName[])[]): Column {
  return callWith('concat_ws', [valueArg(sep), colsArg(cols)]);
}

/**
 * Pearson's correlation coefficient of two columns (rows with a NULL left out; NULL for a single pair or when a column is constant).
 */
export function corr(col1: ColumnOrName, col2: ColumnOrName): Column {
  return callWith('corr', [colArg(col1), colArg(col2)]);
}

/**
 * The cosine (radians).
 */
export function cos(col: ColumnOrName): Column {
  return callWith('cos', [colArg(col)]);
}

/**
 * The number of rows where the condition is true (NULL and false are not counted).
 */
export function count_if(col: ColumnOrName): Column {
  return callWith('count_if', [colArg(col)]);
}

/**
 * The population covariance of two columns (rows with a NULL left out).
 */
export function covar_pop(col1: ColumnOrName, col2: ColumnOrName): Column {
  return callWith('covar_pop', [colArg(col1), colArg(col2)]);
}

/**
 * The sample covariance of two columns (rows with a NULL left out; NULL for a single pair).
 */
export function covar_samp(col1: ColumnOrName, col2: ColumnOrName): Column {
  return callWith('covar_samp', [colArg(col1), colArg(col2)]);
}

/**
 * The CRC-32 checksum of the bytes (of a string's UTF-8 bytes).
 */
export function crc32(col: ColumnOrName): Column {
  return callWith('crc32', [colArg(col)]);
}

/**
 * A map from alternating key and value columns: `create_map("k1", "v1", "k2", "v2")`.
 *
 * Example: `map('a', 1, 'b', 2)` gives `{a -> 1, b -> 2}`.
 */
export function create_map(...cols: (ColumnOrName | ColumnOrName[])[]): Column {
  return callWith('map', [colsArg(cols)]);
}

/**
 * The date the micro-batch started.
 */
export function current_date(): Column {
  return callWith('current_date', []);
}

/**
 * The time the micro-batch started (the same for every row of a batch).
 */
export function current_timestamp(): Column {
  return callWith('current_timestamp', []);
}

/**
 * The date `days` days after `start`.
 *
 * Example: `date_add('2024-02-28', 2)` gives `2024-03-01`.
 */
export function date_add(start: ColumnOrName, days: ColumnOrName | number): Column {
  return callWith('date_add', [colArg(start), colOrNumberArg(days)]);
}

/**
 * The timestamp as text in a datetime pattern (`yyyy-MM-dd HH:mm`).
 *
 * Example: `date_format('2024-03-10 10:00:05', 'dd/MM/yyyy HH:mm')` gives `10/03/2024 10:00`.
 */
export function date_format(date: ColumnOrName, format: string): Column {
  return callWith('date_format', [colArg(date), valueArg(format)]);
}

/**
 * The date `days` days before `start`.
 */
export function date_sub(start: ColumnOrName, days: ColumnOrName | number): Column {
  return callWith('date_sub', [colArg(start), colOrNumberArg(days)]);
}

/**
 * The timestamp truncated to a unit: year, quarter, month, week, day, hour, minute, second, millisecond, microsecond.
 *
 * Example: `date_trunc('hour', '2024-03-10 10:42:05')` gives `2024-03-10 10:00:00`.
 */
export function date_trunc(format: string, timestamp: ColumnOrName): Column {
  return callWith('date_trunc', [valueArg(format), colArg(timestamp)]);
}

/**
 * The number of days from `start` to `end`.
 */
export function datediff(end: ColumnOrName, start: ColumnOrName): Column {
  return callWith('datediff', [colArg(end), colArg(start)]);
}

/**
 * The day of the month.
 */
export function day(col: ColumnOrName): Column {
  return callWith('day', [colArg(col)]);
}

/**
 * The day of the month.
 */
export function dayofmonth(col: ColumnOrName): Column {
  return callWith('dayofmonth', [colArg(col)]);
}

/**
 * The day of the week, 1 (Sunday) to 7 (Saturday).
 */
export function dayofweek(col: ColumnOrName): Column {
  return callWith('dayofweek', [colArg(col)]);
}

/**
 * The day of the year (1–366).
 */
export function dayofyear(col: ColumnOrName): Column {
  return callWith('dayofyear', [colArg(col)]);
}

/**
 * Radians to degrees.
 */
export function degrees(col: ColumnOrName): Column {
  return callWith('degrees', [colArg(col)]);
}

/**
 * Euler's number.
 */
export function e(): Column {
  return callWith('e', []);
}

/**
 * The element at a 1-based index of an array (negative counts from the end), or the value of a key of a map.
 *
 * Example: `element_at(array(1, 2, 3), -1)` gives `3`.
 */
export function element_at(col: ColumnOrName, extraction: unknown): Column {
  return callWith('element_at', [colArg(col), valueArg(extraction)]);
}

/**
 * e raised to the value.
 */
export function exp(col: ColumnOrName): Column {
  return callWith('exp', [colArg(col)]);
}

/**
 * One row per element of an array (or key and value of a map); rows with an empty or NULL collection are dropped.
 */
export function explode(col: ColumnOrName): Column {
  return callWith('explode', [colArg(col)]);
}

/**
 * One row per element of an array (or key and value of a map); an empty or NULL collection gives one row of NULL.
 */
export function explode_outer(col: ColumnOrName): Column {
  return callWith('explode_outer', [colArg(col)]);
}

/**
 * The largest integer not greater than the value.
 *
 * Example: `floor(-0.1)` gives `-1`.
 */
export function floor(col: ColumnOrName): Column {
  return callWith('floor', [colArg(col)]);
}

/**
 * The number with grouped thousands and `d` decimal places (`1,234.50`).
 *
 * Example: `format_number(1234.5, 2)` gives `1,234.50`.
 */
export function format_number(col: ColumnOrName, d: number): Column {
  return callWith('format_number', [colArg(col), valueArg(d)]);
}

/**
 * java.util.Formatter-style formatting: `format_string("%s: %.1f", "node", "temp")`.
 */
export function format_string(format: string, ...cols: (ColumnOrName | ColumnOrName[])[]): Column {
  return callWith('format_string', [valueArg(format), colsArg(cols)]);
}

/**
 * Seconds since the epoch as text in `format`.
 *
 * Example: `from_unixtime(0)` gives `1970-01-01 00:00:00`.
 */
export function from_unixtime(timestamp: ColumnOrName, format: string = 'yyyy-MM-dd HH:mm:ss'): Column {
  return callWith('from_unixtime', [colArg(timestamp), valueArg(format)]);
}

/**
 * Gives the wall time in zone `tz` of the timestamp read as UTC.
 *
 * Example: `from_utc_timestamp('2024-03-10 09:00:00', 'Europe/Paris')` gives `2024-03-10 10:00:00`.
 */
export function from_utc_timestamp(timestamp: ColumnOrName, tz: Column | string): Column {
  return callWith('from_utc_timestamp', [colArg(timestamp), colOrLiteralArg(tz)]);
}

/**
 * The value at a JSON path (`$.a.b[0]`, `$['k']`, `[*]`) as a string, NULL when nothing is there, the text is not JSON or the path is not one Spark reads.
 *
 * Example: `get_json_object('{"a": {"b": [1, 2]}}', '$.a.b[1]')` gives `2`.
 */
export function get_json_object(col: ColumnOrName, path: string): Column {
  return callWith('get_json_object', [colArg(col), valueArg(path)]);
}

/**
 * The greatest value of the columns, skipping nulls.
 */
export function greatest(...cols: (ColumnOrName | ColumnOrName[])[]): Column {
  return callWith('greatest', [colsArg(cols)]);
}

/**
 * Spark's Murmur3 hash (seed 42) of the columns, as an int.
 *
 * Example: `hash('Spark')` gives `228093765`.
 */
export function hash(...cols: (ColumnOrName | ColumnOrName[])[]): Column {
  return callWith('hash', [colsArg(cols)]);
}

/**
 * A number (two's complement for negatives), string or binary value in hexadecimal.
 */
export function hex(col: ColumnOrName): Column {
  return callWith('hex', [colArg(col)]);
}

/**
 * The hour of the day (0–23).
 */
export function hour(col: ColumnOrName): Column {
  return callWith('hour', [colArg(col)]);
}

/**
 * `col1` unless it is NULL, else `col2`.
 */
export function ifnull(col1: ColumnOrName, col2: ColumnOrName): Column {
  return callWith('ifnull', [colArg(col1), colArg(col2)]);
}

/**
 * `str ILIKE pattern`: LIKE ignoring case (`%` any text, `_` one character).
 *
 * Example: `ilike('Spark', '_PARK')` gives `true`.
 */
export function ilike(str: ColumnOrName, pattern: ColumnOrName, escapeChar?: ColumnOrName): Column {
  return callWith('ilike', [colArg(str), colArg(pattern), colArg(escapeChar)]);
}

/**
 * Each word with its first letter in upper case and the rest in lower case.
 */
export function initcap(col: ColumnOrName): Column {
  return callWith('initcap', [colArg(col)]);
}

/**
 * The 1-based position of the first `substr` in the string, 0 when absent.
 */
export function instr(str: ColumnOrName, substr: string): Column {
  return callWith('instr', [colArg(str), valueArg(substr)]);
}

/**
 * Whether the value is NaN (false for NULL).
 *
 * Example: `isnan(CAST('NaN' AS DOUBLE))` gives `true`.
 */
export function isnan(col: ColumnOrName): Column {
  return callWith('isnan', [colArg(col)]);
}

/**
 * Whether the value is not NULL.
 */
export function isnotnull(col: ColumnOrName): Column {
  return callWith('isnotnull', [colArg(col)]);
}

/**
 * The last day of the month of the date.
 */
export function last_day(date: ColumnOrName): Column {
  return callWith('last_day', [colArg(date)]);
}

/**
 * The string in lower case.
 *
 * Example: `lower('Spark')` gives `spark`.
 */
export function lcase(col: ColumnOrName): Column {
  return callWith('lcase', [colArg(col)]);
}

/**
 * The least value of the columns, skipping nulls.
 */
export function least(...cols: (ColumnOrName | ColumnOrName[])[]): Column {
  return callWith('least', [colsArg(cols)]);
}

/**
 * The number of characters of a string, or of bytes of a binary value.
 *
 * Example: `length('Spark')` gives `5`.
 */
export function length(col: ColumnOrName): Column {
  return callWith('length', [colArg(col)]);
}

/**
 * The Levenshtein (edit) distance between two strings; -1 when it is over `threshold`.
 *
 * Example: `levenshtein('kitten', 'sitting')` gives `3`.
 */
export function levenshtein(left: ColumnOrName, right: ColumnOrName, threshold?: number): Column {
  return callWith('levenshtein', [colArg(left), colArg(right), valueArg(threshold)]);
}

/**
 * The natural logarithm (NULL for values <= 0).
 */
export function ln(col: ColumnOrName): Column {
  return callWith('ln', [colArg(col)]);
}

/**
 * The 1-based position of the first `substr` at or after `pos`, 0 when absent.
 */
export function locate(substr: string, str: ColumnOrName, pos: number = 1): Column {
  return callWith('locate', [valueArg(substr), colArg(str), valueArg(pos)]);
}

/**
 * The logarithm in base 10 (NULL for values <= 0).
 */
export function log10(col: ColumnOrName): Column {
  return callWith('log10', [colArg(col)]);
}

/**
 * ln(1 + value) (NULL for values <= -1).
 */
export function log1p(col: ColumnOrName): Column {
  return callWith('log1p', [colArg(col)]);
}

/**
 * The logarithm in base 2 (NULL for values <= 0).
 */
export function log2(col: ColumnOrName): Column {
  return callWith('log2', [colArg(col)]);
}

/**
 * The string in lower case.
 *
 * Example: `lower('Spark')` gives `spark`.
 */
export function lower(col: ColumnOrName): Column {
  return callWith('lower', [colArg(col)]);
}

/**
 * Left-pads the string with `pad` to `len` characters (or cuts it to `len`).
 *
 * Example: `lpad('7', 3, '0')` gives `007`.
 */
export function lpad(col: ColumnOrName, len: number, pad?: string): Column {
  return callWith('lpad', [colArg(col), valueArg(len), valueArg(pad)]);
}

/**
 * The string without leading spaces.
 */
export function ltrim(col: ColumnOrName): Column {
  return callWith('ltrim', [colArg(col)]);
}

/**
 * The keys of a map, as an array.
 */
export function map_keys(col: ColumnOrName): Column {
  return callWith('map_keys', [colArg(col)]);
}

/**
 * The values of a map, as an array.
 */
export function map_values(col: ColumnOrName): Column {
  return callWith('map_values', [colArg(col)]);
}

/**
 * The greatest value of the group.
 */
export function max(col: ColumnOrName): Column {
  return callWith('max', [colArg(col)]);
}

/**
 * The MD5 digest as 32 hex digits.
 *
 * Example: `md5('Spark')` gives `8cde774d6f7333752ed72cacddb05126`.
 */
export function md5(col: ColumnOrName): Column {
  return callWith('md5', [colArg(col)]);
}

/**
 * The least value of the group.
 */
export function min(col: ColumnOrName): Column {
  return callWith('min', [colArg(col)]);
}

/**
 * The minute (0–59).
 */
export function minute(col: ColumnOrName): Column {
  return callWith('minute', [colArg(col)]);
}

/**
 * The month (1–12).
 */
export function month(col: ColumnOrName): Column {
  return callWith('month', [colArg(col)]);
}

/**
 * A struct from alternating field names and values: `named_struct("a", x, "b", y)`.
 */
export function named_struct(...cols: (ColumnOrName | ColumnOrName[])[]): Column {
  return callWith('named_struct', [colsArg(cols)]);
}

/**
 * `col1` unless it is NaN, else `col2`.
 */
export function nanvl(col1: ColumnOrName, col2: ColumnOrName): Column {
  return callWith('nanvl', [colArg(col1), colArg(col2)]);
}

/**
 * The time the micro-batch started (the same for every row of a batch).
 */
export function now(): Column {
  return callWith('now', []);
}

/**
 * NULL when both are equal, else `col1`.
 */
export function nullif(col1: ColumnOrName, col2: ColumnOrName): Column {
  return callWith('nullif', [colArg(col1), colArg(col2)]);
}

/**
 * `col1` unless it is NULL, else `col2`.
 */
export function nvl(col1: ColumnOrName, col2: ColumnOrName): Column {
  return callWith('nvl', [colArg(col1), colArg(col2)]);
}

/**
 * `col2` when `col1` is not NULL, else `col3`.
 */
export function nvl2(col1: ColumnOrName, col2: ColumnOrName, col3: ColumnOrName): Column {
  return callWith('nvl2', [colArg(col1), colArg(col2), colArg(col3)]);
}

/**
 * The number π.
 */
export function pi(): Column {
  return callWith('pi', []);
}

/**
 * The value itself (SQL `+x`).
 */
export function positive(col: ColumnOrName): Column {
  return callWith('positive', [colArg(col)]);
}

/**
 * The quarter of the year (1–4).
 */
export function quarter(col: ColumnOrName): Column {
  return callWith('quarter', [colArg(col)]);
}

/**
 * Degrees to radians.
 */
export function radians(col: ColumnOrName): Column {
  return callWith('radians', [colArg(col)]);
}

/**
 * Whether the string contains a match of the regular expression.
 */
export function regexp(str: ColumnOrName, regexp: ColumnOrName): Column {
  return callWith('regexp', [colArg(str), colArg(regexp)]);
}

/**
 * The group `idx` of the first match of the regular expression (empty string when none).
 */
export function regexp_extract(str: ColumnOrName, pattern: string, idx?: number): Column {
  return callWith('regexp_extract', [colArg(str), valueArg(pattern), valueArg(idx)]);
}

/**
 * Whether the string contains a match of the regular expression.
 */
export function regexp_like(str: ColumnOrName, regexp: ColumnOrName): Column {
  return callWith('regexp_like', [colArg(str), colArg(regexp)]);
}

/**
 * Replaces every match of the regular expression `pattern` with `replacement` (`$1` refers to a group).
 *
 * Example: `regexp_replace('100-200', '(\\d+)', 'n')` gives `n-n`.
 */
export function regexp_replace(string: ColumnOrName, pattern: string | Column, replacement: string | Column): Column {
  return callWith('regexp_replace', [colArg(string), valueArg(pattern), valueArg(replacement)]);
}

/**
 * The string repeated `n` times.
 *
 * Example: `repeat('ab', 2)` gives `abab`.
 */
export function repeat(col: ColumnOrName, n: number): Column {
  return callWith('repeat', [colArg(col), valueArg(n)]);
}

/**
 * Replaces every `search` with `replace` (nothing when left out).
 *
 * Example: `replace('a-b-c', '-', '+')` gives `a+b+c`.
 */
export function replace(src: ColumnOrName, search: ColumnOrName, replace?: ColumnOrName): Column {
  return callWith('replace', [colArg(src), colArg(search), colArg(replace)]);
}

/**
 * The string reversed.
 */
export function reverse(col: ColumnOrName): Column {
  return callWith('reverse', [colArg(col)]);
}

/**
 * Whether the string contains a match of the regular expression.
 */
export function rlike(str: ColumnOrName, regexp: ColumnOrName): Column {
  return callWith('rlike', [colArg(str), colArg(regexp)]);
}

/**
 * Rounds to `scale` decimal places, half up.
 *
 * Example: `round(2.5, 0)` gives `3`.
 */
export function round(col: ColumnOrName, scale: number = 0): Column {
  return callWith('round', [colArg(col), valueArg(scale)]);
}

/**
 * The number of the row in its window partition, from 1, in the window's order.
 */
export function row_number(): Column {
  return callWith('row_number', []);
}

/**
 * Right-pads the string with `pad` to `len` characters (or cuts it to `len`).
 *
 * Example: `rpad('7', 3, '0')` gives `700`.
 */
export function rpad(col: ColumnOrName, len: number, pad?: string): Column {
  return callWith('rpad', [colArg(col), valueArg(len), valueArg(pad)]);
}

/**
 * The string without trailing spaces.
 */
export function rtrim(col: ColumnOrName): Column {
  return callWith('rtrim', [colArg(col)]);
}

/**
 * The second (0–59).
 */
export function second(col: ColumnOrName): Column {
  return callWith('second', [colArg(col)]);
}

/**
 * The SHA-1 digest as 40 hex digits.
 */
export function sha1(col: ColumnOrName): Column {
  return callWith('sha1', [colArg(col)]);
}

/**
 * The SHA-2 digest in hex; `numBits` 224 or 256 (0 means 256). Other lengths give NULL here.
 */
export function sha2(col: ColumnOrName, numBits: number): Column {
  return callWith('sha2', [colArg(col), valueArg(numBits)]);
}

/**
 * The sign of the value: -1.0, 0.0 or 1.0.
 */
export function sign(col: ColumnOrName): Column {
  return callWith('sign', [colArg(col)]);
}

/**
 * The sign of the value: -1.0, 0.0 or 1.0.
 */
export function signum(col: ColumnOrName): Column {
  return callWith('signum', [colArg(col)]);
}

/**
 * The sine (radians).
 */
export function sin(col: ColumnOrName): Column {
  return callWith('sin', [colArg(col)]);
}

/**
 * The number of elements of an array or map (-1 for NULL).
 *
 * Example: `size(array(1, 2))` gives `2`.
 */
export function size(col: ColumnOrName): Column {
  return callWith('size', [colArg(col)]);
}

/**
 * The array sorted, ascending (NULLs first) or descending (NULLs last).
 *
 * Example: `sort_array(array(3, NULL, 1))` gives `[NULL, 1, 3]`.
 */
export function sort_array(col: ColumnOrName, asc: boolean = true): Column {
  return callWith('sort_array', [colArg(col), valueArg(asc)]);
}

/**
 * Splits the string around matches of the regular expression `pattern` (at most `limit` parts when positive).
 *
 * Example: `split('a,b,c', ',')` gives `[a, b, c]`.
 */
export function split(str: ColumnOrName, pattern: string, limit: number = -1): Column {
  return callWith('split', [colArg(str), valueArg(pattern), valueArg(limit)]);
}

/**
 * The square root.
 *
 * Example: `sqrt(4)` gives `2.0`.
 */
export function sqrt(col: ColumnOrName): Column {
  return callWith('sqrt', [colArg(col)]);
}

/**
 * The sample standard deviation (NULL for a single value).
 */
export function std(col: ColumnOrName): Column {
  return callWith('std', [colArg(col)]);
}

/**
 * The sample standard deviation (NULL for a single value).
 */
export function stddev(col: ColumnOrName): Column {
  return callWith('stddev', [colArg(col)]);
}

/**
 * The population standard deviation.
 */
export function stddev_pop(col: ColumnOrName): Column {
  return callWith('stddev_pop', [colArg(col)]);
}

/**
 * The sample standard deviation (NULL for a single value).
 */
export function stddev_samp(col: ColumnOrName): Column {
  return callWith('stddev_samp', [colArg(col)]);
}

/**
 * A struct of the columns, each field named after its column (`colN` for expressions).
 */
export function struct(...cols: (ColumnOrName | ColumnOrName[])[]): Column {
  return callWith('struct', [colsArg(cols)]);
}

/**
 * The `len` characters from the 1-based position `pos` (negative counts from the end).
 *
 * Example: `substring('Spark SQL', 1, 5)` gives `Spark`.
 */
export function substring(str: ColumnOrName, pos: number, len?: number): Column {
  return callWith('substring', [colArg(str), valueArg(pos), valueArg(len)]);
}

/**
 * The sum (bigint for integers, double otherwise).
 */
export function sum(col: ColumnOrName): Column {
  return callWith('sum', [colArg(col)]);
}

/**
 * The tangent (radians).
 */
export function tan(col: ColumnOrName): Column {
  return callWith('tan', [colArg(col)]);
}

/**
 * Microseconds since the epoch as a timestamp.
 */
export function timestamp_micros(col: ColumnOrName): Column {
  return callWith('timestamp_micros', [colArg(col)]);
}

/**
 * Milliseconds since the epoch as a timestamp.
 */
export function timestamp_millis(col: ColumnOrName): Column {
  return callWith('timestamp_millis', [colArg(col)]);
}

/**
 * Seconds since the epoch as a timestamp: a fraction keeps its microseconds (a double's are truncated, as `CAST(col AS TIMESTAMP)` does); text is refused.
 *
 * Example: `timestamp_seconds(1707128717.277745D)` gives `2024-02-05 10:25:17.277745`.
 */
export function timestamp_seconds(col: ColumnOrName): Column {
  return callWith('timestamp_seconds', [colArg(col)]);
}

/**
 * Parses text into a date, with a datetime pattern or as `CAST(col AS DATE)` does.
 *
 * Example: `to_date('10/03/2024', 'dd/MM/yyyy')` gives `2024-03-10`.
 */
export function to_date(col: ColumnOrName, format?: string): Column {
  return callWith('to_date', [colArg(col), valueArg(format)]);
}

/**
 * A struct, array or map as a JSON string (NULL fields left out).
 *
 * Example: `to_json(named_struct('a', 1))` gives `{"a":1}`.
 */
export function to_json(col: ColumnOrName, options?: unknown): Column {
  return callWith('to_json', [colArg(col), valueArg(options)]);
}

/**
 * Parses text into a timestamp, with a datetime pattern or as `CAST(col AS TIMESTAMP)` does. Zones and offsets in the text are honoured.
 *
 * Example: `to_timestamp('10/03/2024 10:00:05 +01:00', 'dd/MM/yyyy HH:mm:ss XXX')` gives `2024-03-10 09:00:05`.
 */
export function to_timestamp(col: ColumnOrName, format?: string): Column {
  return callWith('to_timestamp', [colArg(col), valueArg(format)]);
}

/**
 * Reads the timestamp as wall time in zone `tz` and gives the same instant in UTC.
 *
 * Example: `to_utc_timestamp('2024-03-10 10:00:00', 'Europe/Paris')` gives `2024-03-10 09:00:00`.
 */
export function to_utc_timestamp(timestamp: ColumnOrName, tz: Column | string): Column {
  return callWith('to_utc_timestamp', [colArg(timestamp), colOrLiteralArg(tz)]);
}

/**
 * Replaces each character of `matching` by the character at the same place in `replace` (or removes it).
 */
export function translate(srcCol: ColumnOrName, matching: string, replace: string): Column {
  return callWith('translate', [colArg(srcCol), valueArg(matching), valueArg(replace)]);
}

/**
 * The string without leading and trailing spaces.
 */
export function trim(col: ColumnOrName): Column {
  return callWith('trim', [colArg(col)]);
}

/**
 * The string in upper case.
 *
 * Example: `upper('Spark')` gives `SPARK`.
 */
export function ucase(col: ColumnOrName): Column {
  return callWith('ucase', [colArg(col)]);
}

/**
 * Microseconds since the epoch.
 */
export function unix_micros(col: ColumnOrName): Column {
  return callWith('unix_micros', [colArg(col)]);
}

/**
 * Milliseconds since the epoch (rounded down).
 */
export function unix_millis(col: ColumnOrName): Column {
  return callWith('unix_millis', [colArg(col)]);
}

/**
 * Seconds since the epoch (rounded down).
 */
export function unix_seconds(col: ColumnOrName): Column {
  return callWith('unix_seconds', [colArg(col)]);
}

/**
 * Seconds since the epoch of a timestamp, or of text in `format`; of the batch time without arguments.
 */
export function unix_timestamp(timestamp?: ColumnOrName, format: string = 'yyyy-MM-dd HH:mm:ss'): Column {
  return callWith('unix_timestamp', [colArg(timestamp), valueArg(format)]);
}

/**
 * The string in upper case.
 *
 * Example: `upper('Spark')` gives `SPARK`.
 */
export function upper(col: ColumnOrName): Column {
  return callWith('upper', [colArg(col)]);
}

/**
 * The population variance.
 */
export function var_pop(col: ColumnOrName): Column {
  return callWith('var_pop', [colArg(col)]);
}

/**
 * The sample variance (NULL for a single value).
 */
export function var_samp(col: ColumnOrName): Column {
  return callWith('var_samp', [colArg(col)]);
}

/**
 * The sample variance (NULL for a single value).
 */
export function variance(col: ColumnOrName): Column {
  return callWith('variance', [colArg(col)]);
}

/**
 * The ISO-8601 week of the year (weeks start on Monday; week 1 has the year's first Thursday).
 */
export function weekofyear(col: ColumnOrName): Column {
  return callWith('weekofyear', [colArg(col)]);
}

/**
 * The event time of a window: its end minus one microsecond, carrying the window's watermark.
 */
export function window_time(windowColumn: ColumnOrName): Column {
  return callWith('window_time', [colArg(windowColumn)]);
}

/**
 * The year.
 */
export function year(col: ColumnOrName): Column {
  return callWith('year', [colArg(col)]);
}
