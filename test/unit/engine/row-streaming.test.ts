/**
 * Aggregates fold rows as the projections, filters and watermarks below them produce them, and a
 * projection may hand the same array for every row: the results must be those of materialised
 * batches, including aggregates that keep values built from each row (collect_list of structs).
 */
import { describe, expect, it } from 'vitest';
import { functions as F, ManualClock, MemoryStream, SparkSession } from 'streamlab';
import { renderRows } from '../../../runtime/src/testing/render.js';

const readings = [
  '{"k": "a", "v": 1, "ts": "2024-01-01T00:00:10.000Z"}',
  '{"k": "b", "v": -5, "ts": "2024-01-01T00:00:20.000Z"}',
  '{"k": "a", "v": 2, "ts": "2024-01-01T00:00:30.000Z"}',
  'not json',
  '{"k": "b", "v": 3, "ts": "2024-01-01T00:01:10.000Z"}',
  '{"k": "a", "v": 4, "ts": "2024-01-01T00:01:20.000Z"}',
];
const schema = 'k STRING, v INT, ts TIMESTAMP';

describe('rows streamed into aggregates', () => {
  it('groups projected and filtered rows exactly as materialised ones (static)', () => {
    const spark = SparkSession.builder.output(() => undefined).create();
    const df = spark.createDataFrame(readings.map((r) => [r]), 's STRING')
      .select(F.from_json('s', schema).alias('r'))
      .select('r.k', 'r.v')
      .filter(F.col('v').gt(0))
      .groupBy('k')
      .agg(F.collect_list(F.struct('k', 'v')).alias('all'), F.sum('v').alias('total'));
    expect(renderRows(df.collectInternal(), df.schema)).toEqual([
      ['a', [['a', 1], ['a', 2], ['a', 4]], 7],
      ['b', [['b', 3]], 3],
    ]);
  });

  it('keeps per-row values, watermark statistics and window groups exact (streaming)', async () => {
    const spark = SparkSession.builder.clock(new ManualClock(0)).output(() => undefined).create();
    const input = new MemoryStream('s STRING', spark);
    const q = input.toDF()
      .select(F.from_json('s', schema).alias('r'))
      .select('r.k', 'r.v', 'r.ts')
      .withWatermark('ts', '10 seconds')
      .filter(F.col('v').gt(0))
      .groupBy(F.window('ts', '1 minute'), 'k')
      .agg(F.collect_list(F.struct('k', 'v')).alias('all'), F.count('*').alias('n'))
      .writeStream.format('memory').queryName('streamed').outputMode('complete').start();
    input.addData(readings.slice(0, 3));
    input.addData(readings.slice(3));
    await q.processAllAvailable();
    const sink = spark.memorySinks.get('streamed')!;
    const rows = renderRows(sink.allRows(), sink.schema!).map((r) => [String(r[0]), ...r.slice(1)]);
    expect(rows).toEqual([
      ['2024-01-01 00:00:00,2024-01-01 00:01:00', 'a', [['a', 1], ['a', 2]], 2],
      ['2024-01-01 00:01:00,2024-01-01 00:02:00', 'b', [['b', 3]], 1],
      ['2024-01-01 00:01:00,2024-01-01 00:02:00', 'a', [['a', 4]], 1],
    ]);
    expect(q.lastProgress?.eventTime?.max).toBe('2024-01-01T00:01:20.000Z');
    await q.stop();
  });
});
