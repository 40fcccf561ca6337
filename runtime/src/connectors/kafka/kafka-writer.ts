/**
 * The Kafka sink's I/O: writes rows of (topic?, key?, value, partition?, headers?) with a kafkajs
 * producer.
 *
 * Delivery is at-least-once, as in Spark: each chunk is acknowledged by all in-sync replicas
 * (acks=all) before the batch counts as written, and a batch that is re-run after a crash is written
 * again. The producer is idempotent, as Spark's (Kafka clients turn idempotence on by default since
 * 3.0): a send the client retries after a lost answer is written once. A send retried after the
 * producer was replaced (a broker restart) may still be written twice. Exactly-once output needs an
 * idempotent consumer downstream (or the PostgreSQL upsert sink).
 */
import { Kafka, logLevel, Partitioners, type Message, type Producer, type TopicMessages } from 'kafkajs';
import { kafkajsConfig, TopicNames, type KafkaConnection } from './kafka-connection.js';
import type { KafkaHeader } from './kafka-record.js';
import { kafkaFailure, retrying } from './retry.js';

/** One row for the Kafka sink (Spark's sink columns). */
export interface KafkaOutRecord {
  topic?: string | null;
  key?: string | Uint8Array | null;
  value: string | Uint8Array | null;
  partition?: number | null;
  headers?: KafkaHeader[] | null;
}

/** Options of {@link KafkaWriter}. */
export interface KafkaWriterOptions {
  /** Spark's `topic` option: overrides the row's topic column. */
  topic?: string;
  /** Records per produce request (default 1000); bytes also cap a chunk (default 512 KiB). */
  chunkRecords?: number;
  chunkBytes?: number;
  /** How long a failing send is retried before the batch fails (default 120 s). */
  retryDeadlineMs?: number;
  /**
   * Create a missing topic (one partition) before writing to it, as a broker with Kafka's default
   * `auto.create.topics.enable=true` would (default true).
   */
  autoCreateTopics?: boolean;
}

/** Thrown when a row cannot be written (Spark's message where it has one). */
export class KafkaWriteError extends Error {
  readonly code = 'KAFKA_WRITE';
  constructor(message: string) {
    super(message);
    this.name = 'IllegalStateException';
  }
}

/** Writes rows to Kafka; one producer per writer, connected lazily. */
export class KafkaWriter {
  private producer: Producer | undefined;
  private readonly names: TopicNames;
  private readonly knownTopics = new Set<string>();

  constructor(
    private readonly connection: KafkaConnection,
    private readonly options: KafkaWriterOptions = {},
  ) {
    this.names = new TopicNames(connection.topicPrefix ?? '');
  }

  /** Writes all rows; resolves once every record is acknowledged. */
  async write(rows: Iterable<KafkaOutRecord>): Promise<void> {
    const chunkRecords = this.options.chunkRecords ?? 1000;
    const chunkBytes = this.options.chunkBytes ?? 512 * 1024;
    let chunk = new Map<string, Message[]>();
    let count = 0;
    let bytes = 0;
    for (const row of rows) {
      const topic = this.options.topic ?? row.topic;
      if (topic === null || topic === undefined) {
        throw new KafkaWriteError('null topic present in the data. Use the topic option for setting a topic.');
      }
      const message: Message = { value: toBuffer(row.value), key: toBuffer(row.key ?? null) };
      if (row.partition !== null && row.partition !== undefined) message.partition = row.partition;
      if (row.headers && row.headers.length > 0) message.headers = toHeaderObject(row.headers);
      const size = ((message.value as Buffer | null)?.length ?? 0) + ((message.key as Buffer | null)?.length ?? 0);
      // Flush before a record that would push the request past the limit: the broker rejects a
      // record batch above message.max.bytes (1 MiB by default), however small each record is.
      if (count > 0 && (count >= chunkRecords || bytes + size > chunkBytes)) {
        await this.send(chunk);
        chunk = new Map();
        count = 0;
        bytes = 0;
      }
      const bt = this.names.toBroker(topic);
      const list = chunk.get(bt) ?? [];
      list.push(message);
      chunk.set(bt, list);
      count++;
      bytes += size;
    }
    if (count > 0) await this.send(chunk);
  }

  /** Disconnects the producer. */
  async close(): Promise<void> {
    const p = this.producer;
    this.producer = undefined;
    if (p) await p.disconnect().catch(() => undefined);
  }

  private async send(chunk: Map<string, Message[]>): Promise<void> {
    const topicMessages: TopicMessages[] = [...chunk].map(([topic, messages]) => ({ topic, messages }));
    const unknown = [...chunk.keys()].filter((t) => !this.knownTopics.has(t));
    if (unknown.length > 0 && (this.options.autoCreateTopics ?? true)) await this.createTopics(unknown);
    await retrying(
      async () => {
        const p = await this.ensureProducer();
        await p.sendBatch({ topicMessages, acks: -1 });
      },
      {
        deadlineMs: this.options.retryDeadlineMs ?? 120_000,
        onRetry: async () => {
          // A restarted broker leaves kafkajs with dead sockets and stale leaders: reconnect.
          await this.close();
        },
      },
    ).catch((e: unknown) => {
      throw kafkaFailure(e, this.connection.brokers, `writing to ${[...chunk.keys()].join(', ')}`);
    });
  }

  private async createTopics(topics: string[]): Promise<void> {
    await retrying(
      async () => {
        const admin = new Kafka({ ...kafkajsConfig(this.connection), logLevel: logLevel.NOTHING }).admin();
        await admin.connect();
        try {
          const existing = new Set(await admin.listTopics());
          const missing = topics.filter((t) => !existing.has(t));
          if (missing.length > 0) {
            await admin.createTopics({ topics: missing.map((topic) => ({ topic, numPartitions: 1 })), waitForLeaders: true }).catch((e: unknown) => {
              if ((e as { type?: string }).type !== 'TOPIC_ALREADY_EXISTS') throw e;
            });
          }
        } finally {
          await admin.disconnect().catch(() => undefined);
        }
        for (const t of topics) this.knownTopics.add(t);
      },
      { deadlineMs: this.options.retryDeadlineMs ?? 120_000 },
    ).catch((e: unknown) => {
      throw kafkaFailure(e, this.connection.brokers, `creating topics ${topics.join(', ')}`);
    });
  }

  private async ensureProducer(): Promise<Producer> {
    if (this.producer) return this.producer;
    const kafka = new Kafka({ ...kafkajsConfig(this.connection), logLevel: logLevel.NOTHING });
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: true, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    this.producer = producer;
    return producer;
  }
}

function toBuffer(v: string | Uint8Array | null | undefined): Buffer | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return Buffer.from(v, 'utf8');
  return Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

/**
 * kafkajs takes headers as an object; repeated keys become arrays so none is lost.
 * A null header value is sent as an empty value (kafkajs cannot encode a null header).
 */
function toHeaderObject(headers: KafkaHeader[]): Record<string, Buffer | Buffer[]> {
  const out: Record<string, Buffer | Buffer[]> = {};
  for (const h of headers) {
    const v = toBuffer(h.value) ?? Buffer.alloc(0);
    const prev = out[h.key];
    if (prev === undefined) out[h.key] = v;
    else out[h.key] = Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}
