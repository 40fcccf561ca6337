/** DataFrame API details: printSchema, show, chained window aggregations, withColumn/drop/rename. */
import { describe, expect, it } from 'vitest';
import { functions as F, MemoryStream, SparkSession, types as T } from 'streamlab';
import { testStream } from '../../../runtime/src/testing/index.js';

function session(out: string[] = []) {
  return SparkSession.builder.output((t) => out.push(t)).create();
}

describe('DataFrame API', () => {
  it("prints the schema tree as Spark's printSchema does", () => {
    const out: string[] = [];
    const spark = session(out);
    const df = spark.createDataFrame([], new T.StructType([new T.StructField('id', T.IntegerType(), false), new T.StructField('ts', T.TimestampType())]))
      .groupBy(F.window('ts', '1 minute'), 'id').agg(F.avg('id').alias('a'));
    df.printSchema();
    expect(out.join('')).toBe([
      'root',
      ' |-- window: struct (nullable = true)',
      ' |    |-- start: timestamp (nullable = true)',
      ' |    |-- end: timestamp (nullable = true)',
      ' |-- id: integer (nullable = false)',
      ' |-- a: double (nullable = true)',
      '',
      '',
    ].join('\n'));
  });

  it('shows a static DataFrame, names columns like Spark and supports withColumn / drop / rename', () => {
    const out: string[] = [];
    const spark = session(out);
    const df = spark.createDataFrame([{ name: 'a', n: 1 }, { name: 'bbbbbbbbbbbbbbbbbbbbbbbb', n: 2 }])
      .withColumn('n2', F.col('n').multiply(2))
      .withColumnRenamed('name', 'who')
      .drop('n');
    expect(df.columns).toEqual(['who', 'n2']);
    expect(spark.createDataFrame([[1]], 'x INT').selectExpr('x + 1', 'CAST(x AS STRING)', "upper('a')").columns)
      .toEqual(['(x + 1)', 'x', 'upper(a)']); // a top-level cast of a column keeps its name, as in Spark 3.5
    df.show();
    expect(out.join('')).toBe([
      '+--------------------+---+',
      '|                 who| n2|',
      '+--------------------+---+',
      '|                   a|  2|',
      '|bbbbbbbbbbbbbbbbb...|  4|',
      '+--------------------+---+',
      '',
    ].join('\n'));
  });

  it('chains window aggregations in append mode through window_time', async () => {
    const spark = session();
    const input = new MemoryStream('value INT', spark);
    const fiveSeconds = input.toDF().withColumn('eventTime', F.col('value').cast('timestamp'))
      .withWatermark('eventTime', '0 seconds')
      .groupBy(F.window('eventTime', '5 seconds')).agg(F.count('*').alias('n'));
    const tenSeconds = fiveSeconds.groupBy(F.window(F.window_time('window'), '10 seconds')).agg(F.sum('n').alias('n'))
      .select(F.col('window.start').cast('long').alias('start'), 'n');
    await testStream(tenSeconds, 'append')
      .addData(input, [1, 2, 6, 7, 8])
      .expect([])
      // watermark 8 s: [0,5) is final in the first aggregation, and feeds [0,10) of the second
      .addData(input, [12])
      // watermark 12 s: [5,10) final, then [0,10) is final in the second aggregation
      .expect([[0, 5]])
      // watermark 21 s: [10,15) leaves the first aggregation and [10,20) the second in the same no-data batch
      .addData(input, [21])
      .expect([[10, 1]]);
  });
});

describe('NULL helpers and renaming', () => {
  it('dropna, fillna and toDF behave as in PySpark', () => {
    const spark = session();
    const df = spark.createDataFrame([[1, null, 'x'], [null, null, null], [3, 2.5, null]], 'a INT, b DOUBLE, c STRING');
    expect(df.dropna().count()).toBe(0);
    expect(df.dropna('all').count()).toBe(2);
    expect(df.dropna('any', ['a']).toDF('x', 'y', 'z').collect()).toEqual([{ x: 1, y: null, z: 'x' }, { x: 3, y: 2.5, z: null }]);
    expect(df.fillna(0).collect()).toEqual([{ a: 1, b: 0, c: 'x' }, { a: 0, b: 0, c: null }, { a: 3, b: 2.5, c: null }]);
    expect(df.fillna('?', ['c']).collect().map((r) => r.c)).toEqual(['x', '?', '?']);
  });
});
