/**
 * ListOffsets (key 2), v1-v3.
 *
 * Request: replicaId i32, isolationLevel i8 (v2+), topics [name, partitions [index i32,
 * timestamp i64]] (-1 latest, -2 earliest, otherwise the first record at or after it).
 * Response: throttleTimeMs (v2+), topics [name, partitions [index, errorCode, timestamp i64,
 * offset i64]].
 */
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

/** ListOffsets request body. */
export interface ListOffsetsRequest {
  readonly topics: ReadonlyArray<{ name: string; partitions: ReadonlyArray<{ index: number; timestamp: number }> }>;
}

/** ListOffsets response body. */
export interface ListOffsetsResponse {
  readonly topics: ReadonlyArray<{
    name: string;
    partitions: ReadonlyArray<{ index: number; errorCode: number; timestamp: number; offset: number }>;
  }>;
}

/** Decodes the request body. */
export function decodeListOffsetsRequest(r: Reader, version: number): ListOffsetsRequest {
  r.int32();
  if (version >= 2) r.int8();
  const topics = r.array((r2) => ({
    name: r2.string(),
    partitions: r2.array((r3) => ({ index: r3.int32(), timestamp: r3.int64() })),
  }));
  return { topics };
}

/** Encodes the response body. */
export function encodeListOffsetsResponse(w: Writer, version: number, res: ListOffsetsResponse): void {
  if (version >= 2) w.int32(0);
  w.array(res.topics, (w2, t) => {
    w2.string(t.name);
    w2.array(t.partitions, (w3, p) => {
      w3.int32(p.index).int16(p.errorCode).int64(p.timestamp).int64(p.offset);
    });
  });
}
