/**
 * Fetch (key 1), v4-v11.
 *
 * Request: replicaId i32, maxWaitMs i32, minBytes i32, maxBytes i32, isolationLevel i8,
 * sessionId i32 (v7+), sessionEpoch i32 (v7+), topics [name, partitions [index i32,
 * currentLeaderEpoch i32 (v9+), fetchOffset i64, logStartOffset i64 (v5+), partitionMaxBytes i32]],
 * forgotten [name, [i32]] (v7+), rackId string (v11+).
 * Response: throttleTimeMs i32, errorCode i16 (v7+), sessionId i32 (v7+), topics [name,
 * partitions [index, errorCode, highWatermark i64, lastStableOffset i64, logStartOffset i64 (v5+),
 * abortedTransactions nullable [producerId i64, firstOffset i64], preferredReadReplica i32 (v11+),
 * records nullable bytes]].
 * Both supported clients send sessionId 0 / epoch -1, so incremental sessions (KIP-227) are
 * ignored and the answer always carries sessionId 0.
 */
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

/** One partition in a Fetch request. */
export interface FetchPartitionRequest {
  readonly index: number;
  readonly fetchOffset: number;
  readonly partitionMaxBytes: number;
}

/** Fetch request body. */
export interface FetchRequest {
  readonly maxWaitMs: number;
  readonly minBytes: number;
  readonly maxBytes: number;
  readonly isolationLevel: number;
  readonly topics: ReadonlyArray<{ name: string; partitions: readonly FetchPartitionRequest[] }>;
}

/** One partition in a Fetch response. */
export interface FetchPartitionResponse {
  readonly index: number;
  readonly errorCode: number;
  readonly highWatermark: number;
  readonly logStartOffset: number;
  readonly records: Buffer | null;
}

/** Fetch response body. */
export interface FetchResponse {
  readonly topics: ReadonlyArray<{ name: string; partitions: readonly FetchPartitionResponse[] }>;
}

/** Decodes the request body. */
export function decodeFetchRequest(r: Reader, version: number): FetchRequest {
  r.int32(); // replicaId
  const maxWaitMs = r.int32();
  const minBytes = r.int32();
  const maxBytes = r.int32();
  const isolationLevel = r.int8();
  if (version >= 7) {
    r.int32();
    r.int32();
  }
  const topics = r.array((r2) => ({
    name: r2.string(),
    partitions: r2.array((r3) => {
      const index = r3.int32();
      if (version >= 9) r3.int32();
      const fetchOffset = r3.int64();
      if (version >= 5) r3.int64();
      const partitionMaxBytes = r3.int32();
      return { index, fetchOffset, partitionMaxBytes };
    }),
  }));
  if (version >= 7) r.array((r2) => ({ name: r2.string(), partitions: r2.array((r3) => r3.int32()) }));
  if (version >= 11) r.string();
  return { maxWaitMs, minBytes, maxBytes, isolationLevel, topics };
}

/** Encodes the response body. */
export function encodeFetchResponse(w: Writer, version: number, res: FetchResponse): void {
  w.int32(0);
  if (version >= 7) w.int16(0).int32(0);
  w.array(res.topics, (w2, t) => {
    w2.string(t.name);
    w2.array(t.partitions, (w3, p) => {
      w3.int32(p.index).int16(p.errorCode).int64(p.highWatermark).int64(p.highWatermark);
      if (version >= 5) w3.int64(p.logStartOffset);
      w3.int32(-1); // abortedTransactions: null
      if (version >= 11) w3.int32(-1);
      w3.nullableBytesRef(p.records);
    });
  });
}
