/** `pyspark.ml.functions`: between vector columns and arrays of doubles. */
import { colRef, node } from '../expr.js';
import { IllegalArgumentException } from '../errors.js';
import { Column, columnExpr, type ColumnOrName } from '../structured/column.js';
import { ArrayType, DOUBLE, FLOAT } from '../types.js';
import { DenseVector, type Vector } from './linalg.js';
import { VECTOR } from './vector-udt.js';

/** A vector column as `array<double>` (or `array<float>` with dtype "float32"). */
export function vector_to_array(col: ColumnOrName, dtype: 'float64' | 'float32' = 'float64'): Column {
  if (dtype !== 'float64' && dtype !== 'float32') {
    throw new IllegalArgumentException(`Unsupported dtype: ${String(dtype)}. Valid values: float64, float32.`, { code: 'ILLEGAL_ARGUMENT' });
  }
  const f32 = dtype === 'float32';
  const expr = typeof col === 'string' ? colRef(col) : columnExpr(col);
  return new Column(node({
    kind: 'udf', name: 'vector_to_array', returnType: new ArrayType(f32 ? FLOAT : DOUBLE, false), args: [expr],
    fn: (v: unknown) => (v === null ? null : (v as Vector).toArray().map((x) => (f32 ? Math.fround(x) : x))),
  }));
}

/** An `array<double>` column as a dense vector column. */
export function array_to_vector(col: ColumnOrName): Column {
  const expr = typeof col === 'string' ? colRef(col) : columnExpr(col);
  return new Column(node({
    kind: 'udf', name: 'array_to_vector', returnType: VECTOR, args: [expr],
    fn: (a: unknown) => (a === null ? null : new DenseVector((a as (number | null)[]).map((x) => (x === null ? NaN : x)))),
  }));
}
