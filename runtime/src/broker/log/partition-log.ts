/**
 * One partition's append-only log: a list of segments, each a run of whole RecordBatch v2 byte
 * strings, plus an in-memory index of every batch (base offset, last offset, max timestamp, byte
 * position). With a directory, each segment is a file named after its base offset (Kafka's own
 * `00000000000000000000.log` layout, so a fetch is a plain file read) and each rolled segment gets
 * a `.index` file with one entry per batch; without a directory, the bytes stay in memory.
 *
 * Contract:
 *   append(batch)   -> writes the bytes with baseOffset = logEndOffset before returning, so an
 *                      acknowledged produce survives the process being killed (the OS owns the
 *                      page cache; we do not fsync per batch, as Kafka does not by default).
 *   open(dir)       -> reads every segment and checks every batch (header, offset sequence, CRC);
 *                      a torn tail of the active segment (no whole batch after the damage) is cut
 *                      and noted with its size; any other damage stops the partition (`failure`
 *                      names file, byte, offset and bytes affected) and deletes nothing.
 *   roll            -> when the active segment would pass segmentBytes: its index is written and a
 *                      new segment starts at the log end offset.
 *   read(offset)    -> whole batches starting with the one that contains `offset`; undefined when
 *                      `offset` is outside [logStartOffset, logEndOffset] (OFFSET_OUT_OF_RANGE).
 *   deleteRecordsBefore(offset)
 *                   -> DeleteRecords: the log start offset moves up to `offset` (never down) and is
 *                      kept in `log-start-offset` beside the segments (written to a temporary name
 *                      and renamed); segments wholly before it are removed, and when the log is
 *                      emptied the active segment is rolled so no old bytes stay on disk.
 */
import {
  closeSync,
  existsSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { lastSequenceOf, ProducerStateTable } from './producer-state.js';
import {
  assignBaseOffset,
  BATCH_HEADER_SIZE,
  batchCodec,
  batchCrcValid,
  decodeRecords,
  readBatchHeader,
  type BatchHeader,
} from './record-batch.js';

/** Retention and segment settings of a topic. */
export interface LogConfig {
  /** Roll a new segment once the active one reaches this size. */
  readonly segmentBytes: number;
  /** Delete whole segments whose newest record is older than this; -1 keeps forever. */
  readonly retentionMs: number;
  /** Delete oldest segments while the partition is larger than this; -1 means unbounded. */
  readonly retentionBytes: number;
}

/** Defaults close to Kafka's, with a smaller segment so retention is observable in lessons. */
export const DEFAULT_LOG_CONFIG: LogConfig = {
  segmentBytes: 16 * 1024 * 1024,
  retentionMs: 7 * 24 * 3600 * 1000,
  retentionBytes: -1,
};

interface BatchEntry {
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly maxTimestamp: number;
  readonly position: number;
  readonly size: number;
  readonly segment: Segment;
  /** The bytes, in memory mode only. */
  readonly bytes?: Buffer;
}

interface Segment {
  readonly baseOffset: number;
  readonly path?: string;
  fd?: number;
  size: number;
  maxTimestamp: number;
}

/** What a fetch gets back for one partition. */
export interface ReadResult {
  /** Concatenated whole batches, possibly empty. */
  readonly records: Buffer;
  readonly highWatermark: number;
  readonly logStartOffset: number;
}

/** The file beside the segments that keeps a log start offset DeleteRecords moved (Kafka keeps one per log directory). */
export const LOG_START_FILE = 'log-start-offset';

/** Bytes per index entry: baseOffset i64, lastOffset i64, maxTimestamp i64, position i32, size i32. */
const INDEX_ENTRY_SIZE = 32;

/** The index file next to a segment file (`…0042.log` → `…0042.index`). */
function indexPathFor(segmentPath: string): string {
  return segmentPath.replace(/\.log$/, '.index');
}

/** True when a whole batch with a valid CRC starts anywhere at or after `from` (damage with data after it is no torn tail). */
function wholeBatchAfter(data: Buffer, from: number): boolean {
  for (let p = from; p + BATCH_HEADER_SIZE <= data.length; p++) {
    if (data[p + 16] !== 2) continue;
    const h = readBatchHeader(data, p);
    if (h && h.size >= BATCH_HEADER_SIZE && p + h.size <= data.length && batchCrcValid(data, p, h.size)) return true;
  }
  return false;
}

/** The log start offset kept in `file`, or null when there is none (or it does not parse). */
function readLogStart(file: string): number | null {
  if (!existsSync(file)) return null;
  const n = Number(readFileSync(file, 'utf8').trim());
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/** Name of a segment file: the base offset zero-padded to 20 digits, as Kafka names them. */
export function segmentFileName(baseOffset: number): string {
  return `${String(baseOffset).padStart(20, '0')}.log`;
}

/** An append-only partition log, in memory or backed by segment files. */
export class PartitionLog {
  private readonly segments: Segment[] = [];
  private readonly entries: BatchEntry[] = [];
  private endOffset = 0;
  private startOffset = 0;
  /** Bytes dropped from the tail during recovery (0 after a clean shutdown). */
  truncatedBytes = 0;
  /**
   * Why the partition is stopped (damage found on recovery), or null. A stopped partition keeps
   * its files untouched and refuses reads and appends.
   */
  failure: string | null = null;
  /** What recovery did or found, one line each, for the broker's log. */
  readonly notes: string[] = [];
  private producerTable: ProducerStateTable | undefined;

  private constructor(
    readonly dir: string | undefined,
    public config: LogConfig,
  ) {}

  /** Opens (or creates) a log; `dir` undefined keeps everything in memory. */
  static open(dir: string | undefined, config: LogConfig = DEFAULT_LOG_CONFIG): PartitionLog {
    const log = new PartitionLog(dir, config);
    if (dir) {
      mkdirSync(dir, { recursive: true });
      const files = readdirSync(dir)
        .filter((f) => /^\d{20}\.log$/.test(f))
        .sort();
      files.forEach((f, i) => log.recoverSegment(join(dir, f), Number(f.slice(0, 20)), i === files.length - 1));
    }
    if (log.segments.length === 0) log.roll(0);
    const first = log.entries[0];
    log.startOffset = first ? first.baseOffset : log.segments[0].baseOffset;
    const last = log.entries[log.entries.length - 1];
    log.endOffset = last ? last.lastOffset + 1 : log.segments[log.segments.length - 1].baseOffset;
    if (dir && !log.failure) {
      // DeleteRecords may have moved the start inside the first segment; a cut tail can leave it past the end.
      const kept = readLogStart(join(dir, LOG_START_FILE));
      if (kept !== null) log.startOffset = Math.min(Math.max(log.startOffset, kept), log.endOffset);
    }
    return log;
  }

  /**
   * Reads a segment whole and checks every batch: its header, its place in the offset sequence and
   * its CRC. Damage that only a write cut short can leave (the last segment's tail, with no whole
   * batch after it) is cut and noted with its size. Any other damage stops the partition: nothing is
   * deleted, and {@link failure} names the file, the byte, the offset and the bytes affected.
   */
  private recoverSegment(path: string, baseOffset: number, isLast: boolean): void {
    const seg: Segment = { baseOffset, path, size: 0, maxTimestamp: -1 };
    this.segments.push(seg);
    if (this.failure) return; // the partition is stopped: later segments stay as they are
    const data = readFileSync(path);
    const fileSize = data.length;
    let pos = 0;
    let expected = baseOffset;
    let damage: { reason: string; bytes: number } | undefined;
    while (pos < fileSize) {
      const h = readBatchHeader(data, pos);
      if (!h) {
        damage = { reason: `an incomplete batch header (${fileSize - pos} bytes)`, bytes: fileSize - pos };
        break;
      }
      if (h.magic !== 2 || h.size < BATCH_HEADER_SIZE) {
        damage = { reason: `a batch header that does not parse (magic ${h.magic}, length ${h.size})`, bytes: fileSize - pos };
        break;
      }
      if (pos + h.size > fileSize) {
        damage = { reason: `a batch of ${h.size} bytes of which ${fileSize - pos} are on disk`, bytes: fileSize - pos };
        break;
      }
      if (h.baseOffset !== expected) {
        damage = { reason: `a batch that says offset ${h.baseOffset} where offset ${expected} comes next`, bytes: h.size };
        break;
      }
      if (!batchCrcValid(data, pos, h.size)) {
        damage = { reason: `a batch whose CRC does not match its bytes (offsets ${h.baseOffset}..${h.baseOffset + h.lastOffsetDelta})`, bytes: h.size };
        break;
      }
      this.entries.push({
        baseOffset: h.baseOffset,
        lastOffset: h.baseOffset + h.lastOffsetDelta,
        maxTimestamp: h.maxTimestamp,
        position: pos,
        size: h.size,
        segment: seg,
      });
      seg.maxTimestamp = Math.max(seg.maxTimestamp, h.maxTimestamp);
      expected = h.baseOffset + h.lastOffsetDelta + 1;
      pos += h.size;
    }
    seg.size = pos;
    if (damage && isLast && !wholeBatchAfter(data, pos + 1)) {
      // A write cut short by a kill: nothing acknowledged lies beyond it.
      const fd = openSync(path, 'r+');
      ftruncateSync(fd, pos);
      closeSync(fd);
      this.truncatedBytes += fileSize - pos;
      this.notes.push(`${path}: cut a torn tail of ${fileSize - pos} bytes at byte ${pos} (offset ${expected}): ${damage.reason}, left by an interrupted write`);
      damage = undefined;
    }
    if (damage) {
      this.failure = `${path}: ${damage.reason} at byte ${pos} (offset ${expected}), ${damage.bytes} bytes affected of ${fileSize}; `
        + `partition stopped, nothing deleted (restore the file, or remove it from byte ${pos} on to keep offsets before ${expected})`;
      this.notes.push(this.failure);
      return;
    }
    if (isLast) seg.fd = openSync(path, 'a+');
    else this.writeIndex(seg);
  }

  /** Writes the index of a closed segment (see {@link readSegmentIndex} for the layout). */
  private writeIndex(seg: Segment): void {
    if (!seg.path) return;
    const mine = this.entries.filter((e) => e.segment === seg);
    const buf = Buffer.alloc(INDEX_ENTRY_SIZE * mine.length);
    mine.forEach((e, i) => {
      const o = i * INDEX_ENTRY_SIZE;
      buf.writeBigInt64BE(BigInt(e.baseOffset), o);
      buf.writeBigInt64BE(BigInt(e.lastOffset), o + 8);
      buf.writeBigInt64BE(BigInt(e.maxTimestamp), o + 16);
      buf.writeInt32BE(e.position, o + 24);
      buf.writeInt32BE(e.size, o + 28);
    });
    const target = indexPathFor(seg.path);
    writeFileSync(`${target}.tmp`, buf);
    renameSync(`${target}.tmp`, target);
  }

  private roll(baseOffset: number): Segment {
    const seg: Segment = { baseOffset, size: 0, maxTimestamp: -1 };
    if (this.dir) {
      const path = join(this.dir, segmentFileName(baseOffset));
      Object.assign(seg, { path, fd: openSync(path, 'a+') });
    }
    this.segments.push(seg);
    return seg;
  }

  get logEndOffset(): number {
    return this.endOffset;
  }

  get logStartOffset(): number {
    return this.startOffset;
  }

  /** Total stored bytes. */
  get sizeBytes(): number {
    return this.segments.reduce((n, s) => n + s.size, 0);
  }

  /** Number of segments (for retention tests and the UI). */
  get segmentCount(): number {
    return this.segments.length;
  }

  /**
   * Appends one already-validated batch, assigning it the next offset. The buffer is modified
   * in place (baseOffset, leader epoch). Returns the assigned base offset.
   */
  append(batch: Buffer): number {
    if (this.failure) throw new Error(this.failure);
    const h = readBatchHeader(batch, 0);
    if (!h) throw new Error('append of a truncated batch');
    let seg = this.segments[this.segments.length - 1];
    if (seg.size > 0 && seg.size + h.size > this.config.segmentBytes) {
      if (seg.fd !== undefined) closeSync(seg.fd);
      seg.fd = undefined;
      this.writeIndex(seg);
      seg = this.roll(this.endOffset);
    }
    const baseOffset = this.endOffset;
    assignBaseOffset(batch, baseOffset);
    const bytes = batch.subarray(0, h.size);
    if (seg.path) {
      if (seg.fd === undefined) seg.fd = openSync(seg.path, 'a+');
      let written = 0;
      while (written < bytes.length) written += writeSync(seg.fd, bytes, written, bytes.length - written);
    }
    this.entries.push({
      baseOffset,
      lastOffset: baseOffset + h.lastOffsetDelta,
      maxTimestamp: h.maxTimestamp,
      position: seg.size,
      size: h.size,
      segment: seg,
      bytes: seg.path ? undefined : Buffer.from(bytes),
    });
    seg.size += h.size;
    seg.maxTimestamp = Math.max(seg.maxTimestamp, h.maxTimestamp);
    this.endOffset = baseOffset + h.lastOffsetDelta + 1;
    if (this.producerTable && h.producerId >= 0) this.rememberProducerBatch(this.producerTable, h, baseOffset);
    return baseOffset;
  }

  /**
   * The idempotent-producer state of this partition (see producer-state.ts), rebuilt from the batch
   * headers on first use; `partitionName` (`topic-0`) is used in its error messages.
   */
  producerState(partitionName: string): ProducerStateTable {
    if (!this.producerTable) {
      const table = new ProducerStateTable(partitionName);
      for (let i = 0; i < this.entries.length; i++) {
        const h = this.headerAt(i);
        if (h && h.producerId >= 0) this.rememberProducerBatch(table, h, this.entries[i].baseOffset);
      }
      this.producerTable = table;
    }
    return this.producerTable;
  }

  private rememberProducerBatch(table: ProducerStateTable, h: BatchHeader, baseOffset: number): void {
    table.update(h.producerId, h.producerEpoch, {
      firstSeq: h.baseSequence,
      lastSeq: lastSequenceOf(h.baseSequence, h.lastOffsetDelta),
      firstOffset: baseOffset,
      lastOffset: baseOffset + h.lastOffsetDelta,
    });
  }

  /** The header of the i-th batch, read without its records. */
  private headerAt(i: number): BatchHeader | undefined {
    const e = this.entries[i];
    if (e.bytes) return readBatchHeader(e.bytes, 0);
    const seg = e.segment;
    const fd = seg.fd ?? openSync(seg.path!, 'r');
    try {
      const buf = Buffer.allocUnsafe(BATCH_HEADER_SIZE);
      return readSync(fd, buf, 0, BATCH_HEADER_SIZE, e.position) === BATCH_HEADER_SIZE ? readBatchHeader(buf, 0) : undefined;
    } finally {
      if (seg.fd === undefined) closeSync(fd);
    }
  }

  /** Index of the batch containing `offset` (or the first batch after it). */
  private indexOf(offset: number): number {
    let lo = 0;
    let hi = this.entries.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.entries[mid].lastOffset < offset) lo = mid + 1;
      else hi = mid - 1;
    }
    return lo;
  }

  /**
   * Whole batches from the one containing `offset`, up to `maxBytes`; the first batch is always
   * included even when larger (KIP-74) unless `minOneBatch` is false. Returns undefined when the
   * offset is outside [logStart, logEnd].
   */
  read(offset: number, maxBytes: number, minOneBatch = true): ReadResult | undefined {
    if (offset < this.startOffset || offset > this.endOffset) return undefined;
    const parts: Buffer[] = [];
    let total = 0;
    let i = this.indexOf(offset);
    while (i < this.entries.length) {
      const first = this.entries[i];
      // Collect a run of batches from one segment, then read them with a single call.
      let j = i;
      let runBytes = 0;
      while (j < this.entries.length && this.entries[j].segment === first.segment) {
        const e = this.entries[j];
        if (total + runBytes + e.size > maxBytes && !(minOneBatch && total + runBytes === 0)) break;
        runBytes += e.size;
        j++;
      }
      if (j === i) break;
      parts.push(this.readRange(i, j, runBytes));
      total += runBytes;
      i = j;
      if (i < this.entries.length && this.entries[i].segment === first.segment) break;
    }
    return {
      records: parts.length === 1 ? parts[0] : Buffer.concat(parts),
      highWatermark: this.endOffset,
      logStartOffset: this.startOffset,
    };
  }

  private readRange(from: number, to: number, bytes: number): Buffer {
    const first = this.entries[from];
    if (first.bytes) {
      return to - from === 1 ? first.bytes : Buffer.concat(this.entries.slice(from, to).map((e) => e.bytes!));
    }
    const seg = first.segment;
    const fd = seg.fd ?? openSync(seg.path!, 'r');
    try {
      const out = Buffer.allocUnsafe(bytes);
      let got = 0;
      while (got < bytes) {
        const n = readSync(fd, out, got, bytes - got, first.position + got);
        if (n === 0) throw new Error(`short read in ${seg.path}`);
        got += n;
      }
      return out;
    } finally {
      if (seg.fd === undefined) closeSync(fd);
    }
  }

  /**
   * The offset of the first record whose timestamp is >= `timestamp`, with that record's
   * timestamp; undefined when every record is older. Uncompressed and gzip batches are searched
   * record by record; for other codecs the batch's base offset is the answer.
   */
  offsetForTimestamp(timestamp: number): { offset: number; timestamp: number } | undefined {
    for (let i = 0; i < this.entries.length; i++) {
      const e = this.entries[i];
      if (e.maxTimestamp < timestamp) continue;
      const bytes = this.readRange(i, i + 1, e.size);
      const h = readBatchHeader(bytes, 0)!;
      const records = batchCodec(h.attributes) <= 1 ? decodeRecords(bytes) : undefined;
      if (!records) return { offset: Math.max(e.baseOffset, this.startOffset), timestamp: e.maxTimestamp };
      const hit = records.find((r) => r.timestamp >= timestamp && r.offset >= this.startOffset);
      if (hit) return { offset: hit.offset, timestamp: hit.timestamp };
    }
    return undefined;
  }

  /**
   * Kafka's DeleteRecords on this partition: every record before `offset` is gone for readers (a
   * fetch below it is out of range; ListOffsets' earliest answers it). `offset` -1 stands for the
   * log end offset. Returns the log start offset afterwards, or 'out-of-range' when `offset` is past
   * the log end offset (or negative), as Kafka answers.
   */
  deleteRecordsBefore(offset: number): number | 'out-of-range' {
    if (this.failure) throw new Error(this.failure);
    const target = offset === -1 ? this.endOffset : offset;
    if (target < 0 || target > this.endOffset) return 'out-of-range';
    if (target <= this.startOffset) return this.startOffset;
    if (target === this.endOffset && this.segments[this.segments.length - 1].size > 0) {
      // Emptied: a new active segment at the end, so every old segment can go.
      const active = this.segments[this.segments.length - 1];
      if (active.fd !== undefined) closeSync(active.fd);
      active.fd = undefined;
      this.writeIndex(active);
      this.roll(this.endOffset);
    }
    this.startOffset = target;
    if (this.dir) {
      const file = join(this.dir, LOG_START_FILE);
      writeFileSync(`${file}.tmp`, `${target}\n`);
      renameSync(`${file}.tmp`, file);
    }
    // A segment goes once the next one starts at or before the new start: none of its records is readable.
    while (this.segments.length > 1 && this.segments[1].baseOffset <= target) this.dropOldestSegment();
    return this.startOffset;
  }

  private dropOldestSegment(): void {
    const oldest = this.segments.shift()!;
    if (oldest.fd !== undefined) closeSync(oldest.fd);
    if (oldest.path) {
      rmSync(oldest.path, { force: true });
      rmSync(indexPathFor(oldest.path), { force: true });
    }
    let n = 0;
    while (n < this.entries.length && this.entries[n].segment === oldest) n++;
    this.entries.splice(0, n);
  }

  /**
   * Deletes whole segments past retention (never the active one). Returns how many were deleted.
   * `now` is passed in so tests control time.
   */
  enforceRetention(now: number): number {
    let deleted = 0;
    const { retentionMs, retentionBytes } = this.config;
    while (this.segments.length > 1) {
      const oldest = this.segments[0];
      const expired = retentionMs >= 0 && oldest.maxTimestamp >= 0 && now - oldest.maxTimestamp > retentionMs;
      const oversize = retentionBytes >= 0 && this.sizeBytes - oldest.size >= retentionBytes;
      if (!expired && !oversize) break;
      this.dropOldestSegment();
      this.startOffset = Math.max(this.startOffset, this.segments[0].baseOffset);
      deleted++;
    }
    return deleted;
  }

  /** Closes segment files. */
  close(): void {
    for (const s of this.segments) {
      if (s.fd !== undefined) closeSync(s.fd);
      s.fd = undefined;
    }
  }

  /** Closes and removes the partition's files. */
  destroy(): void {
    this.close();
    if (this.dir && existsSync(this.dir)) rmSync(this.dir, { recursive: true, force: true });
  }
}
