/**
 * Spark ML's `VectorUDT`: the SQL type of vector columns. Spark stores a vector as
 * `struct<type:tinyint,size:int,indices:array<int>,values:array<double>>` (type 0 sparse, 1 dense),
 * which is what `to_json` writes and what a saved model's Parquet files hold; `show()` prints it as
 * the vector's own text.
 */
import { ArrayType, BYTE, DOUBLE, INT, StructField, StructType, UserDefinedType } from '../types.js';
import { DenseVector, SparseVector, type Vector } from './linalg.js';

/** The stored form of a vector. */
export const VECTOR_SQL_TYPE = new StructType([
  new StructField('type', BYTE, false),
  new StructField('size', INT, true),
  new StructField('indices', new ArrayType(INT, false), true),
  new StructField('values', new ArrayType(DOUBLE, false), true),
]);

/** A vector in its stored form, as a struct row (type, size, indices, values). */
export function serializeVector(v: Vector): unknown[] {
  return v instanceof SparseVector ? [0, v.size, [...v.indices], [...v.values]] : [1, null, null, [...v.values]];
}

/** A vector from its stored form (a struct row or a `{type, size, indices, values}` object). */
export function deserializeVector(stored: unknown): Vector {
  const [type, size, indices, values] = Array.isArray(stored)
    ? stored
    : [(stored as Record<string, unknown>).type, (stored as Record<string, unknown>).size, (stored as Record<string, unknown>).indices, (stored as Record<string, unknown>).values];
  const vals = ((values ?? []) as unknown[]).map(Number);
  if (Number(type) === 0) return new SparseVector(Number(size), ((indices ?? []) as unknown[]).map(Number), vals);
  return new DenseVector(vals);
}

/** The vector type (PySpark `VectorUDT()`); `simpleString` is `vector`. */
export const VECTOR = new UserDefinedType('vector', 'VectorUDT', VECTOR_SQL_TYPE, {
  serialize: (v) => serializeVector(v as Vector),
  format: (v) => String(v),
});

/** PySpark `VectorUDT()`: the shared instance. */
export const VectorUDT = (): UserDefinedType => VECTOR;

/** Whether a type is the vector type. */
export function isVectorType(t: { kind: string; name?: string }): boolean {
  return t.kind === 'udt' && t.name === 'vector';
}
