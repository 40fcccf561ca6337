/**
 * The seed tutorial's teaching point: DStreams cut batches by processing (arrival) time and know
 * nothing of event time; Structured Streaming groups by the event time carried in each record and
 * uses a watermark to decide when a window is complete. Sixty sensor readings, one arriving every
 * second, with event times shuffled up to 14 s behind their arrival (one reading 40 s late), give
 * two different answers — each correct for the question its API asks.
 */
import { describe, expect, it } from 'vitest';
import { KafkaUtils, ManualClock, MemoryStream, MemoryTopics, SparkSession, StreamingContext, functions as F } from 'streamlab';

const BASE_MS = Date.UTC(2026, 10, 21, 10, 0, 0);

interface Reading {
  sensor: string;
  temperature: number;
  /** Event time: when the sensor measured. */
  ts: Date;
  /** Processing time: when the reading reached the stream. */
  arrivalMs: number;
}

/** Reading i arrives at 10:00:00.5 + i s; its event time lags by (37·i mod 15) s, reading 47 by 40 s. */
const readings: Reading[] = Array.from({ length: 60 }, (_, i) => {
  const lag = i === 47 ? 40 : (i * 37) % 15;
  return {
    sensor: ['s1', 's2', 's3'][i % 3]!,
    temperature: 18 + ((i * 13) % 17) * 0.5,
    ts: new Date(BASE_MS + (i - lag) * 1000),
    arrivalMs: BASE_MS + i * 1000 + 500,
  };
});

const hms = (ms: number): string => new Date(ms).toISOString().slice(11, 19);

describe('the same readings through DStreams and Structured Streaming', () => {
  it('DStream: averages per sensor over each 10 s batch of arrivals, whatever the event times', async () => {
    const clock = new ManualClock(BASE_MS);
    const topics = new MemoryTopics({ clock });
    const ssc = new StreamingContext(SparkSession.builder.clock(clock).create().sparkContext, 10, { clock, kafka: topics });
    const averages: Array<[string, Array<[string, number]>]> = [];
    KafkaUtils.createDirectStream(ssc, ['sensors'], { 'auto.offset.reset': 'earliest' })
      .map(([, value]) => JSON.parse(value) as { sensor: string; temperature: number })
      .map((r) => [r.sensor, [r.temperature, 1]] as [string, [number, number]])
      .reduceByKey(([s1, n1], [s2, n2]) => [s1 + s2, n1 + n2])
      .mapValues(([sum, n]) => sum / n)
      .foreachRDD((time, rdd) => {
        averages.push([hms(time.getTime()), rdd.sortBy(([sensor]) => sensor).collect()]);
      });
    ssc.start();
    for (const r of readings) {
      clock.setTime(r.arrivalMs);
      topics.produce('sensors', JSON.stringify({ sensor: r.sensor, temperature: r.temperature, ts: r.ts.toISOString() }), { key: r.sensor });
    }
    clock.setTime(BASE_MS + 60_000);
    await ssc.awaitBatchCompleted(BASE_MS + 60_000);
    ssc.stop();
    expect(averages).toEqual([
      ['10:00:10', [['s1', 21.75], ['s2', 21.333333333333332], ['s3', 22.166666666666668]]],
      ['10:00:20', [['s1', 22], ['s2', 23], ['s3', 21.166666666666668]]],
      ['10:00:30', [['s1', 21], ['s2', 21.833333333333332], ['s3', 22.125]]],
      ['10:00:40', [['s1', 23.375], ['s2', 20.833333333333332], ['s3', 21.666666666666668]]],
      ['10:00:50', [['s1', 21.5], ['s2', 22.5], ['s3', 23.5]]],
      ['10:01:00', [['s1', 20.5], ['s2', 21.333333333333332], ['s3', 21.625]]],
    ]);
  });

  it('Structured: averages per sensor over 10 s event-time windows, emitted once the 10 s watermark passes', async () => {
    const clock = new ManualClock(BASE_MS);
    const spark = SparkSession.builder.clock(clock).create();
    const input = new MemoryStream('sensor STRING, temperature DOUBLE, ts TIMESTAMP', spark);
    const emitted: Array<[number, string, string, number]> = [];
    const query = input
      .toDF()
      .withWatermark('ts', '10 seconds')
      .groupBy(F.window('ts', '10 seconds'), 'sensor')
      .agg(F.avg('temperature').alias('avg_temp'))
      .selectExpr('CAST(window.start AS STRING) AS start', 'sensor', 'avg_temp')
      .writeStream.outputMode('append')
      .foreachBatch((df, batchId) => {
        for (const row of df.collect()) emitted.push([batchId, String(row.start).slice(11), String(row.sensor), Number(row.avg_temp)]);
      })
      .start();
    // The same arrivals: ten readings per 10 s of processing time, each group one micro-batch.
    for (let b = 0; b < 6; b++) {
      clock.setTime(BASE_MS + (b + 1) * 10_000);
      input.addData(readings.slice(b * 10, b * 10 + 10).map((r) => [r.sensor, r.temperature, r.ts]));
      await query.processAllAvailable();
    }
    await query.stop();
    const byBatch = (rows: typeof emitted): Array<[number, string, string, number]> =>
      [...rows].sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]) || a[2].localeCompare(b[2]));
    // Each data batch moves the watermark (max event time − 10 s); the no-data batch after it emits
    // the windows that ended at or before it. Reading 47 (s3 at 10:00:07) arrives when the watermark
    // is 10:00:26, so its window [10:00:00, 10:00:10) is long closed and it is dropped.
    expect(byBatch(emitted)).toEqual([
      [1, '09:59:40', 's3', 22.5],
      [3, '09:59:50', 's1', 21.75],
      [3, '09:59:50', 's2', 21.5],
      [3, '09:59:50', 's3', 19],
      [5, '10:00:00', 's1', 20.375],
      [5, '10:00:00', 's2', 21.75],
      [5, '10:00:00', 's3', 22.125],
      [7, '10:00:10', 's1', 23.333333333333332],
      [7, '10:00:10', 's2', 23.333333333333332],
      [7, '10:00:10', 's3', 21.833333333333332],
      [9, '10:00:20', 's1', 21.166666666666668],
      [9, '10:00:20', 's2', 21.166666666666668],
      [9, '10:00:20', 's3', 21.166666666666668],
      [11, '10:00:30', 's1', 22],
      [11, '10:00:30', 's2', 21.25],
      [11, '10:00:30', 's3', 23],
    ]);
  });
});
