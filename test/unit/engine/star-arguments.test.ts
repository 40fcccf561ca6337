/** A star inside a function's arguments expands to the input columns, as Spark's analyzer does. */
import { describe, expect, it } from 'vitest';
import { functions as F, SparkSession } from 'streamlab';

const spark = SparkSession.builder.output(() => undefined).create();
const df = spark.createDataFrame([['gw-1', 4], ['gw-2', 1]], 'origin STRING, count BIGINT');

describe('star in function arguments', () => {
  it('serialises the whole row with to_json(struct(*))', () => {
    expect(df.select(F.to_json(F.struct('*')).alias('value')).collect()).toEqual([
      { value: '{"origin":"gw-1","count":4}' },
      { value: '{"origin":"gw-2","count":1}' },
    ]);
  });

  it('expands a qualified star of a struct column into its fields', () => {
    const nested = df.select(F.struct('origin', 'count').alias('r'));
    expect(nested.select(F.to_json(F.struct('r.*')).alias('j')).collect().map((r) => r.j)).toEqual([
      '{"origin":"gw-1","count":4}',
      '{"origin":"gw-2","count":1}',
    ]);
    expect(nested.select('r.*').columns).toEqual(['origin', 'count']);
  });

  it('keeps count(*) a row count', () => {
    expect(df.groupBy().agg(F.count('*').alias('n')).collect()).toEqual([{ n: 2 }]);
  });

  it('works in SQL expression strings', () => {
    expect(df.selectExpr('to_json(struct(*)) AS v').collect().map((r) => r.v)).toEqual([
      '{"origin":"gw-1","count":4}',
      '{"origin":"gw-2","count":1}',
    ]);
  });
});
