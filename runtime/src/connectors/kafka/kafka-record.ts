/**
 * One Kafka record as the source hands it to the engine: the row of Spark's fixed Kafka schema
 * (`key`, `value`, `topic`, `partition`, `offset`, `timestamp`, `timestampType`, `headers`).
 * Bytes stay bytes: `CAST(value AS STRING)` decodes them in the engine, as Spark does.
 */
export interface KafkaRecord {
  key: Uint8Array | null;
  value: Uint8Array | null;
  /** The learner-side topic name (any runtime prefix removed). */
  topic: string;
  partition: number;
  offset: number;
  /** Milliseconds since the epoch. */
  timestamp: number;
  /** 0 = CreateTime, 1 = LogAppendTime. */
  timestampType: number;
  headers: KafkaHeader[];
}

/** A record header; Kafka allows repeated keys and null values. */
export interface KafkaHeader {
  key: string;
  value: Uint8Array | null;
}

/** Earliest and latest (exclusive end) offsets of one partition. */
export interface PartitionOffsets {
  topic: string;
  partition: number;
  earliest: number;
  latest: number;
}

/** A half-open offset range `[from, until)` of one partition. */
export interface OffsetRange {
  topic: string;
  partition: number;
  from: number;
  until: number;
}
