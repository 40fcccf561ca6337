/** hash, crc32, base64, typeof, format_number and format_string against what PySpark 3.5.7 returned for the same rows. */
import { describe, expect, it } from 'vitest';
import { SparkSession } from 'streamlab';

const spark = SparkSession.builder.output(() => undefined).create();
const df = spark.createDataFrame([[12345678.9, 7, 'ab', -0.5, 1234567890123], [0.005, -3, null, 2.675, 0], [null, null, 'x', 1e21, -5]], 'd DOUBLE, i INT, s STRING, e DOUBLE, l BIGINT');
const values = (sql: string) => df.selectExpr(`${sql} AS v`).collect().map((r) => r.v);

describe('Spark hash functions', () => {
  it.each([
    ['hash(s)', [-97053317, 42, -80340190]],
    ['hash(i)', [1079293707, -1573329414, 42]],
    ['hash(l)', [1304145252, -1670924195, 424949597]],
    ['hash(d)', [2021517712, 372816828, 42]],
    ['hash(i, s)', [-1532158708, -1573329414, -80340190]],
    ['hash(e)', [-407952053, 118099119, -2064593718]],
    ['hash(true)', [-559580957, -559580957, -559580957]],
    ['hash(cast(0.0 as double))', [-1670924195, -1670924195, -1670924195]],
    ['hash(cast(-0.0 as double))', [-1670924195, -1670924195, -1670924195]],
    ['hash(cast(1.5 as float))', [-221251528, -221251528, -221251528]],
    ['hash(NULL)', [42, 42, 42]],
    ["hash(to_date('2024-01-01'))", [-456589419, -456589419, -456589419]],
    ["hash(cast('2024-01-01 00:00:00' as timestamp))", [1545358984, 1545358984, 1545358984]],
    ['crc32(s)', [2659403885, null, 2363233923]],
    ['base64(s)', ['YWI=', null, 'eA==']],
  ])('%s', (sql, expected) => {
    expect(values(sql)).toEqual(expected);
  });
});

describe('typeof and text formatting', () => {
  it.each([
    ['typeof(i / 2)', ['double', 'double', 'double']],
    ['typeof(i div 2)', ['bigint', 'bigint', 'bigint']],
    ['typeof(s)', ['string', 'string', 'string']],
    ['format_number(d, 0)', ['12,345,679', '0', null]],
    ['format_number(i, 3)', ['7.000', '-3.000', null]],
    ['format_number(e, 2)', ['-0.50', '2.67', '1,000,000,000,000,000,000,000.00']],
    ['format_number(l, 1)', ['1,234,567,890,123.0', '0.0', '-5.0']],
    ["format_string('%s-%d', s, i)", ['ab-7', 'null--3', 'x-null']],
    ["format_string('%.2f|%5d|%-4s|%x|%%|%05.1f', d, i, s, i, e)", ['12345678.90|    7|ab  |7|%|-00.5', '0.01|   -3|null|fffffffd|%|002.7', 'nu| null|x   |null|%|1000000000000000000000.0']],
    ["printf('%s', d)", ['1.23456789E7', '0.005', 'null']],
    ["format_string('%s %s', i, e)", ['7 -0.5', '-3 2.675', 'null 1.0E21']],
  ])('%s', (sql, expected) => {
    expect(values(sql)).toEqual(expected);
  });

  it('rounds exact ties in format_number half to even, and %.Nf half up on the shortest digits', () => {
    const t = spark.createDataFrame([[0.125], [2.675], [3.5], [-2.5], [1.005]], 'x DOUBLE');
    expect(t.selectExpr('format_number(x, 0) AS a', 'format_number(x, 2) AS b', "format_string('%.2f', x) AS c", "format_string('%.0f', x) AS d").collect().map((r) => [r.a, r.b, r.c, r.d]))
      .toEqual([['0', '0.12', '0.13', '0'], ['3', '2.67', '2.68', '3'], ['4', '3.50', '3.50', '4'], ['-2', '-2.50', '-2.50', '-3'], ['1', '1.00', '1.01', '1']]);
  });
});
