/**
 * Generators in a projection, against what PySpark 3.5.7 printed for the same `selectExpr`: the
 * columns `explode` and `posexplode` give for arrays and maps, and the refusal of a generator
 * nested in an expression.
 */
import { describe, expect, it } from 'vitest';
import { SparkSession } from 'streamlab';

const spark = SparkSession.builder.output(() => undefined).create();
const df = spark.createDataFrame([[1]], 'x INT').selectExpr("map('a', 1, 'b', 2) AS m", 'array(10, 20) AS xs');
const run = (e: string): { columns: string[]; rows: unknown[] } => {
  const d = df.selectExpr('1 AS one', e);
  return { columns: d.columns, rows: d.collect() };
};

describe('generators', () => {
  it('explode a map into key and value, posexplode after pos', () => {
    expect(run('explode(m)')).toEqual({ columns: ['one', 'key', 'value'], rows: [{ one: 1, key: 'a', value: 1 }, { one: 1, key: 'b', value: 2 }] });
    expect(run('posexplode(m)')).toEqual({ columns: ['one', 'pos', 'key', 'value'], rows: [{ one: 1, pos: 0, key: 'a', value: 1 }, { one: 1, pos: 1, key: 'b', value: 2 }] });
    expect(run('posexplode(xs)')).toEqual({ columns: ['one', 'pos', 'col'], rows: [{ one: 1, pos: 0, col: 10 }, { one: 1, pos: 1, col: 20 }] });
    expect(run('explode_outer(m)')).toEqual({ columns: ['one', 'key', 'value'], rows: [{ one: 1, key: 'a', value: 1 }, { one: 1, key: 'b', value: 2 }] });
    expect(run('explode(m) AS (k, v)').columns).toEqual(['one', 'k', 'v']);
    expect(run('explode(xs) AS n').rows).toEqual([{ one: 1, n: 10 }, { one: 1, n: 20 }]);
  });

  it('keeps a row of NULLs for an empty map only when outer', () => {
    const none = spark.createDataFrame([[1]], 'x INT').selectExpr('CAST(NULL AS MAP<STRING, INT>) AS m');
    expect(none.selectExpr('explode_outer(m)').collect()).toEqual([{ key: null, value: null }]);
    expect(none.selectExpr('posexplode_outer(m)').collect()).toEqual([{ pos: null, key: null, value: null }]);
    expect(none.selectExpr('explode(m)').collect()).toEqual([]);
  });

  it('refuses a generator inside an expression in Spark\'s words', () => {
    expect(() => df.selectExpr('explode(xs) + 1')).toThrow('[UNSUPPORTED_GENERATOR.NESTED_IN_EXPRESSIONS] The generator is not supported: nested in expressions "(explode(xs) + 1)".');
    // Spark names this one "concat(json_tuple({}, a), x)"; `||` is still printed as written here.
    expect(() => df.selectExpr("json_tuple('{}', 'a') || 'x'")).toThrow('[UNSUPPORTED_GENERATOR.NESTED_IN_EXPRESSIONS] The generator is not supported: nested in expressions "');
  });
});
