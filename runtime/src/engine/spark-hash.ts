/**
 * Spark's `hash()` (Murmur3_x86_32 with seed 42, as HashExpression applies it per value type) and
 * `crc32()`. Strings hash their UTF-8 bytes with Spark's own tail handling: the last 1–3 bytes are
 * mixed one (signed) byte at a time, not as one word.
 */
import { utf8 } from './values.js';
import type { DataType } from './types.js';

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

function mixK1(k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, C2);
}

function mixH1(h: number, k: number): number {
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function fmix(h: number, length: number): number {
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

/** Murmur3 of one 32-bit int. */
export function hashInt(value: number, seed: number): number {
  return fmix(mixH1(seed, mixK1(value | 0)), 4);
}

/** Murmur3 of one 64-bit long, low word first (the value must be a safe integer or a bigint). */
export function hashLong(value: number | bigint, seed: number): number {
  const big = BigInt.asUintN(64, typeof value === 'bigint' ? value : BigInt(value));
  const low = Number(big & 0xffffffffn) | 0;
  const high = Number(big >> 32n) | 0;
  return fmix(mixH1(mixH1(seed, mixK1(low)), mixK1(high)), 8);
}

/** Murmur3 of bytes, with Spark's byte-at-a-time tail. */
export function hashBytes(bytes: Uint8Array, seed: number): number {
  let h = seed;
  const aligned = bytes.length - (bytes.length % 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < aligned; i += 4) h = mixH1(h, mixK1(view.getInt32(i, true)));
  for (let i = aligned; i < bytes.length; i++) h = mixH1(h, mixK1((bytes[i] << 24) >> 24));
  return fmix(h, bytes.length);
}

const scratch = new DataView(new ArrayBuffer(8));

/** The bits of a double as Java's `doubleToLongBits` gives them (-0.0 hashed as 0.0, as Spark does). */
function doubleBits(v: number): bigint {
  scratch.setFloat64(0, v === 0 ? 0 : v);
  return scratch.getBigUint64(0);
}

function floatBits(v: number): number {
  scratch.setFloat32(0, v === 0 ? 0 : v);
  return scratch.getInt32(0);
}

/** Folds one value of `type` into the running hash; null leaves it unchanged. */
export function hashValue(value: unknown, type: DataType, seed: number): number {
  if (value === null || value === undefined) return seed;
  if (type.kind === 'atomic') {
    switch (type.name) {
      case 'boolean': return hashInt(value ? 1 : 0, seed);
      case 'tinyint': case 'smallint': case 'int': case 'date': return hashInt(value as number, seed);
      case 'bigint': case 'timestamp': case 'timestamp_ntz': return hashLong(value as number, seed);
      case 'float': return hashInt(floatBits(value as number), seed);
      case 'double': return hashLong(doubleBits(value as number), seed);
      case 'string': return hashBytes(utf8(value as string), seed);
      case 'binary': return hashBytes(value as Uint8Array, seed);
      default: return hashLong(doubleBits(Number(value)), seed);
    }
  }
  if (type.kind === 'array') {
    let h = seed;
    for (const v of value as unknown[]) h = hashValue(v, type.elementType, h);
    return h;
  }
  if (type.kind === 'struct') {
    let h = seed;
    type.fields.forEach((f, i) => (h = hashValue((value as unknown[])[i], f.dataType, h)));
    return h;
  }
  if (type.kind === 'udt') return hashValue(type.codec.serialize(value), type.sqlType, seed);
  let h = seed;
  for (const [k, v] of value as Map<unknown, unknown>) h = hashValue(v, type.valueType, hashValue(k, type.keyType, h));
  return h;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE), as `java.util.zip.CRC32` computes it; a non-negative number. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
