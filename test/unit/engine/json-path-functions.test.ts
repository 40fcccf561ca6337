/**
 * get_json_object and json_tuple against what PySpark 3.5.7 returned for the same documents and paths
 * (fixtures/pyspark-3.5.7-json-path.json): Jackson's re-serialisation (key order, duplicate keys,
 * doubles as Java prints them), Hive's path grammar (a path Spark cannot read is NULL), wildcards that
 * unwrap a single match, and json_tuple's columns, names, aliases and errors in Spark 3.5's words.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { functions as F, SparkSession } from 'streamlab';

interface Captured {
  documents: (string | null)[];
  paths: Record<string, (string | null)[]>;
  documents2: string[];
  paths2: Record<string, (string | null)[]>;
  json_tuple: { fields: string[]; rows: (string | null)[][] };
  json_tuple2: { fields: string[]; rows: (string | null)[][] };
}

const captured = JSON.parse(readFileSync(new URL('./fixtures/pyspark-3.5.7-json-path.json', import.meta.url), 'utf8')) as Captured;
const spark = SparkSession.builder.output(() => undefined).create();
const docs = spark.createDataFrame(captured.documents.map((d, i) => [i, d]), 'i INT, j STRING');
const docs2 = spark.createDataFrame(captured.documents2.map((d, i) => [i, d]), 'i INT, j STRING');
const values = (df: ReturnType<typeof docs.select>, from = 1) => df.orderBy('i').collect().map((r) => df.columns.slice(from).map((c) => r[c]));

describe('get_json_object', () => {
  it.each(Object.entries(captured.paths))('%s gives what Spark gives', (path, expected) => {
    const df = docs.select('i', F.get_json_object('j', path));
    expect(df.columns).toEqual(['i', `get_json_object(j, ${path})`]);
    expect(values(df).map((r) => r[0])).toEqual(expected);
  });

  it.each(Object.entries(captured.paths2))('%s on JSON null, top-level strings, single quotes, -0, 1E400 and control characters', (path, expected) => {
    expect(values(docs2.select('i', F.get_json_object('j', path))).map((r) => r[0])).toEqual(expected);
  });

  it('reads the path from a column per row, and NULL for a NULL path', () => {
    const df = spark.createDataFrame([['{"a":1,"b":2}', '$.a'], ['{"a":1,"b":2}', '$.b'], ['{"a":1}', null]], 'j STRING, p STRING').selectExpr('get_json_object(j, p)');
    expect(df.columns).toEqual(['get_json_object(j, p)']);
    expect(df.collect().map((r) => r['get_json_object(j, p)'])).toEqual(['1', '2', null]);
  });

  it('refuses anything but a string without casting it (ExpectsInputTypes), with Spark\'s error', () => {
    const one = spark.createDataFrame([[1]], 'x INT');
    expect(() => one.selectExpr("get_json_object(x, '$')").collect()).toThrow('[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "get_json_object(x, $)" due to data type mismatch: Parameter 1 requires the "STRING" type, however "x" has the type "INT".');
    expect(() => one.selectExpr("get_json_object(array(1), '$')").collect()).toThrow('[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "get_json_object(array(1), $)" due to data type mismatch: Parameter 1 requires the "STRING" type, however "array(1)" has the type "ARRAY<INT>".');
  });
});

describe('json_tuple', () => {
  it('gives one string column per field, named c0, c1, …', () => {
    const df = docs.select('i', F.json_tuple('j', ...captured.json_tuple.fields));
    expect(df.columns).toEqual(['i', 'c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6']);
    expect(df.dtypes.slice(1).every(([, t]) => t === 'string')).toBe(true);
    expect(values(df)).toEqual(captured.json_tuple.rows);
    expect(values(docs2.select('i', F.json_tuple('j', ...captured.json_tuple2.fields)))).toEqual(captured.json_tuple2.rows);
  });

  it('takes names from alias(...) and from SQL AS (...), and mixes with other columns and explode', () => {
    expect(docs.select('i', F.json_tuple('j', 'a', 'n').alias('x', 'y')).columns).toEqual(['i', 'x', 'y']);
    const sql = docs.selectExpr('i', "json_tuple(j, 'a', 'n') AS (p, q)");
    expect(sql.columns).toEqual(['i', 'p', 'q']);
    expect(values(sql)[0]).toEqual(['{"b":[1,2,{"c":"x"}]}', '1.5']);
    expect(values(docs.selectExpr('i', "json_tuple(j, 'a', 'k.d')"))[0]).toEqual(['{"b":[1,2,{"c":"x"}]}', '5']);
    const w = docs.withColumn('w', F.json_tuple('j', 'a'));
    expect(w.columns).toEqual(['i', 'j', 'w']);
    expect(values(w, 2).map((r) => r[0])).toEqual(['{"b":[1,2,{"c":"x"}]}', '1', null, null, null, 'x', '{"b":1,"c":[]}', null, '2']);
    const both = docs2.select('i', F.json_tuple('j', 'a'), F.explode(F.array(F.lit(1), F.lit(2))));
    expect(both.columns).toEqual(['i', 'c0', 'col']);
    expect(values(both).slice(0, 2)).toEqual([['1', 1], ['1', 2]]);
  });

  it('fails as Spark 3.5 does', () => {
    const fails = (f: () => unknown) => expect(() => (f() as { collect: () => unknown }).collect());
    fails(() => docs.select(F.json_tuple('j', 'a', 'n').alias('x'))).toThrow('[UDTF_ALIAS_NUMBER_MISMATCH] The number of aliases supplied in the AS clause does not match the number of columns output by the UDTF. Expected 2 aliases, but got x. Please ensure that the number of aliases provided matches the number of columns output by the UDTF.');
    fails(() => docs.selectExpr("json_tuple(j, 'a', 'n') AS (x, y, z)")).toThrow('Expected 2 aliases, but got x,y,z.');
    fails(() => docs.withColumn('w', F.json_tuple('j', 'a', 'n'))).toThrow('Expected 2 aliases, but got w.');
    fails(() => docs.selectExpr("json_tuple('{}')")).toThrow("[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The `json_tuple` requires > 1 parameters but the actual number is 1. Please, refer to 'https://spark.apache.org/docs/latest/sql-ref-functions.html' for a fix.");
    fails(() => docs.selectExpr("json_tuple(i, 'a')")).toThrow('[DATATYPE_MISMATCH.NON_STRING_TYPE] Cannot resolve "json_tuple(i, a)" due to data type mismatch: all arguments must be strings.');
    fails(() => docs.where(F.json_tuple('j', 'a').isNotNull())).toThrow('[UNSUPPORTED_GENERATOR.OUTSIDE_SELECT]');
    fails(() => docs.select(F.col('j').alias('x', 'y'))).toThrow('[MULTI_ALIAS_WITHOUT_GENERATOR] Multi part aliasing (x, y) is not supported with j as it is not a generator function.');
  });
});
