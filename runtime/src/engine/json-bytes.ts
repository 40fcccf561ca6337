/**
 * A fused reader for `from_json(CAST(bytes AS STRING), <flat struct>)`: it reads one JSON object
 * straight from its UTF-8 bytes, without the decoded string, the parsed token tree or the
 * timestamp strings, for the common shape of event records.
 *
 * Contract: the reader answers either exactly what the general path (decode, Jackson's reading, the
 * schema's converter) answers for the same bytes, or `undefined` — "not sure" — and then the general
 * path runs. It never decides that a record is malformed: anything it does not read with certainty
 * gives `undefined`. That covers non-ASCII bytes, escapes, control characters, nested objects and
 * arrays, a field given twice, a number with a fraction or an exponent for an integer or timestamp
 * field or an integer past 32 bits, a value of a type the field would not read (the general path's
 * partial results and malformed counting apply), a top level that is not an object, text after the
 * object (which the general path ignores), single quotes, `NaN`, and any text that is not JSON.
 * A key that matches a field only when case is ignored is another field: Spark matches names exactly.
 *
 * Grammar read (RFC 8259 restricted as above):
 *   record = ws '{' ws [ member (ws ',' ws member)* ] ws '}' ws
 *   member = string ws ':' ws scalar
 *   scalar = string | number | 'true' | 'false' | 'null'
 *   ws     = (' ' | '\t' | '\n' | '\r')*
 */
import type { DataType } from './types.js';
import { parseIsoTimestampBytes, parseTimestamp } from './time.js';
import { fromUtf8 } from './values.js';

/** Reads one record's bytes: the struct's values, or undefined when the general path must decide. */
export type JsonBytesReader = (b: Uint8Array) => unknown[] | undefined;

const K_STRING = 0;
const K_INT = 1;
const K_DOUBLE = 2;
const K_BOOLEAN = 3;
const K_TIMESTAMP = 4;
const K_DATE = 5;

const KINDS: Record<string, number> = {
  string: K_STRING,
  int: K_INT, bigint: K_INT,
  double: K_DOUBLE, float: K_DOUBLE,
  boolean: K_BOOLEAN,
  timestamp: K_TIMESTAMP, timestamp_ntz: K_TIMESTAMP,
  date: K_DATE,
};

/** Powers of ten that are exact doubles. */
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/** At most 31 fields so that the fields seen fit in one int; longer strings are not interned. */
const MAX_FIELDS = 31;
const INTERN_MAX_LENGTH = 32;
const INTERN_SLOTS = 512;

/**
 * A reader for `type`, or null when the schema is not a flat struct of string, int, bigint, double,
 * float, boolean, timestamp and date fields with distinct ASCII names (ignoring case).
 */
export function jsonBytesReader(type: DataType): JsonBytesReader | null {
  if (type.kind !== 'struct') return null;
  const fields = type.fields;
  const n = fields.length;
  if (n === 0 || n > MAX_FIELDS) return null;
  const kinds: number[] = [];
  const names: number[][] = [];
  const lowerNames = new Set<string>();
  for (const f of fields) {
    const t = f.dataType;
    const k = t.kind === 'atomic' ? KINDS[t.name] : undefined;
    if (k === undefined) return null;
    if (!/^[\x20-\x7e]+$/.test(f.name) || f.name.includes('"') || f.name.includes('\\')) return null;
    const lower = f.name.toLowerCase();
    if (lowerNames.has(lower)) return null;
    lowerNames.add(lower);
    kinds.push(k);
    names.push(Array.from(f.name, (c) => c.charCodeAt(0)));
  }
  const interned: (string | undefined)[] = new Array<string | undefined>(INTERN_SLOTS);

  /** The string of ASCII bytes `b[s..e)`; short ones are shared between records (names repeat). */
  function ascii(b: Uint8Array, s: number, e: number): string {
    const len = e - s;
    // ASCII decodes the same as UTF-8; a long string through `apply` could overflow the stack.
    if (len > INTERN_MAX_LENGTH) return fromUtf8(b.subarray(s, e));
    let h = len;
    for (let i = s; i < e; i++) h = (Math.imul(h, 31) + b[i]) | 0;
    const slot = h & (INTERN_SLOTS - 1);
    const hit = interned[slot];
    if (hit !== undefined && hit.length === len) {
      let same = true;
      for (let i = 0; i < len; i++) {
        if (hit.charCodeAt(i) !== b[s + i]) {
          same = false;
          break;
        }
      }
      if (same) return hit;
    }
    const str = len === 0 ? '' : String.fromCharCode.apply(null, b.subarray(s, e) as unknown as number[]);
    interned[slot] = str;
    return str;
  }

  /** The field whose name is exactly `b[s..e)` (Spark matches names exactly); -1 for none. */
  function fieldOf(b: Uint8Array, s: number, e: number): number {
    const len = e - s;
    for (let f = 0; f < n; f++) {
      const name = names[f];
      if (name.length !== len) continue;
      let i = 0;
      while (i < len && b[s + i] === name[i]) i++;
      if (i === len) return f;
    }
    return -1;
  }

  return (b) => {
    const end = b.length;
    let p = skipWs(b, 0);
    if (b[p] !== 0x7b) return undefined;
    const out = new Array<unknown>(n);
    let seen = 0;
    p = skipWs(b, p + 1);
    if (b[p] === 0x7d) p++;
    else {
      for (;;) {
        if (b[p] !== 0x22) return undefined;
        const ks = p + 1;
        const ke = stringEnd(b, ks);
        if (ke < 0) return undefined;
        const f = fieldOf(b, ks, ke);
        p = skipWs(b, ke + 1);
        if (b[p] !== 0x3a) return undefined;
        p = skipWs(b, p + 1);
        const c = b[p];
        let v: unknown;
        if (c === 0x22) {
          const vs = p + 1;
          const ve = stringEnd(b, vs);
          if (ve < 0) return undefined;
          p = ve + 1;
          if (f >= 0) {
            const k = kinds[f];
            if (k === K_STRING) v = ascii(b, vs, ve);
            else if (k === K_TIMESTAMP || k === K_DATE) {
              let us = parseIsoTimestampBytes(b, vs, ve);
              if (us === undefined) us = parseTimestamp(ascii(b, vs, ve));
              if (us === null) return undefined;
              v = k === K_TIMESTAMP ? us : Math.floor(us / 86_400_000_000);
            } else return undefined;
          }
        } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
          // The number's grammar first; its value only for a field that reads numbers.
          const ns = p;
          let neg = false;
          if (c === 0x2d) {
            neg = true;
            p++;
          }
          let mant = 0;
          let digits = 0;
          let d = b[p];
          if (d === 0x30) {
            p++;
            digits = 1;
          } else if (d >= 0x31 && d <= 0x39) {
            do {
              mant = mant * 10 + (d - 0x30);
              digits++;
              d = b[++p];
            } while (d >= 0x30 && d <= 0x39);
          } else return undefined;
          let fracDigits = 0;
          if (b[p] === 0x2e) {
            d = b[++p];
            if (!(d >= 0x30 && d <= 0x39)) return undefined;
            do {
              mant = mant * 10 + (d - 0x30);
              fracDigits++;
              d = b[++p];
            } while (d >= 0x30 && d <= 0x39);
          }
          let exp = 0;
          let expDigits = 0;
          if (b[p] === 0x65 || b[p] === 0x45) {
            let expNeg = false;
            d = b[++p];
            if (d === 0x2b || d === 0x2d) {
              expNeg = d === 0x2d;
              d = b[++p];
            }
            if (!(d >= 0x30 && d <= 0x39)) return undefined;
            do {
              if (expDigits < 6) exp = exp * 10 + (d - 0x30);
              expDigits++;
              d = b[++p];
            } while (d >= 0x30 && d <= 0x39);
            if (expNeg) exp = -exp;
          }
          if (f >= 0) {
            const k = kinds[f];
            if (k !== K_INT && k !== K_DOUBLE && k !== K_TIMESTAMP) return undefined;
            let x: number;
            const scale = exp - fracDigits;
            // Up to 15 digits and an exact power of ten, one IEEE operation rounds correctly (Clinger);
            // anything else is read as JSON.parse reads it.
            if (digits + fracDigits <= 15 && expDigits <= 6 && scale >= -22 && scale <= 22) {
              x = scale >= 0 ? mant * POW10[scale] : mant / POW10[-scale];
              if (neg) x = -x;
            } else x = Number(ascii(b, ns, p));
            if (k === K_DOUBLE) v = fracDigits > 0 || expDigits > 0 ? x : x + 0;
            // A fraction or an exponent is not an integer to Spark, nor seconds for a timestamp; an
            // integer past 32 bits may not fit the field's type: the general path decides.
            else if (fracDigits > 0 || expDigits > 0 || x > 2147483647 || x < -2147483648) return undefined;
            else v = k === K_INT ? x + 0 : x * 1_000_000 + 0;
          }
        } else if (c === 0x74) {
          if (b[p + 1] !== 0x72 || b[p + 2] !== 0x75 || b[p + 3] !== 0x65) return undefined;
          p += 4;
          if (f >= 0) {
            if (kinds[f] !== K_BOOLEAN) return undefined;
            v = true;
          }
        } else if (c === 0x66) {
          if (b[p + 1] !== 0x61 || b[p + 2] !== 0x6c || b[p + 3] !== 0x73 || b[p + 4] !== 0x65) return undefined;
          p += 5;
          if (f >= 0) {
            if (kinds[f] !== K_BOOLEAN) return undefined;
            v = false;
          }
        } else if (c === 0x6e) {
          if (b[p + 1] !== 0x75 || b[p + 2] !== 0x6c || b[p + 3] !== 0x6c) return undefined;
          p += 4;
          v = null;
        } else return undefined;
        if (f >= 0) {
          const bit = 1 << f;
          if (seen & bit) return undefined;
          seen |= bit;
          out[f] = v;
        }
        p = skipWs(b, p);
        if (b[p] === 0x2c) {
          p = skipWs(b, p + 1);
          continue;
        }
        if (b[p] !== 0x7d) return undefined;
        p++;
        break;
      }
    }
    if (skipWs(b, p) !== end) return undefined;
    if (seen !== (1 << n) - 1) for (let f = 0; f < n; f++) if (!(seen & (1 << f))) out[f] = null;
    return out;
  };
}


/** Past the whitespace at `p`; never reads past the end (out-of-bounds reads are slow in V8). */
function skipWs(b: Uint8Array, p: number): number {
  const end = b.length;
  while (p < end) {
    const c = b[p];
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    p++;
  }
  return p;
}

/** Index of the closing quote of a string starting at `s`, or -1 for escapes, control or non-ASCII bytes, or no end. */
function stringEnd(b: Uint8Array, s: number): number {
  for (let i = s; i < b.length; i++) {
    const c = b[i];
    if (c === 0x22) return i;
    if (c === 0x5c || c < 0x20 || c >= 0x80) return -1;
  }
  return -1;
}
