/** Analysis errors thrown by writeStream.start(), with Spark's wording and stable codes. */
import { describe, expect, it } from 'vitest';
import { AnalysisException, functions as F, MemoryStream, SparkSession } from 'streamlab';

function setup() {
  const spark = SparkSession.builder.output(() => undefined).create();
  const input = new MemoryStream('value INT', spark);
  const events = input.toDF().withColumn('eventTime', F.col('value').cast('timestamp'));
  return { spark, input, events };
}

function startError(f: () => unknown): AnalysisException {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(AnalysisException);
    return e as AnalysisException;
  }
  throw new Error('expected start() to throw');
}

describe('output mode analysis at start()', () => {
  it('rejects append mode for an aggregation without watermark', () => {
    const { events } = setup();
    const e = startError(() => events.groupBy('value').count().writeStream.format('memory').queryName('a').outputMode('append').start());
    expect(e.message).toBe('Append output mode not supported when there are streaming aggregations on streaming DataFrames/DataSets without watermark');
    expect(e.code).toBe('STREAMING_APPEND_WITHOUT_WATERMARK');
  });

  it('accepts append mode once the watermark is on a grouping window', async () => {
    const { events } = setup();
    const q = events.withWatermark('eventTime', '10 seconds').groupBy(F.window('eventTime', '5 seconds')).count()
      .writeStream.format('memory').queryName('ok').outputMode('append').start();
    await q.stop();
    expect(q.exception()).toBeNull();
  });

  it('rejects orderBy outside complete mode', () => {
    const { events } = setup();
    const sorted = events.groupBy('value').count().orderBy(F.col('count').desc());
    const e = startError(() => sorted.writeStream.format('memory').queryName('s').outputMode('update').start());
    expect(e.message).toBe('Sorting is not supported on streaming DataFrames/Datasets, unless it is on aggregated DataFrame/Dataset in Complete output mode');
    const e2 = startError(() => events.orderBy('value').writeStream.format('memory').queryName('s2').outputMode('append').start());
    expect(e2.code).toBe('STREAMING_SORT_NOT_SUPPORTED');
  });

  it('rejects update mode with session windows', () => {
    const { events } = setup();
    const sessions = events.withWatermark('eventTime', '10 seconds').groupBy(F.session_window('eventTime', '5 seconds'), 'value').count();
    const e = startError(() => sessions.writeStream.format('memory').queryName('u').outputMode('update').start());
    expect(e.message).toBe('Update output mode not supported for session window on streaming DataFrames/DataSets');
  });

  it('rejects complete mode without aggregation', () => {
    const { events } = setup();
    const e = startError(() => events.writeStream.format('memory').queryName('c').outputMode('complete').start());
    expect(e.message).toBe('Complete output mode not supported when there are no streaming aggregations on streaming DataFrames/Datasets');
  });

  it('rejects writeStream on a static DataFrame', () => {
    const { spark } = setup();
    const e = startError(() => spark.createDataFrame([[1]], 'value INT').writeStream);
    expect(e.message).toBe("'writeStream' can be called only on streaming Dataset/DataFrame");
    expect(e.code).toBe('WRITE_STREAM_NOT_ALLOWED');
  });

  it('rejects distinct aggregations and chained aggregations in update mode', () => {
    const { events } = setup();
    const e = startError(() => events.agg(F.countDistinct('value')).writeStream.format('memory').queryName('d').outputMode('complete').start());
    expect(e.message).toContain('Distinct aggregations are not supported on streaming DataFrames/Datasets');
    const twice = events.groupBy('value').count().groupBy('count').count();
    expect(startError(() => twice.writeStream.format('memory').queryName('t').outputMode('update').start()).message)
      .toBe('Multiple streaming aggregations are not supported with streaming DataFrames/Datasets');
  });
});

describe('watermark definitions', () => {
  it('rejects a negative delay with IllegalArgumentException (EventTimeWatermarkSuite)', async () => {
    const { IllegalArgumentException } = await import('streamlab');
    const { events } = setup();
    for (const delay of ['-1 year', '1 year -13 months', '1 month -40 days', '-10 seconds']) {
      expect(() => events.withWatermark('eventTime', delay)).toThrow(IllegalArgumentException);
      expect(() => events.withWatermark('eventTime', delay)).toThrow('should not be negative.');
    }
  });

  it('names the bad column or the wrong type', () => {
    const { events } = setup();
    expect(() => events.withWatermark('badColumn', '1 minute')).toThrow('badColumn');
    expect(() => events.withWatermark('value', '1 minute')).toThrow('Event time must be defined on a window or a timestamp, but value is of type int');
  });

  it('rejects redefining a watermark unless statefulOperator.allowMultiple is false', async () => {
    const { spark, events } = setup();
    const twice = events.withColumn('second', F.col('eventTime')).withWatermark('eventTime', '1 minute').select('*')
      .withWatermark('second', '2 minutes').groupBy(F.window('second', '1 minute')).count();
    expect(() => twice.writeStream.format('memory').queryName('r1').start()).toThrow('Redefining watermark is disallowed.');
    spark.conf.set('spark.sql.streaming.statefulOperator.allowMultiple', 'false');
    const q = twice.writeStream.format('memory').queryName('r2').start();
    await q.stop();
    expect(q.exception()).toBeNull();
  });
});
