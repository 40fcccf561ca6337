/** Type coercion, casts and NULL handling of compiled expressions and aggregates (Spark non-ANSI rules). */
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { functions as F, SparkSession } from 'streamlab';
import { renderRows } from '../../../runtime/src/testing/render.js';

const spark = SparkSession.builder.output(() => undefined).create();

function eval1(expr: string, rows: unknown[][] = [[1]], schema = 'x INT'): unknown[] {
  const df = spark.createDataFrame(rows, schema).selectExpr(expr);
  return renderRows(df.collectInternal(), df.schema).map((r) => r[0]);
}

function typeOf(expr: string, schema = 'x INT'): string {
  return spark.createDataFrame([], schema).selectExpr(expr).schema.fields[0].dataType.simpleString();
}

describe('arithmetic and comparison coercion', () => {
  it('keeps integral arithmetic integral, wraps int overflow, and makes / a double', () => {
    expect(typeOf('x + 1')).toBe('int');
    expect(typeOf('x + 1L')).toBe('bigint');
    expect(typeOf('x * 1.5D')).toBe('double');
    expect(typeOf('x / 2')).toBe('double');
    expect(eval1('x / 2', [[7]])).toEqual([3.5]);
    expect(eval1('x + 1', [[2147483647]])).toEqual([-2147483648]);
    expect(eval1('x % 3', [[-7]])).toEqual([-1]);
    expect(eval1('x DIV 2', [[7]])).toEqual([3]);
  });

  it('returns NULL for division by zero and for NULL operands', () => {
    expect(eval1('x / 0', [[1]])).toEqual([null]);
    expect(eval1('x % 0', [[1]])).toEqual([null]);
    expect(eval1('x + 1', [[null]])).toEqual([null]);
    expect(eval1('x > 1', [[null]])).toEqual([null]);
  });

  it('casts strings for comparisons with numbers and timestamps', () => {
    expect(eval1("x = '1'", [[1]])).toEqual([true]);
    expect(eval1("ts > '2016-03-27 19:39:30'", [['2016-03-27T19:39:34Z']], 'ts TIMESTAMP')).toEqual([true]);
    expect(typeOf("x + '1'")).toBe('double');
  });

  it('uses three-valued logic for AND / OR / NOT and IN', () => {
    expect(eval1('NULL AND false')).toEqual([false]);
    expect(eval1('NULL AND true')).toEqual([null]);
    expect(eval1('NULL OR true')).toEqual([true]);
    expect(eval1('NOT (x > 1)', [[null]])).toEqual([null]);
    expect(eval1('x IN (1, NULL)', [[2]])).toEqual([null]);
    expect(eval1('x IN (1, NULL)', [[1]])).toEqual([true]);
    expect(eval1('x <=> NULL', [[null]])).toEqual([true]);
  });
});

describe('casts', () => {
  it('turns unparsable strings into NULL', () => {
    expect(eval1('CAST(s AS INT)', [['12'], ['1.9'], ['abc'], [null]], 's STRING')).toEqual([12, 1, null, null]);
    expect(eval1('CAST(s AS DOUBLE)', [['2.5'], ['x']], 's STRING')).toEqual([2.5, null]);
    expect(eval1('CAST(s AS BOOLEAN)', [['yes'], ['0'], ['maybe']], 's STRING')).toEqual([true, false, null]);
    expect(eval1('CAST(s AS TIMESTAMP)', [['2016-03-27 09:00:00.4'], ['nope']], 's STRING')).toEqual(['2016-03-27 09:00:00.4', null]);
  });

  it('treats numbers as epoch seconds for timestamps and floors timestamps back to seconds', () => {
    expect(eval1('CAST(x AS TIMESTAMP)', [[15]])).toEqual(['1970-01-01 00:00:15']);
    expect(eval1('CAST(CAST(x AS TIMESTAMP) AS LONG)', [[-1]])).toEqual([-1]);
    expect(eval1('CAST(ts AS LONG)', [['1969-12-31T23:59:59.5Z']], 'ts TIMESTAMP')).toEqual([-1]);
  });

  it("renders doubles and timestamps as Spark's strings", () => {
    expect(eval1('CAST(d AS STRING)', [[1], [0.1], [1e20], [1e-5]], 'd DOUBLE')).toEqual(['1.0', '0.1', '1.0E20', '1.0E-5']);
    expect(eval1('CAST(ts AS STRING)', [['2016-03-27T09:00:00.240Z']], 'ts TIMESTAMP')).toEqual(['2016-03-27 09:00:00.24']);
  });
});

describe('functions and NULLs', () => {
  it('coalesce, concat and concat_ws follow their NULL rules', () => {
    expect(eval1('coalesce(a, b, 0)', [[null, 2], [null, null]], 'a INT, b INT')).toEqual([2, 0]);
    expect(eval1("concat(a, '-', b)", [['x', null]], 'a STRING, b STRING')).toEqual([null]);
    expect(eval1("concat_ws('-', a, b)", [['x', null]], 'a STRING, b STRING')).toEqual(['x']);
  });

  it('from_json is PERMISSIVE: malformed input gives a struct of NULLs, NULL input gives NULL', () => {
    const df = spark.createDataFrame([['{"a": 1, "b": "x"}'], ['not json'], [null]], 's STRING')
      .select(F.from_json('s', 'a INT, b STRING').alias('j'));
    expect(renderRows(df.collectInternal(), df.schema)).toEqual([[[1, 'x']], [[null, null]], [null]]);
  });

  it('aggregates ignore NULLs; sum of no values is NULL and count of a column counts non-NULLs', () => {
    const df = spark.createDataFrame([['a', null], ['a', null], ['b', 2], ['b', 4]], 'k STRING, v INT')
      .groupBy('k').agg(F.sum('v').alias('s'), F.avg('v').alias('a'), F.count('v').alias('c'), F.count('*').alias('n'), F.max('v').alias('m'));
    expect(renderRows(df.collectInternal(), df.schema)).toEqual([['a', null, null, 0, 2, null], ['b', 6, 3, 2, 2, 4]]);
    expect(df.schema.fields.map((f) => f.dataType.simpleString())).toEqual(['string', 'bigint', 'double', 'bigint', 'bigint', 'int']);
  });

  it('groups NULL keys together', () => {
    const df = spark.createDataFrame([[null], [null], [1]], 'k INT').groupBy('k').count();
    expect(renderRows(df.collectInternal(), df.schema)).toEqual([[null, 2], [1, 1]]);
  });

  it('names an unknown column in the error', () => {
    expect(() => spark.createDataFrame([], 'x INT').selectExpr('y + 1')).toThrow('A column or function parameter with name `y` cannot be resolved. Did you mean one of the following? [`x`].');
  });
});

describe('values from the learner\'s realm', () => {
  it('reads a Date made in another vm context (a pipeline\'s own Date) as the same instant', () => {
    const foreign = vm.runInNewContext('[new Date(1500), new Date(86400000 * 3)]') as unknown[];
    expect(foreign[0] instanceof Date).toBe(false);
    const df = spark.createDataFrame([[foreign[0], foreign[1]]], 'ts TIMESTAMP, d DATE').selectExpr('CAST(ts AS DOUBLE)', 'CAST(d AS STRING)');
    expect(renderRows(df.collectInternal(), df.schema)).toEqual([[1.5, '1970-01-04']]);
  });
});

describe('epoch seconds to timestamps (Spark 3.5.7, checked on PySpark)', () => {
  // The count-by-origin tutorial's events carry `timestamp` as epoch seconds with a fraction.
  const TUTORIAL = 1707128717.277745;

  it('casts a double as (d * 1000000).toLong: truncated toward zero, NaN and infinities NULL', () => {
    expect(eval1('CAST(d AS TIMESTAMP)', [[TUTORIAL], [-1.0000005], [0.0000019], [Number.NaN], [Number.POSITIVE_INFINITY], [null]], 'd DOUBLE'))
      .toEqual(['2024-02-05 10:25:17.277745', '1969-12-31 23:59:59', '1970-01-01 00:00:00.000001', null, null, null]);
    expect(eval1('CAST(f AS TIMESTAMP)', [[1.5]], 'f FLOAT')).toEqual(['1970-01-01 00:00:01.5']);
    // Text is not read as seconds: CAST from a string wants a date-time.
    expect(eval1('CAST(s AS TIMESTAMP)', [[String(TUTORIAL)]], 's STRING')).toEqual([null]);
    expect(eval1('CAST(CAST(s AS DOUBLE) AS TIMESTAMP)', [[String(TUTORIAL)], ['1.707128717277745E9']], 's STRING'))
      .toEqual(['2024-02-05 10:25:17.277745', '2024-02-05 10:25:17.277745']);
  });

  it('reads doubles with timestamp_seconds as the cast does, integral seconds exactly', () => {
    expect(eval1('timestamp_seconds(d)', [[TUTORIAL], [-1.0000005], [Number.NaN]], 'd DOUBLE')).toEqual(['2024-02-05 10:25:17.277745', '1969-12-31 23:59:59', null]);
    expect(eval1('timestamp_seconds(x)', [[1707128717]], 'x BIGINT')).toEqual(['2024-02-05 10:25:17']);
    expect(eval1('timestamp_seconds(1.000001)')).toEqual(['1970-01-01 00:00:01.000001']);
    expect(eval1('timestamp_seconds(CAST(1.5 AS FLOAT))')).toEqual(['1970-01-01 00:00:01.5']);
    expect(typeOf('timestamp_seconds(x)')).toBe('timestamp');
  });

  it('refuses text, a decimal finer than a microsecond and seconds past a long of microseconds, as Spark does', () => {
    expect(() => spark.createDataFrame([], 's STRING').selectExpr('timestamp_seconds(s)'))
      .toThrow('[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "timestamp_seconds(s)" due to data type mismatch: Parameter 1 requires the "NUMERIC" type, however "s" has the type "STRING".');
    expect(() => eval1('timestamp_seconds(1.0000005)')).toThrow('Rounding necessary');
    expect(() => eval1('timestamp_seconds(x)', [[9223372036855]], 'x BIGINT')).toThrow('long overflow');
  });

  it('reads a JSON number into a STRING field as Jackson writes it again, and a fractional one into TIMESTAMP as NULL', () => {
    const event = '{"timestamp": 1707128717.277745, "_id": "65c0f38d16ab1d2a2c6a4cc6", "origin": "kafka-test-app-0 (10.1.29.185)"}';
    const parse = (schema: string) => eval1(`from_json(s, '${schema}')`, [[event]], 's STRING');
    expect(parse('timestamp DOUBLE, origin STRING')).toEqual([[TUTORIAL, 'kafka-test-app-0 (10.1.29.185)']]);
    expect(parse('timestamp STRING, origin STRING')).toEqual([['1.707128717277745E9', 'kafka-test-app-0 (10.1.29.185)']]);
    expect(parse('timestamp TIMESTAMP, origin STRING')).toEqual([[null, 'kafka-test-app-0 (10.1.29.185)']]);
    expect(eval1(`from_json(s, 'timestamp TIMESTAMP, n STRING')`, [['{"timestamp": 1707128717, "n": 42}']], 's STRING')).toEqual([['2024-02-05 10:25:17', '42']]);
  });

  it('reads a number into a STRING field from a Kafka value\'s bytes as from text', () => {
    const value = '{"timestamp": 1707128717.277745, "m": -0, "origin": "kafka-test-app-0 (10.1.29.185)"}';
    const schema = 'timestamp STRING, m STRING, origin STRING';
    const df = spark.createDataFrame([[new TextEncoder().encode(value)]], 'value BINARY').selectExpr(`from_json(CAST(value AS STRING), '${schema}') AS b`);
    expect(renderRows(df.collectInternal(), df.schema)).toEqual([[['1.707128717277745E9', '0', 'kafka-test-app-0 (10.1.29.185)']]]);
  });
});
