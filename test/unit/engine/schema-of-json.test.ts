/**
 * schema_of_json against what PySpark 3.5.7 returned for the same texts: fields ordered by name,
 * whole numbers BIGINT (DECIMAL beyond a long), others DOUBLE, NULL and mixed arrays STRING, empty
 * structs dropped, single quotes read; a text that is not constant JSON is refused where it is written.
 */
import { describe, expect, it } from 'vitest';
import { functions as F, SparkSession } from 'streamlab';

/** Text → what Spark returned for `schema_of_json(lit(text))`. */
const spark35: Record<string, string> = {
  '{"a": 1}': 'STRUCT<a: BIGINT>',
  '{"b": "x", "a": 1.5, "c": true, "d": null}': 'STRUCT<a: DOUBLE, b: STRING, c: BOOLEAN, d: STRING>',
  '{"a": [1, 2.5]}': 'STRUCT<a: ARRAY<DOUBLE>>',
  '[{"a": 1}, {"b": 2}]': 'ARRAY<STRUCT<a: BIGINT, b: BIGINT>>',
  '{"n": {"z": 1, "y": [{"q": "s"}]}}': 'STRUCT<n: STRUCT<y: ARRAY<STRUCT<q: STRING>>, z: BIGINT>>',
  '{"a": []}': 'STRUCT<a: ARRAY<STRING>>',
  '{"a": 12345678901234567890}': 'STRUCT<a: DECIMAL(20,0)>',
  '1': 'BIGINT',
  '"s"': 'STRING',
  '{"a": 1E3}': 'STRUCT<a: DOUBLE>',
  '{\'a\': 1}': 'STRUCT<a: BIGINT>',
  '{"a": [1, "x"]}': 'STRUCT<a: ARRAY<STRING>>',
  '{"a": [null]}': 'STRUCT<a: ARRAY<STRING>>',
  '{"a": 1e400}': 'STRUCT<a: DOUBLE>',
  '{"a": {}}': 'STRUCT<>',
  '{"A": 1, "a": 2}': 'STRUCT<A: BIGINT, a: BIGINT>',
};

const spark = SparkSession.builder.output(() => undefined).create();
const one = spark.createDataFrame([[1]], 'x INT');

describe('schema_of_json', () => {
  it.each(Object.entries(spark35))('%s', (text, expected) => {
    const df = one.select(F.schema_of_json(text));
    expect(df.columns).toEqual([`schema_of_json(${text})`]);
    expect(df.collect()[0]![df.columns[0]!]).toBe(expected);
  });

  it('reads SQL text, and refuses a column or a text that is not JSON', () => {
    const sql = one.selectExpr(`schema_of_json('{"a": 1}')`);
    expect([sql.columns, sql.collect()[0]!['schema_of_json({"a": 1})']]).toEqual([['schema_of_json({"a": 1})'], 'STRUCT<a: BIGINT>']);
    const texts = spark.createDataFrame([['{"a":1}']], 'j STRING');
    expect(() => texts.select(F.schema_of_json(F.col('j'))).collect()).toThrow('[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT]');
    expect(() => one.select(F.schema_of_json('not json')).collect()).toThrow('schema_of_json needs a constant JSON text, but got not json.');
  });
});
