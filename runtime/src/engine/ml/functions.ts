/** `pyspark.ml.functions`: between vector columns and arrays of doubles. */
import { colRef, node } from '../expressions/expr.js';
import { IllegalArgumentException } from '../errors.js';
import { Column, columnExpr, type ColumnOrName } from '../structured/column.js';
import { ArrayType, DOUBLE, FLOAT } from '../types.js';
import { DenseVector, type Vector } from './linalg.js';
import { VECTOR } from './vector-udt.js';

const toDoubles = (v: unknown): unknown => (v === null ? null : (v as Vector).toArray());
const toFloats = (v: unknown): unknown => (v === null ? null : (v as Vector).toArray().map(Math.fround));
const toVector = (a: unknown): unknown => (a === null ? null : new DenseVector((a as (number | null)[]).map((x) => (x === null ? NaN : x))));

/**
 * The functions behind these columns, with the PySpark call each stands for: the export recognises
 * them by identity (a learner's own UDF of the same name is still a UDF).
 */
export const ML_FUNCTIONS: ReadonlyMap<unknown, { readonly module: string; readonly name: string; readonly extraArgs: readonly string[] }> = new Map([
  [toDoubles, { module: 'pyspark.ml.functions', name: 'vector_to_array', extraArgs: [] }],
  [toFloats, { module: 'pyspark.ml.functions', name: 'vector_to_array', extraArgs: ['"float32"'] }],
  [toVector, { module: 'pyspark.ml.functions', name: 'array_to_vector', extraArgs: [] }],
]);

/** A vector column as `array<double>` (or `array<float>` with dtype "float32"). */
export function vector_to_array(col: ColumnOrName, dtype: 'float64' | 'float32' = 'float64'): Column {
  if (dtype !== 'float64' && dtype !== 'float32') {
    throw new IllegalArgumentException(`Unsupported dtype: ${String(dtype)}. Valid values: float64, float32.`, { code: 'ILLEGAL_ARGUMENT' });
  }
  const f32 = dtype === 'float32';
  const expr = typeof col === 'string' ? colRef(col) : columnExpr(col);
  return new Column(node({ kind: 'udf', name: 'vector_to_array', returnType: new ArrayType(f32 ? FLOAT : DOUBLE, false), args: [expr], fn: f32 ? toFloats : toDoubles }));
}

/** An `array<double>` column as a dense vector column. */
export function array_to_vector(col: ColumnOrName): Column {
  const expr = typeof col === 'string' ? colRef(col) : columnExpr(col);
  return new Column(node({ kind: 'udf', name: 'array_to_vector', returnType: VECTOR, args: [expr], fn: toVector }));
}
