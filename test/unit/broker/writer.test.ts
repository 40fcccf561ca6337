import { describe, expect, it } from 'vitest';
import { Reader } from '../../../runtime/src/broker/protocol/reader.js';
import { Writer } from '../../../runtime/src/broker/protocol/writer.js';

describe('Writer', () => {
  it('adds large byte arrays by reference and small ones by copy', () => {
    const big = Buffer.alloc(10_000, 0xab);
    const w = new Writer(4);
    w.int16(7).nullableBytesRef(big).int32(-1).nullableBytesRef(Buffer.from('tiny')).string('end');
    const chunks = w.toChunks();
    expect(chunks.length).toBe(3);
    expect(chunks[1]).toBe(big); // the same object: no copy
    const all = w.toBuffer();
    expect(all.length).toBe(w.totalLength);
    const r = new Reader(all);
    expect([r.int16(), r.bytes().equals(big), r.int32(), r.bytes().toString(), r.string(), r.remaining]).toEqual([7, true, -1, 'tiny', 'end', 0]);
  });

  it('encodes varints the way Kafka does: unsigned for compact lengths, zigzag inside records', () => {
    const w = new Writer();
    w.uvarint(300).varint(-1).varint(150);
    expect(w.toBuffer().toString('hex')).toBe('ac02' + '01' + 'ac02');
    const r = new Reader(w.toBuffer());
    expect([r.uvarint(), r.varint(), r.varint()]).toEqual([300, -1, 150]);
  });
});
