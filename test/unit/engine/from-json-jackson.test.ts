/**
 * `from_json` reads its text as Spark 3.5's JacksonParser does, held to what PySpark 3.5.7 collected
 * for the same inputs (`F.from_json("value", schema)` with the default options):
 * - a number read as a STRING is written back as Jackson copies it: `1.0` stays "1.0", an integer
 *   keeps every digit, a nested object keeps its keys in order with doubles as Java prints them;
 * - only a number written as an integer is read for an integral type, and only when it fits it;
 *   seconds for a timestamp likewise;
 * - field names match exactly; a key given twice keeps its last value;
 * - only the first value of the text is read; single quotes and `NaN` are read; leading zeros, comments,
 *   unquoted names and raw control characters in strings make the record malformed.
 */
import { describe, expect, it } from 'vitest';
import { functions as F, SparkSession } from 'streamlab';

/** The schema's one field, per record, as `collect()` gives it. */
function collected(values: string[], schema: string): unknown[] {
  const spark = SparkSession.builder.create();
  const df = spark.createDataFrame(values.map((v) => [v]), 'value STRING');
  const field = schema.split(' ')[0];
  return df.select(F.from_json('value', schema).alias('d')).select('d.*').collect().map((r) => (r as unknown as Record<string, unknown>)[field]);
}

describe('from_json reads as Jackson reads (PySpark 3.5.7)', () => {
  it('writes numbers, arrays and objects back as text for a STRING field', () => {
    const values = ['{"a":1.0}', '{"a":12345678901234567890}', '{"a":{"b":1.0,"c":[2.50, 1e3, -0, 1E400]}}', '{"a":1.0,"z":"\\u00e9"}',
      '{"a":2.50,"z":"caf\u00e9"}', '{"a":[1.0, "x\\"y", true, null]}', '{"a":-0.0}', '{"a":1e400}', '{"a":9007199254740993}',
      '{"a":0.1, "b": "\\n"}', "{'a': 1.0}", '{"a":1707128717.277745}'];
    expect(collected(values, 'a STRING')).toEqual(['1.0', '12345678901234567890', '{"b":1.0,"c":[2.5,1000.0,0,"Infinity"]}', '1.0',
      '2.5', '[1.0,"x\\"y",true,null]', '-0.0', '"Infinity"', '9007199254740993', '0.1', '1.0', '1.707128717277745E9']);
  });

  const values = ['{"b":1.0}', '{"b":1e3}', '{"b":2147483648}', '{"b":9223372036854775808}', '{"b":-0}', '{"b":NaN}', '{"b":"12"}', '{"b":1} x',
    '{"b":1}{"b":2}', '{"b":1,"b":2}', '{"B":3}', '{"b":1, "B":3}', '{"B":3, "b":1}', '{"b":01}', "{'b':5}", '{b:5}', '{"b":1 /* c */}', '{"b":"a\tb"}'];

  it.each([
    ['INT', [null, null, null, null, 0, null, null, 1, 1, 2, null, 1, 1, null, 5, null, null, null]],
    ['BIGINT', [null, null, 2147483648, null, 0, null, null, 1, 1, 2, null, 1, 1, null, 5, null, null, null]],
    ['TIMESTAMP', [null, null, 2147483648, null, 0, null, null, 1, 1, 2, null, 1, 1, null, 5, null, null, null].map((s) => (s === null ? null : new Date(s * 1000)))],
    ['DOUBLE', [1, 1000, 2147483648, 9223372036854775808, 0, NaN, null, 1, 1, 2, null, 1, 1, null, 5, null, null, null]],
    ['STRING', ['1.0', '1000.0', '2147483648', '9223372036854775808', '0', '"NaN"', '12', '1', '1', '2', null, '1', '1', null, '5', null, null, null]],
  ])('reads each record for a %s field as Spark does', (type, want) => {
    expect(collected(values, `b ${type}`)).toEqual(want);
  });

  it('reads small integral types only within their range', () => {
    expect(collected(['{"b":127}', '{"b":128}', '{"b":-128}', '{"b":1.0}'], 'b TINYINT')).toEqual([127, null, -128, null]);
    expect(collected(['{"b":32767}', '{"b":32768}'], 'b SMALLINT')).toEqual([32767, null]);
  });
});
