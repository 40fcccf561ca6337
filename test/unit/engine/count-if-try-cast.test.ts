/**
 * count_if and SQL's try_cast, held to what PySpark 3.5.7 returned for the same DataFrames: count_if
 * counts only true (NULL and false are not counted), takes only booleans, and works grouped, global,
 * DISTINCT and in SQL text; try_cast is the non-ANSI cast (NULL for what cannot be converted), named
 * TRY_CAST, or after its column at the top of a select as CAST is.
 */
import { describe, expect, it } from 'vitest';
import { functions as F, SparkSession } from 'streamlab';
import { parseNamedExpression } from '../../../runtime/src/engine/plans/sql-parser.js';
import { StubCollector } from '../../../runtime/src/export/index.js';
import { columnCode, sqlText } from '../../../runtime/src/export/column-code.js';

const spark = SparkSession.builder.output(() => undefined).create();
const nums = spark.createDataFrame([[1, 'a', true], [2, 'a', null], [3, 'b', false], [null, 'b', true], [5, 'a', true]], 'x INT, g STRING, b BOOLEAN');
const rows = (df: ReturnType<typeof nums.select>) => df.collect().map((r) => df.columns.map((c) => r[c]));

describe('count_if', () => {
  it('counts the rows where the condition is true, per group and for the whole input', () => {
    const grouped = nums.groupBy('g').agg(F.count_if(F.col('x').gt(1)), F.count_if('b')).orderBy('g');
    expect(grouped.columns).toEqual(['g', 'count_if((x > 1))', 'count_if(b)']);
    expect(grouped.dtypes.slice(1)).toEqual([['count_if((x > 1))', 'bigint'], ['count_if(b)', 'bigint']]);
    expect(rows(grouped)).toEqual([['a', 2, 2], ['b', 1, 1]]);
    const global = nums.select(F.count_if(F.col('x').mod(2).eq(1)));
    expect(global.columns).toEqual(['count_if(((x % 2) = 1))']);
    expect(rows(global)).toEqual([[3]]);
    const sql = nums.selectExpr('count_if(x > 1) AS n', 'count_if(b)');
    expect(sql.columns).toEqual(['n', 'count_if(b)']);
    expect(rows(sql)).toEqual([[3, 3]]);
    expect(rows(nums.selectExpr('count_if(DISTINCT b)'))).toEqual([[1]]);
    expect(rows(nums.where('x > 100').selectExpr('count_if(b)'))).toEqual([[0]]);
  });

  it('takes only a boolean, with Spark\'s error', () => {
    expect(() => nums.selectExpr('count_if(x)').collect()).toThrow('[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "count_if(x)" due to data type mismatch: Parameter 1 requires the "BOOLEAN" type, however "x" has the type "INT".');
    expect(() => nums.selectExpr('count_if(g)').collect()).toThrow('[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "count_if(g)" due to data type mismatch: Parameter 1 requires the "BOOLEAN" type, however "g" has the type "STRING".');
  });
});

describe('try_cast', () => {
  const strs = spark.createDataFrame([['1'], ['x'], [null], [' 7 '], ['2.5'], ['2020-03-15'], ['true']], 's STRING');

  it('converts what it can and gives NULL for the rest', () => {
    const df = strs.selectExpr('s', 'try_cast(s AS INT)', 'try_cast(s AS DOUBLE) AS d', 'TRY_CAST(s AS DATE)', 'try_cast(s AS BOOLEAN)', 'try_cast(s AS TIMESTAMP)');
    expect(df.columns).toEqual(['s', 's', 'd', 's', 's', 's']);
    expect(df.dtypes.map(([, t]) => t)).toEqual(['string', 'int', 'double', 'date', 'boolean', 'timestamp']);
    const out: string[] = [];
    const shown = SparkSession.builder.output((t) => out.push(t)).create();
    shown.createDataFrame([['1'], ['x'], [null], [' 7 '], ['2.5'], ['2020-03-15'], ['true']], 's STRING')
      .selectExpr('try_cast(s AS INT) AS i', 'try_cast(s AS DOUBLE) AS d', 'TRY_CAST(s AS DATE) AS dt', 'try_cast(s AS BOOLEAN) AS b', 'try_cast(s AS TIMESTAMP) AS ts')
      .show(20, false);
    expect(out.join('')).toBe([
      '+----+----+----------+----+-------------------+',
      '|i   |d   |dt        |b   |ts                 |',
      '+----+----+----------+----+-------------------+',
      '|1   |1.0 |NULL      |true|NULL               |',
      '|NULL|NULL|NULL      |NULL|NULL               |',
      '|NULL|NULL|NULL      |NULL|NULL               |',
      '|7   |7.0 |NULL      |NULL|NULL               |',
      '|NULL|2.5 |NULL      |NULL|NULL               |',
      '|NULL|NULL|2020-03-15|NULL|2020-03-15 00:00:00|',
      '|NULL|NULL|NULL      |true|NULL               |',
      '+----+----+----------+----+-------------------+',
      '',
    ].join('\n'));
  });

  it('is named TRY_CAST inside expressions, and exported as SQL (PySpark 3.5\'s Column has no try_cast)', () => {
    const one = spark.createDataFrame([['1']], 's STRING');
    const df = one.selectExpr('try_cast(s AS INT) + 1', "try_cast('5' AS INT)", 'upper(try_cast(s AS INT))');
    expect(df.columns).toEqual(['(TRY_CAST(s AS INT) + 1)', 'TRY_CAST(5 AS INT)', 'upper(TRY_CAST(s AS INT))']);
    expect(rows(df)).toEqual([[2, 5, '1']]);
    // TRY mode reads as ANSI does: out of range is NULL where the non-ANSI cast wraps.
    const big = one.selectExpr('try_cast(3000000000 AS INT) AS t', 'CAST(3000000000 AS INT) AS c', 'try_cast(2.7D AS INT) AS d', "try_cast('-12' AS TINYINT) AS s");
    expect(rows(big)).toEqual([[null, -1294967296, 2, -12]]);
    const e = parseNamedExpression('try_cast(s AS INT) AS n');
    expect(sqlText(e)).toBe('TRY_CAST(s AS INT) AS n');
    expect(columnCode(e, { stubs: new StubCollector(), where: 'test' })).toBe('F.expr("TRY_CAST(s AS INT)").alias("n")');
  });
});
