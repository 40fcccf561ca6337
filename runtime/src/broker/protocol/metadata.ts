/**
 * Metadata (key 3), v0-v6.
 *
 * Request: topics [name string] (v0: empty = all; v1+: null = all), allowAutoTopicCreation bool
 * (v4+; always implied below v4).
 * Response: throttleTimeMs (v3+), brokers [nodeId i32, host, port i32, rack? (v1+)],
 * clusterId? (v2+), controllerId i32 (v1+), topics [errorCode i16, name, isInternal (v1+),
 * partitions [errorCode, index i32, leader i32, replicas [i32], isr [i32], offline [i32] (v5+)]].
 */
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

/** Metadata request body; `topics` null means every topic. */
export interface MetadataRequest {
  readonly topics: readonly string[] | null;
  readonly allowAutoTopicCreation: boolean;
}

/** One partition in a Metadata response. */
export interface MetadataPartition {
  readonly errorCode: number;
  readonly partitionIndex: number;
  readonly leaderId: number;
  readonly replicaNodes: readonly number[];
  readonly isrNodes: readonly number[];
}

/** One topic in a Metadata response. */
export interface MetadataTopic {
  readonly errorCode: number;
  readonly name: string;
  readonly isInternal: boolean;
  readonly partitions: readonly MetadataPartition[];
}

/** Metadata response body. */
export interface MetadataResponse {
  readonly brokers: ReadonlyArray<{ nodeId: number; host: string; port: number }>;
  readonly clusterId: string;
  readonly controllerId: number;
  readonly topics: readonly MetadataTopic[];
}

/** Decodes the request body. */
export function decodeMetadataRequest(r: Reader, version: number): MetadataRequest {
  let topics = r.nullableArray((r2) => r2.string());
  if (version === 0 && topics !== null && topics.length === 0) topics = null;
  const allowAutoTopicCreation = version >= 4 ? r.bool() : true;
  return { topics, allowAutoTopicCreation };
}

/** Encodes the response body. */
export function encodeMetadataResponse(w: Writer, version: number, res: MetadataResponse): void {
  if (version >= 3) w.int32(0);
  w.array(res.brokers, (w2, b) => {
    w2.int32(b.nodeId).string(b.host).int32(b.port);
    if (version >= 1) w2.nullableString(null);
  });
  if (version >= 2) w.nullableString(res.clusterId);
  if (version >= 1) w.int32(res.controllerId);
  w.array(res.topics, (w2, t) => {
    w2.int16(t.errorCode).string(t.name);
    if (version >= 1) w2.bool(t.isInternal);
    w2.array(t.partitions, (w3, p) => {
      w3.int16(p.errorCode).int32(p.partitionIndex).int32(p.leaderId);
      w3.array(p.replicaNodes, (w4, n) => w4.int32(n));
      w3.array(p.isrNodes, (w4, n) => w4.int32(n));
      if (version >= 5) w3.array<number>([], (w4, n) => w4.int32(n));
    });
  });
}
