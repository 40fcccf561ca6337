/**
 * CreateTopics (key 19, v0-v4) and DeleteTopics (key 20, v0-v3).
 *
 * CreateTopics request: topics [name, numPartitions i32, replicationFactor i16, assignments
 * [index i32, brokerIds [i32]], configs [name, value?]], timeoutMs i32, validateOnly bool (v1+).
 * Response: throttleTimeMs (v2+), topics [name, errorCode i16, errorMessage? (v1+)].
 * DeleteTopics request: names [string], timeoutMs i32. Response: throttleTimeMs (v1+),
 * topics [name, errorCode].
 */
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

/** One topic to create. */
export interface CreatableTopic {
  readonly name: string;
  readonly numPartitions: number;
  readonly replicationFactor: number;
  readonly assignments: ReadonlyArray<{ index: number; brokerIds: readonly number[] }>;
  readonly configs: ReadonlyArray<{ name: string; value: string | null }>;
}

/** CreateTopics request body. */
export interface CreateTopicsRequest {
  readonly topics: readonly CreatableTopic[];
  readonly timeoutMs: number;
  readonly validateOnly: boolean;
}

/** Result per topic for both admin APIs. */
export interface TopicResult {
  readonly name: string;
  readonly errorCode: number;
  readonly errorMessage: string | null;
}

/** Decodes a CreateTopics request body. */
export function decodeCreateTopicsRequest(r: Reader, version: number): CreateTopicsRequest {
  const topics = r.array((r2) => ({
    name: r2.string(),
    numPartitions: r2.int32(),
    replicationFactor: r2.int16(),
    assignments: r2.array((r3) => ({ index: r3.int32(), brokerIds: r3.array((r4) => r4.int32()) })),
    configs: r2.array((r3) => ({ name: r3.string(), value: r3.nullableString() })),
  }));
  const timeoutMs = r.int32();
  const validateOnly = version >= 1 ? r.bool() : false;
  return { topics, timeoutMs, validateOnly };
}

/** Encodes a CreateTopics response body. */
export function encodeCreateTopicsResponse(w: Writer, version: number, topics: readonly TopicResult[]): void {
  if (version >= 2) w.int32(0);
  w.array(topics, (w2, t) => {
    w2.string(t.name).int16(t.errorCode);
    if (version >= 1) w2.nullableString(t.errorMessage);
  });
}

/** Decodes a DeleteTopics request body. */
export function decodeDeleteTopicsRequest(r: Reader, _version: number): { names: string[]; timeoutMs: number } {
  const names = r.array((r2) => r2.string());
  return { names, timeoutMs: r.int32() };
}

/** Encodes a DeleteTopics response body. */
export function encodeDeleteTopicsResponse(w: Writer, version: number, topics: readonly TopicResult[]): void {
  if (version >= 1) w.int32(0);
  w.array(topics, (w2, t) => {
    w2.string(t.name).int16(t.errorCode);
  });
}
