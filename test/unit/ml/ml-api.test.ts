/**
 * The `ml` namespace as a learner meets it: vectors shown as Spark shows them, a vector column's
 * schema, `to_json` and `vector_to_array`, the transformers on a stream (PySpark prints in the
 * comments), VectorAssembler's `handleInvalid` on bad rows, and the transformer in the export.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { functions as F, MemoryStream, ml, SparkSession, types as T } from 'streamlab';
import { testStream } from '../../../runtime/src/testing/index.js';
import { clearSavedModels } from '../../../runtime/src/engine/ml/saved-model.js';
import { planChain } from '../../../runtime/src/export/plan-code.js';
import { StubCollector } from '../../../runtime/src/export/python-text.js';

const { Vectors, DenseVector } = ml.linalg;
const { VectorAssembler, StandardScalerModel } = ml.feature;

function session(out: string[] = []): SparkSession {
  return SparkSession.builder.output((t) => out.push(t)).create();
}

afterAll(() => clearSavedModels());

describe('vectors', () => {
  it('print as Spark prints them', () => {
    expect(String(Vectors.dense(1, 2.5))).toBe('[1.0,2.5]');
    expect(String(Vectors.dense([0.1, 1e7, -0]))).toBe('[0.1,1.0E7,-0.0]');
    expect(String(Vectors.sparse(4, [3], [1500]))).toBe('(4,[3],[1500.0])');
    expect(String(Vectors.sparse(4, { 2: 1, 0: 3 }))).toBe('(4,[0,2],[3.0,1.0])');
    expect(Vectors.sparse(4, [3], [1500]).toArray()).toEqual([0, 0, 0, 1500]);
    expect(Vectors.dense(1, 7, 7).argmax()).toBe(1);
    expect(Vectors.dense(1, 2).dot(Vectors.sparse(2, [1], [3]))).toBe(6);
    expect(() => Vectors.sparse(3, [2, 1], [1, 1])).toThrow(/not increasing/);
  });

  it('are a column type: printSchema, show, CAST AS STRING, to_json and vector_to_array as in PySpark 3.5.7', () => {
    const out: string[] = [];
    const spark = session(out);
    const df = spark.createDataFrame([[1, 2.5], [0, 0]], 'a DOUBLE, b DOUBLE');
    const v = new VectorAssembler({ inputCols: ['a', 'b'], outputCol: 'v' }).transform(df).select('v');
    v.printSchema();
    v.show();
    expect(out.join('')).toBe([
      'root', ' |-- v: vector (nullable = true)', '',
      '+---------+', '|        v|', '+---------+', '|[1.0,2.5]|', '|(2,[],[])|', '+---------+', '',
    ].join('\n'));
    // PySpark: {"v":{"type":1,"values":[1.0,2.5]}} and {"v":{"type":0,"size":2,"indices":[],"values":[]}}
    const rows = v.select(F.to_json(F.struct('v')).alias('j'), F.col('v').cast('string').alias('s'), ml.functions.vector_to_array('v').alias('a')).collect();
    expect(rows).toEqual([
      { j: '{"v":{"type":1,"values":[1.0,2.5]}}', s: '[1.0,2.5]', a: [1, 2.5] },
      { j: '{"v":{"type":0,"size":2,"indices":[],"values":[]}}', s: '(2,[],[])', a: [0, 0] },
    ]);
  });
});

describe('transformers on a stream', () => {
  const scaler = () => {
    const s = new StandardScalerModel(new DenseVector([2, 4]), new DenseVector([1, 1]));
    s.setInputCol('raw').setOutputCol('scaled');
    return s;
  };

  it('assemble and scale each micro-batch; skip drops the rows with null or NaN inputs', async () => {
    const spark = session();
    const input = new MemoryStream('id INT, a DOUBLE, b DOUBLE', spark);
    const assembler = new VectorAssembler({ inputCols: ['a', 'b'], outputCol: 'raw', handleInvalid: 'skip' });
    const out = scaler().transform(assembler.transform(input.toDF()))
      .select('id', F.col('scaled').cast('string').alias('scaled'));
    expect(out.isStreaming).toBe(true);
    await testStream(out, 'append')
      .addData(input, [1, 4, 8], [2, null, 1], [3, 2, NaN])
      .expect([[1, '[2.0,2.0]']])
      .addData(input, [4, 0, 4], [5, 0, 0])
      .expect([[4, '[0.0,1.0]'], [5, '(2,[],[])']]);
  });

  it('handleInvalid "error" fails the query on a missing value with Spark\'s message', async () => {
    const spark = session();
    const input = new MemoryStream('id INT, a DOUBLE, b DOUBLE', spark);
    const out = new VectorAssembler({ inputCols: ['a', 'b'], outputCol: 'raw' }).transform(input.toDF());
    await testStream(out, 'append')
      .addData(input, [1, 4, null])
      .expectError(['[FAILED_EXECUTE_UDF] Failed to execute user defined function', 'Encountered null while assembling a row with handleInvalid = "error". Consider\nremoving nulls from dataset or using handleInvalid = "keep" or "skip".']);
  });

  it('refuses what Spark refuses when the plan is built', () => {
    const spark = session();
    const df = spark.createDataFrame([['x', 1]], 'name STRING, a DOUBLE');
    expect(() => new VectorAssembler({ inputCols: ['name'], outputCol: 'v' }).transform(df)).toThrow('Data type string of column name is not supported.');
    expect(() => new VectorAssembler({ inputCols: ['a'], outputCol: 'a' }).transform(df)).toThrow('Output column a already exists.');
    expect(() => scaler().transform(df.withColumnRenamed('a', 'raw'))).toThrow(/Column raw must be of type class org.apache.spark.ml.linalg.VectorUDT.* but was actually class DoubleType\(\):double/);
    expect(() => new VectorAssembler().setHandleInvalid('drop' as 'skip')).toThrow(/handleInvalid given invalid value drop/);
    expect(() => ml.PipelineModel.load('no/such/model')).toThrow('[PATH_NOT_FOUND] Path does not exist: no/such/model.');
  });

  it('a multinomial model picks the largest margin, or the largest probability/threshold once thresholds are set', () => {
    const spark = session();
    const lr = new ml.classification.LogisticRegressionModel(new ml.linalg.DenseMatrix(3, 1, [1, 0, -1], true), new DenseVector([0, 0.5, 0]), 3, true);
    const df = spark.createDataFrame([[Vectors.dense(1)]], new T.StructType([new T.StructField('features', ml.linalg.VectorUDT())]));
    const first = lr.transform(df).collect()[0]!;
    expect(first.prediction).toBe(0);
    expect(String(first.rawPrediction)).toBe('[1.0,0.5,-1.0]');
    lr.setThresholds([1, 0.1, 1]);
    expect(lr.transform(df).collect()[0]!.prediction).toBe(1);
  });
});

describe('export', () => {
  it('applies the transformer with DataFrame.transform, built as PySpark builds it', () => {
    const spark = session();
    const input = new MemoryStream('a DOUBLE, b DOUBLE', spark);
    const df = new VectorAssembler({ inputCols: ['a', 'b'], outputCol: 'v', handleInvalid: 'skip' }).transform(input.toDF()).select('v');
    const lines = planChain(df.plan, { stubs: new StubCollector(), where: 'test' });
    expect(lines.slice(-2)).toEqual([
      '.transform(VectorAssembler(inputCols=["a", "b"], outputCol="v", handleInvalid="skip").transform)',
      '.select("v")',
    ]);
  });
});
