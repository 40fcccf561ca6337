/** kafka-python's `KafkaConsumer`, over the installed client factory. */
import { kafkaClientFactory } from './client-factory.js';
import type { ConsumerBackend, ConsumerConfig, ConsumerRecord, RawRecord } from './client-types.js';

const decoder = new TextDecoder();

/** kafka-python's `TopicPartition`. */
export interface TopicPartition {
  topic: string;
  partition: number;
}

/**
 * Reads records from Kafka topics, alone or as a member of a consumer group.
 *
 *   const consumer = new KafkaConsumer(["report"], { group_id: "dashboard", auto_offset_reset: "earliest", consumer_timeout_ms: 1000 });
 *   for await (const msg of consumer) console.log(`${msg.topic}:${msg.partition}:${msg.offset}: key=${msg.key} value=${msg.value}`);
 *
 * Iteration ends after `consumer_timeout_ms` without records (kafka-python's rule); without that option
 * it waits for records until the consumer is closed.
 */
export class KafkaConsumer<K = string, V = string> implements AsyncIterable<ConsumerRecord<K, V>> {
  private readonly backend: ConsumerBackend;
  private readonly config: ConsumerConfig;
  private closed = false;

  constructor(topics: string | readonly string[] = [], config: ConsumerConfig = {}) {
    this.config = config;
    this.backend = kafkaClientFactory().consumer(config);
    const list = typeof topics === 'string' ? [topics] : topics;
    if (list.length > 0) this.backend.subscribe(list);
  }

  /** Subscribes to topics (replacing earlier subscriptions). */
  subscribe(topics: readonly string[]): void {
    this.backend.subscribe(topics);
  }

  private decode(r: RawRecord): ConsumerRecord<K, V> {
    const kd = this.config.key_deserializer ?? ((b: Uint8Array) => decoder.decode(b));
    const vd = this.config.value_deserializer ?? ((b: Uint8Array) => decoder.decode(b));
    return {
      topic: r.topic,
      partition: r.partition,
      offset: r.offset,
      timestamp: r.timestamp,
      timestamp_type: 0,
      key: r.key === null ? null : (kd(r.key) as K),
      value: r.value === null ? null : (vd(r.value) as V),
      headers: r.headers,
    };
  }

  /**
   * Fetches what is available, waiting up to `timeout_ms` for the first records. Returns records per
   * partition keyed `topic:partition` (kafka-python returns a dict keyed by TopicPartition).
   */
  async poll(options: { timeout_ms?: number; max_records?: number } = {}): Promise<Record<string, ConsumerRecord<K, V>[]>> {
    const recs = await this.fetch(options.timeout_ms ?? 0, options.max_records);
    const out: Record<string, ConsumerRecord<K, V>[]> = {};
    for (const r of recs) (out[`${r.topic}:${r.partition}`] ??= []).push(r);
    return out;
  }

  private async fetch(timeoutMs: number, maxRecords?: number): Promise<ConsumerRecord<K, V>[]> {
    const max = maxRecords ?? this.config.max_poll_records ?? 500;
    const raw = await this.backend.poll(timeoutMs, max);
    if (raw.length > 0 && this.config.enable_auto_commit !== false) await this.backend.commit();
    return raw.map((r) => this.decode(r));
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ConsumerRecord<K, V>> {
    const timeout = this.config.consumer_timeout_ms;
    while (!this.closed) {
      const recs = await this.fetch(timeout ?? 1000);
      if (recs.length === 0) {
        if (timeout !== undefined) return;
        continue;
      }
      for (const r of recs) yield r;
    }
  }

  /** Commits the offsets consumed so far (or the given `topic:partition` → next offset). */
  commit(offsets?: Readonly<Record<string, number>>): Promise<void> {
    return this.backend.commit(offsets);
  }

  /** The group's committed offset of a partition, or null. */
  committed(tp: TopicPartition): Promise<number | null> {
    return this.backend.committed(tp.topic, tp.partition);
  }

  /** Partitions currently assigned to this consumer. */
  assignment(): TopicPartition[] {
    return this.backend.assignment().map((k) => {
      const i = k.lastIndexOf(':');
      return { topic: k.slice(0, i), partition: Number(k.slice(i + 1)) };
    });
  }

  /** Moves the position of an assigned partition. */
  seek(tp: TopicPartition, offset: number): void {
    this.backend.seek(tp.topic, tp.partition, offset);
  }

  /** Leaves the group, committing consumed offsets first when auto-commit is on. */
  async close(autocommit = this.config.enable_auto_commit !== false): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.backend.close(autocommit);
  }
}
