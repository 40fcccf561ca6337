/**
 * corr, covariances, standard deviations and variances, held to what PySpark 3.5.7 printed for the same
 * DataFrame (`df.groupBy("g").agg(...)`): Spark's one-pass recurrences give the same last digits, a
 * NULL in either column leaves the pair out, one value gives NULL for the sample statistics, and a
 * constant column gives a NULL correlation (Spark's `/` by zero).
 */
import { describe, expect, it } from 'vitest';
import { functions as F, SparkSession } from 'streamlab';

const spark = SparkSession.builder.output(() => undefined).create();
const df = spark.createDataFrame(
  [[1.0, 2.0, 'a'], [2.0, 4.5, 'a'], [4.0, 7.25, 'a'], [null, 1.0, 'a'], [8.5, null, 'a'], [3.0, 3.0, 'b'], [5.0, 5.0, 'c'], [5.0, 1.0, 'c']],
  'x DOUBLE, y DOUBLE, g STRING',
);

describe('statistical aggregates', () => {
  it('give what Spark gives, group by group', () => {
    const r = df.groupBy('g').agg(
      F.corr('x', 'y'), F.covar_samp('x', 'y'), F.covar_pop('x', 'y'), F.stddev('x'), F.std('x'), F.stddev_pop('x'),
      F.variance('x'), F.var_pop('x'), F.var_samp('y'), F.stddev_samp('y'),
    ).orderBy('g');
    expect(r.columns).toEqual(['g', 'corr(x, y)', 'covar_samp(x, y)', 'covar_pop(x, y)', 'stddev(x)', 'std(x)', 'stddev_pop(x)', 'var_samp(x)', 'var_pop(x)', 'var_samp(y)', 'stddev_samp(y)']);
    expect(r.collect().map((row) => r.columns.map((c) => row[c]))).toEqual([
      ['a', 0.9868032990272598, 3.958333333333334, 2.6388888888888893, 3.3260336739125176, 3.3260336739125176, 2.8804296554507283, 11.0625, 8.296875, 7.807291666666667, 2.794153121549831],
      ['b', null, null, 0, null, null, 0, null, 0, null, null],
      ['c', null, 0, 0, 0, 0, 0, 0, 0, 8, 2.8284271247461903],
    ]);
  });

  it('work as a global aggregation and in SQL text', () => {
    expect(df.selectExpr('corr(x, y)', 'stddev(x)', 'covar_samp(x, y)').collect()).toEqual([
      { 'corr(x, y)': 0.17156149603607518, 'stddev(x)': 2.456769074559977, 'covar_samp(x, y)': 0.6333333333333341 },
    ]);
  });

  it('cast text to double as Spark does', () => {
    expect(spark.createDataFrame([['1.5'], ['2.5']], 's STRING').select(F.stddev('s')).collect()).toEqual([{ 'stddev(s)': 0.7071067811865476 }]);
  });

  it('give NULL for no rows', () => {
    expect(df.filter('x > 100').select(F.corr('x', 'y'), F.stddev_pop('x')).collect()).toEqual([{ 'corr(x, y)': null, 'stddev_pop(x)': null }]);
  });
});
