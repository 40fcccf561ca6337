/**
 * DeleteRecords (key 21), v0-v1 (v1 only changes how throttling is reported).
 *
 * Request: topics [name, partitions [partitionIndex i32, offset i64]], timeoutMs i32.
 *   `offset` is the new log start offset: every record before it is deleted; -1 means the high
 *   watermark (the partition is emptied).
 * Response: throttleTimeMs i32, topics [name, partitions [partitionIndex i32, lowWatermark i64,
 *   errorCode i16]] where `lowWatermark` is the log start offset after the request.
 */
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

/** The offset that stands for the high watermark in a DeleteRecords request. */
export const HIGH_WATERMARK = -1;

/** DeleteRecords request body. */
export interface DeleteRecordsRequest {
  readonly topics: ReadonlyArray<{ name: string; partitions: ReadonlyArray<{ index: number; offset: number }> }>;
  readonly timeoutMs: number;
}

/** DeleteRecords response body. */
export interface DeleteRecordsResponse {
  readonly topics: ReadonlyArray<{
    name: string;
    partitions: ReadonlyArray<{ index: number; lowWatermark: number; errorCode: number }>;
  }>;
}

/** Decodes the request body. */
export function decodeDeleteRecordsRequest(r: Reader, _version: number): DeleteRecordsRequest {
  const topics = r.array((r2) => ({
    name: r2.string(),
    partitions: r2.array((r3) => ({ index: r3.int32(), offset: r3.int64() })),
  }));
  return { topics, timeoutMs: r.int32() };
}

/** Encodes the response body. */
export function encodeDeleteRecordsResponse(w: Writer, _version: number, res: DeleteRecordsResponse): void {
  w.int32(0);
  w.array(res.topics, (w2, t) => {
    w2.string(t.name);
    w2.array(t.partitions, (w3, p) => {
      w3.int32(p.index).int64(p.lowWatermark).int16(p.errorCode);
    });
  });
}
