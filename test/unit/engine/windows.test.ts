/** Window arithmetic: Spark's formula, alignment, negative start times and pre-epoch timestamps. */
import { describe, expect, it } from 'vitest';
import { AnalysisException } from '../../../runtime/src/engine/errors.js';
import { formatTimestamp } from '../../../runtime/src/format/spark-time.js';
import { parseTimestamp } from '../../../runtime/src/engine/time.js';
import { validateWindow, windowsFor } from '../../../runtime/src/engine/windows.js';

const S = 1_000_000;
const at = (iso: string) => parseTimestamp(iso)!;
const show = (ws: [number, number][]) => ws.map(([s, e]) => `${formatTimestamp(s)}..${formatTimestamp(e)}`);

describe('window()', () => {
  it('puts a record at a window start into that window and one at its end into the next', () => {
    const spec = validateWindow(10 * S, 10 * S, 0);
    expect(show(windowsFor(at('2016-03-27T19:39:30Z'), spec))).toEqual(['2016-03-27 19:39:30..2016-03-27 19:39:40']);
    expect(show(windowsFor(at('2016-03-27T19:39:40Z'), spec))).toEqual(['2016-03-27 19:39:40..2016-03-27 19:39:50']);
  });

  it('shifts the grid by startTime, and a negative start time gives the same grid as slide - k', () => {
    const plus = validateWindow(10 * S, 10 * S, 5 * S);
    const minus = validateWindow(10 * S, 10 * S, -5 * S);
    expect(show(windowsFor(at('2016-03-27T19:39:27Z'), plus))).toEqual(['2016-03-27 19:39:25..2016-03-27 19:39:35']);
    expect(windowsFor(at('2016-03-27T19:39:34Z'), minus)).toEqual(windowsFor(at('2016-03-27T19:39:34Z'), plus));
    expect(show(windowsFor(at('2016-03-27T19:39:56Z'), plus))).toEqual(['2016-03-27 19:39:55..2016-03-27 19:40:05']);
  });

  it('handles pre-epoch results with the negative remainder fix', () => {
    const spec = validateWindow(10 * S, 10 * S, 5 * S);
    expect(show(windowsFor(2 * S, spec))).toEqual(['1969-12-31 23:59:55..1970-01-01 00:00:05']);
    expect(show(windowsFor(-1, validateWindow(10 * S, 10 * S, 0)))).toEqual(['1969-12-31 23:59:50..1970-01-01 00:00:00']);
    expect(show(windowsFor(at('1969-12-31T23:59:57Z'), validateWindow(5 * S, 5 * S, 0)))).toEqual(['1969-12-31 23:59:55..1970-01-01 00:00:00']);
  });

  it('gives ceil(window / slide) windows per row, dropping candidates that do not contain the row', () => {
    const spec = validateWindow(10 * S, 3 * S, 0);
    expect(windowsFor(at('2016-03-27T19:39:27Z'), spec).map(([s]) => formatTimestamp(s).slice(-2))).toEqual(['27', '24', '21', '18']);
    expect(windowsFor(at('2016-03-27T19:39:34Z'), spec).map(([s]) => formatTimestamp(s).slice(-2))).toEqual(['33', '30', '27']);
  });

  it('keeps millisecond precision', () => {
    const spec = validateWindow(200_000, 40_000, 0);
    expect(windowsFor(at('2016-03-27T09:00:00.410Z'), spec).map(([s]) => formatTimestamp(s))).toEqual([
      '2016-03-27 09:00:00.4', '2016-03-27 09:00:00.36', '2016-03-27 09:00:00.32', '2016-03-27 09:00:00.28', '2016-03-27 09:00:00.24',
    ]);
  });

  it('rejects bad durations with Spark messages', () => {
    expect(() => validateWindow(0, 0, 0)).toThrow('The window duration (0) must be greater than 0.');
    expect(() => validateWindow(10 * S, 20 * S, 0)).toThrow('The slide duration (20000000) must be less than or equal to the windowDuration (10000000).');
    expect(() => validateWindow(10 * S, 10 * S, 10 * S)).toThrow('The absolute value of start time (10000000) must be less than the slideDuration (10000000).');
    expect(() => validateWindow(10 * S, 10 * S, -10 * S)).toThrow(AnalysisException);
  });
});

describe('window() in DataFrames', () => {
  it('rejects two window expressions in one projection or grouping', async () => {
    const { SparkSession, functions: F } = await import('streamlab');
    const spark = SparkSession.builder.output(() => undefined).create();
    const df = spark.createDataFrame([], 'time TIMESTAMP, value INT');
    const message = 'Multiple time/session window expressions would result in a cartesian product of rows, therefore they are currently not supported.';
    expect(() => df.select(F.window('time', '10 seconds'), F.window('time', '20 seconds'))).toThrow(message);
    expect(() => df.groupBy(F.window('time', '10 seconds'), F.window('time', '20 seconds')).count()).toThrow(message);
  });
});

describe('window() projections (DataFrameTimeWindowingSuite)', () => {
  it('orders sliding-window projections and combines windows with explode', async () => {
    const { SparkSession, functions: F } = await import('streamlab');
    const spark = SparkSession.builder.output(() => undefined).create();
    const df = spark.createDataFrame([['2016-03-27 19:39:34', 1, 'a'], ['2016-03-27 19:39:56', 2, 'a'], ['2016-03-27 19:39:27', 4, 'b']], 'time STRING, value INT, id STRING');
    const sliding = df.select(F.window('time', '10 seconds', '3 seconds', '0 second'), 'value')
      .orderBy(F.col('window.start').asc(), F.col('value').desc()).select('value');
    expect(sliding.collect().map((r) => r.value)).toEqual([4, 4, 4, 4, 1, 1, 1, 2, 2, 2]);
    const exploded = spark.createDataFrame([['2016-03-27 19:39:34', 1, ['a', 'b']], ['2016-03-27 19:39:56', 2, ['a', 'c', 'd']]], 'time STRING, value INT, ids ARRAY<STRING>')
      .select(F.window('time', '10 seconds'), 'value', F.explode('ids'))
      .orderBy(F.col('window.start').asc()).select('value');
    expect(exploded.collect().map((r) => r.value)).toEqual([1, 1, 2, 2, 2]);
  });
});
