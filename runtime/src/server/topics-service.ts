/**
 * Kafka helpers behind `topics.*`: list, create, delete, produce and tail, with kafkajs against the
 * runtime's configured bootstrap servers. Clients connect lazily and are shared by all connections.
 */
import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import { TopicNames } from '../connectors/kafka/kafka-connection.js';
import type { ServerMessageOf } from '../protocol/index.js';
import { RequestError } from './request-error.js';

/** A record delivered to a tail. */
export type TailRecord = Omit<ServerMessageOf<'topics.record'>, 'kind' | 'tailId'>;

/** Kafka operations for the protocol and the CLI. */
export class TopicsService {
  private readonly kafka: Promise<Kafka | null>;
  private admin: Promise<Admin> | null = null;
  private producer: Promise<Producer> | null = null;
  private readonly tails = new Map<string, Consumer>();
  private readonly names: TopicNames;

  /**
   * @param bootstrap `host:port[,host:port]`, or undefined when no Kafka is configured
   * @param topicPrefix the learner's topic prefix: topics outside it are invisible, names inside it shown without it
   */
  constructor(bootstrap: string | undefined | Promise<string | undefined>, topicPrefix = '') {
    this.names = new TopicNames(topicPrefix);
    // kafkajs loads on first use, so starting the runtime does not pay for it.
    this.kafka = Promise.resolve(bootstrap).then(async (b) => {
      if (!b) return null;
      const { Kafka, logLevel } = await import('kafkajs');
      return new Kafka({
        clientId: 'streamlab-runtime',
        brokers: b.split(',').map((s) => s.trim()).filter(Boolean),
        logLevel: logLevel.NOTHING,
        connectionTimeout: 3000,
        retry: { retries: 2, initialRetryTime: 100 },
      });
    });
  }

  private async client(): Promise<Kafka> {
    const kafka = await this.kafka;
    if (!kafka) throw new RequestError('unavailable', 'No Kafka is configured: start the runtime with --kafka host:port (or STREAMLAB_KAFKA).');
    return kafka;
  }

  private getAdmin(): Promise<Admin> {
    this.admin ??= (async () => {
      const admin = (await this.client()).admin();
      await admin.connect();
      return admin;
    })().catch((e: unknown) => {
      this.admin = null;
      throw unavailable(e);
    });
    return this.admin;
  }

  private getProducer(): Promise<Producer> {
    this.producer ??= (async () => {
      const producer = (await this.client()).producer({ allowAutoTopicCreation: false });
      await producer.connect();
      return producer;
    })().catch((e: unknown) => {
      this.producer = null;
      throw unavailable(e);
    });
    return this.producer;
  }

  /** Topics other than Kafka's internal ones, sorted by name, with each partition's end offset. */
  async list(): Promise<{ name: string; partitions: number; endOffsets: string[] }[]> {
    const admin = await this.getAdmin();
    const meta = await admin.fetchTopicMetadata();
    const visible = meta.topics.filter((t) => !t.name.startsWith('__') && this.names.fromBroker(t.name) !== undefined);
    const offsets = await Promise.all(visible.map(async (t) => {
      const byPartition = await admin.fetchTopicOffsets(t.name);
      return byPartition.sort((a, b) => a.partition - b.partition).map((p) => p.high);
    }));
    return visible
      .map((t, i) => ({ name: this.names.fromBroker(t.name)!, partitions: t.partitions.length, endOffsets: offsets[i]! }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Creates a topic; an existing topic is an error. */
  async create(topic: string, partitions: number): Promise<void> {
    const admin = await this.getAdmin();
    const created = await admin.createTopics({ topics: [{ topic: this.names.toBroker(topic), numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
    if (!created) throw new RequestError('invalid-request', `Topic "${topic}" already exists.`);
  }

  /** Deletes a topic. */
  async delete(topic: string): Promise<void> {
    const admin = await this.getAdmin();
    const existing = await admin.listTopics();
    if (!existing.includes(this.names.toBroker(topic))) throw new RequestError('not-found', `Topic "${topic}" does not exist.`);
    await admin.deleteTopics({ topics: [this.names.toBroker(topic)] });
  }

  /** Produces one record and says where it landed. */
  async produce(record: { topic: string; key?: string | null; value: string | null; headers?: Record<string, string>; timestamp?: number }): Promise<{ partition: number; offset: string }> {
    const admin = await this.getAdmin();
    if (!(await admin.listTopics()).includes(this.names.toBroker(record.topic))) throw new RequestError('not-found', `Topic "${record.topic}" does not exist; create it first.`);
    const producer = await this.getProducer();
    const [meta] = await producer.send({
      topic: this.names.toBroker(record.topic),
      messages: [{ key: record.key ?? null, value: record.value, headers: record.headers, timestamp: record.timestamp === undefined ? undefined : String(record.timestamp) }],
    });
    return { partition: meta?.partition ?? 0, offset: meta?.baseOffset ?? '0' };
  }

  /**
   * Starts delivering a topic's records to `onRecord`.
   * @returns the tail id for `untail`
   */
  async tail(topic: string, from: 'earliest' | 'latest', onRecord: (tailId: string, r: TailRecord) => void): Promise<string> {
    const admin = await this.getAdmin();
    if (!(await admin.listTopics()).includes(this.names.toBroker(topic))) throw new RequestError('not-found', `Topic "${topic}" does not exist.`);
    const tailId = `tail-${randomUUID().slice(0, 8)}`;
    const consumer = (await this.client()).consumer({ groupId: `streamlab-${tailId}`, allowAutoTopicCreation: false });
    await consumer.connect();
    await consumer.subscribe({ topic: this.names.toBroker(topic), fromBeginning: from === 'earliest' });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic: t, partition, message }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) {
          if (v !== undefined) headers[k] = Array.isArray(v) ? v.map(String).join(',') : String(v);
        }
        onRecord(tailId, {
          topic: this.names.fromBroker(t) ?? t, partition, offset: message.offset, key: message.key?.toString('utf8') ?? null,
          value: message.value?.toString('utf8') ?? null, timestamp: message.timestamp, headers,
        });
      },
    });
    this.tails.set(tailId, consumer);
    return tailId;
  }

  /** Stops a tail. */
  async untail(tailId: string): Promise<void> {
    const consumer = this.tails.get(tailId);
    if (!consumer) throw new RequestError('not-found', `No tail ${tailId}.`);
    this.tails.delete(tailId);
    await consumer.disconnect();
  }

  /** Closes every client. */
  async close(): Promise<void> {
    const tails = [...this.tails.values()];
    this.tails.clear();
    await Promise.allSettled(tails.map((c) => c.disconnect()));
    const admin = this.admin;
    const producer = this.producer;
    this.admin = null;
    this.producer = null;
    await Promise.allSettled([admin?.then((a) => a.disconnect()), producer?.then((p) => p.disconnect())]);
  }
}

function unavailable(e: unknown): RequestError {
  if (e instanceof RequestError) return e;
  return new RequestError('unavailable', `Kafka is not reachable: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
}
