/** `pyspark.ml.feature`: the feature transformers Streamlab runs. */
export { VectorAssembler, type VectorAssemblerParams } from './vector-assembler.js';
export { StandardScalerModel } from './standard-scaler-model.js';
