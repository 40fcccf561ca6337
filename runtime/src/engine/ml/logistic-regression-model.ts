/**
 * `pyspark.ml.classification.LogisticRegressionModel`, binary and multinomial, computing
 * `rawPrediction`, `probability` and `prediction` as Spark 3.5 does:
 *
 *   binary:       m = features·coefficients + intercept;  rawPrediction = [-m, m]
 *                 probability = [p0 = 1/(1+exp(-raw0)), 1 - p0]
 *                 prediction  = raw1 > log(t/(1-t)) ? 1 : 0, with t the threshold (0.5 by default,
 *                               or 1/(1 + thresholds[0]/thresholds[1]) when thresholds are set)
 *   multinomial:  rawPrediction = coefficientMatrix·features + interceptVector
 *                 probability = softmax(raw) (max subtracted first; +Infinity takes all)
 *                 prediction  = argmax(raw), or with thresholds argmax(probability[i]/thresholds[i])
 *
 * Each output is its own function of the previous column, as in `ProbabilisticClassificationModel`.
 */
import { colRef, node } from '../expressions/expr.js';
import { IllegalArgumentException } from '../errors.js';
import { Column } from '../structured/column.js';
import type { DataFrame } from '../structured/dataframe.js';
import { DOUBLE } from '../types.js';
import { DenseMatrix, DenseVector, dot, gemvAdd, SparseVector, type Matrix, type Vector } from './linalg.js';
import { loadStage } from './pipeline-model.js';
import { newUid, Transformer } from './transformer.js';
import { requireNewColumn, requireVectorColumn } from './vector-column.js';
import { VECTOR } from './vector-udt.js';

/** A fitted logistic regression. */
export class LogisticRegressionModel extends Transformer {
  readonly className = 'LogisticRegressionModel';
  readonly pyModule = 'pyspark.ml.classification';
  /** [threshold, raw threshold] for binary models. */
  private binaryThresholds: [number, number] | null;
  private readonly coefficientsVector: Vector | null;

  constructor(
    readonly coefficientMatrix: Matrix,
    readonly interceptVector: DenseVector,
    readonly numClasses: number,
    readonly isMultinomial: boolean,
    uid = newUid('LogisticRegressionModel'),
  ) {
    super(uid, { featuresCol: 'features', predictionCol: 'prediction', probabilityCol: 'probability', rawPredictionCol: 'rawPrediction', threshold: 0.5 });
    if (coefficientMatrix.numRows !== interceptVector.size) {
      throw new IllegalArgumentException(`requirement failed: Dimension mismatch! Expected coefficientMatrix.numRows == interceptVector.size, but ${coefficientMatrix.numRows} != ${interceptVector.size}`, { code: 'ILLEGAL_ARGUMENT' });
    }
    this.binaryThresholds = isMultinomial ? null : [0.5, 0];
    this.coefficientsVector = isMultinomial ? null : binaryCoefficients(coefficientMatrix);
  }

  /** Loads a saved LogisticRegressionModel (PySpark `LogisticRegressionModel.load(path)`). */
  static load(path: string): LogisticRegressionModel {
    return loadStage(path, 'org.apache.spark.ml.classification.LogisticRegressionModel', LogisticRegressionModel);
  }

  protected paramNames(): readonly string[] {
    return ['featuresCol', 'predictionCol', 'probabilityCol', 'rawPredictionCol', 'threshold', 'thresholds', 'labelCol', 'family',
      'maxIter', 'regParam', 'elasticNetParam', 'tol', 'fitIntercept', 'standardization', 'aggregationDepth', 'maxBlockSizeInMB',
      'weightCol', 'lowerBoundsOnCoefficients', 'upperBoundsOnCoefficients', 'lowerBoundsOnIntercepts', 'upperBoundsOnIntercepts'];
  }

  /** Number of features the model expects. */
  get numFeatures(): number {
    return this.coefficientMatrix.numCols;
  }

  /** Binary models' coefficients (PySpark `coefficients`). */
  get coefficients(): Vector {
    if (!this.coefficientsVector) throw new IllegalArgumentException('Multinomial models contain a matrix of coefficients, use coefficientMatrix instead.', { code: 'ILLEGAL_ARGUMENT' });
    return this.coefficientsVector;
  }

  /** Binary models' intercept (PySpark `intercept`). */
  get intercept(): number {
    if (this.isMultinomial) throw new IllegalArgumentException('Multinomial models contain a vector of intercepts, use interceptVector instead.', { code: 'ILLEGAL_ARGUMENT' });
    return this.interceptVector.values[0];
  }

  setFeaturesCol(value: string): this { return this.setParam('featuresCol', value); }
  getFeaturesCol(): string { return this.getOrDefault('featuresCol'); }
  setPredictionCol(value: string): this { return this.setParam('predictionCol', value); }
  getPredictionCol(): string { return this.getOrDefault('predictionCol'); }
  setProbabilityCol(value: string): this { return this.setParam('probabilityCol', value); }
  getProbabilityCol(): string { return this.getOrDefault('probabilityCol'); }
  setRawPredictionCol(value: string): this { return this.setParam('rawPredictionCol', value); }
  getRawPredictionCol(): string { return this.getOrDefault('rawPredictionCol'); }
  setThreshold(value: number): this {
    if (!(value >= 0 && value <= 1)) throw new IllegalArgumentException(`LogisticRegression_${this.uid} parameter threshold given invalid value ${value}.`, { code: 'ILLEGAL_ARGUMENT' });
    return this.setParam('threshold', value);
  }
  setThresholds(value: number[]): this {
    if (value.length !== this.numClasses && this.isMultinomial) {
      throw new IllegalArgumentException(`requirement failed: LogisticRegressionModel.transform() called with non-matching numClasses and thresholds.length. numClasses=${this.numClasses}, but thresholds has length ${value.length}`, { code: 'ILLEGAL_ARGUMENT' });
    }
    return this.setParam('thresholds', [...value]);
  }
  /** The binary threshold (from `thresholds` when those are set). */
  getThreshold(): number {
    if (this.isSet('thresholds')) {
      const ts = this.getOrDefault<number[]>('thresholds');
      if (ts.length !== 2) throw new IllegalArgumentException(`Logistic Regression getThreshold only applies to binary classification, but thresholds has length != 2.  thresholds: ${ts.join(',')}`, { code: 'ILLEGAL_ARGUMENT' });
      return 1 / (1 + ts[0] / ts[1]);
    }
    return this.getOrDefault('threshold');
  }
  getThresholds(): number[] {
    if (this.isSet('thresholds')) return this.getOrDefault('thresholds');
    const t = this.getThreshold();
    return [1 - t, t];
  }

  protected override onParamChange(name: string): void {
    if (this.isMultinomial || (name !== 'threshold' && name !== 'thresholds')) return;
    const t = this.getThreshold();
    this.binaryThresholds = [t, t === 0 ? -Infinity : t === 1 ? Infinity : Math.log(t / (1 - t))];
  }

  /** Spark's `predictRaw`. */
  predictRaw(features: Vector): DenseVector {
    if (this.isMultinomial) {
      const m = [...this.interceptVector.values];
      gemvAdd(this.coefficientMatrix, features, m);
      return new DenseVector(m, true);
    }
    const margin = dot(features, this.coefficientsVector!) + this.interceptVector.values[0];
    return new DenseVector([-margin, margin], true);
  }

  /** Spark's `raw2probability`. */
  raw2probability(raw: Vector): DenseVector {
    const values = raw.toArray();
    if (this.isMultinomial) return new DenseVector(softmax(values), true);
    const p0 = 1 / (1 + Math.exp(-values[0]));
    return new DenseVector([p0, 1 - p0], true);
  }

  /** Spark's `probability2prediction`. */
  probability2prediction(probability: Vector): number {
    if (!this.isMultinomial) return probability.toArray()[1] > this.binaryThresholds![0] ? 1 : 0;
    if (!this.isSet('thresholds')) return probability.argmax();
    const ts = this.getOrDefault<number[]>('thresholds');
    return new DenseVector(probability.toArray().map((p, i) => (ts[i] === 0 ? Infinity : p / ts[i]))).argmax();
  }

  /** Spark's `raw2prediction`. */
  raw2prediction(raw: Vector): number {
    if (!this.isMultinomial) return raw.toArray()[1] > this.binaryThresholds![1] ? 1 : 0;
    if (!this.isSet('thresholds')) return raw.argmax();
    return this.probability2prediction(this.raw2probability(raw));
  }

  /** The prediction for one feature vector (PySpark `predict`). */
  predict(features: Vector): number {
    return this.raw2prediction(this.predictRaw(features));
  }

  /** The class probabilities for one feature vector (PySpark `predictProbability`). */
  predictProbability(features: Vector): DenseVector {
    return this.raw2probability(this.predictRaw(features));
  }

  protected expand(dataset: DataFrame): DataFrame {
    const featuresCol = this.getFeaturesCol();
    requireVectorColumn(dataset.schema, featuresCol);
    if (this.isSet('thresholds') && this.getOrDefault<number[]>('thresholds').length !== this.numClasses) {
      throw new IllegalArgumentException(`requirement failed: LogisticRegressionModel.transform() called with non-matching numClasses and thresholds.length. numClasses=${this.numClasses}, but thresholds has length ${this.getOrDefault<number[]>('thresholds').length}`, { code: 'ILLEGAL_ARGUMENT' });
    }
    const rawCol = this.getRawPredictionCol();
    const probCol = this.getProbabilityCol();
    const predCol = this.getPredictionCol();
    let df = dataset;
    const udf = (name: string, fn: (v: Vector) => unknown, returnType: typeof VECTOR | typeof DOUBLE, arg: string) => new Column(node({
      kind: 'udf', name, fn: (v: unknown) => (v === null ? null : fn(v as Vector)), returnType, args: [colRef(`\`${arg}\``)],
    }));
    for (const c of [rawCol, probCol, predCol]) if (c) requireNewColumn(df.schema, c);
    if (rawCol) df = df.withColumn(rawCol, udf('predictRaw', (v) => this.predictRaw(v), VECTOR, featuresCol));
    if (probCol) {
      df = df.withColumn(probCol, rawCol
        ? udf('raw2probability', (v) => this.raw2probability(v), VECTOR, rawCol)
        : udf('predictProbability', (v) => this.predictProbability(v), VECTOR, featuresCol));
    }
    if (predCol) {
      df = df.withColumn(predCol, rawCol
        ? udf('raw2prediction', (v) => this.raw2prediction(v), DOUBLE, rawCol)
        : probCol
          ? udf('probability2prediction', (v) => this.probability2prediction(v), DOUBLE, probCol)
          : udf('predict', (v) => this.predict(v), DOUBLE, featuresCol));
    }
    return df;
  }

  override toString(): string {
    return `LogisticRegressionModel: uid=${this.uid}, numClasses=${this.numClasses}, numFeatures=${this.numFeatures}`;
  }
}

function binaryCoefficients(m: Matrix): Vector {
  if (!m.isTransposed) throw new IllegalArgumentException('requirement failed: LogisticRegressionModel coefficients should be row major for binomial model.', { code: 'ILLEGAL_ARGUMENT' });
  return m instanceof DenseMatrix ? new DenseVector(m.values) : new SparseVector(m.numCols, m.rowIndices, m.values);
}

/** Spark ML's `Utils.softmax`: subtract the largest margin, exponentiate, divide by the sum. */
export function softmax(values: readonly number[]): number[] {
  let max = -Number.MAX_VALUE;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === Infinity) return values.map((_, j) => (j === i ? 1 : 0));
    if (v > max) max = v;
  }
  const out = new Array<number>(values.length);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const e = Math.exp(values[i] - max);
    out[i] = e;
    sum += e;
  }
  const inv = 1 / sum;
  for (let i = 0; i < out.length; i++) out[i] *= inv;
  return out;
}
