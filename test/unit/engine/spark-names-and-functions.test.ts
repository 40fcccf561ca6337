/**
 * Generated column names and a set of scalar functions, against what PySpark 3.5.7 printed for the
 * same DataFrames (`df.select(...).columns`, `df.selectExpr(...).show()`).
 */
import { describe, expect, it } from 'vitest';
import { functions as F, SparkSession } from 'streamlab';

const spark = SparkSession.builder.output(() => undefined).create();
const df = spark.createDataFrame([['1', 2.5, ['a', 1]]], 'value STRING, d DOUBLE, r STRUCT<x: STRING, y: INT>');

describe('column names', () => {
  it('keeps a column name through a top-level cast in select and selectExpr, but not in groupBy', () => {
    expect(df.select(F.col('r.x').cast('int'), F.col('d').alias('z').cast('int'), F.expr('cast(d+1 as int)'), F.expr('cast(upper(value) as string)'),
      F.col('r').getField('y').cast('string'), F.col('value').cast('int').cast('string'), F.lit(1).cast('string'), F.expr('cast(r.y as string)')).columns)
      .toEqual(['CAST(r.x AS INT)', 'z', 'CAST((d + 1) AS INT)', 'CAST(upper(value) AS STRING)', 'CAST(r.y AS STRING)', 'value', 'CAST(1 AS STRING)', 'CAST(r.y AS STRING)']);
    expect(df.selectExpr('CAST(value AS STRING)', 'CAST(r.x AS INT)', 'CAST(d AS INT) + 1').columns).toEqual(['value', 'CAST(r.x AS INT)', '(CAST(d AS INT) + 1)']);
    expect(df.groupBy(F.col('d').cast('int')).count().columns).toEqual(['CAST(d AS INT)', 'count']);
  });

  it('takes an alias inside expr(), as Spark\'s expression parser does', () => {
    expect(df.select(F.expr('d + 1 AS e'), F.expr('upper(value) u')).columns).toEqual(['e', 'u']);
    expect(df.groupBy('value').agg(F.expr('sum(d) AS total'), F.expr('count(*) as n')).collect().map((r) => [r.total, r.n])).toEqual([[2.5, 1]]);
  });

  it('names functions as Spark prints them', () => {
    expect(df.select(F.log('d'), F.log(10.0, 'd'), F.exp('d'), F.ceil('d'), F.floor('d'), F.sqrt('d'), F.abs('d'), F.round('d', 1), F.col('value').rlike('x'),
      F.col('value').like('x%'), F.col('d').between(1, 2), F.isnull('d'), F.upper('value'), F.pow('d', 2), F.length('value')).columns).toEqual([
      'ln(d)', 'LOG(10.0, d)', 'EXP(d)', 'CEIL(d)', 'FLOOR(d)', 'SQRT(d)', 'abs(d)', 'round(d, 1)', 'RLIKE(value, x)', 'value LIKE x%', '((d >= 1) AND (d <= 2))',
      '(d IS NULL)', 'upper(value)', 'POWER(d, 2)', 'length(value)',
    ]);
    expect(df.selectExpr("split(value, ',')", "regexp_replace(value, 'a', 'b')", 'round(2.5)', 'log(10)', 'log10(100)', 'isnull(value)', "locate('l', value)",
      'from_unixtime(1700000000)', 'unix_timestamp(current_timestamp())', "if(d > 0, 'p', 'n')", 'pow(d, 2)', 'signum(d)', 'degrees(pi())', 'e()', 'cast(1e20 as string)').columns).toEqual([
      'split(value, ,, -1)', 'regexp_replace(value, a, b, 1)', 'round(2.5, 0)', 'LOG(E(), 10)', 'LOG10(100)', '(value IS NULL)', 'locate(l, value, 1)',
      'from_unixtime(1700000000, yyyy-MM-dd HH:mm:ss)', 'unix_timestamp(current_timestamp(), yyyy-MM-dd HH:mm:ss)', '(IF((d > 0), p, n))', 'pow(d, 2)', 'SIGNUM(d)',
      'DEGREES(PI())', 'E()', 'CAST(1.0E20 AS STRING)',
    ]);
  });
});

describe('scalar functions', () => {
  const rows = spark.createDataFrame([['Hello World', 7, 2.5, '2024-03-10 12:34:56.789'], ['  pad  ', -7, -0.125, '1999-12-31 23:59:59'], [null, null, null, null], ['a,b,,c', 0, 1e-5, '2024-02-29 00:00:00']],
    's STRING, i INT, d DOUBLE, ts STRING');
  const values = (sql: string) => rows.selectExpr(`${sql} AS v`).collect().map((r) => r.v);

  it.each([
    ['reverse(s)', ['dlroW olleH', '  dap  ', null, 'c,,b,a']],
    ["instr(s, 'o')", [5, 0, null, 0]],
    ["lpad(s, 8, '*')", ['Hello Wo', '*  pad  ', null, '**a,b,,c']],
    ["rpad(s, 3, '*')", ['Hel', '  p', null, 'a,b']],
    ['initcap(s)', ['Hello World', '  Pad  ', null, 'A,b,,c']],
    ["replace(s, 'l', 'L')", ['HeLLo WorLd', '  pad  ', null, 'a,b,,c']],
    ["translate(s, 'lo', 'xy')", ['Hexxy Wyrxd', '  pad  ', null, 'a,b,,c']],
    ['repeat(s, 2)', ['Hello WorldHello World', '  pad    pad  ', null, 'a,b,,ca,b,,c']],
    ['ascii(s)', [72, 32, null, 97]],
    ["locate('l', s)", [3, 0, null, 0]],
    ['pmod(i, 3)', [1, 2, null, 0]],
    ['-i % 3', [-1, 1, null, 0]],
    ['bround(2.5)', [2, 2, 2, 2]],
    ['bround(3.5)', [4, 4, 4, 4]],
    ['signum(d)', [1, -1, null, 1]],
    ['cbrt(27)', [3, 3, 3, 3]],
    ["if(i > 0, 'pos', 'non-pos')", ['pos', 'non-pos', 'non-pos', 'non-pos']],
    ['nullif(i, 0)', [7, -7, null, null]],
    ['datediff(to_date(\'2024-03-01\'), to_date(ts))', [-9, 8827, null, 1]],
  ])('%s', (sql, expected) => {
    expect(values(sql)).toEqual(expected);
  });

  it('date_add and date_trunc', () => {
    expect(rows.selectExpr("date_format(date_add(to_date(ts), 1), 'yyyy-MM-dd') AS a", "date_format(date_trunc('hour', cast(ts as timestamp)), 'yyyy-MM-dd HH:mm:ss') AS b").collect().map((r) => [r.a, r.b]))
      .toEqual([['2024-03-11', '2024-03-10 12:00:00'], ['2000-01-01', '1999-12-31 23:00:00'], [null, null], ['2024-03-01', '2024-02-29 00:00:00']]);
  });
});
