/**
 * Renders engine rows as plain JSON values for assertions: timestamps become Spark's strings
 * (`2016-03-27 19:39:30`), binary becomes UTF-8 text, structs become arrays.
 */
import type { Row } from '../engine/expressions/compile.js';
import { formatTimestamp } from '../format/spark-time.js';
import type { DataType, StructType } from '../engine/types.js';
import { fromUtf8, toSparkString } from '../engine/values.js';

/** One value as a JSON-comparable value. */
export function renderValue(v: unknown, t: DataType): unknown {
  if (v === null || v === undefined) return null;
  if (t.kind === 'atomic') {
    if (t.name === 'timestamp' || t.name === 'timestamp_ntz') return formatTimestamp(v as number);
    if (t.name === 'binary') return fromUtf8(v as Uint8Array);
    if (t.name === 'date') return toSparkString(v, t);
    return v;
  }
  if (t.kind === 'struct') return (v as unknown[]).map((x, i) => renderValue(x, t.fields[i].dataType));
  if (t.kind === 'array') return (v as unknown[]).map((x) => renderValue(x, t.elementType));
  return v;
}

/**
 * Projects rows to `columns` (by position when the counts match, otherwise by name, looking into
 * struct columns such as `window.start`), rendering each value.
 */
export function renderRows(rows: readonly Row[], schema: StructType, columns?: readonly string[]): unknown[][] {
  const cols = columns ?? schema.fieldNames();
  let getters: ((r: Row) => unknown)[];
  if (cols.length === schema.fields.length) {
    getters = schema.fields.map((f, i) => (r) => renderValue(r[i], f.dataType));
  } else {
    getters = cols.map((name) => {
      const i = schema.fields.findIndex((f) => f.name === name);
      if (i >= 0) return (r: Row) => renderValue(r[i], schema.fields[i].dataType);
      for (const [si, f] of schema.fields.entries()) {
        if (f.dataType.kind !== 'struct') continue;
        const fi = f.dataType.fields.findIndex((x) => x.name === name);
        if (fi >= 0) {
          const ft = f.dataType.fields[fi].dataType;
          return (r: Row) => (r[si] === null ? null : renderValue((r[si] as unknown[])[fi], ft));
        }
      }
      throw new Error(`output column ${name} not found in [${schema.fieldNames().join(', ')}]`);
    });
  }
  return rows.map((r) => getters.map((g) => g(r)));
}
