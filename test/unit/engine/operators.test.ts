/** Triggers, deduplication, session windows, stream-static joins and foreachBatch. */
import { describe, expect, it } from 'vitest';
import { functions as F, ManualClock, MemoryStream, SparkSession } from 'streamlab';
import { testStream } from '../../../runtime/src/testing/index.js';
import { FormatRegistry } from '../../../runtime/src/engine/formats.js';
import { parseSchema } from '../../../runtime/src/engine/types.js';

/** The formats this file's sessions know. */
const formats = FormatRegistry.withBuiltIns();

function session(clock = new ManualClock(0)) {
  return SparkSession.builder.formats(formats).clock(clock).output(() => undefined).create();
}

describe('triggers', () => {
  it('processingTime runs a batch at start and then once per interval of the clock', async () => {
    const clock = new ManualClock(0);
    const spark = session(clock);
    const input = new MemoryStream('value INT', spark);
    const q = input.toDF().writeStream.format('memory').queryName('pt').trigger({ processingTime: '1 second' }).start();
    input.addData([1]);
    await q.awaitIdle();
    expect(q.recentProgress.map((p) => p.batchId)).toEqual([0]);
    input.addData([2]);
    input.addData([3]);
    await q.awaitIdle();
    expect(q.recentProgress).toHaveLength(1);
    clock.advance(1000);
    await q.awaitIdle();
    expect(q.recentProgress.map((p) => [p.batchId, p.numInputRows, p.timestamp])).toEqual([[0, 1, '1970-01-01T00:00:00.000Z'], [1, 2, '1970-01-01T00:00:01.000Z']]);
    await q.stop();
  });

  it('once runs one batch with everything and no no-data batch; the next start releases the window', async () => {
    const spark = session();
    const input = new MemoryStream('value INT', spark);
    const counts = input.toDF().withColumn('t', F.col('value').cast('timestamp')).withWatermark('t', '10 seconds')
      .groupBy(F.window('t', '5 seconds')).count().select(F.col('window.start').cast('long').alias('start'), 'count');
    const run = async () => {
      const q = counts.writeStream.format('memory').queryName('once').option('checkpointLocation', 'once').outputMode('append').trigger({ once: true }).start();
      await q.awaitTermination();
      return q;
    };
    input.addData([10, 11, 12]);
    expect((await run()).recentProgress.map((p) => p.batchId)).toEqual([0]);
    input.addData([25]);
    expect((await run()).recentProgress.map((p) => p.batchId)).toEqual([1]);
    input.addData([26]);
    const q3 = await run();
    // Batch 2 runs with the watermark 15 s committed by batch 1, so [10,15) is final now.
    expect(q3.lastProgress?.eventTime?.watermark).toBe('1970-01-01T00:00:15.000Z');
    expect(spark.table('once').collect()).toEqual([{ start: 10, count: 3 }]);
  });

  it('availableNow processes what was available at start in read-limit-sized batches, then stops', async () => {
    const spark = session();
    const input = new MemoryStream('value INT', spark);
    input.addData([1]);
    input.addData([2]);
    const q = input.toDF().writeStream.format('memory').queryName('an').trigger({ availableNow: true }).start();
    await q.awaitTermination();
    expect(q.isActive).toBe(false);
    expect(spark.table('an').collect()).toEqual([{ value: 1 }, { value: 2 }]);
  });
});

describe('dropDuplicates', () => {
  it('keeps the first row per key, drops late rows and forgets keys behind the watermark (StreamingDeduplicationSuite)', async () => {
    const spark = session();
    const input = new MemoryStream('value INT', spark);
    const deduped = input.toDF().withColumn('eventTime', F.col('value').cast('timestamp')).withWatermark('eventTime', '10 seconds')
      .dropDuplicates().select(F.col('eventTime').cast('long').alias('t'));
    await testStream(deduped, 'append')
      .addData(input, [10, 10, 11, 12, 12, 13, 14, 15])
      .expect([[10], [11], [12], [13], [14], [15]])
      .expectStateRows(6)
      // watermark 15 s after the next batch; its no-data batch evicts keys <= 15 s
      .addData(input, [25])
      .expect([[25]])
      .expectStateRows(1)
      .addData(input, [10])
      .expect([])
      .expectStateRows(1);
  });
});

describe('session windows', () => {
  it('merges touching sessions per key and re-emits all sessions in complete mode', async () => {
    const spark = session();
    const input = new MemoryStream('user STRING, t LONG', spark);
    const sessions = input.toDF().withColumn('ts', F.col('t').cast('timestamp'))
      .groupBy(F.session_window('ts', '10 seconds').alias('s'), 'user').count()
      .selectExpr('user', 'CAST(s.start AS LONG) AS start', 'CAST(s.end AS LONG) AS end', 'count');
    await testStream(sessions, 'complete')
      .addData(input, [['a', 30], ['a', 40], ['b', 5]])
      .expect([['a', 30, 50, 2], ['b', 5, 15, 1]], 'allRowsSoFar')
      .addData(input, [['a', 55], ['b', 100]])
      .expect([['a', 30, 50, 2], ['a', 55, 65, 1], ['b', 5, 15, 1], ['b', 100, 110, 1]], 'allRowsSoFar');
  });

  it('accepts a per-row gap expression and drops rows whose gap is not positive', async () => {
    const spark = session();
    const input = new MemoryStream('user STRING, t LONG', spark);
    const gap = F.when(F.col('user').eq('a'), F.expr('INTERVAL 20 SECONDS')).otherwise(F.lit('0 seconds'));
    const sessions = input.toDF().withColumn('ts', F.col('t').cast('timestamp'))
      .groupBy(F.session_window('ts', gap).alias('s'), 'user').count()
      .selectExpr('user', 'CAST(s.end AS LONG) AS end', 'count');
    await testStream(sessions, 'complete')
      .addData(input, [['a', 10], ['a', 25], ['b', 10]])
      .expect([['a', 45, 2]], 'allRowsSoFar');
  });
});

describe('stream-static join and foreachBatch', () => {
  it('enriches each batch from a static DataFrame and hands foreachBatch a static DataFrame', async () => {
    const spark = session();
    const sensors = spark.createDataFrame([['s1', 'roof'], ['s2', 'cellar']], 'id STRING, place STRING');
    const input = new MemoryStream('id STRING, temp DOUBLE', spark);
    const seen: [number, unknown[]][] = [];
    const q = input.toDF().join(sensors, 'id').where('temp > 0')
      .writeStream.foreachBatch((df, batchId) => void seen.push([batchId, df.collect()])).start();
    input.addData([['s1', 21.5], ['s3', 10], ['s2', -1]]);
    await q.processAllAvailable();
    input.addData([['s2', 12]]);
    await q.processAllAvailable();
    await q.stop();
    expect(seen).toEqual([
      [0, [{ id: 's1', temp: 21.5, place: 'roof' }]],
      [1, [{ id: 's2', temp: 12, place: 'cellar' }]],
    ]);
  });

  it('fails the query with the error a foreachBatch function throws', async () => {
    const spark = session();
    const input = new MemoryStream('value INT', spark);
    const q = input.toDF().writeStream.foreachBatch(() => {
      throw new Error('database is down');
    }).start();
    input.addData([1]);
    await expect(q.processAllAvailable()).rejects.toThrow('terminated with exception: database is down');
    expect(q.isActive).toBe(false);
    expect(q.exception()?.code).toBe('STREAM_FAILED');
    await expect(q.awaitTermination()).rejects.toThrow('database is down');
  });
});

describe('limit and the rate source', () => {
  it('limits a stream globally across batches in append mode', async () => {
    const spark = session();
    const input = new MemoryStream('value INT', spark);
    await testStream(input.toDF().limit(3), 'append')
      .addData(input, [1, 2])
      .expect([[1], [2]])
      .addData(input, [3, 4])
      .expect([[3]])
      .addData(input, [5])
      .expect([]);
  });

  it('rate emits rowsPerSecond rows per elapsed second of the clock', async () => {
    const clock = new ManualClock(1_000);
    const spark = session(clock);
    const q = spark.readStream.format('rate').option('rowsPerSecond', 2).load()
      .writeStream.format('memory').queryName('rate').start();
    await q.processAllAvailable();
    expect(spark.table('rate').collect()).toEqual([]);
    clock.advance(2_000);
    await q.processAllAvailable();
    expect(spark.table('rate').collect()).toEqual([
      { timestamp: new Date(1_000), value: 0 }, { timestamp: new Date(1_500), value: 1 },
      { timestamp: new Date(2_000), value: 2 }, { timestamp: new Date(2_500), value: 3 },
    ]);
    await q.stop();
  });
});

describe('default trigger with a source that cannot announce data', () => {
  it('polls the source every spark.sql.streaming.pollingDelay of the clock', async () => {
    const clock = new ManualClock(0);
    const spark = session(clock);
    let available = 0;
    formats.registerSource('counter', {
      sourceSchema: () => parseSchema('n INT'),
      createSource: () => ({
        schema: parseSchema('n INT'),
        initialOffset: async () => 0,
        defaultReadLimit: () => ({ kind: 'allAvailable' }),
        latestOffset: async () => available,
        getBatch: async (start, end) => Array.from({ length: (end as number) - (start as number) }, (_, i) => [(start as number) + i + 1]),
        commit: async () => undefined,
        stop: async () => undefined,
      }),
    });
    const q = spark.readStream.format('counter').load().writeStream.format('memory').queryName('polled').start();
    await q.awaitIdle();
    available = 2;
    await q.awaitIdle();
    expect(q.recentProgress).toHaveLength(0);
    clock.advance(10);
    await q.awaitIdle();
    expect(spark.table('polled').collect()).toEqual([{ n: 1 }, { n: 2 }]);
    await q.stop();
  });
});

describe('current_timestamp()', () => {
  it('is the trigger time of the batch (StreamingAggregationSuite "prune results by current_time")', async () => {
    const clock = new ManualClock(0);
    const spark = session(clock);
    const input = new MemoryStream('value LONG', spark);
    const pruned = input.toDF().groupBy('value').agg(F.count('*').alias('count'))
      .where(F.col('value').ge(F.current_timestamp().cast('long').minus(10)));
    await testStream(pruned, 'complete', { trigger: { processingTime: '10 seconds' } })
      .startStream()
      .addData(input, [0, 5, 5, 10])
      .advanceClock('10 seconds')
      .expect([[0, 1], [5, 2], [10, 1]], 'lastBatch')
      .addData(input, [15, 15, 20])
      .advanceClock('10 seconds')
      .expect([[10, 1], [15, 2], [20, 1]], 'lastBatch')
      .addData(input, [0, 85])
      .advanceClock('10 seconds')
      .expect([[20, 1], [85, 1]], 'lastBatch');
  });
});

describe('session window with a UDF gap (StreamingSessionWindowSuite SPARK-36465)', () => {
  it('drops rows whose gap is zero or negative and sizes each session by its own gap', async () => {
    const spark = session();
    const input = new MemoryStream('_1 STRING, _2 LONG', spark);
    const gap = F.udf((s: string) => (s === 'hello' ? '1 second' : s === 'structured' ? '0 second' : s === 'world' ? '-10 seconds' : '10 seconds'), 'string');
    const sessions = input.toDF()
      .selectExpr("explode(split(_1, ' ')) AS sessionId", 'CAST(_2 AS TIMESTAMP) AS eventTime')
      .withWatermark('eventTime', '30 seconds')
      .groupBy(F.session_window('eventTime', gap('sessionId')).alias('session'), 'sessionId')
      .agg(F.count('*').alias('numEvents'))
      .selectExpr('sessionId', 'CAST(session.start AS LONG)', 'CAST(session.end AS LONG)', 'numEvents');
    await testStream(sessions, 'complete')
      .addData(input, [['hello world spark streaming', 40], ['world hello structured streaming', 41]])
      .expect([['hello', 40, 42, 2], ['streaming', 40, 51, 2], ['spark', 40, 50, 1]], 'lastBatch');
  });
});
