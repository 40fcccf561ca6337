/**
 * percentile_approx and an aggregate's FILTER (WHERE …) clause, held to what PySpark 3.5.7 returned
 * for the same DataFrame: Spark's quantile summary (exact while twice the count is under the
 * accuracy, its own answer beyond), names with the accuracy Spark fills in, an array of percentages,
 * strings cast to DOUBLE, and Spark 3.5's errors.
 */
import { describe, expect, it } from 'vitest';
import { functions as F, SparkSession } from 'streamlab';
import { parseNamedExpression } from '../../../runtime/src/engine/plans/sql-parser.js';
import { StubCollector } from '../../../runtime/src/export/index.js';
import { columnCode } from '../../../runtime/src/export/column-code.js';

const spark = SparkSession.builder.output(() => undefined).create();
const df = spark.createDataFrame(
  [[1, 'a', 1.5], [2, 'a', null], [3, 'b', 2.5], [null, 'b', 7.0], [4, 'a', -1.0], [10, 'a', 3.25], [7, 'b', 2.5]],
  'x INT, g STRING, d DOUBLE',
);
const rows = (d: ReturnType<typeof df.select>) => d.collect().map((r) => d.columns.map((c) => r[c]));

describe('percentile_approx', () => {
  it('gives the value at each percentile, per group, as Spark does', () => {
    const r = df.groupBy('g').agg(F.percentile_approx('x', 0.5), F.percentile_approx('d', [0.25, 0.5, 0.75]), F.percentile_approx('x', 0.0, 100), F.percentile_approx('d', 1.0)).orderBy('g');
    expect(r.columns).toEqual(['g', 'percentile_approx(x, 0.5, 10000)', 'percentile_approx(d, array(0.25, 0.5, 0.75), 10000)', 'percentile_approx(x, 0.0, 100)', 'percentile_approx(d, 1.0, 10000)']);
    expect(r.dtypes.map(([, t]) => t)).toEqual(['string', 'int', 'array<double>', 'int', 'double']);
    expect(rows(r)).toEqual([['a', 2, [-1.0, 1.5, 3.25], 1, 3.25], ['b', 3, [2.5, 2.5, 7.0], 3, 7.0]]);
  });

  it('ranks by ceil(p × n) over the whole input, and follows Spark\'s summary when the accuracy is low', () => {
    const g = df.select(F.percentile_approx('x', 0.5).alias('m'), F.percentile_approx('x', 0.1), F.percentile_approx('x', 0.9), F.percentile_approx('x', 0.34), F.percentile_approx('x', 0.33));
    expect(rows(g)).toEqual([[3, 1, 10, 3, 2]]);
    const sql = df.selectExpr('percentile_approx(x, 0.5)', 'approx_percentile(d, array(0.5, 0.99))', 'percentile_approx(x, 0.5, 10)');
    expect(sql.columns).toEqual(['percentile_approx(x, 0.5, 10000)', 'approx_percentile(d, array(0.5, 0.99), 10000)', 'percentile_approx(x, 0.5, 10)']);
    // With accuracy 10, Spark's summary gives the second value where the exact answer is the third.
    expect(rows(sql)).toEqual([[3, [2.5, 7.0], 2]]);
    const alias = df.select(F.approx_percentile('x', [0.5, 0.9]));
    expect([alias.columns, rows(alias)]).toEqual([['approx_percentile(x, array(0.5, 0.9), 10000)'], [[[3, 10]]]]);
    expect(rows(df.where('x > 100').selectExpr('percentile_approx(x, 0.5)'))).toEqual([[null]]);
    const strings = df.selectExpr('percentile_approx(g, 0.5)');
    expect([strings.dtypes[0]![1], rows(strings)]).toEqual(['double', [[null]]]);
    const ids = spark.createDataFrame(Array.from({ length: 1000 }, (_, i) => [i + 1]), 'id BIGINT');
    expect(rows(ids.selectExpr('percentile_approx(id, 0.5)', 'percentile_approx(id, 0.25)', 'percentile_approx(id, array(0.01, 0.999))'))).toEqual([[500, 250, [10, 999]]]);
  });

  it('fails with Spark 3.5\'s errors', () => {
    expect(() => df.selectExpr('percentile_approx(x, 1.5)').collect()).toThrow('[DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE] Cannot resolve "percentile_approx(x, 1.5, 10000)" due to data type mismatch: The percentage must be between [0.0, 1.0] (current value = 1.5D).');
    expect(() => df.selectExpr('percentile_approx(x, 0.5, 0)').collect()).toThrow('[DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE] Cannot resolve "percentile_approx(x, 0.5, 0)" due to data type mismatch: The accuracy must be between (0, 2147483647] (current value = 0L).');
    expect(() => df.selectExpr('percentile_approx(x, d)').collect()).toThrow('[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] Cannot resolve "percentile_approx(x, d, 10000)" due to data type mismatch: the input percentage should be a foldable "DOUBLE" expression; however, got "d".');
  });
});

describe('FILTER (WHERE …)', () => {
  it('feeds an aggregate only the rows where the condition is true, named as Spark names it', () => {
    const r = df.selectExpr('count(*) FILTER (WHERE x > 1) AS n', "sum(x) FILTER (WHERE g = 'a')", 'avg(d) FILTER (WHERE d IS NOT NULL AND x < 5)');
    expect(r.columns).toEqual(['n', 'sum(x) FILTER (WHERE (g = a))', 'avg(d) FILTER (WHERE ((d IS NOT NULL) AND (x < 5)))']);
    expect(rows(r)).toEqual([[5, 17, 1.0]]);
    const grouped = df.groupBy('g').agg(F.expr('count(*) FILTER (WHERE x > 1)'), F.expr('max(x) FILTER (WHERE d > 2)')).orderBy('g');
    expect(grouped.columns).toEqual(['g', 'count(1) FILTER (WHERE (x > 1))', 'max(x) FILTER (WHERE (d > 2))']);
    expect(rows(grouped)).toEqual([['a', 3, 10], ['b', 2, 7]]);
  });

  it('is exported as SQL (PySpark\'s functions have no FILTER), and refused where Spark refuses it', () => {
    expect(columnCode(parseNamedExpression('count(*) FILTER (WHERE x > 1)'), { stubs: new StubCollector(), where: 'test' })).toBe('F.expr("count(*) FILTER (WHERE (x > 1))")');
    expect(() => df.selectExpr('abs(x) FILTER (WHERE x > 1)').collect()).toThrow('Function abs does not support FILTER clause.');
    expect(() => df.selectExpr('count(*) FILTER (WHERE x)').collect()).toThrow('FILTER expression is not of type boolean. It cannot be used in an aggregate function.');
  });
});
