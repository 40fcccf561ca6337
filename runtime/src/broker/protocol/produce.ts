/**
 * Produce (key 0), v3-v7 implemented (v0-v2 advertised but refused; see ../apis/produce-apis.ts).
 *
 * Request: transactionalId? , acks i16, timeoutMs i32, topics [name, partitions [index i32,
 * records nullable bytes]].
 * Response: topics [name, partitions [index, errorCode, baseOffset i64, logAppendTimeMs i64,
 * logStartOffset i64 (v5+)]], throttleTimeMs i32. acks=0 gets no response at all.
 */
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

/** Produce request body. */
export interface ProduceRequest {
  readonly transactionalId: string | null;
  readonly acks: number;
  readonly timeoutMs: number;
  readonly topics: ReadonlyArray<{
    name: string;
    partitions: ReadonlyArray<{ index: number; records: Buffer | null }>;
  }>;
}

/** One partition's result. */
export interface ProducePartitionResponse {
  readonly index: number;
  readonly errorCode: number;
  readonly baseOffset: number;
  readonly logStartOffset: number;
}

/** Produce response body. */
export interface ProduceResponse {
  readonly topics: ReadonlyArray<{ name: string; partitions: readonly ProducePartitionResponse[] }>;
}

/** Decodes the request body. */
export function decodeProduceRequest(r: Reader, _version: number): ProduceRequest {
  const transactionalId = r.nullableString();
  const acks = r.int16();
  const timeoutMs = r.int32();
  const topics = r.array((r2) => ({
    name: r2.string(),
    partitions: r2.array((r3) => ({ index: r3.int32(), records: r3.nullableBytes() })),
  }));
  return { transactionalId, acks, timeoutMs, topics };
}

/** Encodes the response body. */
export function encodeProduceResponse(w: Writer, version: number, res: ProduceResponse): void {
  w.array(res.topics, (w2, t) => {
    w2.string(t.name);
    w2.array(t.partitions, (w3, p) => {
      w3.int32(p.index).int16(p.errorCode).int64(p.baseOffset).int64(-1);
      if (version >= 5) w3.int64(p.logStartOffset);
    });
  });
  w.int32(0);
}
