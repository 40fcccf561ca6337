/**
 * Calendar months in intervals and session gaps, against what PySpark 3.5.7 printed (UTC session
 * time zone) for the same rows: `ts + INTERVAL '1 month'` clamps the day to the target month, and a
 * session gap that is not a positive interval gives no session at all rather than an error.
 */
import { describe, expect, it } from 'vitest';
import { functions as F, SparkSession } from 'streamlab';

function shown(build: (spark: SparkSession) => { show: (n: number, truncate: boolean) => void }): string {
  const out: string[] = [];
  const spark = SparkSession.builder.output((t) => out.push(t)).create();
  build(spark).show(20, false);
  return out.join('');
}

describe('timestamp ± interval with months', () => {
  it('adds calendar months, clamping the day of month, and keeps microseconds', () => {
    const text = shown((spark) => spark.createDataFrame([['2024-01-31 10:00:00.123456'], ['2023-12-15 23:59:59'], ['1969-12-31 23:00:00.5']], 't STRING')
      .select(F.col('t').cast('timestamp').alias('ts'))
      .selectExpr('ts', "ts + INTERVAL '1 month' AS a", "ts - INTERVAL '1 month' AS b", 'ts + INTERVAL 1 YEAR AS c', "ts + INTERVAL '13 months' AS d"));
    expect(text).toBe([
      '+--------------------------+--------------------------+--------------------------+--------------------------+--------------------------+',
      '|ts                        |a                         |b                         |c                         |d                         |',
      '+--------------------------+--------------------------+--------------------------+--------------------------+--------------------------+',
      '|2024-01-31 10:00:00.123456|2024-02-29 10:00:00.123456|2023-12-31 10:00:00.123456|2025-01-31 10:00:00.123456|2025-02-28 10:00:00.123456|',
      '|2023-12-15 23:59:59       |2024-01-15 23:59:59       |2023-11-15 23:59:59       |2024-12-15 23:59:59       |2025-01-15 23:59:59       |',
      '|1969-12-31 23:00:00.5     |1970-01-31 23:00:00.5     |1969-11-30 23:00:00.5     |1970-12-31 23:00:00.5     |1971-01-31 23:00:00.5     |',
      '+--------------------------+--------------------------+--------------------------+--------------------------+--------------------------+',
      '',
    ].join('\n'));
  });
});

describe('session_window gaps', () => {
  const sessions = (gap: string) => shown((spark) => spark.createDataFrame([['2024-01-01 10:00:00', 'a'], ['2024-01-01 10:00:05', 'a'], ['2024-01-01 10:00:30', 'a']], 't STRING, k STRING')
    .select(F.col('t').cast('timestamp').alias('ts'), 'k')
    .groupBy(F.session_window('ts', gap), 'k').count().orderBy('session_window'));
  const empty = '+--------------+---+-----+\n|session_window|k  |count|\n+--------------+---+-----+\n+--------------+---+-----+\n';

  it('measures a month gap in calendar months from each row', () => {
    expect(sessions('1 month')).toBe([
      '+------------------------------------------+---+-----+',
      '|session_window                            |k  |count|',
      '+------------------------------------------+---+-----+',
      '|{2024-01-01 10:00:00, 2024-02-01 10:00:30}|a  |3    |',
      '+------------------------------------------+---+-----+',
      '',
    ].join('\n'));
  });

  it.each(['0 seconds', '-5 seconds', 'abc', '10 secs'])('gives no session for the gap %j', (gap) => {
    expect(sessions(gap)).toBe(empty);
  });
});

describe('SQL interval literals', () => {
  it('may not mix months with days or times, as in Spark 3.5', () => {
    const spark = SparkSession.builder.output(() => undefined).create();
    const df = spark.createDataFrame([['2024-01-31 10:00:00']], 't STRING').select(F.col('t').cast('timestamp').alias('ts'));
    expect(() => df.selectExpr("ts + INTERVAL '1 month 2 days'")).toThrow("Cannot mix year-month and day-time fields: INTERVAL '1 month 2 days'.(line 1, pos 5)");
    expect(() => df.selectExpr('ts + INTERVAL 1 MONTH 2 DAYS')).toThrow('Cannot mix year-month and day-time fields: INTERVAL 1 MONTH 2 DAYS.(line 1, pos 5)');
    expect(df.selectExpr("ts + INTERVAL '2 days 3 hours' AS a", 'ts + INTERVAL 1 HOUR 30 MINUTES AS b').collect().map((r) => [r.a, r.b]))
      .toEqual([[new Date('2024-02-02T13:00:00Z'), new Date('2024-01-31T11:30:00Z')]]);
  });
});
