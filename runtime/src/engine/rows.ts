/**
 * Conversion between the engine's internal rows (arrays, timestamps in microseconds) and the values
 * learners pass in and get back (objects keyed by column name, `Date` for timestamps).
 */
import type { Row } from './expressions/compile.js';
import { AnalysisException } from './errors.js';
import type { DataType, StructType } from './types.js';
import { caster, utf8 } from './values.js';
import { STRING } from './types.js';

/** A row as learners see it: column name → value. */
export type RowObject = Record<string, unknown>;

/**
 * Converts a user value to the engine representation of `type`. Timestamps accept `Date`, ISO strings
 * and epoch milliseconds; binary accepts strings (UTF-8) and Uint8Array.
 */
export function toInternalValue(v: unknown, type: DataType): unknown {
  if (v === null || v === undefined) return null;
  if (type.kind === 'struct') {
    if (Array.isArray(v)) return type.fields.map((f, i) => toInternalValue(v[i], f.dataType));
    if (typeof v === 'object') return type.fields.map((f) => toInternalValue((v as RowObject)[f.name], f.dataType));
    throw new AnalysisException(`[CANNOT_CONVERT] Cannot convert ${JSON.stringify(v)} to ${type.simpleString()}.`, { code: 'CANNOT_CONVERT' });
  }
  if (type.kind === 'array') return (v as unknown[]).map((x) => toInternalValue(x, type.elementType));
  if (type.kind === 'map') return new Map(Object.entries(v as object).map(([k, x]) => [k, toInternalValue(x, type.valueType)]));
  switch (type.name) {
    case 'timestamp': case 'timestamp_ntz':
      if (isDate(v)) return v.getTime() * 1000;
      if (typeof v === 'number') return Math.round(v * 1000);
      if (typeof v === 'string') return caster(STRING, type)(v);
      break;
    case 'date':
      if (isDate(v)) return Math.floor(v.getTime() / 86_400_000);
      if (typeof v === 'string') return caster(STRING, type)(v);
      break;
    case 'binary': {
      if (typeof v === 'string') return utf8(v);
      const bytes = bytesOf(v);
      if (bytes) return bytes;
      break;
    }
    case 'bigint': case 'int': case 'smallint': case 'tinyint':
      if (typeof v === 'bigint') return Number(v);
      if (typeof v === 'string') return caster(STRING, type)(v);
      break;
    case 'double': case 'float': case 'decimal':
      if (typeof v === 'string') return caster(STRING, type)(v);
      break;
    case 'string':
      if (typeof v !== 'string') return String(v);
      break;
    default:
  }
  return v;
}

/**
 * `v` as the engine's Uint8Array when it is one, also one made in another realm (the learner's
 * `TextEncoder().encode(…)` or `new Uint8Array(…)`): a view on the same bytes. Null for anything else.
 */
export function bytesOf(v: unknown): Uint8Array | null {
  if (v instanceof Uint8Array) return v;
  if (ArrayBuffer.isView(v) && Object.prototype.toString.call(v) === '[object Uint8Array]') return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  return null;
}

/**
 * Whether `v` is a Date, also one made in another realm: a learner's pipeline runs in its own `vm`
 * context, whose `Date` is not the engine's.
 */
function isDate(v: unknown): v is Date {
  return v instanceof Date || Object.prototype.toString.call(v) === '[object Date]';
}

/** A user row (array, object or bare scalar for one column) as an internal row. */
export function toInternalRow(r: unknown, schema: StructType): Row {
  const fields = schema.fields;
  if (Array.isArray(r)) return fields.map((f, i) => toInternalValue(r[i], f.dataType));
  if (r !== null && typeof r === 'object' && !isDate(r) && !bytesOf(r)) return fields.map((f) => toInternalValue((r as RowObject)[f.name], f.dataType));
  if (fields.length === 1) return [toInternalValue(r, fields[0].dataType)];
  throw new AnalysisException(`[CANNOT_CONVERT] A row for schema ${schema.simpleString()} must be an array or an object, got ${JSON.stringify(r)}.`, { code: 'CANNOT_CONVERT' });
}

/** An engine value as a learner-facing value. */
export function toExternalValue(v: unknown, type: DataType): unknown {
  if (v === null || v === undefined) return null;
  if (type.kind === 'struct') {
    const o: RowObject = {};
    type.fields.forEach((f, i) => (o[f.name] = toExternalValue((v as unknown[])[i], f.dataType)));
    return o;
  }
  if (type.kind === 'array') return (v as unknown[]).map((x) => toExternalValue(x, type.elementType));
  if (type.kind === 'map') return new Map([...(v as Map<unknown, unknown>)].map(([k, x]) => [k, toExternalValue(x, type.valueType)]));
  if (type.name === 'timestamp' || type.name === 'timestamp_ntz') return new Date(Math.floor((v as number) / 1000));
  if (type.name === 'date') return new Date((v as number) * 86_400_000);
  return v;
}

/** An internal row as a learner-facing object. */
export function toRowObject(r: Row, schema: StructType): RowObject {
  const o: RowObject = {};
  schema.fields.forEach((f, i) => (o[f.name] = toExternalValue(r[i], f.dataType)));
  return o;
}
