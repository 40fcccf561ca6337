/**
 * Value-level semantics: casts (Spark's non-ANSI rules: bad input becomes NULL), comparisons, and
 * Spark's string forms of cells (`CAST(x AS STRING)` and `show()`'s pretty strings), whose atoms are
 * formatted by runtime/src/format.
 */
import type { DataType } from './types.js';
import { javaDouble, javaFloat } from '../format/java-number.js';
import { formatDate, formatTimestamp } from '../format/spark-time.js';
import { parseDate, parseTimestamp } from './time.js';
import { localToUtcMicros, scopeClock, sessionZone, UTC_ZONE, utcToLocalMicros, type Zone } from './time-zone.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** UTF-8 bytes of a string. */
export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/** A string from UTF-8 bytes (invalid sequences become U+FFFD, as Java's decoder does). */
export function fromUtf8(b: Uint8Array): string {
  return decoder.decode(b);
}

function parseIntegral(s: string): number | null {
  const t = s.trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(t)) return null;
  return Math.trunc(Number(t));
}

function toInt32(n: number): number {
  return n | 0;
}

/** The largest and smallest longs, as doubles: Java's `(long) d` saturates at them. */
const LONG_MAX = 9_223_372_036_854_775_807;
const LONG_MIN = -9_223_372_036_854_775_808;

/**
 * Seconds as a double to microseconds, as Spark 3.5 casts a double (and `timestamp_seconds` reads
 * one): `(d * 1000000).toLong`, truncated toward zero and saturated; NaN and infinities are NULL.
 */
export function secondsToMicros(d: number): number | null {
  if (!Number.isFinite(d)) return null;
  const us = Math.trunc(d * 1_000_000);
  return us > LONG_MAX ? LONG_MAX : us < LONG_MIN ? LONG_MIN : us;
}

/**
 * Returns a caster from `from` to `to`; the result is NULL where Spark's non-ANSI cast yields NULL.
 * Casts between timestamps and strings or dates read the session time zone in scope when the caster
 * is made (see `withEvalScope`); TIMESTAMP_NTZ has no zone.
 */
export function caster(from: DataType, to: DataType): (v: unknown) => unknown {
  const f = from.kind === 'atomic' ? from.name : from.kind;
  const t = to.kind === 'atomic' ? to.name : to.kind;
  if (f === t && from.kind === 'atomic') return (v) => v;
  const zone = sessionZone();
  switch (t) {
    case 'string':
      return (v) => (v === null ? null : toSparkString(v, from, zone));
    case 'udt':
      return (v) => v;
    case 'tinyint': case 'smallint': case 'int': case 'bigint': {
      const wrap = t === 'int' ? toInt32 : t === 'smallint' ? (n: number) => (n << 16) >> 16 : t === 'tinyint' ? (n: number) => (n << 24) >> 24 : (n: number) => n;
      if (f === 'string') return (v) => { if (v === null) return null; const n = parseIntegral(v as string); return n === null ? null : wrap(n); };
      if (f === 'timestamp' || f === 'timestamp_ntz') return (v) => (v === null ? null : wrap(Math.floor((v as number) / 1_000_000)));
      if (f === 'boolean') return (v) => (v === null ? null : v ? 1 : 0);
      if (f === 'date') return () => null;
      return (v) => {
        if (v === null) return null;
        const n = v as number;
        if (Number.isNaN(n)) return 0;
        return wrap(Math.trunc(n));
      };
    }
    case 'float': case 'double': case 'decimal': {
      const round = t === 'float' ? Math.fround : (n: number) => n;
      if (f === 'string') return (v) => {
        if (v === null) return null;
        const s = (v as string).trim();
        if (/^[+-]?(infinity|inf)$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
        if (/^nan$/i.test(s)) return t === 'decimal' ? null : NaN;
        if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[dDfF]?$/.test(s)) return null;
        return round(Number(s.replace(/[dDfF]$/, '')));
      };
      if (f === 'timestamp' || f === 'timestamp_ntz') return (v) => (v === null ? null : (v as number) / 1_000_000);
      if (f === 'boolean') return (v) => (v === null ? null : v ? 1 : 0);
      return (v) => (v === null ? null : round(v as number));
    }
    case 'boolean':
      if (f === 'string') return (v) => {
        if (v === null) return null;
        const s = (v as string).trim().toLowerCase();
        if (['t', 'true', 'y', 'yes', '1'].includes(s)) return true;
        if (['f', 'false', 'n', 'no', '0'].includes(s)) return false;
        return null;
      };
      return (v) => (v === null ? null : v !== 0);
    case 'timestamp': case 'timestamp_ntz': {
      // The zone a wall time is read in: the session's for TIMESTAMP, none (UTC fields) for NTZ.
      const z = t === 'timestamp' ? zone : UTC_ZONE;
      if (f === 'string') {
        const now = scopeClock();
        return (v) => (v === null ? null : parseTimestamp(v as string, z, now));
      }
      if (f === 'date') return (v) => (v === null ? null : localToUtcMicros((v as number) * 86_400_000_000, z));
      if (f === 'float' || f === 'double' || f === 'decimal') return (v) => (v === null ? null : secondsToMicros(v as number));
      if (f === 'timestamp' && t === 'timestamp_ntz') return (v) => (v === null ? null : utcToLocalMicros(v as number, zone));
      if (f === 'timestamp_ntz' && t === 'timestamp') return (v) => (v === null ? null : localToUtcMicros(v as number, zone));
      if (f === 'timestamp' || f === 'timestamp_ntz') return (v) => v;
      return (v) => (v === null ? null : (v as number) * 1_000_000);
    }
    case 'date':
      if (f === 'string') return (v) => (v === null ? null : parseDate(v as string));
      if (f === 'timestamp') return (v) => (v === null ? null : Math.floor(utcToLocalMicros(v as number, zone) / 86_400_000_000));
      if (f === 'timestamp_ntz') return (v) => (v === null ? null : Math.floor((v as number) / 86_400_000_000));
      return () => null;
    case 'binary':
      if (f === 'string') return (v) => (v === null ? null : utf8(v as string));
      return (v) => v;
    case 'void':
      return () => null;
    default:
      return (v) => v;
  }
}

/** Spark's `CAST(x AS STRING)` rendering; timestamps as wall time in `zone` (the session's). */
export function toSparkString(v: unknown, type: DataType, zone: Zone = UTC_ZONE): string {
  if (type.kind === 'udt') return type.codec.format(v);
  if (type.kind === 'atomic') {
    switch (type.name) {
      case 'string': return v as string;
      case 'double': case 'decimal': return type.name === 'decimal' ? plainDecimal(v as number) : javaDouble(v as number);
      case 'float': return javaFloat(v as number);
      case 'timestamp': return formatTimestamp(v as number, zone);
      case 'timestamp_ntz': return formatTimestamp(v as number);
      case 'date': return formatDate(v as number);
      case 'binary': return fromUtf8(v as Uint8Array);
      case 'boolean': return v ? 'true' : 'false';
      default: return String(v);
    }
  }
  if (type.kind === 'array') {
    const arr = v as unknown[];
    return `[${arr.map((x) => (x === null ? 'null' : toSparkString(x, type.elementType, zone))).join(', ')}]`;
  }
  if (type.kind === 'struct') {
    const arr = v as unknown[];
    return `{${arr.map((x, i) => (x === null ? 'null' : toSparkString(x, type.fields[i].dataType, zone))).join(', ')}}`;
  }
  const m = v as Map<unknown, unknown>;
  return `{${[...m].map(([k, x]) => `${toSparkString(k, type.keyType, zone)} -> ${x === null ? 'null' : toSparkString(x, type.valueType, zone)}`).join(', ')}}`;
}

function plainDecimal(n: number): string {
  if (Number.isInteger(n)) return String(n);
  const s = String(n);
  if (!/e/i.test(s)) return s;
  return n.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
}

/**
 * Spark 3.5's `ToPrettyString` (used by `show()` and the console sink): NULL as `NULL`, structs as
 * `{a, b}`, arrays as `[a, b]`, binary as hex bytes `[0A 1B]`, nested nulls as `NULL`.
 */
export function prettyString(v: unknown, type: DataType, zone: Zone = UTC_ZONE): string {
  if (v === null || v === undefined) return 'NULL';
  if (type.kind === 'atomic' && type.name === 'binary') {
    return `[${[...(v as Uint8Array)].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ')}]`;
  }
  if (type.kind === 'array') return `[${(v as unknown[]).map((x) => prettyString(x, type.elementType, zone)).join(', ')}]`;
  if (type.kind === 'struct') return `{${(v as unknown[]).map((x, i) => prettyString(x, type.fields[i].dataType, zone)).join(', ')}}`;
  if (type.kind === 'udt') return type.codec.format(v);
  if (type.kind === 'map') return `{${[...(v as Map<unknown, unknown>)].map(([k, x]) => `${prettyString(k, type.keyType, zone)} -> ${prettyString(x, type.valueType, zone)}`).join(', ')}}`;
  return toSparkString(v, type, zone);
}

/** Total order used by sort and min/max: numbers, strings, booleans, arrays/structs lexicographically. */
export function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
    if (Number.isNaN(b)) return -1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
    return a.length - b.length;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compareValues(a[i], b[i]);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** SQL equality of two non-null values (arrays/structs by content, binary by bytes). */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if ((Array.isArray(a) && Array.isArray(b)) || (a instanceof Uint8Array && b instanceof Uint8Array)) return compareValues(a, b) === 0;
  return false;
}

/**
 * Encodes a grouping key as a string for hash maps. Single primitive keys take a fast path;
 * the type tag keeps `1` and `"1"` apart.
 */
export function encodeKey(values: readonly unknown[]): string {
  if (values.length === 1) return encodeOne(values[0]);
  let s = '';
  for (let i = 0; i < values.length; i++) s += `${encodeOne(values[i])}\u0001`;
  return s;
}

function encodeOne(v: unknown): string {
  switch (typeof v) {
    case 'number': return `n${v}`;
    case 'string': return `s${v}`;
    case 'boolean': return v ? 'T' : 'F';
    default:
      if (v === null || v === undefined) return 'z';
      if (v instanceof Uint8Array) return `b${[...v].join(',')}`;
      if (Array.isArray(v)) {
        let out = 'a[';
        for (let i = 0; i < v.length; i++) out += `${encodeOne(v[i])}\u0002`;
        return `${out}]`;
      }
      return `o${JSON.stringify(v)}`;
  }
}
