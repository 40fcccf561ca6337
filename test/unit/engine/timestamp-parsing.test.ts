/**
 * Timestamp strings: the ISO form events carry (`2024-01-01T00:00:00.000Z`) is read by a fast path,
 * every other form by the general grammar. Both must give the same answer; a leading space sends a
 * string through the general grammar only, which gives the reference.
 */
import { describe, expect, it } from 'vitest';
import { parseIsoTimestampBytes, parseTimestamp } from '../../../runtime/src/engine/time.js';

const general = (s: string) => parseTimestamp(` ${s}`);
const us = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, micros = 0) => Date.UTC(y, mo - 1, d, h, mi, s) * 1000 + micros;

describe('parseTimestamp', () => {
  it('reads the ISO form with a T or a space, an optional fraction of 1–9 digits and an optional Z', () => {
    expect(parseTimestamp('2024-01-01T00:00:00.000Z')).toBe(us(2024, 1, 1));
    expect(parseTimestamp('2024-03-05 06:07:08')).toBe(us(2024, 3, 5, 6, 7, 8));
    expect(parseTimestamp('2024-03-05T06:07:08.5z')).toBe(us(2024, 3, 5, 6, 7, 8, 500_000));
    expect(parseTimestamp('2024-03-05T06:07:08.123456789')).toBe(us(2024, 3, 5, 6, 7, 8, 123_456));
    expect(parseTimestamp('1969-12-31T23:59:59.999999Z')).toBe(-1);
  });

  it('rejects a day past the month end and fields out of range, as Spark 3.5 does', () => {
    // PySpark 3.5.7: CAST('2023-02-31T00:00:00Z' AS TIMESTAMP) is NULL.
    expect(parseTimestamp('2023-02-31T00:00:00Z')).toBeNull();
    for (const bad of ['2024-13-01T00:00:00', '2024-00-01T00:00:00', '2024-01-00T00:00:00', '2024-01-32T00:00:00', '2024-01-01T24:00:00', '2024-01-01T00:60:00', '2024-01-01T00:00:60']) {
      expect(parseTimestamp(bad)).toBeNull();
    }
    for (const bad of ['2024-01-01T00:00:00Zx', '2024-01-01X00:00:00']) {
      expect(parseTimestamp(bad)).toBeNull();
    }
    // An empty fraction is none, and digits past the sixth are dropped (PySpark 3.5.7).
    expect(parseTimestamp('2024-01-01T00:00:00.')).toBe(us(2024, 1, 1));
    expect(parseTimestamp('2024-01-01T00:00:00.1234567890')).toBe(us(2024, 1, 1, 0, 0, 0, 123_456));
  });

  it('answers exactly as the general grammar for every shape, common or not', () => {
    const samples = [
      '2024-01-01T00:00:00+01:00', '2024-01-01T00:00:00 UTC', '0999-12-31T23:59:59Z', '0050-06-01T00:00:00', '2024-1-1T0:0:0', '2024-01-01',
      '1600-02-29T12:00:00.5', '2100-02-29T00:00:00', '9999-12-31T23:59:59.999999Z', '1000-01-01T00:00:00Z',
    ];
    // Every 7,919,113 seconds from 1000 to 9999: all months, leap years and century rules.
    for (let s = -30_610_224_000; s < 253_402_300_799; s += 7_919_113) samples.push(new Date(s * 1000 + (s % 1000)).toISOString());
    for (const s of samples) expect(parseTimestamp(s), s).toBe(general(s));
  });
});

describe('parseIsoTimestampBytes', () => {
  it('answers what parseTimestamp answers for the ISO form and undefined for other shapes', () => {
    const enc = new TextEncoder();
    const iso = ['2024-01-01T00:00:00.000Z', '2024-03-05 06:07:08', '2024-03-05T06:07:08.5z', '2024-03-05T06:07:08.123456789', '1969-12-31T23:59:59.999999Z', '2024-02-30T10:00:00Z', '2024-13-01T00:00:00Z'];
    for (const s of iso) {
      // Inside a larger buffer, as a JSON value is: the bounds must be respected.
      const b = enc.encode(`"${s}"`);
      expect(parseIsoTimestampBytes(b, 1, b.length - 1)).toBe(parseTimestamp(s));
    }
    for (const s of ['2024-03-05', '2024-03-05T06:07:08+02:00', '2024-03-05T06:07:08.Z', '2024-03-05T06:07:08.1234567890Z', '0999-01-01T00:00:00Z']) {
      const b = enc.encode(`"${s}"`);
      expect(parseIsoTimestampBytes(b, 1, b.length - 1)).toBeUndefined();
    }
  });
});
