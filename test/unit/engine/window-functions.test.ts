/**
 * Window functions over static DataFrames (`F.avg("x").over(Window.partitionBy(...).orderBy(...)
 * .rowsBetween(...))`, `lag`, `lead`, `row_number`), held to what PySpark 3.5.7 printed for the same
 * DataFrame: column names with the frame Spark resolves, values per row (ties keep their input order,
 * NULL keys make a partition of their own), and Spark's errors where a window is misused.
 */
import { describe, expect, it } from 'vitest';
import { functions as F, MemoryStream, SparkSession, Window } from 'streamlab';

const spark = SparkSession.builder.output(() => undefined).create();
const df = spark.createDataFrame(
  [['a', 1, 1.0], ['a', 2, 4.0], ['a', 2, 5.0], ['a', 4, null], ['a', 5, 8.0], ['b', 1, 2.0], ['b', 3, 6.0], [null, 1, 3.0]],
  'g STRING, d INT, x DOUBLE',
);
const w = Window.partitionBy('g').orderBy('d');

describe('window functions', () => {
  it('name and compute each window expression as Spark does', () => {
    const r = df.select('g', 'd', 'x',
      F.avg('x').over(w.rowsBetween(-2, 0)),
      F.lag('x').over(w),
      F.lag('x', 2, 0).over(w),
      F.lead('x').over(w),
      F.row_number().over(w),
      F.sum('x').over(w),
      F.count('x').over(Window.partitionBy('g')),
      F.max('x').over(w.rowsBetween(Window.unboundedPreceding, Window.unboundedFollowing)),
      F.avg('x').over(Window.orderBy(F.col('d').desc()).rowsBetween(-1, 1)),
      F.stddev('x').over(w.rowsBetween(-2, 0)),
      F.first('x').over(w.rangeBetween(Window.unboundedPreceding, Window.currentRow)),
      F.col('x').minus(F.lag('x').over(w)).alias('diff'),
    );
    expect(r.columns).toEqual(['g', 'd', 'x',
      'avg(x) OVER (PARTITION BY g ORDER BY d ASC NULLS FIRST ROWS BETWEEN -2 FOLLOWING AND CURRENT ROW)',
      'lag(x, 1, NULL) OVER (PARTITION BY g ORDER BY d ASC NULLS FIRST ROWS BETWEEN -1 FOLLOWING AND -1 FOLLOWING)',
      'lag(x, 2, 0) OVER (PARTITION BY g ORDER BY d ASC NULLS FIRST ROWS BETWEEN -2 FOLLOWING AND -2 FOLLOWING)',
      'lead(x, 1, NULL) OVER (PARTITION BY g ORDER BY d ASC NULLS FIRST ROWS BETWEEN 1 FOLLOWING AND 1 FOLLOWING)',
      'row_number() OVER (PARTITION BY g ORDER BY d ASC NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)',
      'sum(x) OVER (PARTITION BY g ORDER BY d ASC NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)',
      'count(x) OVER (PARTITION BY g ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)',
      'max(x) OVER (PARTITION BY g ORDER BY d ASC NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)',
      'avg(x) OVER (ORDER BY d DESC NULLS LAST ROWS BETWEEN -1 FOLLOWING AND 1 FOLLOWING)',
      'stddev(x) OVER (PARTITION BY g ORDER BY d ASC NULLS FIRST ROWS BETWEEN -2 FOLLOWING AND CURRENT ROW)',
      'first(x) OVER (PARTITION BY g ORDER BY d ASC NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)',
      'diff',
    ]);
    const rows = r.orderBy('g', 'd', 'x').collect().map((row) => r.columns.map((c) => row[c]));
    expect(rows).toEqual([
      [null, 1, 3.0, 3.0, null, 0.0, null, 1, 3.0, 1, 3.0, 2.5, null, 3.0, null],
      ['a', 1, 1.0, 1.0, null, 0.0, 4.0, 1, 1.0, 4, 8.0, 2.6666666666666665, null, 1.0, null],
      ['a', 2, 4.0, 2.5, 1.0, 0.0, 5.0, 2, 10.0, 4, 8.0, 5.0, 2.1213203435596424, 1.0, 3.0],
      ['a', 2, 5.0, 3.3333333333333335, 4.0, 1.0, null, 3, 10.0, 4, 8.0, 3.3333333333333335, 2.0816659994661326, 1.0, 1.0],
      ['a', 4, null, 4.5, 5.0, 4.0, 8.0, 4, 10.0, 4, 8.0, 7.0, 0.7071067811865476, 1.0, null],
      ['a', 5, 8.0, 6.5, null, 5.0, null, 5, 18.0, 4, 8.0, 8.0, 2.1213203435596424, 1.0, null],
      ['b', 1, 2.0, 2.0, null, 0.0, 6.0, 1, 2.0, 2, 6.0, 2.0, null, 2.0, null],
      ['b', 3, 6.0, 4.0, 2.0, 0.0, null, 2, 8.0, 2, 6.0, 5.0, 2.8284271247461903, 2.0, 4.0],
    ]);
  });

  it('work through withColumn and leave no hidden columns behind', () => {
    const r = df.filter(F.col('g').eqNullSafe('b')).withColumn('prev', F.lag('x').over(w));
    expect(r.columns).toEqual(['g', 'd', 'x', 'prev']);
    expect(r.collect()).toEqual([{ g: 'b', d: 1, x: 2.0, prev: null }, { g: 'b', d: 3, x: 6.0, prev: 2.0 }]);
  });

  it("refuse misuse with Spark's errors", () => {
    expect(() => df.select(F.lag('x')).collect()).toThrow('[WINDOW_FUNCTION_WITHOUT_OVER_CLAUSE] Window function "lag(x, 1, NULL)" requires an OVER clause.');
    expect(() => df.select(F.lag('x').over(Window.partitionBy('g'))).collect()).toThrow('Window function lag(x, 1, NULL) requires window to be ordered, please add ORDER BY clause.');
    expect(() => df.select(F.row_number().over(Window.partitionBy('g')))).toThrow('Window function row_number() requires window to be ordered, please add ORDER BY clause.');
    expect(() => df.filter(F.lag('x').over(w).gt(1))).toThrow('It is not allowed to use window functions inside WHERE clause.');
  });

  it('refuse a window function on a stream when it starts', () => {
    const ms = new MemoryStream('value BIGINT, timestamp TIMESTAMP', spark);
    const q = () => ms.toDF().select(F.lag('value').over(Window.orderBy('timestamp'))).writeStream.format('memory').queryName('lagged').start();
    expect(q).toThrow('[NON_TIME_WINDOW_NOT_SUPPORTED_IN_STREAMING] Window function is not supported in lag(value, 1, NULL) (as column `lag(value, 1, NULL) OVER (ORDER BY timestamp ASC NULLS FIRST ROWS BETWEEN -1 FOLLOWING AND -1 FOLLOWING)`) on streaming DataFrames/Datasets.');
  });
});
