/**
 * RecordBatch v2 (magic 2) header handling. The broker stores the producer's batch bytes as they
 * arrive and only rewrites `baseOffset` and `partitionLeaderEpoch`, which lie outside the CRC,
 * exactly as Kafka does when it need not recompress. Layout (big-endian, offsets into the batch):
 *
 *   0 baseOffset i64 | 8 batchLength i32 | 12 leaderEpoch i32 | 16 magic i8 | 17 crc u32
 *   21 attributes i16 | 23 lastOffsetDelta i32 | 27 baseTimestamp i64 | 35 maxTimestamp i64
 *   43 producerId i64 | 51 producerEpoch i16 | 53 baseSequence i32 | 57 recordsCount i32 | 61 records
 *
 * The CRC-32C covers bytes 21..end.
 */
import { gunzipSync } from 'node:zlib';
import { crc32c } from '../protocol/crc32c.js';
import { ErrorCode, type ErrorCodeValue } from '../protocol/errors.js';
import { Reader } from '../protocol/reader.js';

/** Size of the fixed batch header. */
export const BATCH_HEADER_SIZE = 61;
/** Bytes before and including batchLength: whole batch = LOG_OVERHEAD + batchLength. */
export const LOG_OVERHEAD = 12;

/** The header fields the log needs to index a batch. */
export interface BatchHeader {
  readonly baseOffset: number;
  /** Whole batch size in bytes (12 + batchLength). */
  readonly size: number;
  readonly magic: number;
  readonly crc: number;
  readonly attributes: number;
  readonly lastOffsetDelta: number;
  readonly baseTimestamp: number;
  readonly maxTimestamp: number;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly recordsCount: number;
}

/** Compression codec from attribute bits 0-2. */
export function batchCodec(attributes: number): number {
  return attributes & 0x07;
}

/** Reads the header at `pos`; returns undefined when fewer than a header's bytes remain. */
export function readBatchHeader(buf: Buffer, pos = 0): BatchHeader | undefined {
  if (buf.length - pos < BATCH_HEADER_SIZE) return undefined;
  return {
    baseOffset: Number(buf.readBigInt64BE(pos)),
    size: LOG_OVERHEAD + buf.readInt32BE(pos + 8),
    magic: buf.readInt8(pos + 16),
    crc: buf.readUInt32BE(pos + 17),
    attributes: buf.readInt16BE(pos + 21),
    lastOffsetDelta: buf.readInt32BE(pos + 23),
    baseTimestamp: Number(buf.readBigInt64BE(pos + 27)),
    maxTimestamp: Number(buf.readBigInt64BE(pos + 35)),
    producerId: Number(buf.readBigInt64BE(pos + 43)),
    producerEpoch: buf.readInt16BE(pos + 51),
    baseSequence: buf.readInt32BE(pos + 53),
    recordsCount: buf.readInt32BE(pos + 57),
  };
}

/** True when the stored CRC matches the bytes of the batch at `pos` with the given size. */
export function batchCrcValid(buf: Buffer, pos: number, size: number): boolean {
  return buf.readUInt32BE(pos + 17) === crc32c(buf, pos + 21, pos + size);
}

/** Result of validating the record set of one partition in a Produce request. */
export type BatchValidation =
  | { readonly ok: true; readonly header: BatchHeader }
  | { readonly ok: false; readonly error: ErrorCodeValue; readonly message: string };

/**
 * Applies the cheap checks of Kafka's LogValidator to a producer's record set: exactly one v2
 * batch, consistent counts, no control batch from a client, a valid CRC and a size limit.
 */
export function validateProducedBatch(records: Buffer, maxMessageBytes: number): BatchValidation {
  const fail = (error: ErrorCodeValue, message: string): BatchValidation => ({ ok: false, error, message });
  const h = readBatchHeader(records, 0);
  if (!h) return fail(ErrorCode.CORRUPT_MESSAGE, 'record set shorter than a batch header');
  if (h.magic !== 2) return fail(ErrorCode.CORRUPT_MESSAGE, `unsupported magic ${h.magic}`);
  if (h.size < BATCH_HEADER_SIZE || h.size > records.length) {
    return fail(ErrorCode.CORRUPT_MESSAGE, 'batch length does not match the record set');
  }
  if (h.size > maxMessageBytes) return fail(ErrorCode.MESSAGE_TOO_LARGE, `batch of ${h.size} bytes`);
  if (h.size !== records.length) return fail(ErrorCode.INVALID_RECORD, 'more than one batch per partition');
  if (!batchCrcValid(records, 0, h.size)) return fail(ErrorCode.CORRUPT_MESSAGE, 'CRC mismatch');
  if (h.recordsCount <= 0 || h.recordsCount !== h.lastOffsetDelta + 1) {
    return fail(ErrorCode.INVALID_RECORD, 'record count does not match lastOffsetDelta');
  }
  if (h.attributes & 0x20) return fail(ErrorCode.INVALID_RECORD, 'control batch sent by a client');
  if (h.producerId >= 0 && (h.baseSequence < 0 || h.producerEpoch < 0)) {
    return fail(ErrorCode.INVALID_RECORD, 'idempotent batch without a base sequence or producer epoch');
  }
  return { ok: true, header: h };
}

/** Overwrites baseOffset and partitionLeaderEpoch in place; neither is covered by the CRC. */
export function assignBaseOffset(batch: Buffer, baseOffset: number, leaderEpoch = 0): void {
  batch.writeBigInt64BE(BigInt(baseOffset), 0);
  batch.writeInt32BE(leaderEpoch, 12);
}

/** One decoded record (used for timestamp lookup and by tests). */
export interface DecodedRecord {
  readonly offset: number;
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: ReadonlyArray<{ key: string; value: Buffer | null }>;
}

/**
 * Decodes the records of an uncompressed or gzip batch; returns undefined for the codecs the
 * broker stores opaquely (snappy, lz4, zstd).
 */
export function decodeRecords(batch: Buffer): DecodedRecord[] | undefined {
  const h = readBatchHeader(batch, 0);
  if (!h) return undefined;
  const codec = batchCodec(h.attributes);
  let body = batch.subarray(BATCH_HEADER_SIZE, h.size);
  if (codec === 1) body = gunzipSync(body);
  else if (codec !== 0) return undefined;
  const r = new Reader(body);
  const out: DecodedRecord[] = [];
  const logAppend = (h.attributes & 0x08) !== 0;
  for (let i = 0; i < h.recordsCount; i++) {
    r.varint(); // length
    r.int8(); // attributes
    const tsDelta = r.varlong();
    const offDelta = r.varint();
    const kLen = r.varint();
    const key = kLen < 0 ? null : Buffer.from(r.raw(kLen));
    const vLen = r.varint();
    const value = vLen < 0 ? null : Buffer.from(r.raw(vLen));
    const hCount = r.varint();
    const headers: { key: string; value: Buffer | null }[] = [];
    for (let j = 0; j < hCount; j++) {
      const hk = r.raw(r.varint()).toString('utf8');
      const hvLen = r.varint();
      headers.push({ key: hk, value: hvLen < 0 ? null : Buffer.from(r.raw(hvLen)) });
    }
    out.push({
      offset: h.baseOffset + offDelta,
      timestamp: logAppend ? h.maxTimestamp : h.baseTimestamp + tsDelta,
      key,
      value,
      headers,
    });
  }
  return out;
}
