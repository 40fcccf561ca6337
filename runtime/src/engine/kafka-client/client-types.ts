/**
 * The learner-facing Kafka client contract, with kafka-python's names (`bootstrap_servers`,
 * `group_id`, `auto_offset_reset`, ...). `KafkaProducer` and `KafkaConsumer` delegate to a backend
 * made by the installed {@link KafkaClientFactory}: the in-memory cluster in tests and lessons, a
 * kafkajs client in the runtime.
 */

/** Bytes or text; text is sent as UTF-8. */
export type KafkaBytes = string | Uint8Array;

/** One header of a record. */
export type KafkaHeaderTuple = readonly [string, KafkaBytes | null];

/** `KafkaProducer` options (kafka-python names; unknown ones are accepted and ignored). */
export interface ProducerConfig {
  bootstrap_servers?: string | string[];
  client_id?: string;
  /** Turns a key into bytes or text before sending (kafka-python `key_serializer`). */
  key_serializer?: (key: unknown) => KafkaBytes | null;
  /** Turns a value into bytes or text before sending (kafka-python `value_serializer`). */
  value_serializer?: (value: unknown) => KafkaBytes | null;
  acks?: number | 'all';
  [option: string]: unknown;
}

/** What `send(topic, {...})` takes. */
export interface SendOptions {
  key?: unknown;
  value?: unknown;
  partition?: number;
  headers?: readonly KafkaHeaderTuple[];
  /** Record timestamp, epoch ms (default: the producer's clock). */
  timestamp_ms?: number;
  /** Alias of `timestamp_ms`. */
  timestamp?: number;
}

/** Where a sent record landed (kafka-python `RecordMetadata`). */
export interface RecordMetadata {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
}

/** `KafkaConsumer` options (kafka-python names). */
export interface ConsumerConfig {
  bootstrap_servers?: string | string[];
  client_id?: string;
  /** Consumer group; without one the consumer neither joins a group nor commits. */
  group_id?: string | null;
  /** Where to start without a committed offset: `latest` (default) or `earliest`. */
  auto_offset_reset?: 'earliest' | 'latest';
  /** Commit the consumed offsets automatically (default true). */
  enable_auto_commit?: boolean;
  /** Iteration stops after this many ms without a record (default: never). */
  consumer_timeout_ms?: number;
  /** Turns key bytes into a value (default: UTF-8 text). */
  key_deserializer?: (bytes: Uint8Array) => unknown;
  /** Turns value bytes into a value (default: UTF-8 text). */
  value_deserializer?: (bytes: Uint8Array) => unknown;
  max_poll_records?: number;
  [option: string]: unknown;
}

/** A consumed record (kafka-python `ConsumerRecord`). `key` and `value` are deserialized. */
export interface ConsumerRecord<K = unknown, V = unknown> {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  /** 0 = CreateTime. */
  timestamp_type: number;
  key: K | null;
  value: V | null;
  headers: [string, Uint8Array | null][];
}

/** A record as backends hand it out (bytes, before deserializers). */
export interface RawRecord {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers: [string, Uint8Array | null][];
}

/** A record as backends receive it (already serialized). */
export interface RawSend {
  topic: string;
  key: Uint8Array | null;
  value: Uint8Array | null;
  partition?: number;
  headers: [string, Uint8Array | null][];
  timestamp?: number;
}

/** The producer side a factory implements. */
export interface ProducerBackend {
  send(record: RawSend): Promise<RecordMetadata>;
  flush(): Promise<void>;
  close(): Promise<void>;
  partitionsFor(topic: string): Promise<number[]>;
}

/** The consumer side a factory implements. */
export interface ConsumerBackend {
  subscribe(topics: readonly string[]): void;
  /** Records available now, or after waiting up to `timeoutMs` for some. */
  poll(timeoutMs: number, maxRecords: number): Promise<RawRecord[]>;
  /** Commits the positions after everything returned so far (or the given offsets: next offset to read). */
  commit(offsets?: Readonly<Record<string, number>>): Promise<void>;
  /** Committed offset of the group for `topic:partition`, or null. */
  committed(topic: string, partition: number): Promise<number | null>;
  /** `topic:partition` keys currently assigned. */
  assignment(): string[];
  /** Moves the position of one assigned partition. */
  seek(topic: string, partition: number, offset: number): void;
  close(autocommit: boolean): Promise<void>;
}

/** Creates client backends; installed with `setKafkaClientFactory`. */
export interface KafkaClientFactory {
  producer(config: ProducerConfig): ProducerBackend;
  consumer(config: ConsumerConfig): ConsumerBackend;
}
