/** `pyspark.ml.linalg`: vectors, matrices and the vector SQL type. */
export { DenseVector, SparseVector, Vectors, DenseMatrix, SparseMatrix, type Vector, type Matrix } from './linalg.js';
export { VectorUDT } from './vector-udt.js';
