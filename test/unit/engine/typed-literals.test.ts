/**
 * Typed literals in SQL expression strings (`DATE '2020-03-15'`, `TIMESTAMP '…'`, `TIMESTAMP_NTZ '…'`,
 * `X'…'`, the `INTERVAL` forms) and date arithmetic with them, against what PySpark 3.5.7 printed for
 * the same expressions (UTC session time zone). A value that is no date or timestamp is refused where
 * it is written, with Spark's INVALID_TYPED_LITERAL, never read as NULL.
 */
import { describe, expect, it } from 'vitest';
import { functions as F, SparkSession } from 'streamlab';
import { ParseException } from '../../../runtime/src/engine/errors.js';
import { parseNamedExpression } from '../../../runtime/src/engine/plans/sql-parser.js';
import { sqlText } from '../../../runtime/src/export/column-code.js';

function shown(build: (spark: SparkSession) => { show: (n: number, truncate: boolean) => void }): string {
  const out: string[] = [];
  const spark = SparkSession.builder.output((t) => out.push(t)).create();
  build(spark).show(20, false);
  return out.join('');
}

/** One row, for selecting literals (PySpark's `spark.range(1)`). */
const one = (spark: SparkSession) => spark.createDataFrame([[0]], 'id INT');

const dates = (spark: SparkSession) => spark.createDataFrame([['2020-03-13'], ['2020-03-15'], ['2020-03-16'], [null]], 'd STRING').select(F.col('d').cast('date').alias('date'));

function parseError(text: string): ParseException {
  try {
    parseNamedExpression(text);
  } catch (e) {
    if (e instanceof ParseException) return e;
    throw e;
  }
  throw new Error(`expected ${text} to fail`);
}

describe('typed literals', () => {
  it('reads dates as stringToDate does, with Spark\'s column names', () => {
    const cases: [string, string][] = [
      ["DATE '2020-03-15'", "DATE '2020-03-15'"], ["date '2020-3-5'", "DATE '2020-03-05'"], ["DATE ' 2020-03-15 '", "DATE '2020-03-15'"],
      ["DATE '2020'", "DATE '2020-01-01'"], ["DATE '2020-03'", "DATE '2020-03-01'"], ["DATE '2020-03-15T10:00'", "DATE '2020-03-15'"],
      ["DATE '2020-03-15 anything'", "DATE '2020-03-15'"], ["DATE 'epoch'", "DATE '1970-01-01'"], ['DATE "2020-03-15"', "DATE '2020-03-15'"],
    ];
    const spark = SparkSession.builder.create();
    const df = one(spark).selectExpr(...cases.map(([text]) => text));
    expect(df.columns).toEqual(cases.map(([, name]) => name));
    expect(df.schema.fields.map((f) => f.dataType.simpleString())).toEqual(cases.map(() => 'date'));
  });

  it('reads timestamps in the session time zone, TIMESTAMP_NTZ ignoring a zone, and hex strings as binary', () => {
    const text = shown((spark) => one(spark).selectExpr("DATE '2020-03-15'", "TIMESTAMP '2020-03-15T10:00:00.250+01:00'", "TIMESTAMP_NTZ '2020-03-15 10:00'", "X'0aFF'", "timestamp '2020-03-15' < DATE '2020-03-16' AS lt"));
    expect(text).toBe([
      '+-----------------+----------------------------------+-----------------------------------+-------+----+',
      "|DATE '2020-03-15'|TIMESTAMP '2020-03-15 09:00:00.25'|TIMESTAMP_NTZ '2020-03-15 10:00:00'|X'0AFF'|lt  |",
      '+-----------------+----------------------------------+-----------------------------------+-------+----+',
      '|2020-03-15       |2020-03-15 09:00:00.25            |2020-03-15 10:00:00                |[0A FF]|true|',
      '+-----------------+----------------------------------+-----------------------------------+-------+----+',
      '',
    ].join('\n'));
    const spark = SparkSession.builder.create();
    const df = one(spark).selectExpr("TIMESTAMP '2020-03-15'", "TIMESTAMP_LTZ '2020-03-15 10:00:00'", "TIMESTAMP 'epoch'", "TIMESTAMP_NTZ '2020-03-15 10:00:00+01:00'", "X'F'");
    expect(df.columns).toEqual(["TIMESTAMP '2020-03-15 00:00:00'", "TIMESTAMP '2020-03-15 10:00:00'", "TIMESTAMP '1970-01-01 00:00:00'", "TIMESTAMP_NTZ '2020-03-15 10:00:00'", "X'0F'"]);
    expect(df.schema.fields.map((f) => f.dataType.simpleString())).toEqual(['timestamp', 'timestamp', 'timestamp', 'timestamp_ntz', 'binary']);
  });

  it('filters a date column against a date literal', () => {
    expect(shown((spark) => dates(spark).filter("date <= DATE '2020-03-15'"))).toBe([
      '+----------+', '|date      |', '+----------+', '|2020-03-13|', '|2020-03-15|', '+----------+', '',
    ].join('\n'));
  });

  it('adds intervals and days to dates as Spark\'s analyzer does: days stay dates, hours make timestamps', () => {
    const text = shown((spark) => dates(spark).selectExpr('date', "date + INTERVAL '3' DAY AS a", 'date - INTERVAL 1 WEEK AS b', "date + INTERVAL '1-1' YEAR TO MONTH AS c",
      "date + INTERVAL '1 02:03' DAY TO MINUTE AS d", 'date - 2 AS e', '1 + date AS f', "date + INTERVAL '36' HOUR AS g"));
    expect(text).toBe([
      '+----------+----------+----------+----------+-------------------+----------+----------+-------------------+',
      '|date      |a         |b         |c         |d                  |e         |f         |g                  |',
      '+----------+----------+----------+----------+-------------------+----------+----------+-------------------+',
      '|2020-03-13|2020-03-16|2020-03-06|2021-04-13|2020-03-14 02:03:00|2020-03-11|2020-03-14|2020-03-14 12:00:00|',
      '|2020-03-15|2020-03-18|2020-03-08|2021-04-15|2020-03-16 02:03:00|2020-03-13|2020-03-16|2020-03-16 12:00:00|',
      '|2020-03-16|2020-03-19|2020-03-09|2021-04-16|2020-03-17 02:03:00|2020-03-14|2020-03-17|2020-03-17 12:00:00|',
      '|NULL      |NULL      |NULL      |NULL      |NULL               |NULL      |NULL      |NULL               |',
      '+----------+----------+----------+----------+-------------------+----------+----------+-------------------+',
      '',
    ].join('\n'));
  });

  it('reads the interval forms Spark reads: one string, a string and its unit, from-to strings, value-unit pairs', () => {
    const spark = SparkSession.builder.create();
    const ts = (e: string) => {
      const rows = one(spark).selectExpr(`CAST(TIMESTAMP '2020-03-15 00:00:00' + ${e} AS STRING) AS t`).collect();
      return rows[0]!.t;
    };
    const at = (iso: string) => iso.replace('T', ' ');
    expect(ts("INTERVAL '3' DAY")).toBe(at('2020-03-18T00:00:00'));
    expect(ts("INTERVAL '3 days'")).toBe(at('2020-03-18T00:00:00'));
    expect(ts('INTERVAL 3 DAYS')).toBe(at('2020-03-18T00:00:00'));
    expect(ts("INTERVAL '1 02:03:04' DAY TO SECOND")).toBe(at('2020-03-16T02:03:04'));
    expect(ts("INTERVAL '-1 02:03:04' DAY TO SECOND")).toBe(at('2020-03-13T21:56:56'));
    expect(ts("INTERVAL '1' DAY '2' HOUR")).toBe(at('2020-03-16T02:00:00'));
    expect(ts('INTERVAL -2 HOURS')).toBe(at('2020-03-14T22:00:00'));
    expect(ts("INTERVAL '1-2' YEAR TO MONTH")).toBe(at('2021-05-15T00:00:00'));
  });

  it("refuses values that are no date, timestamp or hex string with Spark's INVALID_TYPED_LITERAL at the literal", () => {
    for (const [text, type, value] of [["DATE '2020-13-01'", 'DATE', '2020-13-01'], ["DATE 'x'", 'DATE', 'x'], ["DATE ''", 'DATE', ''],
      ["TIMESTAMP '2020-02-30 10:00'", 'TIMESTAMP', '2020-02-30 10:00'], ["TIMESTAMP_NTZ 'abc'", 'TIMESTAMP_NTZ', 'abc'], ["X'ZZ'", 'X', 'ZZ']]) {
      const e = parseError(text!);
      expect(e.code).toBe('INVALID_TYPED_LITERAL');
      expect(e.message).toBe(`[INVALID_TYPED_LITERAL] The value of the typed literal "${type}" is invalid: '${value}'.(line 1, pos 0)\n\n== SQL ==\n${text}\n^^^\n`);
    }
    const inside = parseError("date <= DATE '2020-02-30'");
    expect(inside.position).toBe(8);
    expect(inside.message).toContain("date <= DATE '2020-02-30'\n        ^^^\n");
  });

  it('names the supported types for any other word before a string, and refuses the wall-clock words', () => {
    expect(parseError("FOO '1'").message).toBe(`[UNSUPPORTED_TYPED_LITERAL] Literals of the type "FOO" are not supported. Supported types are "DATE", "TIMESTAMP_NTZ", "TIMESTAMP_LTZ", "TIMESTAMP", "INTERVAL", "X".(line 1, pos 0)\n\n== SQL ==\nFOO '1'\n^^^\n`);
    // Spark reads 'today' from the wall clock when it parses; the engine has none to read.
    const today = parseError("DATE 'today'");
    expect(today.code).toBe('UNSUPPORTED_TYPED_LITERAL');
    expect(today.message).toContain('current_date()');
    expect(parseError("INTERVAL '1 02' DAY TO SECOND").code).toBe('INVALID_INTERVAL_FORMAT');
  });

  it('exports as Spark SQL that reads back to the same literals', () => {
    expect(sqlText(parseNamedExpression("date <= DATE '2020-3-5'"))).toBe("(date <= DATE '2020-03-05')");
    expect(sqlText(parseNamedExpression("TIMESTAMP_NTZ '2020-03-15 10:00'"))).toBe("TIMESTAMP_NTZ '2020-03-15 10:00:00'");
    expect(sqlText(parseNamedExpression("X'0aFF'"))).toBe("X'0AFF'");
    expect(sqlText(parseNamedExpression("date + INTERVAL '1 02' DAY TO HOUR"))).toBe("(date + INTERVAL '1 days 02 hours')");
  });
});
