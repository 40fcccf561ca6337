/**
 * Higher-order functions through the functions API, with TypeScript arrow functions where PySpark
 * takes Python lambdas, against what PySpark 3.5.7 gave for the same DataFrame
 * (`df.select(F.transform("xs", lambda x: x + 1), ...)`: its columns, types and values), and the
 * errors Spark gives for lambdas that do not fit. The SQL forms are held to Spark by the conformance
 * scenario `xs-lambda-functions`.
 */
import { describe, expect, it } from 'vitest';
import { functions as F, SparkSession } from 'streamlab';

const spark = SparkSession.builder.output(() => undefined).create();
const df = spark.createDataFrame([[1, 2, 'x', [1, 2, 3], { a: 1 }]], 'a INT, b INT, s STRING, xs ARRAY<INT>, m MAP<STRING, INT>');
const v = 'namedlambdavariable()';

describe('higher-order functions in the functions API', () => {
  it('names, types and evaluates them as PySpark does', () => {
    const out = df.select(
      F.transform('xs', (x) => x.plus(1)), F.transform(F.col('xs'), (x, i) => x.multiply(i)), F.filter('xs', (x) => x.gt(1)),
      F.exists('xs', (x) => x.gt(1)), F.forall('xs', (x) => x.gt(0)), F.aggregate('xs', F.lit(0), (acc, x) => acc.plus(x)),
      F.aggregate('xs', F.lit(0), (acc, x) => acc.plus(x), (acc) => acc.multiply(2)), F.zip_with('xs', 'xs', (a, b) => a.multiply(b)),
      F.map_filter('m', (_k, val) => val.gt(0)), F.transform_keys('m', (k) => F.upper(k)), F.transform_values('m', (_k, val) => val.plus(1)),
      F.transform('xs', (x) => F.transform(F.array(x), (y) => x.plus(y))), F.reduce('xs', F.lit(0), (acc, x) => acc.plus(x)),
      F.transform('xs', (x) => x.plus(1)).alias('al'), F.exists('xs', (x) => F.col('a').gt(x)),
    );
    expect(out.columns).toEqual([
      `transform(xs, lambdafunction((${v} + 1), ${v}))`,
      `transform(xs, lambdafunction((${v} * ${v}), ${v}, ${v}))`,
      `filter(xs, lambdafunction((${v} > 1), ${v}))`,
      `exists(xs, lambdafunction((${v} > 1), ${v}))`,
      `forall(xs, lambdafunction((${v} > 0), ${v}))`,
      `aggregate(xs, 0, lambdafunction((${v} + ${v}), ${v}, ${v}), lambdafunction(${v}, ${v}))`,
      `aggregate(xs, 0, lambdafunction((${v} + ${v}), ${v}, ${v}), lambdafunction((${v} * 2), ${v}))`,
      `zip_with(xs, xs, lambdafunction((${v} * ${v}), ${v}, ${v}))`,
      `map_filter(m, lambdafunction((${v} > 0), ${v}, ${v}))`,
      `transform_keys(m, lambdafunction(upper(${v}), ${v}, ${v}))`,
      `transform_values(m, lambdafunction((${v} + 1), ${v}, ${v}))`,
      `transform(xs, lambdafunction(transform(array(${v}), lambdafunction((${v} + ${v}), ${v})), ${v}))`,
      `reduce(xs, 0, lambdafunction((${v} + ${v}), ${v}, ${v}), lambdafunction(${v}, ${v}))`,
      'al',
      `exists(xs, lambdafunction((a > ${v}), ${v}))`,
    ]);
    expect(out.schema.fields.map((f) => f.dataType.simpleString())).toEqual([
      'array<int>', 'array<int>', 'array<int>', 'boolean', 'boolean', 'int', 'int', 'array<int>', 'map<string,int>', 'map<string,int>', 'map<string,int>',
      'array<array<int>>', 'int', 'array<int>', 'boolean',
    ]);
    expect(Object.values(out.collect()[0]!)).toEqual([
      [2, 3, 4], [0, 2, 6], [2, 3], true, true, 6, 12, [1, 4, 9], new Map([['a', 1]]), new Map([['A', 1]]), new Map([['a', 2]]), [[2], [4], [6]], 6, [2, 3, 4], false,
    ]);
  });

  it('refuses lambdas that do not fit, in Spark\'s words', () => {
    expect(() => df.selectExpr('transform(xs, (x, y, z) -> x)').collect()).toThrow(
      '[INVALID_LAMBDA_FUNCTION_CALL.NUM_ARGS_MISMATCH] Invalid lambda function call. A higher order function expects 2 arguments, but got 3.');
    expect(() => df.selectExpr('filter(xs, x -> x + 1)').collect()).toThrow(
      `[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "filter(xs, lambdafunction((${v} + 1), ${v}))" due to data type mismatch: Parameter 2 requires the "BOOLEAN" type, however "lambdafunction((${v} + 1), ${v})" has the type "INT".`);
    expect(() => df.selectExpr('aggregate(xs, 0, (acc, x) -> acc + 0.5D)').collect()).toThrow(
      `[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "aggregate(xs, 0, lambdafunction((${v} + 0.5), ${v}, ${v}), lambdafunction(${v}, ${v}))" due to data type mismatch: Parameter 3 requires the "INT" type, however "lambdafunction((${v} + 0.5), ${v}, ${v})" has the type "DOUBLE".`);
    expect(() => df.selectExpr('transform(xs, x -> y)').collect()).toThrow('[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name `y` cannot be resolved.');
  });
});
