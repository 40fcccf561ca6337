/**
 * JSON encoding for checkpoint data: plain JSON plus tagged binary (`{"$b": base64}`), maps
 * (`{"$m": [[k, v], ...]}`) and non-finite numbers (`{"$n": "NaN"}`), so state buffers round-trip.
 */

function toBase64(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return btoa(s);
}

function fromBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function encode(v: unknown): unknown {
  if (v instanceof Uint8Array) return { $b: toBase64(v) };
  if (v instanceof Map) return { $m: [...v].map(([k, x]) => [encode(k), encode(x)]) };
  if (typeof v === 'number' && !Number.isFinite(v)) return { $n: String(v) };
  if (Array.isArray(v)) return v.map(encode);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x)]));
  return v === undefined ? null : v;
}

function decode(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.$b === 'string' && Object.keys(o).length === 1) return fromBase64(o.$b);
    if (Array.isArray(o.$m) && Object.keys(o).length === 1) return new Map((o.$m as unknown[][]).map(([k, x]) => [decode(k), decode(x)]));
    if (typeof o.$n === 'string' && Object.keys(o).length === 1) return Number(o.$n);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decode(x)]));
  }
  return v;
}

/** Serialises engine values (rows, state buffers) to JSON text. */
export function toJsonText(v: unknown): string {
  return JSON.stringify(encode(v));
}

/** Parses text written by `toJsonText`. */
export function fromJsonText(s: string): unknown {
  return decode(JSON.parse(s));
}
