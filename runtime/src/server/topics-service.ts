/**
 * Kafka helpers behind `topics.*`: list, create, delete, produce and tail, with kafkajs against the
 * runtime's configured bootstrap servers. Clients connect lazily and are shared by all connections.
 */
import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import { TopicNames } from '../connectors/kafka/kafka-connection.js';
import type { ServerMessageOf } from '../protocol/index.js';
import { CHECK_TOPIC } from '../lessons/check-namespace.js';
import { RequestError } from './request-error.js';

/** A record delivered to a tail. */
export type TailRecord = Omit<ServerMessageOf<'topics.record'>, 'kind' | 'tailId'>;


/** A record the runtime produces on its own (a lesson's data); `timestampMs` absent means now. */
export interface RuntimeRecord {
  topic: string;
  key: string | null;
  value: string;
  timestampMs?: number;
}

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
    // Right after a topic is created or deleted, a real Kafka can answer NOT_LEADER_OR_FOLLOWER,
    // LEADER_NOT_AVAILABLE or UNKNOWN_TOPIC_OR_PARTITION for a moment: those are retried on fresh
    // metadata until a deadline, and then said as what they are, never as an internal error.
    const deadline = Date.now() + LIST_DEADLINE_MS;
    for (let wait = 100; ; wait = Math.min(wait * 2, 1000)) {
      try {
        return await this.listOnce();
      } catch (e) {
        if (!retriable(e)) throw e;
        // kafkajs keeps asking for every topic it once saw, so a deleted one would fail every retry: start afresh.
        const stale = this.admin;
        this.admin = null;
        void stale?.then((a) => a.disconnect()).catch(() => undefined);
        if (Date.now() + wait >= deadline) {
          throw new RequestError('unavailable', `Kafka did not settle within ${LIST_DEADLINE_MS / 1000} s to list topics: ${e instanceof Error ? e.message : String(e)}`);
        }
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  private async listOnce(): Promise<{ name: string; partitions: number; endOffsets: string[] }[]> {
    const admin = await this.getAdmin();
    // The names come from the broker each time (kafkajs would otherwise keep asking for a topic it saw once).
    const names = await admin.listTopics();
    const meta = names.length ? await admin.fetchTopicMetadata({ topics: names }) : { topics: [] };
    const visible = meta.topics.filter((t) => {
      const name = this.names.fromBroker(t.name);
      // A check's topics belong to the grader: the learner's panels do not list them.
      return !t.name.startsWith('__') && name !== undefined && !CHECK_TOPIC.test(name);
    });
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

  /**
   * Creates each topic that does not exist yet with its partitions (a lesson's topics, when it opens).
   * An existing topic is left as it is: its records are the learner's. Resolves with the topics created.
   */
  async ensure(topics: readonly { name: string; partitions: number }[]): Promise<string[]> {
    if (topics.length === 0) return [];
    const admin = await this.getAdmin();
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(this.names.toBroker(t.name)));
    if (missing.length === 0) return [];
    await admin.createTopics({ topics: missing.map((t) => ({ topic: this.names.toBroker(t.name), numPartitions: t.partitions, replicationFactor: 1 })), waitForLeaders: true });
    return missing.map((t) => t.name);
  }

  /**
   * Empties a topic with Kafka's DeleteRecords: each partition's log start offset moves to its end, so
   * the topic, its partitions and the queries reading it stay, and offsets go on from where they were
   * (a reader behind the new start resets as its `auto.offset.reset` / `startingOffsets` says). Deleting
   * and creating the topic again would take its partitions away from every query reading it. Resolves
   * with its partitions.
   */
  async clear(topic: string): Promise<number> {
    const admin = await this.getAdmin();
    const name = this.names.toBroker(topic);
    const meta = await admin.fetchTopicMetadata({ topics: [name] }).catch(() => null);
    const partitions = meta?.topics.find((t) => t.name === name)?.partitions.length;
    if (!partitions) throw new RequestError('not-found', `Topic "${topic}" does not exist.`);
    // -1 is the high watermark: records produced while the request travels are deleted too.
    const all = Array.from({ length: partitions }, (_, partition) => ({ partition, offset: '-1' }));
    // A topic created a moment ago can have no leader yet on a real Kafka (NOT_LEADER_OR_FOLLOWER):
    // retried on fresh metadata until a deadline, as `list` does.
    const deadline = Date.now() + LIST_DEADLINE_MS;
    for (let wait = 100; ; wait = Math.min(wait * 2, 1000)) {
      try {
        await admin.deleteTopicRecords({ topic: name, partitions: all });
        return partitions;
      } catch (e) {
        const leaderless = retriable(e) || nothingWritten(e);
        if (!leaderless || Date.now() + wait >= deadline) {
          throw new RequestError('unavailable', `Topic "${topic}" could not be emptied: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
        }
        await new Promise((r) => setTimeout(r, wait));
        await admin.fetchTopicMetadata({ topics: [name] }).catch(() => undefined);
      }
    }
  }

  /** Produces records in one request per topic, in order (a lesson's data). */
  async produceAll(records: readonly RuntimeRecord[]): Promise<void> {
    if (records.length === 0) return;
    const producer = await this.getProducer();
    const byTopic = new Map<string, RuntimeRecord[]>();
    for (const r of records) byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), r]);
    const batch = {
      topicMessages: [...byTopic].map(([topic, rs]) => ({
        topic: this.names.toBroker(topic),
        messages: rs.map((r) => ({ key: r.key, value: r.value, ...(r.timestampMs !== undefined ? { timestamp: String(r.timestampMs) } : {}) })),
      })),
    };
    // Topics made a moment ago (a lesson's, as a run starts) can still have no leader when many learners
    // make theirs at once: kafkajs' own retries can run out first, and the lesson's data was then never
    // played. Only errors that mean nothing was written are tried again, so no record is written twice.
    const deadline = Date.now() + PRODUCE_DEADLINE_MS;
    for (let wait = 200; ; wait = Math.min(wait * 2, 2000)) {
      try {
        await producer.sendBatch(batch);
        return;
      } catch (e) {
        if (!nothingWritten(e) || Date.now() + wait >= deadline) throw e;
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  /** Deletes every topic whose name starts with `prefix` (a finished check's namespace); resolves with how many. */
  async deleteWithPrefix(prefix: string): Promise<number> {
    return this.deleteMatching((name) => name.startsWith(prefix));
  }

  /** Deletes every topic whose name (inside the prefix) `matches`; resolves with how many. */
  async deleteMatching(matches: (name: string) => boolean): Promise<number> {
    const admin = await this.getAdmin();
    const doomed = (await admin.listTopics()).filter((t) => {
      const name = this.names.fromBroker(t);
      return name !== undefined && matches(name);
    });
    if (doomed.length > 0) await admin.deleteTopics({ topics: doomed });
    return doomed.length;
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

/** How long `topics.list` keeps retrying errors Kafka itself calls retriable. */
const LIST_DEADLINE_MS = 15_000;

/** How long a send that found no leader is tried again (see `produceAll`). */
const PRODUCE_DEADLINE_MS = 60_000;

/** An error kafkajs raised, with the error it wraps (after its own retries) as `originalError` or `cause`. */
type KafkaError = { message?: string; retriable?: boolean; cause?: unknown; originalError?: unknown };

/** True when `test` holds for the error or one it wraps. */
function anyCause(e: unknown, test: (err: KafkaError) => boolean): boolean {
  for (let err = e as KafkaError | undefined, depth = 0; err && depth < 5; depth++) {
    if (test(err)) return true;
    err = (err.originalError ?? err.cause) as KafkaError | undefined;
  }
  return false;
}

/** Kafka's refusals of a partition that has no leader here yet: the request did nothing. */
const NO_LEADER = /not the leader|leader for that topic-partition|no leader for this topic-partition|leader not available|does not host this topic-partition/i;

/** True when Kafka refused the request because the partition had no leader here yet: nothing was written. */
function nothingWritten(e: unknown): boolean {
  return anyCause(e, (err) => NO_LEADER.test(err.message ?? ''));
}

/** True for an error kafkajs marks retriable, or one it gave up retrying because of such an error. */
function retriable(e: unknown): boolean {
  return anyCause(e, (err) => err.retriable === true);
}
