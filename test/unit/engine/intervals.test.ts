/**
 * Interval strings as Spark 3.5 reads them. The accepted and refused forms, and the messages for
 * window(), withWatermark() and processing-time triggers, are what PySpark 3.5.7 printed.
 */
import { describe, expect, it } from 'vitest';
import { functions as F, SparkSession } from 'streamlab';
import { parseInterval } from '../../../runtime/src/engine/time.js';

const CANNOT_PARSE = (text: string) => `[CANNOT_PARSE_INTERVAL] Unable to parse '${text}'. Please ensure that the value provided is in a valid format for defining an interval. You can reference the documentation for the correct format. If the issue persists, please double check that the input value is not null or empty and try again.`;

describe('parseInterval', () => {
  it.each([
    ['1.5 seconds', 1_500_000], [' 10 seconds ', 10_000_000], ['interval 10 seconds', 10_000_000], ['INTERVAL 10 seconds', 10_000_000],
    ['10 SECONDS', 10_000_000], ['1 hour 30 minutes', 5_400_000_000], ['1 day', 86_400_000_000], ['2 weeks', 1_209_600_000_000],
    ['100 milliseconds', 100_000], ['10 microseconds', 10], ['1 microsecond', 1], ['1 millisecond', 1_000],
    ['1 minute -10 seconds', 50_000_000], ['+10 seconds', 10_000_000], ['- 10 seconds', -10_000_000], ['.5 seconds', 500_000],
    ['5. seconds', 5_000_000], ['10 seconds 10 seconds', 20_000_000], ['1 minute 10 seconds', 70_000_000],
  ])('reads %j', (text, micros) => {
    expect(parseInterval(text)).toEqual({ months: 0, micros });
  });

  it('keeps calendar months apart', () => {
    expect(parseInterval('1 year')).toEqual({ months: 12, micros: 0 });
    expect(parseInterval('1 month 1 day')).toEqual({ months: 1, micros: 86_400_000_000 });
  });

  it.each(['10 parsecs', '  ', '10seconds', '10 secs', '10 sec', '3 mins', '100 ms', '10 hrs', '10 second 5', '10', 'interval',
    '1.5 hours', '1.5 minutes', '1.5 milliseconds', '1.5 days', '1.5 microseconds', '1 hour30 minutes', '1,000 seconds', '1e3 seconds'])('refuses %j', (text) => {
    expect(() => parseInterval(text)).toThrow(`Error parsing '${text}' to interval`);
  });
});

describe('interval arguments of window() and withWatermark()', () => {
  const spark = SparkSession.builder.output(() => undefined).create();
  const df = spark.createDataFrame([['2024-01-01 10:00:00']], 't STRING').select(F.col('t').cast('timestamp').alias('ts'));

  it("fail analysis with Spark's CANNOT_PARSE_INTERVAL", () => {
    for (const text of ['abc', '10 secs', '100 ms', '10']) {
      expect(() => df.select(F.window('ts', text)).collect()).toThrow(CANNOT_PARSE(text));
      expect(() => df.withWatermark('ts', text)).toThrow(CANNOT_PARSE(text));
    }
  });

  it('refuses months and years in a window but not in a watermark delay', () => {
    expect(() => df.select(F.window('ts', '1 month')).collect()).toThrow('Intervals greater than a month is not supported (1 month).');
    expect(() => df.select(F.window('ts', '1 years')).collect()).toThrow('Intervals greater than a month is not supported (1 years).');
    expect(() => df.withWatermark('ts', '1 month 1 day')).not.toThrow();
    expect(() => df.withWatermark('ts', '-1 second')).toThrow('requirement failed: delay threshold (-1 second) should not be negative.');
  });
});

describe('processing-time trigger intervals', () => {
  const spark = SparkSession.builder.output(() => undefined).create();
  const writer = () => spark.readStream.format('rate').load().writeStream.format('noop');

  it("fail with Spark's messages", () => {
    expect(() => writer().trigger({ processingTime: '1 month' })).toThrow("Doesn't support month or year interval: 1 month");
    expect(() => writer().trigger({ processingTime: 'abc' })).toThrow("Error parsing 'abc' to interval, unrecognized number 'abc'");
    expect(() => writer().trigger({ processingTime: '10 secs' })).toThrow("Error parsing '10 secs' to interval, invalid unit 'secs'");
    expect(() => writer().trigger({ processingTime: '-5 seconds' })).toThrow('requirement failed: the interval of trigger should not be negative');
    expect(() => writer().trigger({ processingTime: '0 seconds' })).not.toThrow();
  });
});
