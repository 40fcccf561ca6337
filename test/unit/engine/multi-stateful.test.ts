/**
 * Several stateful operators in one query (MultiStatefulOperatorsSuite, re-derived): late rows are
 * judged per operator with the previous batch's watermark, eviction with the current one, and
 * progress lists the operators top-down (nearest the sink first).
 */
import { describe, expect, it } from 'vitest';
import { functions as F, MemoryStream, SparkSession, type StreamingQuery } from 'streamlab';
import { testStream } from '../../../runtime/src/testing/index.js';

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

describe('multiple stateful operators', () => {
  it('window agg -> window agg, append mode', async () => {
    const spark = SparkSession.builder.output(() => undefined).create();
    const input = new MemoryStream('value INT', spark);
    const stream = input.toDF()
      .withColumn('eventTime', F.timestamp_seconds('value'))
      .withWatermark('eventTime', '0 seconds')
      .groupBy(F.window('eventTime', '5 seconds').alias('window')).agg(F.count('*').alias('count'))
      .groupBy(F.window('window', '10 seconds')).agg(F.count('*').alias('count'), F.sum('count').alias('sum'))
      .select(F.col('window').getField('start').cast('long'), 'count', 'sum');
    let query: StreamingQuery | null = null;
    const ops = (pick: 'numRowsTotal' | 'numRowsDroppedByWatermark', withData = false) => {
      const list = query!.recentProgress.filter((p) => !withData || p.numInputRows > 0);
      return list[list.length - 1].stateOperators.map((o) => o[pick]);
    };
    const q = stream.writeStream.format('memory').queryName('chained').outputMode('append').start();
    query = q;
    input.addData(range(10, 21));
    await q.processAllAvailable();
    expect(spark.table('chained').collect().map((r) => Object.values(r))).toEqual([[10, 2, 10]]);
    expect(ops('numRowsTotal')).toEqual([0, 1]);
    input.addData(range(10, 29));
    await q.processAllAvailable();
    // [10,15) and [15,20) are late for the first aggregation: two groups dropped
    expect(ops('numRowsDroppedByWatermark', true)).toEqual([0, 2]);
    expect(ops('numRowsTotal')).toEqual([1, 1]);
    input.addData([30, 31]);
    await q.processAllAvailable();
    expect(spark.table('chained').collect().map((r) => Object.values(r))).toEqual([[10, 2, 10], [20, 2, 12]]);
    expect(ops('numRowsTotal')).toEqual([0, 1]);
    await q.stop();
  });

  it('stream deduplication -> aggregation, append mode', async () => {
    const spark = SparkSession.builder.output(() => undefined).create();
    const input = new MemoryStream('value INT', spark);
    const counts = input.toDF()
      .withColumn('eventTime', F.timestamp_seconds('value'))
      .withWatermark('eventTime', '10 seconds')
      .dropDuplicates(['value', 'eventTime'])
      .groupBy(F.window('eventTime', '5 seconds').alias('window')).agg(F.count('*').alias('count'), F.sum('value').alias('sum'))
      .select(F.col('window').getField('start').cast('long').alias('start'), 'count');
    await testStream(counts, 'append')
      .addData(input, range(1, 15))
      .expect([[0, 4]])
      .expectStateRows(3);
  });
});

describe('dedupe -> aggregate (StreamingDeduplicationSuite)', () => {
  it('reports state rows, late drops and duplicate drops per operator, top-down', async () => {
    const spark = SparkSession.builder.output(() => undefined).create();
    const input = new MemoryStream('value INT', spark);
    const q = input.toDF()
      .withColumn('eventTime', F.timestamp_seconds('value'))
      .withWatermark('eventTime', '10 seconds')
      .dropDuplicates()
      .groupBy(F.window('eventTime', '5 seconds').alias('window')).agg(F.count('*').alias('count'))
      .select(F.col('window').getField('start').cast('long').alias('start'), 'count')
      .writeStream.format('memory').queryName('dedupe_agg').outputMode('append').start();
    const lastWithData = () => q.recentProgress.filter((p) => p.numInputRows > 0).pop()!;
    const last = () => q.lastProgress!;
    input.addData(range(1, 5).flatMap(() => range(10, 15)));
    await q.processAllAvailable();
    expect(lastWithData().stateOperators.map((o) => [o.numRowsTotal, o.numRowsUpdated])).toEqual([[2, 2], [6, 6]]);
    expect(lastWithData().stateOperators[1].customMetrics).toEqual({ numDroppedDuplicateRows: 24 });
    input.addData([25]);
    await q.processAllAvailable();
    expect(spark.table('dedupe_agg').collect()).toEqual([{ start: 10, count: 5 }]);
    expect(last().stateOperators.map((o) => o.numRowsTotal)).toEqual([2, 1]);
    input.addData([10]);
    await q.processAllAvailable();
    expect(lastWithData().stateOperators.map((o) => o.numRowsDroppedByWatermark)).toEqual([0, 1]);
    input.addData([40]);
    await q.processAllAvailable();
    expect(spark.table('dedupe_agg').collect()).toEqual([{ start: 10, count: 5 }, { start: 15, count: 1 }, { start: 25, count: 1 }]);
    expect(last().stateOperators.map((o) => o.numRowsTotal)).toEqual([1, 1]);
    await q.stop();
  });
});
