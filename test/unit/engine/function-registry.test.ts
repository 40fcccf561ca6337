/**
 * The function registry: each entry matches the PySpark 3.5.7 function it mirrors (name and
 * parameter names, captured with `inspect.signature` from `pyspark.sql.functions`), the facade
 * exposes it, the generated files are current, and Spark's argument checks fail with Spark 3.5's
 * words (texts as PySpark 3.5.7 printed them for the same SQL).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AnalysisException, functions as F, SparkSession } from 'streamlab';
import { functionRegistry } from '../../../runtime/src/engine/functions/registry.js';
import { generatedFiles } from '../../../scripts/generate/files.js';
import { facadeNames } from '../../../scripts/generate/functions-facade.js';

const pyspark = JSON.parse(readFileSync(new URL('./fixtures/pyspark-3.5.7-functions.json', import.meta.url), 'utf8')) as Record<string, string[]>;

describe('function registry', () => {
  it('gives every entry a family and a description', () => {
    for (const s of functionRegistry.list()) {
      expect(s.doc.length, s.name).toBeGreaterThan(5);
      expect(s.compile ?? s.aggregate, s.name).toBeDefined();
    }
  });

  it("names each entry's PySpark function and its parameters as PySpark 3.5.7 does", () => {
    const differences: string[] = [];
    for (const s of functionRegistry.list()) {
      if (s.py === null) continue;
      const main = s.py ?? s.name;
      for (const name of [main, ...(s.pyAliases ?? [])]) {
        if (!pyspark[name]) {
          differences.push(`F.${name} (${s.name}) is not in PySpark`);
          continue;
        }
        if ((s.facade ?? 'generated') !== 'generated') continue;
        const ours = s.params.filter((p) => !p.sqlOnly).map((p) => (p.py === 'columns' ? `*${p.name}` : p.name));
        // PySpark's aliases name their parameters their own way; their count is what must agree.
        const same = name === main ? ours.join() === pyspark[name].join() : ours.length === pyspark[name].length;
        if (!same) differences.push(`F.${name}(${ours.join(', ')}) but PySpark has F.${name}(${pyspark[name].join(', ')})`);
      }
    }
    expect(differences).toEqual([]);
  });

  it('exposes every PySpark function of the registry through F', () => {
    const exported = new Set(Object.keys(F));
    for (const s of functionRegistry.list()) {
      for (const name of facadeNames(s)) expect(exported.has(name), `F.${name}`).toBe(true);
    }
  });

  it('keeps the generated facade and the functions page current (npm run generate)', () => {
    for (const f of generatedFiles()) expect(readFileSync(f.path, 'utf8'), f.relative).toBe(f.text);
  });
});

describe("Spark's argument checks", () => {
  const spark = SparkSession.builder.output(() => undefined).create();
  const one = spark.createDataFrame([[1]], 'x INT');
  const fails = (sql: string) => () => one.selectExpr(sql).collect();

  it.each([
    ['upper(array(1, 2))', '[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "upper(array(1, 2))" due to data type mismatch: Parameter 1 requires the "STRING" type, however "array(1, 2)" has the type "ARRAY<INT>".'],
    ['sqrt(true)', '[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "SQRT(true)" due to data type mismatch: Parameter 1 requires the "DOUBLE" type, however "true" has the type "BOOLEAN".'],
    ["from_json(CAST('{}' AS BINARY), 'a INT')", '[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "from_json(CAST({} AS BINARY))" due to data type mismatch: Parameter 1 requires the "STRING" type, however "CAST({} AS BINARY)" has the type "BINARY".'],
    ['hour(5)', '[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "hour(5)" due to data type mismatch: Parameter 1 requires the "(TIMESTAMP OR TIMESTAMP WITHOUT TIME ZONE)" type, however "5" has the type "INT".'],
    ['length(array(1))', '[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "length(array(1))" due to data type mismatch: Parameter 1 requires the ("STRING" or "BINARY") type, however "array(1)" has the type "ARRAY<INT>".'],
    ["upper(named_struct('a', 1))", '[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "upper(named_struct(a, 1))" due to data type mismatch: Parameter 1 requires the "STRING" type, however "named_struct(a, 1)" has the type "STRUCT<a: INT>".'],
    ['year(5)', '[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "year(5)" due to data type mismatch: Parameter 1 requires the "DATE" type, however "5" has the type "INT".'],
    ['upper()', "[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The `upper` requires 1 parameters but the actual number is 0. Please, refer to 'https://spark.apache.org/docs/latest/sql-ref-functions.html' for a fix."],
    ["upper('a', 'b')", "[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The `upper` requires 1 parameters but the actual number is 2. Please, refer to 'https://spark.apache.org/docs/latest/sql-ref-functions.html' for a fix."],
    ["substring('abc')", "[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The `substring` requires [2, 3] parameters but the actual number is 1. Please, refer to 'https://spark.apache.org/docs/latest/sql-ref-functions.html' for a fix."],
    ['nosuchfn(1)', '[UNRESOLVED_ROUTINE] Cannot resolve function `nosuchfn` on search path'],
  ])('%s', (sql, message) => {
    expect(fails(sql)).toThrow(message);
  });

  it("refuses from_json on Kafka's binary value, without the cast to STRING, as Spark 3.5 does", () => {
    const kafkaLike = spark.createDataFrame([[new TextEncoder().encode('{"a": 1}')]], 'value BINARY');
    let error: unknown;
    try {
      kafkaLike.select(F.from_json(F.col('value'), 'a INT')).collect();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AnalysisException);
    expect((error as AnalysisException).message).toBe('[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "from_json(value)" due to data type mismatch: Parameter 1 requires the "STRING" type, however "value" has the type "BINARY".');
    // With the cast, the column is named as Spark names it.
    expect(kafkaLike.select(F.from_json(F.col('value').cast('string'), 'a INT')).columns).toEqual(['from_json(CAST(value AS STRING))']);
  });

  it('fails an aggregate over booleans as Spark does', () => {
    expect(() => one.agg(F.sum(F.lit(true))).collect()).toThrow('[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "sum(true)" due to data type mismatch: Parameter 1 requires the "NUMERIC" or "ANSI INTERVAL" type, however "true" has the type "BOOLEAN".');
  });

  it('casts where Spark casts implicitly', () => {
    expect(one.selectExpr("abs('x') AS a", "abs('-2.5') AS b", "sqrt('4') AS c").collect().map((r) => [r.a, r.b, r.c])).toEqual([[null, 2.5, 2]]);
  });
});
