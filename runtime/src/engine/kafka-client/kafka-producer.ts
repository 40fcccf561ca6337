/** kafka-python's `KafkaProducer`, over the installed client factory. */
import { bytesOf } from '../rows.js';
import { kafkaClientFactory } from './client-factory.js';
import type { KafkaBytes, ProducerBackend, ProducerConfig, RecordMetadata, SendOptions } from './client-types.js';

const encoder = new TextEncoder();

/** Text as UTF-8; bytes as they are; null stays null. Other values must go through a serializer. */
export function toBytes(x: unknown, what: string): Uint8Array | null {
  if (x === null || x === undefined) return null;
  if (typeof x === 'string') return encoder.encode(x);
  const bytes = bytesOf(x);
  if (bytes) return bytes;
  throw new TypeError(`${what} must be a string or bytes (or set ${what === 'key' ? 'key_serializer' : 'value_serializer'}); got ${typeof x}`);
}

/**
 * Sends records to Kafka. Keyed records go to the partition Kafka's default (murmur2) partitioner
 * picks, so all records of one key stay in order on one partition.
 *
 *   const producer = new KafkaProducer({ bootstrap_servers: "localhost:9092" });
 *   await producer.send("sensors.temperature", { key: "sensor-1", value: JSON.stringify(reading) });
 *   await producer.flush();
 */
export class KafkaProducer {
  private readonly backend: ProducerBackend;
  private readonly pending = new Set<Promise<unknown>>();
  private closed = false;

  constructor(readonly config: ProducerConfig = {}) {
    this.backend = kafkaClientFactory().producer(config);
  }

  /** Sends one record; the promise resolves with where it landed (kafka-python's future). */
  send(topic: string, record: SendOptions = {}): Promise<RecordMetadata> {
    if (this.closed) return Promise.reject(new Error('KafkaProducer is closed'));
    const key = this.config.key_serializer && record.key !== undefined && record.key !== null ? this.config.key_serializer(record.key) : record.key;
    const value = this.config.value_serializer && record.value !== undefined && record.value !== null ? this.config.value_serializer(record.value) : record.value;
    const timestamp = record.timestamp_ms ?? record.timestamp;
    const p = this.backend.send({
      topic,
      key: toBytes(key, 'key'),
      value: toBytes(value, 'value'),
      ...(record.partition === undefined ? {} : { partition: record.partition }),
      ...(timestamp === undefined ? {} : { timestamp }),
      headers: (record.headers ?? []).map(([k, v]) => [k, toBytes(v, 'header value')] as [string, Uint8Array | null]),
    });
    this.pending.add(p);
    const forget = () => this.pending.delete(p);
    p.then(forget, forget);
    return p;
  }

  /** Waits until every record sent so far is acknowledged. */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.pending]);
    await this.backend.flush();
  }

  /** Partition ids of a topic. */
  partitions_for(topic: string): Promise<number[]> {
    return this.backend.partitionsFor(topic);
  }

  /** Flushes and releases the connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    await this.backend.close();
  }
}

/** Re-exported for type positions in learner code. */
export type { KafkaBytes };
