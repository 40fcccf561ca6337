/** `pyspark.ml.classification`: the classifiers Streamlab runs. */
export { LogisticRegressionModel } from './logistic-regression-model.js';
