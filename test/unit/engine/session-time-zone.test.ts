/**
 * `spark.sql.session.timeZone`, against what PySpark 3.5.7 (Java 17) printed for the same
 * programs: the zone set on the builder, with `spark.conf.set`, read by casts, `show()`, the console
 * sink, `to_json` and `date_trunc`, while windows stay aligned on the epoch. The conformance
 * scenarios `xs-session-zone-*` hold the wider set (Europe/Paris, America/Los_Angeles, both DST
 * changes of 2024).
 */
import { describe, expect, it } from 'vitest';
import { functions as F, ManualClock, MemoryStream, SparkSession } from 'streamlab';

function session(zone?: string, out: string[] = []): SparkSession {
  const b = SparkSession.builder.clock(new ManualClock(0)).output((t) => out.push(t));
  if (zone) b.config('spark.sql.session.timeZone', zone);
  return b.create();
}

describe('the session time zone', () => {
  it('shows timestamps as wall time in the zone, reading text without a zone in it', () => {
    const out: string[] = [];
    const spark = session('Europe/Paris', out);
    const df = spark.createDataFrame([[1]], 'x INT').selectExpr(
      "CAST('2024-03-31 02:30:00' AS TIMESTAMP) AS t",
      "window(CAST('2024-03-10 10:00:05' AS TIMESTAMP), '1 day') AS win",
      "date_trunc('day', CAST('2024-03-10 00:30:00' AS TIMESTAMP)) AS d",
    ).selectExpr('t', 'win.start AS w', 'd');
    df.show(20, false);
    // 02:30 does not exist that night (the clocks jump from 02:00 to 03:00); a one-day window
    // starts at midnight UTC, 01:00 in Paris.
    expect(out.join('')).toBe([
      '+-------------------+-------------------+-------------------+',
      '|t                  |w                  |d                  |',
      '+-------------------+-------------------+-------------------+',
      '|2024-03-31 03:30:00|2024-03-10 01:00:00|2024-03-10 00:00:00|',
      '+-------------------+-------------------+-------------------+',
      '',
    ].join('\n'));
    const row = df.selectExpr('CAST(t AS LONG) AS t', "to_json(named_struct('t', t)) AS j").collect()[0]!;
    expect(row.t).toBe(1711848600);
    expect(row.j).toBe('{"t":"2024-03-31T03:30:00.000+02:00"}');
  });

  it('follows spark.conf.set for queries planned after it', () => {
    const spark = session();
    const df = spark.createDataFrame([[1710064805]], 'v BIGINT').selectExpr('CAST(CAST(v AS TIMESTAMP) AS STRING) AS s', 'hour(CAST(v AS TIMESTAMP)) AS h');
    expect(df.collect()[0]).toEqual({ s: '2024-03-10 10:00:05', h: 10 });
    spark.conf.set('spark.sql.session.timeZone', 'America/Los_Angeles');
    expect(df.collect()[0]).toEqual({ s: '2024-03-10 03:00:05', h: 3 });
    spark.conf.set('spark.sql.session.timeZone', '+05:30');
    expect(df.collect()[0]).toEqual({ s: '2024-03-10 15:30:05', h: 15 });
  });

  it('refuses a zone Java cannot resolve when it is set, keeping the one before', () => {
    const spark = session('Europe/Paris');
    expect(() => spark.conf.set('spark.sql.session.timeZone', 'Foo/Bar')).toThrow(
      "'Foo/Bar' in spark.sql.session.timeZone is invalid. Cannot resolve the given timezone with ZoneId.of(_, ZoneId.SHORT_IDS)",
    );
    expect(spark.conf.get('spark.sql.session.timeZone')).toBe('Europe/Paris');
  });

  it('prints the console sink in the zone, with epoch-aligned windows', async () => {
    const out: string[] = [];
    const spark = session('America/Los_Angeles', out);
    const input = new MemoryStream('value INT', spark);
    const q = input.toDF()
      .withColumn('eventTime', F.col('value').cast('timestamp'))
      .groupBy(F.window('eventTime', '1 day'))
      .count()
      .writeStream.format('console').option('truncate', 'false').outputMode('complete').start();
    // 2024-03-10 09:59:59 and 10:00:00 UTC: either side of the jump from PST to PDT.
    input.addData([1710064799, 1710064800]);
    await q.processAllAvailable();
    await q.stop();
    expect(out.join('')).toBe([
      '-------------------------------------------',
      'Batch: 0',
      '-------------------------------------------',
      '+------------------------------------------+-----+',
      '|window                                    |count|',
      '+------------------------------------------+-----+',
      '|{2024-03-09 16:00:00, 2024-03-10 17:00:00}|2    |',
      '+------------------------------------------+-----+',
      '',
      '',
    ].join('\n'));
  });
});

describe('a time without a date', () => {
  it('takes the date of the batch time in the zone the text or the session names', () => {
    // The engine reads "today" from the session clock (Spark reads the wall clock): 2024-03-10 23:30 UTC.
    const spark = SparkSession.builder.clock(new ManualClock(1710113400000)).output(() => undefined).create();
    const one = spark.createDataFrame([[1]], 'x INT');
    const v = (sql: string): unknown => one.selectExpr(`CAST(CAST(${sql} AS TIMESTAMP) AS STRING) AS v`).collect()[0]!.v;
    expect(v("'T10:00:05+01:00'")).toBe('2024-03-11 09:00:05');
    expect(v("'T10:00:05'")).toBe('2024-03-10 10:00:05');
    expect(v("'10:00:05'")).toBe('2024-03-10 10:00:05');
    expect(v("'10:00'")).toBe('2024-03-10 10:00:00');
    expect(v("'T10:00:05.25Z'")).toBe('2024-03-10 10:00:05.25');
    expect(v("'10:00:05 Europe/Paris'")).toBe('2024-03-11 09:00:05');
    expect(v("'T25:00:00'")).toBe(null);
    expect(v("'+10:00:05'")).toBe(null);
    expect(v("'100:00:05'")).toBe(null);
  });
});
