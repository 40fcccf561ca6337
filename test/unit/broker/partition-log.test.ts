import { mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, writeSync, closeSync, ftruncateSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { crc32c } from '../../../runtime/src/broker/protocol/crc32c.js';
import { ErrorCode } from '../../../runtime/src/broker/protocol/errors.js';
import { LOG_START_FILE, PartitionLog, segmentFileName } from '../../../runtime/src/broker/log/partition-log.js';
import { FileLogStore } from '../../../runtime/src/broker/log/log-store.js';
import { decodeRecords, readBatchHeader, validateProducedBatch } from '../../../runtime/src/broker/log/record-batch.js';
import { Writer } from '../../../runtime/src/broker/protocol/writer.js';

/** Builds an uncompressed v2 batch the way a producer does (base offset 0, valid CRC). */
function batch(values: string[], baseTimestamp = 1000, step = 10): Buffer {
  const records = new Writer();
  values.forEach((v, i) => {
    const rec = new Writer();
    rec.int8(0).varint(i * step).varint(i).varint(-1);
    const vb = Buffer.from(v);
    rec.varint(vb.length).raw(vb).varint(0);
    records.varint(rec.length).raw(rec.toBuffer());
  });
  const w = new Writer();
  w.int64(0).int32(0).int32(0).int8(2).uint32(0).int16(0).int32(values.length - 1);
  w.int64(baseTimestamp).int64(baseTimestamp + (values.length - 1) * step).int64(-1).int16(-1).int32(-1).int32(values.length);
  w.raw(records.toBuffer());
  const buf = Buffer.from(w.toBuffer());
  buf.writeInt32BE(buf.length - 12, 8);
  buf.writeUInt32BE(crc32c(buf, 21), 17);
  return buf;
}

const kafkajsCrc32c = createRequire(import.meta.url)('kafkajs/src/protocol/recordBatch/crc32C') as (b: Buffer) => number;

const values = (log: PartitionLog, from: number): string[] => {
  const res = log.read(from, 1 << 20)!;
  const out: string[] = [];
  for (let pos = 0; pos < res.records.length; ) {
    const h = readBatchHeader(res.records, pos)!;
    for (const r of decodeRecords(res.records.subarray(pos, pos + h.size))!) out.push(`${r.offset}:${r.value}`);
    pos += h.size;
  }
  return out;
};

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'broker-log-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('crc32c', () => {
  it('matches the standard check value', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('agrees with kafkajs\'s CRC-32C on every length and offset', () => {
    const data = Buffer.alloc(300);
    for (let i = 0; i < data.length; i++) data[i] = (i * 131 + 17) & 0xff;
    for (let start = 0; start < 9; start++) {
      for (let end = start; end <= data.length; end += 7) {
        expect(crc32c(data, start, end)).toBe(kafkajsCrc32c(data.subarray(start, end)) >>> 0);
      }
    }
  });
});

describe('validateProducedBatch', () => {
  it('accepts a well-formed batch', () => {
    expect(validateProducedBatch(batch(['a', 'b']), 1 << 20).ok).toBe(true);
  });
  it('rejects a flipped bit as CORRUPT_MESSAGE', () => {
    const b = batch(['a']);
    b[b.length - 2] ^= 1;
    expect(validateProducedBatch(b, 1 << 20)).toMatchObject({ ok: false, error: ErrorCode.CORRUPT_MESSAGE });
  });
  it('rejects two batches in one record set as INVALID_RECORD', () => {
    expect(validateProducedBatch(Buffer.concat([batch(['a']), batch(['b'])]), 1 << 20)).toMatchObject({ ok: false, error: ErrorCode.INVALID_RECORD });
  });
  it('rejects an oversize batch as MESSAGE_TOO_LARGE', () => {
    expect(validateProducedBatch(batch(['x'.repeat(200)]), 100)).toMatchObject({ ok: false, error: ErrorCode.MESSAGE_TOO_LARGE });
  });
  it('rejects a control batch from a client as INVALID_RECORD', () => {
    const b = batch(['a']);
    b.writeInt16BE(0x20, 21);
    b.writeUInt32BE(crc32c(b, 21), 17);
    expect(validateProducedBatch(b, 1 << 20)).toMatchObject({ ok: false, error: ErrorCode.INVALID_RECORD });
  });
});

describe('PartitionLog in memory', () => {
  it('assigns consecutive offsets and returns whole batches from the containing one', () => {
    const log = PartitionLog.open(undefined);
    expect(log.append(batch(['a', 'b', 'c']))).toBe(0);
    expect(log.append(batch(['d', 'e']))).toBe(3);
    expect(log.logEndOffset).toBe(5);
    // Offset 1 lies inside the first batch: the batch comes back whole, clients skip 0.
    expect(values(log, 1)).toEqual(['0:a', '1:b', '2:c', '3:d', '4:e']);
    expect(values(log, 3)).toEqual(['3:d', '4:e']);
    expect(log.read(5, 1000)!.records.length).toBe(0);
    expect(log.read(6, 1000)).toBeUndefined();
  });

  it('stops at maxBytes but always returns the first batch (KIP-74)', () => {
    const log = PartitionLog.open(undefined);
    const first = batch(['aaaaaaaaaa']);
    log.append(first);
    log.append(batch(['b']));
    expect(log.read(0, 10)!.records.length).toBe(first.length);
    expect(log.read(0, 10, false)!.records.length).toBe(0);
  });

  it('finds offsets by timestamp record by record', () => {
    const log = PartitionLog.open(undefined);
    log.append(batch(['a', 'b', 'c'], 1000, 10)); // 1000, 1010, 1020
    log.append(batch(['d'], 2000));
    expect(log.offsetForTimestamp(1005)).toEqual({ offset: 1, timestamp: 1010 });
    expect(log.offsetForTimestamp(1500)).toEqual({ offset: 3, timestamp: 2000 });
    expect(log.offsetForTimestamp(3000)).toBeUndefined();
  });
});

describe('PartitionLog on disk', () => {
  it('survives reopen with the same offsets and bytes', () => {
    const dir = tempDir();
    const log = PartitionLog.open(dir);
    log.append(batch(['a', 'b']));
    log.append(batch(['c']));
    log.close();
    const again = PartitionLog.open(dir);
    expect(again.logEndOffset).toBe(3);
    expect(again.truncatedBytes).toBe(0);
    expect(values(again, 0)).toEqual(['0:a', '1:b', '2:c']);
    expect(again.append(batch(['d']))).toBe(3);
    expect(values(again, 0)).toEqual(['0:a', '1:b', '2:c', '3:d']);
    again.close();
    expect(values(PartitionLog.open(dir), 0)).toEqual(['0:a', '1:b', '2:c', '3:d']);
  });

  it('truncates a torn last batch on restart and keeps everything before it', () => {
    const dir = tempDir();
    const log = PartitionLog.open(dir);
    log.append(batch(['a']));
    const second = batch(['b', 'c']);
    log.append(second);
    log.close();
    const file = join(dir, segmentFileName(0));
    const full = statSync(file).size;
    const fd = openSync(file, 'r+');
    ftruncateSync(fd, full - 3); // the process died mid-write
    closeSync(fd);
    const again = PartitionLog.open(dir);
    expect(again.logEndOffset).toBe(1);
    expect(again.truncatedBytes).toBe(second.length - 3);
    expect(statSync(file).size).toBe(full - second.length);
    expect(values(again, 0)).toEqual(['0:a']);
    again.close();
  });

  it('drops a last batch whose CRC does not match', () => {
    const dir = tempDir();
    const log = PartitionLog.open(dir);
    log.append(batch(['a']));
    log.append(batch(['b']));
    log.close();
    const file = join(dir, segmentFileName(0));
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.from([0xff]), 0, 1, statSync(file).size - 1);
    closeSync(fd);
    const again = PartitionLog.open(dir);
    expect(again.logEndOffset).toBe(1);
    again.close();
  });

  it('cuts a torn tail and says how many bytes it cut', () => {
    const dir = tempDir();
    const log = PartitionLog.open(dir);
    log.append(batch(['a']));
    const second = batch(['b']);
    log.append(second);
    log.close();
    const file = join(dir, segmentFileName(0));
    const fd = openSync(file, 'r+');
    ftruncateSync(fd, statSync(file).size - 5);
    closeSync(fd);
    const again = PartitionLog.open(dir);
    const at = batch(['a']).length;
    expect(again.notes).toEqual([
      `${file}: cut a torn tail of ${second.length - 5} bytes at byte ${at} (offset 1): a batch of ${second.length} bytes of which ${second.length - 5} are on disk, left by an interrupted write`,
    ]);
    expect(again.failure).toBe(null);
    again.close();
  });

  /** Three one-record batches, closed; returns the segment file and each batch's byte position. */
  function threeBatches(dir: string, config?: Parameters<typeof PartitionLog.open>[1]): { file: string; at: number[]; size: number } {
    const log = PartitionLog.open(dir, config);
    const at: number[] = [];
    let pos = 0;
    for (const v of ['a', 'b', 'c']) {
      at.push(pos);
      const b = batch([v]);
      log.append(b);
      pos += b.length;
    }
    log.close();
    return { file: join(dir, segmentFileName(0)), at, size: pos };
  }

  function flip(file: string, pos: number): void {
    const bytes = readFileSync(file);
    bytes[pos] ^= 0x5a;
    writeFileSync(file, bytes);
  }

  it('stops the partition on a flipped byte with data after it: names file, byte, offset and bytes, deletes nothing', () => {
    const dir = tempDir();
    const { file, at, size } = threeBatches(dir);
    const one = at[1]!;
    flip(file, at[2]! - 1); // inside the second batch's CRC-covered bytes
    const before = readFileSync(file);
    const again = PartitionLog.open(dir);
    expect(again.failure).toBe(`${file}: a batch whose CRC does not match its bytes (offsets 1..1) at byte ${one} (offset 1), ${at[2]! - one} bytes affected of ${size}; `
      + `partition stopped, nothing deleted (restore the file, or remove it from byte ${one} on to keep offsets before 1)`);
    expect(again.notes).toEqual([again.failure]);
    expect(again.truncatedBytes).toBe(0);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(() => again.append(batch(['d']))).toThrow(again.failure!);
    again.close();
  });

  it('stops the partition on a broken batch header instead of emptying it', () => {
    const dir = tempDir();
    const { file, at, size } = threeBatches(dir);
    const bytes = readFileSync(file);
    bytes.writeInt32BE(1 << 30, at[1]! + 8); // the second batch's length
    writeFileSync(file, bytes);
    const again = PartitionLog.open(dir);
    expect(again.failure).toBe(`${file}: a batch of ${(1 << 30) + 12} bytes of which ${size - at[1]!} are on disk at byte ${at[1]} (offset 1), ${size - at[1]!} bytes affected of ${size}; `
      + `partition stopped, nothing deleted (restore the file, or remove it from byte ${at[1]} on to keep offsets before 1)`);
    expect(statSync(file).size).toBe(size);
    again.close();
  });

  it('checks the CRCs of rolled segments too', () => {
    const dir = tempDir();
    const one = batch(['a']).length;
    const config = { segmentBytes: one * 2, retentionMs: -1, retentionBytes: -1 };
    const { file } = threeBatches(dir, config);
    expect(readdirSync(dir).filter((f) => f.endsWith('.log'))).toEqual([segmentFileName(0), segmentFileName(2)]);
    flip(file, one - 1); // the first batch of the rolled segment
    const again = PartitionLog.open(dir, config);
    expect(again.failure).toBe(`${file}: a batch whose CRC does not match its bytes (offsets 0..0) at byte 0 (offset 0), ${one} bytes affected of ${one * 2}; `
      + 'partition stopped, nothing deleted (restore the file, or remove it from byte 0 on to keep offsets before 0)');
    again.close();
  });

  it('rolls segments and deletes the oldest by size and by time', () => {
    const dir = tempDir();
    const one = batch(['x'.repeat(100)]).length;
    const log = PartitionLog.open(dir, { segmentBytes: one * 2, retentionMs: 60_000, retentionBytes: -1 });
    for (let i = 0; i < 6; i++) log.append(batch(['x'.repeat(100)], 1000 + i));
    expect(log.segmentCount).toBe(3);
    const index = (base: number) => segmentFileName(base).replace('.log', '.index');
    expect(readdirSync(dir).sort()).toEqual([index(0), segmentFileName(0), index(2), segmentFileName(2), segmentFileName(4)]);
    // Rolled segments reload from their index; a stale index is ignored and rebuilt.
    log.close();
    const fd = openSync(join(dir, index(2)), 'r+');
    ftruncateSync(fd, 20);
    closeSync(fd);
    const reopened = PartitionLog.open(dir, log.config);
    expect([reopened.logStartOffset, reopened.logEndOffset, reopened.segmentCount]).toEqual([0, 6, 3]);
    expect(values(reopened, 0).map((v) => v.split(':')[0])).toEqual(['0', '1', '2', '3', '4', '5']);
    expect(statSync(join(dir, index(2))).size).toBe(64);
    reopened.close();
    expect(log.enforceRetention(1000 + 60_000)).toBe(0);
    expect(log.enforceRetention(1003 + 60_001)).toBe(2); // segments ending at 1001 and 1003 expired
    expect(log.logStartOffset).toBe(4);
    expect(log.read(3, 1000)).toBeUndefined();
    expect(values(log, 4).map((v) => v.split(':')[0])).toEqual(['4', '5']);
    expect(readdirSync(dir)).toEqual([segmentFileName(4)]);
    log.config = { ...log.config, retentionMs: -1, retentionBytes: one };
    log.append(batch(['y'.repeat(100)], 5000));
    log.append(batch(['y'.repeat(100)], 5000));
    expect(log.enforceRetention(0)).toBe(1);
    expect(log.logStartOffset).toBe(6);
    log.close();
  });
});

describe('PartitionLog DeleteRecords', () => {
  it('moves the log start up (never down), refuses offsets past the end, and keeps the start across a restart', () => {
    const dir = tempDir();
    const one = batch(['x'.repeat(100)]).length;
    const log = PartitionLog.open(dir, { segmentBytes: one * 2, retentionMs: -1, retentionBytes: -1 });
    for (let i = 0; i < 5; i++) log.append(batch(['x'.repeat(100)], 1000 + i));
    // Segments start at 0, 2 and 4 (the active one).
    expect(log.deleteRecordsBefore(6)).toBe('out-of-range');
    expect(log.deleteRecordsBefore(-2)).toBe('out-of-range');
    expect(log.deleteRecordsBefore(3)).toBe(3);
    expect(log.deleteRecordsBefore(1)).toBe(3);
    // The segment of offsets 0-1 is gone; the one holding 2-3 stays, as offset 3 is still readable.
    expect(readdirSync(dir).filter((f) => f.endsWith('.log'))).toEqual([segmentFileName(2), segmentFileName(4)]);
    expect(log.read(2, 1 << 20)).toBeUndefined();
    expect(values(log, 3).map((v) => v.split(':')[0])).toEqual(['3', '4']);
    expect(readFileSync(join(dir, LOG_START_FILE), 'utf8')).toBe('3\n');
    log.close();
    const reopened = PartitionLog.open(dir, log.config);
    expect([reopened.logStartOffset, reopened.logEndOffset]).toEqual([3, 5]);
    expect(reopened.read(2, 1 << 20)).toBeUndefined();
    // -1 is the high watermark: the log is emptied, its old bytes leave the disk, and offsets go on from 5.
    expect(reopened.deleteRecordsBefore(-1)).toBe(5);
    expect(readdirSync(dir).filter((f) => f.endsWith('.log'))).toEqual([segmentFileName(5)]);
    expect(values(reopened, 5)).toEqual([]);
    expect(reopened.append(batch(['after']))).toBe(5);
    expect(values(reopened, 5)).toEqual(['5:after']);
    reopened.close();
    const again = PartitionLog.open(dir, log.config);
    expect([again.logStartOffset, again.logEndOffset]).toEqual([5, 6]);
    again.close();
  });

  it('empties a log in memory the same way', () => {
    const log = PartitionLog.open(undefined);
    log.append(batch(['a', 'b']));
    expect(log.deleteRecordsBefore(-1)).toBe(2);
    expect([log.logStartOffset, log.logEndOffset, log.read(0, 100)]).toEqual([2, 2, undefined]);
    expect(log.offsetForTimestamp(0)).toBeUndefined();
    expect(log.append(batch(['c']))).toBe(2);
    expect(values(log, 2)).toEqual(['2:c']);
  });
});

describe('FileLogStore', () => {
  it('creates, reloads and deletes topics under the data dir', () => {
    const dir = tempDir();
    const store = new FileLogStore(dir);
    expect(store.createTopic('orders', 2)).toMatchObject({ name: 'orders' });
    expect(store.createTopic('orders', 2)).toBe('exists');
    expect(store.createTopic('bad name', 1)).toBe('invalid-name');
    expect(store.createTopic('empty', 0)).toBe('invalid-partitions');
    store.partition('orders', 1)!.append(batch(['a']));
    store.close();
    const again = new FileLogStore(dir);
    expect(again.topics().map((t) => [t.name, t.partitions.length])).toEqual([['orders', 2]]);
    expect(again.partition('orders', 1)!.logEndOffset).toBe(1);
    expect(again.deleteTopic('orders')).toBe(true);
    expect(again.deleteTopic('orders')).toBe(false);
    expect(readdirSync(join(dir, 'topics'))).toEqual([]);
    again.close();
  });
});

describe('FileLogStore recovery', () => {
  it('names the file of a corrupt topic.json', () => {
    const dir = tempDir();
    new FileLogStore(dir).createTopic('orders', 1);
    const meta = join(dir, 'topics', 'orders', 'topic.json');
    writeFileSync(meta, '{"partitions": 1, "con');
    expect(() => new FileLogStore(dir)).toThrow(new RegExp(`^${meta.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the metadata of topic orders cannot be read \\(`));
    writeFileSync(meta, '{"partitions": "two"}');
    expect(() => new FileLogStore(dir)).toThrow(`${meta}: the metadata of topic orders does not have the expected fields; restore or remove the file`);
  });

  it('keeps serving the other partitions and reports the damaged one', () => {
    const dir = tempDir();
    const store = new FileLogStore(dir);
    store.createTopic('orders', 2);
    for (const p of [0, 1]) for (const v of ['a', 'b', 'c']) store.partition('orders', p)!.append(batch([v]));
    store.close();
    const file = join(dir, 'topics', 'orders', '1', segmentFileName(0));
    const bytes = readFileSync(file);
    bytes[batch(['a']).length + 30] ^= 1;
    writeFileSync(file, bytes);
    const lines: string[] = [];
    const again = new FileLogStore(dir, (l) => lines.push(l));
    expect(lines).toEqual([again.partition('orders', 1)!.failure]);
    expect(lines[0]).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: a batch whose CRC does not match`));
    expect(again.partition('orders', 0)!.failure).toBe(null);
    expect(values(again.partition('orders', 0)!, 0)).toEqual(['0:a', '1:b', '2:c']);
    again.close();
  });
});
