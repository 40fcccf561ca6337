/**
 * Aggregate functions in a projection make a global aggregation, as Spark's analyzer does, with
 * Spark's errors where a column is neither grouped nor aggregated; what PySpark 3.5.7 printed for
 * the same DataFrames (`df.columns`, `df.collect()`, `str(error)`).
 */
import { describe, expect, it } from 'vitest';
import { functions as F, MemoryStream, SparkSession } from 'streamlab';

const spark = SparkSession.builder.output(() => undefined).create();
const df = spark.createDataFrame([[1, 2.5, 'a'], [2, 3.5, 'b'], [3, null, 'a']], 'x INT, d DOUBLE, s STRING');
const result = (d: typeof df) => ({ columns: d.columns, rows: d.collect().map((r) => d.columns.map((c) => r[c])) });

describe('global aggregation', () => {
  it('runs select and selectExpr with aggregates as one group over all rows', () => {
    expect(result(df.select(F.max('d')))).toEqual({ columns: ['max(d)'], rows: [[3.5]] });
    expect(result(df.selectExpr('count(*) AS n', 'max(x) AS m'))).toEqual({ columns: ['n', 'm'], rows: [[3, 3]] });
    expect(result(df.select(F.max('d').plus(1).alias('m1'), F.lit(5)))).toEqual({ columns: ['m1', '5'], rows: [[4.5, 5]] });
    expect(result(df.selectExpr('max(x) - min(x) AS r'))).toEqual({ columns: ['r'], rows: [[2]] });
    expect(result(df.agg(F.count('*'), F.avg('d')))).toEqual({ columns: ['count(1)', 'avg(d)'], rows: [[3, 3]] });
    expect(result(df.selectExpr('sum(DISTINCT x)'))).toEqual({ columns: ['sum(DISTINCT x)'], rows: [[6]] });
  });

  it('gives one row for no input', () => {
    expect(result(df.filter('x > 10').select(F.count('*'), F.max('x')))).toEqual({ columns: ['count(1)', 'max(x)'], rows: [[0, null]] });
  });

  it('refuses columns that are neither grouped nor aggregated, with Spark 3.5 error classes', () => {
    expect(() => df.select(F.max('d'), 'x')).toThrow('[MISSING_GROUP_BY] The query does not include a GROUP BY clause. Add GROUP BY or turn it into the window functions using OVER clauses.');
    expect(() => df.withColumn('m', F.max('x'))).toThrow('[MISSING_GROUP_BY]');
    expect(() => df.groupBy('s').agg(F.col('x'))).toThrow('[MISSING_AGGREGATION] The non-aggregating expression "x" is based on columns which are not participating in the GROUP BY clause.');
    expect(() => df.filter(F.max('x').gt(1))).toThrow('[INVALID_WHERE_CONDITION] The WHERE condition "(max(x) > 1)" contains invalid expressions: max(x).');
  });

  it('aggregates a whole stream in complete mode', async () => {
    const ms = new MemoryStream('value INT', spark);
    const q = ms.toDF().selectExpr('count(*) AS n', 'max(value) AS m').writeStream.format('memory').queryName('global_agg').outputMode('complete').start();
    ms.addData([3, 1]);
    await q.processAllAvailable();
    ms.addData([7]);
    await q.processAllAvailable();
    expect(spark.memorySinks.get('global_agg')!.allRows()).toEqual([[3, 7]]);
    await q.stop();
  });
});
