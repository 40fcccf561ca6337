/**
 * Time zones in timestamp text, against what PySpark 3.5.7 (session time zone UTC, Java 17) printed
 * for the same expressions (`CAST(… AS STRING)` of the result): the offset and zone pattern letters
 * of `to_timestamp`, zone suffixes in `CAST(… AS TIMESTAMP)`, DST gaps and overlaps, strict dates,
 * and the errors Spark 3.5 raises instead of a NULL.
 */
import { describe, expect, it } from 'vitest';
import { SparkSession } from 'streamlab';

const spark = SparkSession.builder.output(() => undefined).create();
const one = spark.createDataFrame([[1]], 'x INT');
const value = (sql: string): unknown => one.selectExpr(`CAST(${sql} AS STRING) AS v`).collect()[0]!.v;

describe('to_timestamp with offsets and zones in the pattern', () => {
  it.each([
    ['10/03/2024 10:00:05 +01:00', 'dd/MM/yyyy HH:mm:ss XXX', '2024-03-10 09:00:05'],
    ['10/03/2024 10:00:05 Z', 'dd/MM/yyyy HH:mm:ss XXX', '2024-03-10 10:00:05'],
    ['10/03/2024 10:00:05 +0100', 'dd/MM/yyyy HH:mm:ss Z', '2024-03-10 09:00:05'],
    ['10/03/2024 10:00:05 +01', 'dd/MM/yyyy HH:mm:ss X', '2024-03-10 09:00:05'],
    ['10/03/2024 10:00:05 +0130', 'dd/MM/yyyy HH:mm:ss XX', '2024-03-10 08:30:05'],
    ['10/03/2024 10:00:05 +01:00', 'dd/MM/yyyy HH:mm:ss xxx', '2024-03-10 09:00:05'],
    ['10/03/2024 10:00:05 +00:00', 'dd/MM/yyyy HH:mm:ss xxx', '2024-03-10 10:00:05'],
    ['10/03/2024 10:00:05 CET', 'dd/MM/yyyy HH:mm:ss z', '2024-03-10 09:00:05'],
    ['10/03/2024 10:00:05 PST', 'dd/MM/yyyy HH:mm:ss z', '2024-03-10 17:00:05'],
    ['10/03/2024 10:00:05 UTC', 'dd/MM/yyyy HH:mm:ss z', '2024-03-10 10:00:05'],
    ['10/03/2024 10:00:05 CEST', 'dd/MM/yyyy HH:mm:ss z', '2024-03-10 09:00:05'],
    ['10/03/2024 10:00:05 EST', 'dd/MM/yyyy HH:mm:ss z', '2024-03-10 14:00:05'],
    ['10/03/2024 10:00:05 BST', 'dd/MM/yyyy HH:mm:ss z', '2024-03-09 23:00:05'],
    ['10/03/2024 10:00:05 IST', 'dd/MM/yyyy HH:mm:ss z', '2024-03-10 10:00:05'],
    ['10/03/2024 10:00:05 JST', 'dd/MM/yyyy HH:mm:ss z', '2024-03-10 01:00:05'],
    ['10/03/2024 10:00:05 MST', 'dd/MM/yyyy HH:mm:ss z', '2024-03-10 16:00:05'],
    ['10/03/2024 10:00:05 CST', 'dd/MM/yyyy HH:mm:ss z', '2024-03-10 15:00:05'],
    ['10/03/2024 10:00:05 EDT', 'dd/MM/yyyy HH:mm:ss z', '2024-03-10 14:00:05'],
    ['10/03/2024 10:00:05 PDT', 'dd/MM/yyyy HH:mm:ss z', '2024-03-10 17:00:05'],
    ['10/03/2024 10:00:05 GMT', 'dd/MM/yyyy HH:mm:ss z', '2024-03-10 10:00:05'],
    ['10/03/2024 10:00:05 Europe/Paris', 'dd/MM/yyyy HH:mm:ss z', '2024-03-10 09:00:05'],
    ['10/03/2024 10:00:05 +01:00', 'dd/MM/yyyy HH:mm:ss z', '2024-03-10 09:00:05'],
    ['10/03/2024 10:00:05 EET', 'dd/MM/yyyy HH:mm:ss z', '2024-03-10 08:00:05'],
    ['10/03/2024 10:00:05 AEST', 'dd/MM/yyyy HH:mm:ss z', '2024-03-09 23:00:05'],
    ['10/03/2024 10:00:05 HST', 'dd/MM/yyyy HH:mm:ss z', '2024-03-10 20:00:05'],
    ['10/03/2024 10:00:05 XYZ', 'dd/MM/yyyy HH:mm:ss z', null],
    ['10/03/2024 10:00:05 Europe/Paris', 'dd/MM/yyyy HH:mm:ss VV', '2024-03-10 09:00:05'],
    ['10/07/2024 10:00:05 Europe/Paris', 'dd/MM/yyyy HH:mm:ss VV', '2024-07-10 08:00:05'],
    ['10/03/2024 10:00:05 America/New_York', 'dd/MM/yyyy HH:mm:ss VV', '2024-03-10 14:00:05'],
    ['10/03/2024 10:00:05 +01:00', 'dd/MM/yyyy HH:mm:ss VV', '2024-03-10 09:00:05'],
    ['10/03/2024 10:00:05 Z', 'dd/MM/yyyy HH:mm:ss VV', '2024-03-10 10:00:05'],
    ['10/03/2024 10:00:05 PST', 'dd/MM/yyyy HH:mm:ss VV', null],
    // The legacy parser cannot be built for VV, so Spark gives NULL rather than an upgrade error.
    ['10/03/2024 10:00:05 GMT+2', 'dd/MM/yyyy HH:mm:ss VV', null],
    ['10/03/2024 10:00:05 +01:00 x', 'dd/MM/yyyy HH:mm:ss VV', null],
    ['10/03/2024 10:00:05 UTC', 'dd/MM/yyyy HH:mm:ss VV', '2024-03-10 10:00:05'],
    ['2024-03-10T10:00:05+0100', "yyyy-MM-dd'T'HH:mm:ssZ", '2024-03-10 09:00:05'],
    ['2024-03-10T10:00:05.123+01:00', "yyyy-MM-dd'T'HH:mm:ss.SSSXXX", '2024-03-10 09:00:05.123'],
    ['2024-03-10T10:00:05Z', "yyyy-MM-dd'T'HH:mm:ssX", '2024-03-10 10:00:05'],
    ['2024-03-10T10:00:05Z', "yyyy-MM-dd'T'HH:mm:ssXXX", '2024-03-10 10:00:05'],
    ['2024-03-10T10:00:05Z', "yyyy-MM-dd'T'HH:mm:ssxxx", null],
    ['2024-03-10T10:00:05+01:00:30', "yyyy-MM-dd'T'HH:mm:ssXXXXX", '2024-03-10 08:59:35'],
    ['2024-03-10T10:00:05 GMT+01:00', "yyyy-MM-dd'T'HH:mm:ss z", '2024-03-10 09:00:05'],
    ['2024-03-10T10:00:05 GMT+01:00', "yyyy-MM-dd'T'HH:mm:ss O", '2024-03-10 09:00:05'],
    ['2024-03-10T10:00:05 GMT+1', "yyyy-MM-dd'T'HH:mm:ss O", '2024-03-10 09:00:05'],
    ['2024-03-10T10:00:05 GMT+01:00', "yyyy-MM-dd'T'HH:mm:ss OOOO", '2024-03-10 09:00:05'],
    ['2024-03-10T10:00:05 +01:00', "yyyy-MM-dd'T'HH:mm:ss ZZZZZ", '2024-03-10 09:00:05'],
    ['2024-03-10T10:00:05 GMT+01:00', "yyyy-MM-dd'T'HH:mm:ss ZZZZ", '2024-03-10 09:00:05'],
    ['2024-03-10T10:00:05 Central European Time', "yyyy-MM-dd'T'HH:mm:ss zzzz", '2024-03-10 09:00:05'],
  ])('to_timestamp(%j, %j) is %j', (text, pattern, expected) => {
    expect(value(`to_timestamp('${text}', "${pattern}")`)).toBe(expected);
  });
});

describe('to_timestamp with other patterns', () => {
  it.each([
    ["'2024-03-10', 'yyyy-M-d'", '2024-03-10 00:00:00'],
    ["'24-03-10', 'yy-MM-dd'", '2024-03-10 00:00:00'],
    ["'2024-03-10 1:02', 'yyyy-MM-dd H:mm'", '2024-03-10 01:02:00'],
    ["'20240310100005', 'yyyyMMddHHmmss'", '2024-03-10 10:00:05'],
    ["'2024-03-10 10:00:05.12', 'yyyy-MM-dd HH:mm:ss.SSS'", '2024-03-10 10:00:05.12'],
    ["'2024-03-10 10:00:05.1234', 'yyyy-MM-dd HH:mm:ss.SSS'", null],
    ["'Mar 10 2024 10:00:05 PM', 'MMM dd yyyy hh:mm:ss a'", '2024-03-10 22:00:05'],
    ["'March 10 2024', 'MMMM dd yyyy'", '2024-03-10 00:00:00'],
    ["'2024-02-30', 'yyyy-MM-dd'", null],
    ["'2024-03-10T10:00:05.000+0000', \"yyyy-MM-dd'T'HH:mm:ss.SSSZ\"", '2024-03-10 10:00:05'],
    ["'10:00', 'HH:mm'", '1970-01-01 10:00:00'],
    ["'2024-03-10 12:00:05 am', 'yyyy-MM-dd hh:mm:ss a'", '2024-03-10 00:00:05'],
    ["'2024-03-10', 'yyyy-MM-dd HH'", null],
    ["'2024-03-10 10', 'yyyy-MM-dd[ HH]'", '2024-03-10 10:00:00'],
    ["'2024-03-10', 'yyyy-MM-dd[ HH]'", '2024-03-10 00:00:00'],
  ])('to_timestamp(%s) is %j', (args, expected) => {
    expect(value(`to_timestamp(${args})`)).toBe(expected);
  });

  it('fails as Spark 3.5 does where only the lenient Spark 2 parser reads the text', () => {
    for (const text of ['2024-3-10', ' 2024-03-10', '2024-03-10 ', '2024-03-10 extra']) {
      expect(() => value(`to_timestamp('${text}', 'yyyy-MM-dd')`)).toThrow(
        `[INCONSISTENT_BEHAVIOR_CROSS_VERSION.PARSE_DATETIME_BY_NEW_PARSER] You may get a different result due to the upgrading to Spark >= 3.0:\nFail to parse '${text}' in the new parser.`,
      );
    }
  });

  it('refuses the pattern letters Spark 3 dropped', () => {
    for (const pattern of ['EEE, dd MMM yyyy HH:mm:ss Z', 'YYYY-MM-dd']) {
      expect(() => value(`to_timestamp('2024-03-10', '${pattern}')`)).toThrow(
        `[INCONSISTENT_BEHAVIOR_CROSS_VERSION.DATETIME_PATTERN_RECOGNITION] You may get a different result due to the upgrading to Spark >= 3.0:\nFail to recognize '${pattern}' pattern in the DateTimeFormatter.`,
      );
    }
    expect(() => value("date_format(CAST('2024-03-10 10:00:05' AS TIMESTAMP), 'u')")).toThrow("Fail to recognize 'u' pattern");
  });
});

describe('date_format with zone letters', () => {
  it('writes the session zone, UTC, in each form', () => {
    expect(value("date_format(CAST('2024-03-10 10:00:05' AS TIMESTAMP), 'yyyy-MM-dd HH:mm:ss XXX z VV Z x O ZZZZ ZZZZZ xxx X')"))
      .toBe('2024-03-10 10:00:05 Z UTC UTC +0000 +00 GMT GMT Z +00:00 Z');
    expect(value("date_format(CAST('2024-03-10 10:00:05' AS TIMESTAMP), 'EEEE E MMM MMMM a h D')")).toBe('Sunday Sun Mar March AM 10 70');
  });
});

describe('CAST(text AS TIMESTAMP) with a zone', () => {
  it.each([
    ['2024-03-10T10:00:05 Europe/Paris', '2024-03-10 09:00:05'],
    ['2024-03-10T10:00:05 GMT+01:00', '2024-03-10 09:00:05'],
    ['2024-03-10 10:00:05 GMT+01:00', '2024-03-10 09:00:05'],
    ['2024-03-10T10:00:05+01:00', '2024-03-10 09:00:05'],
    ['2024-03-10T10:00:05 UTC', '2024-03-10 10:00:05'],
    ['2024-03-10T10:00:05Z', '2024-03-10 10:00:05'],
    ['2024-03-10 10:00:05 CET', '2024-03-10 09:00:05'],
    ['2024-03-10T10:00:05 UTC+01:00', '2024-03-10 09:00:05'],
    ['2024-03-10T10:00:05 UT+01', '2024-03-10 09:00:05'],
    ['2024-03-10T10:00:05 +01:00', '2024-03-10 09:00:05'],
    ['2024-03-10T10:00:05-05', '2024-03-10 15:00:05'],
    ['2024-03-10T10:00:05 America/New_York', '2024-03-10 14:00:05'],
    ['2024-03-10T10:00:05.5 Europe/Paris', '2024-03-10 09:00:05.5'],
    ['2024-03-10 Europe/Paris', null],
    ['2024-03-10T10 Europe/Paris', null],
    ['2024-03-10T10:00 Europe/Paris', null],
    ['2024-03-10T10:00:05Europe/Paris', '2024-03-10 09:00:05'],
    ['2024-03-10T10:00:05 PST', '2024-03-10 17:00:05'],
    ['2024-03-10T10:00:05 GMT', '2024-03-10 10:00:05'],
    ['2024-03-10T10:00:05+1:00', '2024-03-10 09:00:05'],
    ['2024-03-10T10:00:05 +0100', '2024-03-10 09:00:05'],
    ['2024-03-10T10:00:05+01:00:30', '2024-03-10 08:59:35'],
    ['2024-03-10T10:00:05 Z', '2024-03-10 10:00:05'],
    ['2023-02-31T00:00:00Z', null],
    [' 2024-03-10 10:00:05 ', '2024-03-10 10:00:05'],
    ['2024-03-10T10:00:05 europe/paris', null],
    ['2024-03-10T10:00:05 EST', '2024-03-10 15:00:05'],
    ['2024-03-10T10:00:05 CEST', null],
    ['2024-03-10T10:00:05 Etc/GMT+1', '2024-03-10 11:00:05'],
    // Java's rules at DST changes: a time in the gap moves forward, an ambiguous one takes the earlier offset.
    ['2024-03-31T02:30:00 Europe/Paris', '2024-03-31 01:30:00'],
    ['2024-10-27T02:30:00 Europe/Paris', '2024-10-27 00:30:00'],
    ['2024-03-10T10:00:05 UTC+1', '2024-03-10 09:00:05'],
    ['2024-03-10T10:00:05 GMT+0100', '2024-03-10 09:00:05'],
    ['2024-03-10T10:00:05 +1', '2024-03-10 09:00:05'],
    ['2024-03-10T10:00:05 +01:3', '2024-03-10 08:57:05'],
    ['2024-03-10T10:00:05 +19:00', null],
    ['2024-03-10T10:00:05.123456789+01:00', '2024-03-10 09:00:05.123456'],
    ['2024', '2024-01-01 00:00:00'],
    ['2024-3', '2024-03-01 00:00:00'],
    ['2024-03-10 ', '2024-03-10 00:00:00'],
    ['2024-03-10T', null],
    ['2024-03-10 10', '2024-03-10 10:00:00'],
    ['2024-03-10 10:5', '2024-03-10 10:05:00'],
  ])('CAST(%j AS TIMESTAMP) is %j', (text, expected) => {
    expect(value(`CAST('${text}' AS TIMESTAMP)`)).toBe(expected);
  });

  it('reads a date from the date part only, as CAST(… AS DATE) and to_date do', () => {
    expect(value("CAST('2023-02-31' AS DATE)")).toBeNull();
    expect(value("CAST('2024-03-10T10:00:05 Europe/Paris' AS DATE)")).toBe('2024-03-10');
    expect(value("to_date('2024-03-10T10:00:05 Europe/Paris')")).toBe('2024-03-10');
    expect(value("to_date('10/03/2024', 'dd/MM/yyyy')")).toBe('2024-03-10');
    expect(value("to_date('2024-03-10 23:30:00 -05:00')")).toBe('2024-03-10');
  });
});
