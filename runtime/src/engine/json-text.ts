/**
 * JSON text as Spark's `to_json` writes it (Jackson): doubles and floats as Java prints them (`1.0`,
 * `1.0E7`), non-finite ones quoted (`"NaN"`, `"Infinity"`), null struct fields left out, a
 * user-defined type (an ML vector) as its stored struct; other values as `toJsonValue` gives them.
 */
import { toJsonValue } from './compile.js';
import type { DataType } from './types.js';
import { javaDouble, javaFloat } from './values.js';

/** The JSON text of a value of type `t`. */
export function jsonText(v: unknown, t: DataType): string {
  if (v === null || v === undefined) return 'null';
  switch (t.kind) {
    case 'struct': {
      const parts: string[] = [];
      t.fields.forEach((f, i) => {
        const x = (v as unknown[])[i];
        if (x !== null && x !== undefined) parts.push(`${JSON.stringify(f.name)}:${jsonText(x, f.dataType)}`);
      });
      return `{${parts.join(',')}}`;
    }
    case 'array': return `[${(v as unknown[]).map((x) => jsonText(x, t.elementType)).join(',')}]`;
    case 'map': return `{${[...(v as Map<unknown, unknown>)].map(([k, x]) => `${JSON.stringify(String(k))}:${jsonText(x, t.valueType)}`).join(',')}}`;
    case 'udt': return jsonText(t.codec.serialize(v), t.sqlType);
    case 'atomic':
      if (t.name === 'double' || t.name === 'float') {
        const text = t.name === 'double' ? javaDouble(v as number) : javaFloat(v as number);
        return Number.isFinite(v as number) ? text : JSON.stringify(text);
      }
      return JSON.stringify(toJsonValue(v, t));
  }
}
