/** The testStream DSL on Spark's EventTimeWatermarkSuite "update mode" and "append mode" timelines. */
import { describe, expect, it } from 'vitest';
import { functions as F, MemoryStream, SparkSession } from 'streamlab';
import { testStream } from '../../../runtime/src/testing/index.js';

function windowedCounts() {
  const spark = SparkSession.builder.output(() => undefined).create();
  const input = new MemoryStream('value INT', spark);
  const counts = input.toDF()
    .withColumn('eventTime', F.col('value').cast('timestamp'))
    .withWatermark('eventTime', '10 seconds')
    .groupBy(F.window('eventTime', '5 seconds'))
    .agg(F.count('*').alias('count'))
    .select(F.col('window.start').cast('long').alias('start'), 'count');
  return { input, counts };
}

describe('testStream', () => {
  it('follows the update-mode timeline, across a restart', async () => {
    const { input, counts } = windowedCounts();
    await testStream(counts, 'update')
      .addData(input, [10, 11, 12, 13, 14, 15])
      .expect([[10, 5], [15, 1]])
      // watermark is now 5 s
      .addData(input, [25])
      .expect([[25, 1]])
      .expectStateRows(2)
      .expectWatermark('1970-01-01T00:00:15.000Z')
      .restart()
      // 10 is late (window [10,15) ends at the watermark 15 s); 25 updates its window
      .addData(input, [10, 25])
      .expect([[25, 2]])
      .expectStateRows(2);
  });

  it('follows the append-mode timeline', async () => {
    const { input, counts } = windowedCounts();
    await testStream(counts, 'append')
      .addData(input, [10, 11, 12, 13, 14, 15])
      .expect([])
      .addData(input, [25])
      // the no-data batch at watermark 15 s finalises [10,15)
      .expect([[10, 5]])
      .expectStateRows(2)
      .expect([[10, 5]], 'allRowsSoFar');
  });

  it('reports a failed expectation with the actions so far', async () => {
    const { input, counts } = windowedCounts();
    const run = testStream(counts, 'update').addData(input, [10]).expect([[10, 2]]).run();
    await expect(run).rejects.toThrow(/expected rows \[\[10,2\]\] but got \[\[10,1\]\][\s\S]*AddData\(\[\[10\]\]\)[\s\S]*=> Expect/);
  });

  it('expects an analysis error raised at start', async () => {
    const spark = SparkSession.builder.output(() => undefined).create();
    const input = new MemoryStream('value INT', spark);
    await testStream(input.toDF().groupBy('value').count(), 'append')
      .addData(input, [1])
      .expectError('Append output mode not supported when there are streaming aggregations');
  });
});
