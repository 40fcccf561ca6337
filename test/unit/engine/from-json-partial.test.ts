/**
 * `from_json` in PERMISSIVE mode against what PySpark 3.5.7 printed for the same inputs
 * (`df.select(F.from_json("value", schema).alias("d")).select("d.*").show(truncate=False)`):
 * unreadable struct fields become NULL and the rest of the record is kept, an array or map with
 * an unreadable element is NULL as a whole, numbers for timestamps are whole seconds, and
 * Jackson's non-numeric numbers are read for doubles.
 */
import { describe, expect, it } from 'vitest';
import { functions as F, SparkSession } from 'streamlab';

function shown(values: string[], schema: string, star = true): string {
  const out: string[] = [];
  const spark = SparkSession.builder.output((t) => out.push(t)).create();
  const parsed = spark.createDataFrame(values.map((v) => [v]), 'value STRING').select(F.from_json('value', schema).alias('d'));
  (star ? parsed.select('d.*') : parsed).show(20, false);
  return out.join('');
}

describe('from_json partial results (Spark 3.5)', () => {
  it('keeps the readable fields of a record with a badly typed field', () => {
    const values = ['{"a":"s3","b":"warm"}', '{"a":"s1","b":21.5}', 'not json', '{"a":"x","b":1}', '{"a":5,"b":2}', '{"a":"n","b":"NaN"}', '{"a":"n","b":"Infinity"}', '[{"a":"arr","b":1}]', '42', '{"a":"q","b":1.5e0}'];
    expect(shown(values, 'a STRING, b DOUBLE')).toBe([
      '+----+--------+',
      '|a   |b       |',
      '+----+--------+',
      '|s3  |NULL    |',
      '|s1  |21.5    |',
      '|NULL|NULL    |',
      '|x   |1.0     |',
      '|5   |2.0     |',
      '|n   |NaN     |',
      '|n   |Infinity|',
      '|NULL|NULL    |',
      '|NULL|NULL    |',
      '|q   |1.5     |',
      '+----+--------+',
      '',
    ].join('\n'));
  });

  it('nulls whole arrays and maps with a bad element but keeps partial nested structs', () => {
    const values = ['{"s":{"x":1,"y":"bad"},"k":1}', '{"s":{"x":1,"y":2},"k":"bad"}', '{"arr":[1,"x",3],"k":1}', '{"m":{"p":1,"q":"z"},"k":2}', '{"t":"2024-01-01T10:00:00","k":3}', '{"t":1700000000,"k":4}', '{"t":1700000000.5,"k":5}', '{"t":"garbage","k":6}', '{"i":21.5,"k":7}', '{"bo":"true","k":8}'];
    expect(shown(values, 's STRUCT<x INT, y INT>, arr ARRAY<INT>, m MAP<STRING,INT>, t TIMESTAMP, i INT, bo BOOLEAN, k INT')).toBe([
      '+---------+----+----+-------------------+----+----+----+',
      '|s        |arr |m   |t                  |i   |bo  |k   |',
      '+---------+----+----+-------------------+----+----+----+',
      '|{1, NULL}|NULL|NULL|NULL               |NULL|NULL|1   |',
      '|{1, 2}   |NULL|NULL|NULL               |NULL|NULL|NULL|',
      '|NULL     |NULL|NULL|NULL               |NULL|NULL|1   |',
      '|NULL     |NULL|NULL|NULL               |NULL|NULL|2   |',
      '|NULL     |NULL|NULL|2024-01-01 10:00:00|NULL|NULL|3   |',
      '|NULL     |NULL|NULL|2023-11-14 22:13:20|NULL|NULL|4   |',
      '|NULL     |NULL|NULL|NULL               |NULL|NULL|5   |',
      '|NULL     |NULL|NULL|NULL               |NULL|NULL|6   |',
      '|NULL     |NULL|NULL|NULL               |NULL|NULL|7   |',
      '|NULL     |NULL|NULL|NULL               |NULL|NULL|8   |',
      '+---------+----+----+-------------------+----+----+----+',
      '',
    ].join('\n'));
  });

  it('reads a top-level array schema only when every element is readable', () => {
    expect(shown(['[1,2,"x"]', '[1,2]', '{"a":1}'], 'ARRAY<INT>', false)).toBe('+------+\n|d     |\n+------+\n|NULL  |\n|[1, 2]|\n|NULL  |\n+------+\n');
  });
});
