/**
 * `pyspark.ml.feature.StandardScalerModel`: scales a vector column by the training data's standard
 * deviations (`withStd`, default true) after subtracting the means (`withMean`, default false).
 *
 * As Spark 3.5's `getTransformFunc`: the scale is `1 / std` (0 where std is 0) and values are
 * multiplied by it; with only `withStd` a sparse vector stays sparse, otherwise the result is dense.
 */
import { colRef, node } from '../expressions/expr.js';
import { Column } from '../structured/column.js';
import type { DataFrame } from '../structured/dataframe.js';
import { DenseVector, SparseVector, type Vector } from './linalg.js';
import { loadStage } from './pipeline-model.js';
import { newUid, Transformer } from './transformer.js';
import { requireNewColumn, requireVectorColumn } from './vector-column.js';
import { VECTOR } from './vector-udt.js';

/** A fitted standard scaler. */
export class StandardScalerModel extends Transformer {
  readonly className = 'StandardScalerModel';
  readonly pyModule = 'pyspark.ml.feature';

  constructor(readonly std: DenseVector, readonly mean: DenseVector, uid = newUid('StandardScalerModel')) {
    super(uid, { withMean: false, withStd: true, outputCol: `${uid}__output` });
  }

  /** Loads a saved StandardScalerModel (PySpark `StandardScalerModel.load(path)`). */
  static load(path: string): StandardScalerModel {
    return loadStage(path, 'org.apache.spark.ml.feature.StandardScalerModel', StandardScalerModel);
  }

  protected paramNames(): readonly string[] {
    return ['inputCol', 'outputCol', 'withMean', 'withStd'];
  }

  setInputCol(value: string): this { return this.setParam('inputCol', value); }
  getInputCol(): string { return this.getOrDefault('inputCol'); }
  setOutputCol(value: string): this { return this.setParam('outputCol', value); }
  getOutputCol(): string { return this.getOrDefault('outputCol'); }
  getWithMean(): boolean { return this.getOrDefault('withMean'); }
  getWithStd(): boolean { return this.getOrDefault('withStd'); }

  protected expand(dataset: DataFrame): DataFrame {
    const input = this.getInputCol();
    const output = this.getOutputCol();
    requireVectorColumn(dataset.schema, input);
    requireNewColumn(dataset.schema, output);
    const fn = scaleFunction(this.mean.values, this.std.values, this.getWithMean(), this.getWithStd());
    return dataset.withColumn(output, new Column(node({ kind: 'udf', name: 'StandardScalerModel', fn: (v: unknown) => (v === null ? null : fn(v as Vector)), returnType: VECTOR, args: [colRef(`\`${input}\``)] })));
  }
}

/** Spark's `StandardScalerModel.getTransformFunc`. */
export function scaleFunction(mean: readonly number[], std: readonly number[], withMean: boolean, withStd: boolean): (v: Vector) => Vector {
  const shift = withMean ? mean : [];
  const scale = withStd ? std.map((s) => (s === 0 ? 0 : 1 / s)) : [];
  if (withMean && withStd) {
    return (v) => new DenseVector(v.toArray().map((x, i) => (x - shift[i]) * scale[i]), true);
  }
  if (withMean) {
    return (v) => new DenseVector(v.toArray().map((x, i) => x - shift[i]), true);
  }
  if (withStd) {
    return (v) => (v instanceof SparseVector
      ? new SparseVector(v.size, v.indices, v.values.map((x, k) => x * scale[v.indices[k]]))
      : new DenseVector(v.values.map((x, i) => x * scale[i]), true));
  }
  return (v) => v;
}
