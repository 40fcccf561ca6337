/**
 * `pyspark.ml`'s inference subset, the `ml` namespace of the `streamlab` module:
 *
 *   ml.PipelineModel                        pyspark.ml.PipelineModel
 *   ml.feature.VectorAssembler, ...         pyspark.ml.feature
 *   ml.classification.LogisticRegressionModel  pyspark.ml.classification
 *   ml.linalg.Vectors, DenseVector, ...     pyspark.ml.linalg
 *   ml.functions.vector_to_array            pyspark.ml.functions
 */
export { PipelineModel } from './pipeline-model.js';
export { Transformer } from './transformer.js';
export * as feature from './feature.js';
export * as classification from './classification.js';
export * as linalg from './linalg-module.js';
export * as functions from './functions.js';
