/**
 * `spark.read.csv` over a folder of files, held to what PySpark 3.5.7 printed for the same files
 * (fixtures/csv-lake: a.csv with an extra field, b.csv with a quoted comma, an escaped quote, an empty
 * quoted field, text in an int column and a short line, and a `_SUCCESS` file Spark skips).
 */
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { SparkSession } from 'streamlab';
import { registerLocalCsv } from '../../../runtime/src/connectors/files/local-files.js';

const root = fileURLToPath(new URL('./fixtures', import.meta.url));
const spark = SparkSession.builder.output(() => undefined).create();
const values = (df: ReturnType<typeof spark.read.csv>) => df.collect().map((r) => df.columns.map((c) => r[c]));

describe('spark.read.csv', () => {
  beforeAll(() => registerLocalCsv(spark.formats, root));

  it('types a folder of files with the schema, NULL where a field is empty or does not parse', () => {
    const df = spark.read.csv('csv-lake', { schema: 'date DATE, country STRING, cases INT, note STRING', header: true });
    expect(df.dtypes).toEqual([['date', 'date'], ['country', 'string'], ['cases', 'int'], ['note', 'string']]);
    const day = (s: string) => new Date(`${s}T00:00:00Z`);
    expect(values(df.orderBy('date'))).toEqual([
      [day('2020-03-01'), 'France', 3, 'z'],
      [day('2020-03-02'), 'Germany', 12, 'a, b'],
      [day('2020-03-03'), 'Italy', null, null],
      [day('2020-03-04'), null, 7, 'say "hi"'],
      [day('2020-03-05'), 'Spain', null, null],
    ]);
  });

  it('names string columns by the header, or _c0… without one', () => {
    const df = spark.read.csv('csv-lake/b.csv', { header: true });
    expect(df.dtypes).toEqual([['date', 'string'], ['country', 'string'], ['cases', 'string'], ['note', 'string']]);
    expect(values(df)).toEqual([['2020-03-02', 'Germany', '12', 'a, b'], ['2020-03-03', 'Italy', 'x1', null], ['2020-03-04', null, '7', 'say "hi"'], ['2020-03-05', 'Spain', null, null]]);
    const all = spark.read.csv('csv-lake/*.csv');
    expect(all.columns).toEqual(['_c0', '_c1', '_c2', '_c3']);
    expect(all.count()).toBe(7);
  });

  it('says when a path does not exist', () => {
    expect(() => spark.read.csv(`${root}/nope`, { header: true })).toThrow(`[PATH_NOT_FOUND] Path does not exist: file:${root}/nope.`);
  });
});
