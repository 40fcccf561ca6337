/** The `msgpack` learners import from "streamlab": MessagePack as the spec lays it out, both ways. */
import { describe, expect, it } from 'vitest';
import { msgpack } from 'streamlab';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const str = (s: string) => (0xa0 + s.length).toString(16) + Buffer.from(s).toString('hex');

describe('msgpack', () => {
  it('packs a reading as MessagePack: a fixmap, fixstr keys and values, the temperature a float 64', () => {
    const reading = { node_name: 'sensor-3', temperature: 22.6, ts: '2026-11-21T10:00:04Z' };
    const bytes = msgpack.packb(reading);
    expect(hex(bytes)).toBe(`83${str('node_name')}${str('sensor-3')}${str('temperature')}cb403699999999999a${str('ts')}${str('2026-11-21T10:00:04Z')}`);
    expect(bytes.length).toBe(65);
    expect(Buffer.byteLength(JSON.stringify(reading))).toBe(71);
    expect(msgpack.unpackb(bytes)).toEqual(reading);
  });

  it('writes small integers in one byte and reads any view of the bytes', () => {
    expect(hex(msgpack.encode([1, -1, 127, null, true]))).toBe('9501ff7fc0c3');
    const packed = msgpack.packb({ a: 1 });
    const copy = new Uint8Array(packed.length + 2);
    copy.set(packed, 1);
    expect(msgpack.decode(copy.subarray(1, 1 + packed.length))).toEqual({ a: 1 });
    expect(msgpack.unpackb(new DataView(copy.buffer, 1, packed.length))).toEqual({ a: 1 });
  });

  it('refuses bytes that are not one MessagePack value', () => {
    // JSON text is not MessagePack: "{" is the integer 123, followed by bytes that are not part of it.
    expect(() => msgpack.unpackb(new TextEncoder().encode('{"a":1}'))).toThrow(/Extra \d+ of \d+ byte\(s\) found/);
    expect(Object.isFrozen(msgpack)).toBe(true);
  });
});
