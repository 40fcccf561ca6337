/**
 * `spark.sql(...)` over temporary views: the query text becomes the plan the DataFrame API builds,
 * columns and rows as PySpark 3.5.7 printed them for the same views and queries (`df.columns`,
 * `df.collect()`, `str(error)`), and a query over a streaming view is a streaming query.
 */
import { describe, expect, it } from 'vitest';
import { functions as F, MemoryStream, SparkSession } from 'streamlab';

const spark = SparkSession.builder.output(() => undefined).create();
spark.createDataFrame([[1, 'a', 10], [2, 'b', 20]], ['id', 'name', 'v']).createOrReplaceTempView('t');
spark.createDataFrame([[1, 'x'], [3, 'y']], ['id', 'tag']).createOrReplaceTempView('u');
const result = (q: string) => {
  const df = spark.sql(q);
  return { columns: df.columns, rows: df.collectInternal().map((r) => [...r]) };
};
const sorted = (q: string) => {
  const r = result(q);
  return { columns: r.columns, rows: r.rows.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)) };
};

describe('spark.sql over temporary views', () => {
  it('selects, filters, orders and limits as Spark does', () => {
    expect(result('SELECT name, v * 2 AS w FROM t WHERE v > 10')).toEqual({ columns: ['name', 'w'], rows: [['b', 40]] });
    expect(result('SELECT name FROM t ORDER BY v DESC')).toEqual({ columns: ['name'], rows: [['b'], ['a']] });
    expect(result('SELECT * FROM t ORDER BY id DESC LIMIT 1')).toEqual({ columns: ['id', 'name', 'v'], rows: [[2, 'b', 20]] });
    expect(sorted('SELECT DISTINCT name FROM t')).toEqual({ columns: ['name'], rows: [['a'], ['b']] });
    expect(result('SELECT x.id FROM (SELECT id FROM t) x ORDER BY 1')).toEqual({ columns: ['id'], rows: [[1], [2]] });
    expect(result('WITH a AS (SELECT 1) SELECT * FROM a;')).toEqual({ columns: ['1'], rows: [[1]] });
    expect(result('select T.Name from T where t.id = 1')).toEqual({ columns: ['Name'], rows: [['a']] });
  });

  it('aggregates with GROUP BY, HAVING, ordinals and global aggregation', () => {
    expect(result('SELECT count(*), max(v) FROM t')).toEqual({ columns: ['count(1)', 'max(v)'], rows: [[2, 20]] });
    expect(result('SELECT name, sum(v) AS s FROM t GROUP BY name HAVING count(*) >= 1 ORDER BY 1')).toEqual({ columns: ['name', 's'], rows: [['a', 10], ['b', 20]] });
    expect(sorted('SELECT name, count(*) FROM t GROUP BY 1')).toEqual({ columns: ['name', 'count(1)'], rows: [['a', 1], ['b', 1]] });
    expect(result('SELECT count(*) AS n, name FROM t GROUP BY name ORDER BY name')).toEqual({ columns: ['n', 'name'], rows: [[1, 'a'], [1, 'b']] });
    expect(result('SELECT upper(name) AS u, sum(v) FROM t GROUP BY name HAVING sum(v) > 10')).toEqual({ columns: ['u', 'sum(v)'], rows: [['B', 20]] });
    expect(result('SELECT name FROM t GROUP BY name ORDER BY max(v) DESC')).toEqual({ columns: ['name'], rows: [['b'], ['a']] });
    expect(() => spark.sql('SELECT id, count(*) FROM t')).toThrow('[MISSING_GROUP_BY] The query does not include a GROUP BY clause.');
  });

  it('joins with ON, USING and commas, keeping same-named columns apart by their relation', () => {
    expect(result('SELECT t.id, u.tag FROM t JOIN u ON t.id = u.id')).toEqual({ columns: ['id', 'tag'], rows: [[1, 'x']] });
    expect(result('SELECT * FROM t JOIN u ON t.id = u.id')).toEqual({ columns: ['id', 'name', 'v', 'id', 'tag'], rows: [[1, 'a', 10, 1, 'x']] });
    expect(sorted('SELECT * FROM t LEFT JOIN u USING (id)')).toEqual({ columns: ['id', 'name', 'v', 'tag'], rows: [[1, 'a', 10, 'x'], [2, 'b', 20, null]] });
    expect(sorted('SELECT t.name, u.id FROM t FULL OUTER JOIN u ON t.id = u.id')).toEqual({ columns: ['name', 'id'], rows: [['a', 1], ['b', null], [null, 3]] });
    expect(sorted('SELECT u.* FROM t JOIN u ON t.id=u.id')).toEqual({ columns: ['id', 'tag'], rows: [[1, 'x']] });
    expect(sorted('SELECT * FROM t, u')).toEqual({ columns: ['id', 'name', 'v', 'id', 'tag'], rows: [[1, 'a', 10, 1, 'x'], [1, 'a', 10, 3, 'y'], [2, 'b', 20, 1, 'x'], [2, 'b', 20, 3, 'y']] });
    expect(sorted('SELECT name FROM t LEFT ANTI JOIN u USING (id)')).toEqual({ columns: ['name'], rows: [['b']] });
    expect(sorted('SELECT * FROM u LEFT SEMI JOIN t ON u.id = t.id')).toEqual({ columns: ['id', 'tag'], rows: [[1, 'x']] });
    expect(sorted('SELECT u.tag, t.name FROM u JOIN t ON t.id = u.id JOIN u AS w ON w.id = t.id')).toEqual({ columns: ['tag', 'name'], rows: [['x', 'a']] });
    expect(sorted('SELECT id FROM t UNION SELECT id FROM u')).toEqual({ columns: ['id'], rows: [[1], [2], [3]] });
    expect(result('SELECT id FROM t UNION ALL SELECT id FROM u').rows).toHaveLength(4);
  });

  it('builds the plan the DataFrame API builds', () => {
    const t = spark.table('t');
    expect(spark.sql('SELECT name, v FROM t WHERE v > 10').plan).toEqual(t.filter('v > 10').select('name', 'v').plan);
    expect(spark.sql('SELECT name, count(*) AS n FROM t GROUP BY name').plan).toEqual(t.groupBy('name').agg(F.count('*').alias('n')).plan);
  });

  it("reports Spark's error classes", () => {
    expect(() => spark.sql('SELECT * FORM t')).toThrow("[PARSE_SYNTAX_ERROR] Syntax error at or near 't'");
    expect(() => spark.sql('SELECT * FROM nope')).toThrow('[TABLE_OR_VIEW_NOT_FOUND] The table or view `nope` cannot be found. Verify the spelling and correctness of the schema and catalog.');
    expect(() => spark.sql('SELECT * FROM nope')).toThrow('; line 1 pos 14');
    expect(() => spark.sql('SELECT idd FROM t')).toThrow('[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name `idd` cannot be resolved.');
    expect(() => spark.sql('SELECT t.nope FROM t')).toThrow('[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name `t`.`nope` cannot be resolved. Did you mean one of the following? [`t`.`id`, `t`.`name`, `t`.`v`].');
    expect(() => spark.sql('SELECT id FROM t JOIN u ON t.id = u.id')).toThrow('[AMBIGUOUS_REFERENCE] Reference `id` is ambiguous, could be: [`t`.`id`, `u`.`id`].');
    expect(() => spark.sql('SELECT id, row_number() OVER (ORDER BY id) FROM t')).toThrow('[UNSUPPORTED_FEATURE] window functions written in SQL (OVER) is not supported');
    expect(() => spark.sql('SELECT id FROM t INTERSECT SELECT id FROM u')).toThrow('[UNSUPPORTED_FEATURE] INTERSECT of two queries');
    expect(() => spark.sql('SELECT name, count(*) FROM t GROUP BY ROLLUP(name)')).toThrow('[UNSUPPORTED_FEATURE] GROUP BY ROLLUP is not supported');
  });

  it('has spark.catalog, spark.table, spark.range and spark.udf.register', () => {
    const s = SparkSession.builder.output(() => undefined).create();
    s.range(1, 7, 2).createOrReplaceTempView('Odd');
    s.range(3).createOrReplaceTempView('small');
    expect(s.catalog.listTables().map((x) => [x.name, x.tableType, x.isTemporary])).toEqual([['Odd', 'TEMPORARY', true], ['small', 'TEMPORARY', true]]);
    expect(s.table('odd').collectInternal()).toEqual([[1], [3], [5]]);
    expect(s.range(3).dtypes).toEqual([['id', 'bigint']]);
    s.udf.register('plus_ten', (x: number) => x + 10, 'bigint');
    expect(s.sql('SELECT plus_ten(id) AS p FROM small WHERE plus_ten(id) > 10').collectInternal()).toEqual([[11], [12]]);
    expect(s.table('small').filter('plus_ten(id) < 12').selectExpr('plus_ten(id) AS p').orderBy('plus_ten(p) DESC').collectInternal()).toEqual([[11], [10]]);
    expect(s.catalog.dropTempView('small')).toBe(true);
    expect(s.catalog.dropTempView('small')).toBe(false);
    expect(() => s.sql('SELECT * FROM small')).toThrow('[TABLE_OR_VIEW_NOT_FOUND]');
  });

  it('creates temporary views with CREATE [OR REPLACE] TEMP VIEW and names the alternative to other statements', () => {
    const s = SparkSession.builder.output(() => undefined).create();
    s.range(3).createOrReplaceTempView('n');
    const created = s.sql('CREATE TEMP VIEW big AS SELECT * FROM n WHERE id > 0');
    expect([created.columns, created.collectInternal()]).toEqual([[], []]);
    expect(s.sql('SELECT * FROM big').collectInternal()).toEqual([[1], [2]]);
    expect(() => s.sql('CREATE TEMP VIEW big AS SELECT 1')).toThrow('[TEMP_TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create the temporary view `big` because it already exists.\nChoose a different name, drop or replace the existing view,  or add the IF NOT EXISTS clause to tolerate pre-existing views.');
    s.sql('CREATE OR REPLACE TEMPORARY VIEW big AS SELECT id * 10 AS x FROM n');
    expect(s.sql('SELECT * FROM big').collectInternal()).toEqual([[0], [10], [20]]);
    expect(() => s.sql('SHOW TABLES')).toThrow('[UNSUPPORTED_FEATURE] The statement SHOW is not supported by Streamlab\'s spark.sql yet: spark.catalog.listTables() lists the temporary views.');
    expect(() => s.sql('CREATE TABLE x AS SELECT 1')).toThrow('[UNSUPPORTED_FEATURE] CREATE without TEMPORARY VIEW');
    expect(() => s.sql('SELECT * FROM json.`/etc/hostname`')).toThrow('[UNSUPPORTED_FEATURE] Querying files by path (json.`/etc/hostname`)');
  });

  it('runs a windowed aggregation over a streaming view with its watermark', async () => {
    const ms = new MemoryStream('ts TIMESTAMP, word STRING', spark);
    ms.toDF().withWatermark('ts', '10 seconds').createOrReplaceTempView('events');
    const counts = spark.sql("SELECT window.start AS start, word, count(*) AS n FROM events GROUP BY window(ts, '10 seconds'), word");
    expect(counts.isStreaming).toBe(true);
    const q = counts.writeStream.format('memory').queryName('sql_windows').outputMode('append').start();
    ms.addData([new Date('2024-01-01T00:00:01Z'), 'a'], [new Date('2024-01-01T00:00:02Z'), 'a'], [new Date('2024-01-01T00:00:12Z'), 'b']);
    await q.processAllAvailable();
    ms.addData([new Date('2024-01-01T00:00:31Z'), 'c']);
    await q.processAllAvailable();
    expect(spark.memorySinks.get('sql_windows')!.allRows()).toEqual([[Date.parse('2024-01-01T00:00:00Z') * 1000, 'a', 2], [Date.parse('2024-01-01T00:00:10Z') * 1000, 'b', 1]]);
    await q.stop();
  });
});
