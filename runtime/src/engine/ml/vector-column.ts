/** Checks shared by the stages that read a vector column. */
import { AnalysisException, IllegalArgumentException } from '../errors.js';
import type { StructType } from '../types.js';
import { isVectorType } from './vector-udt.js';

/** Spark's `SchemaUtils.checkColumnType(schema, col, VectorUDT)`, with its wording. */
export function requireVectorColumn(schema: StructType, name: string): void {
  const f = schema.fields.find((x) => x.name === name) ?? schema.fields.find((x) => x.name.toLowerCase() === name.toLowerCase());
  if (!f) {
    throw new AnalysisException(`[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name \`${name}\` cannot be resolved. Did you mean one of the following? [${schema.fields.map((x) => `\`${x.name}\``).join(', ')}].`, { code: 'UNRESOLVED_COLUMN' });
  }
  if (!isVectorType(f.dataType)) {
    throw new IllegalArgumentException(`requirement failed: Column ${name} must be of type class org.apache.spark.ml.linalg.VectorUDT:struct<type:tinyint,size:int,indices:array<int>,values:array<double>> but was actually class ${f.dataType.toString()}:${f.dataType.simpleString()}.`, { code: 'ILLEGAL_ARGUMENT' });
  }
}

/** Spark's check that an output column is new. */
export function requireNewColumn(schema: StructType, name: string): void {
  if (schema.fields.some((f) => f.name === name)) {
    throw new IllegalArgumentException(`requirement failed: Column ${name} already exists.`, { code: 'ILLEGAL_ARGUMENT' });
  }
}
