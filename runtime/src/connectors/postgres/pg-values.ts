/**
 * Engine values → `pg` bind parameters, by Spark type.
 *
 * Timestamps arrive as the engine holds them: microseconds since the epoch (number or bigint, as
 * Spark's internal representation) or a `Date`. They are sent as ISO-8601 text with the
 * microseconds kept, because a JS `Date` would drop them. Dates are days since the epoch.
 */
import type { SqlColumn } from './sql.js';

/** Converts one value for a column of the given Spark type. */
export function toPgValue(type: string, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  const t = type.trim().toLowerCase();
  if (t === 'timestamp' || t === 'timestamp_ntz') return timestampText(v, t === 'timestamp');
  if (t === 'date') return dateText(v);
  if (t === 'binary') return v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v;
  if (typeof v === 'bigint') return v.toString();
  if (/^(struct|array|map)</.test(t)) return JSON.stringify(v, jsonReplacer);
  if (t === 'string' && typeof v !== 'string') return String(v);
  // PostgreSQL text cannot hold NUL; Spark's JDBC writer fails on it too, with a less clear error.
  if (typeof v === 'string' && v.includes('\u0000')) return v.replace(/\u0000/g, '\uFFFD');
  return v;
}

/** Converts a row (values in column order) to bind parameters. */
export function toPgRow(columns: readonly SqlColumn[], row: readonly unknown[]): unknown[] {
  return columns.map((c, i) => (c.toJson && row[i] !== null && row[i] !== undefined ? JSON.stringify(c.toJson(row[i])) : toPgValue(c.type, row[i])));
}

function timestampText(v: unknown, withZone: boolean): unknown {
  let micros: bigint;
  if (v instanceof Date) micros = BigInt(v.getTime()) * 1000n;
  else if (typeof v === 'bigint') micros = v;
  else if (typeof v === 'number') micros = BigInt(Math.trunc(v));
  else return v;
  const ms = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
  const subMs = Number(micros - ms * 1000n);
  const iso = new Date(Number(ms)).toISOString(); // 2024-01-01T00:00:00.123Z
  const text = `${iso.slice(0, 23)}${String(subMs).padStart(3, '0')}`;
  return withZone ? `${text}Z` : text;
}

function dateText(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'number') return new Date(v * 86_400_000).toISOString().slice(0, 10);
  return v;
}

function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return value;
}
