/**
 * The Kafka sink's I/O: writes rows of (topic?, key?, value, partition?, headers?) with a kafkajs
 * producer.
 *
 * Delivery is at-least-once, as in Spark: each chunk is acknowledged by all in-sync replicas
 * (acks=all) before the batch counts as written, failed sends are retried (possibly producing
 * duplicates), and a batch that is re-run after a crash is written again. Exactly-once output
 * needs an idempotent consumer downstream (or the PostgreSQL upsert sink).
 */
import { Kafka, logLevel, Partitioners, type Message, type Producer, type TopicMessages } from 'kafkajs';
import { kafkajsConfig, TopicNames, type KafkaConnection } from './kafka-connection.js';
import type { KafkaHeader } from './kafka-record.js';
import { retrying } from './retry.js';

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
  /** Records per produce request (default 1000); bytes also cap a chunk (default 1 MiB). */
  chunkRecords?: number;
  chunkBytes?: number;
  /** How long a failing send is retried before the batch fails (default 120 s). */
  retryDeadlineMs?: number;
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

  constructor(
    private readonly connection: KafkaConnection,
    private readonly options: KafkaWriterOptions = {},
  ) {
    this.names = new TopicNames(connection.topicPrefix ?? '');
  }

  /** Writes all rows; resolves once every record is acknowledged. */
  async write(rows: Iterable<KafkaOutRecord>): Promise<void> {
    const chunkRecords = this.options.chunkRecords ?? 1000;
    const chunkBytes = this.options.chunkBytes ?? 1024 * 1024;
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
      const bt = this.names.toBroker(topic);
      const list = chunk.get(bt) ?? [];
      list.push(message);
      chunk.set(bt, list);
      count++;
      bytes += (message.value?.length ?? 0) + ((message.key as Buffer | null)?.length ?? 0);
      if (count >= chunkRecords || bytes >= chunkBytes) {
        await this.send(chunk);
        chunk = new Map();
        count = 0;
        bytes = 0;
      }
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
    );
  }

  private async ensureProducer(): Promise<Producer> {
    if (this.producer) return this.producer;
    const kafka = new Kafka({ ...kafkajsConfig(this.connection), logLevel: logLevel.NOTHING });
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: true });
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
