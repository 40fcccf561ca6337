/**
 * OffsetCommit (key 8, v2-7) and OffsetFetch (key 9, v1-5).
 *
 * OffsetCommit req: groupId, generationId i32, memberId, groupInstanceId? (v7+),
 *   retentionTimeMs i64 (v2-4), topics [name, partitions [index i32, offset i64,
 *   leaderEpoch i32 (v6+), metadata?]]
 * OffsetCommit res: throttle (v3+), topics [name, partitions [index, errorCode]]
 * OffsetFetch req: groupId, topics? [name, partitions [i32]] (null = all, v2+)
 * OffsetFetch res: throttle (v3+), topics [name, partitions [index, offset i64,
 *   leaderEpoch i32 (v5+), metadata?, errorCode]], errorCode (v2+)
 */
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

/** OffsetCommit request body. */
export interface OffsetCommitRequest {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly topics: ReadonlyArray<{
    name: string;
    partitions: ReadonlyArray<{ index: number; offset: number; leaderEpoch: number; metadata: string | null }>;
  }>;
}

/** Per-partition error codes, grouped by topic. */
export type PartitionErrors = ReadonlyArray<{
  name: string;
  partitions: ReadonlyArray<{ index: number; errorCode: number }>;
}>;

/** Decodes OffsetCommit. */
export function decodeOffsetCommitRequest(r: Reader, version: number): OffsetCommitRequest {
  const groupId = r.string();
  const generationId = r.int32();
  const memberId = r.string();
  if (version >= 7) r.nullableString();
  if (version >= 2 && version <= 4) r.int64();
  const topics = r.array((r2) => ({
    name: r2.string(),
    partitions: r2.array((r3) => {
      const index = r3.int32();
      const offset = r3.int64();
      const leaderEpoch = version >= 6 ? r3.int32() : -1;
      return { index, offset, leaderEpoch, metadata: r3.nullableString() };
    }),
  }));
  return { groupId, generationId, memberId, topics };
}

/** Encodes the OffsetCommit response. */
export function encodeOffsetCommitResponse(w: Writer, version: number, topics: PartitionErrors): void {
  if (version >= 3) w.int32(0);
  w.array(topics, (w2, t) => {
    w2.string(t.name);
    w2.array(t.partitions, (w3, p) => {
      w3.int32(p.index).int16(p.errorCode);
    });
  });
}

/** OffsetFetch request body; `topics` null means every committed partition. */
export interface OffsetFetchRequest {
  readonly groupId: string;
  readonly topics: ReadonlyArray<{ name: string; partitions: readonly number[] }> | null;
}

/** OffsetFetch response body. */
export interface OffsetFetchResponse {
  readonly errorCode: number;
  readonly topics: ReadonlyArray<{
    name: string;
    partitions: ReadonlyArray<{
      index: number;
      offset: number;
      leaderEpoch: number;
      metadata: string | null;
      errorCode: number;
    }>;
  }>;
}

/** Decodes OffsetFetch. */
export function decodeOffsetFetchRequest(r: Reader, _version: number): OffsetFetchRequest {
  const groupId = r.string();
  const topics = r.nullableArray((r2) => ({ name: r2.string(), partitions: r2.array((r3) => r3.int32()) }));
  return { groupId, topics };
}

/** Encodes the OffsetFetch response. */
export function encodeOffsetFetchResponse(w: Writer, version: number, res: OffsetFetchResponse): void {
  if (version >= 3) w.int32(0);
  w.array(res.topics, (w2, t) => {
    w2.string(t.name);
    w2.array(t.partitions, (w3, p) => {
      w3.int32(p.index).int64(p.offset);
      if (version >= 5) w3.int32(p.leaderEpoch);
      w3.nullableString(p.metadata).int16(p.errorCode);
    });
  });
  if (version >= 2) w.int16(res.errorCode);
}
