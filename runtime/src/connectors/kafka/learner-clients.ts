/**
 * The kafkajs-backed {@link KafkaClientFactory} behind the learner's `KafkaProducer` and `KafkaConsumer`
 * when the runtime has a real Kafka. The runtime's connection always wins over `bootstrap_servers`
 * (as for the structured connector), and its topic prefix is applied both ways.
 *
 *   producer  kafkajs producer with the Java-compatible murmur2 partitioner (same partitions as the
 *             in-memory cluster and the JVM clients)
 *   consumer  kafkajs pushes messages into a buffer that `poll()` drains; positions advance as records
 *             are handed out and are committed only by `commit()` (kafka-python's auto-commit is done by
 *             the KafkaConsumer class after each poll); without `group_id` a private group is used and
 *             nothing is committed. The buffer is bounded: above `maxBuffered` records the consumer
 *             pauses fetching (heartbeats go on), and resumes once polls have taken it below half, so a
 *             slow reader slows the reading instead of filling memory
 */
import { randomBytes } from 'node:crypto';
import { Kafka, Partitioners, logLevel, type Consumer, type Producer } from 'kafkajs';
import type {
  ConsumerBackend, ConsumerConfig, KafkaClientFactory, ProducerBackend, ProducerConfig, RawRecord, RawSend, RecordMetadata,
} from '../../engine/kafka-client/client-types.js';
import { pythonClientSecurity } from '../../engine/kafka/kafka-security.js';
import { kafkajsConfig, learnerConnection, type KafkaConnection } from './kafka-connection.js';

/** Options of {@link kafkajsClientFactory}. */
export interface LearnerClientOptions {
  /** Timestamps of records sent without one (the run's clock, so a manual clock gives manual times). */
  now?: () => number;
  /** Longest wait for the group's first assignment before a poll's own timeout starts (default 30 s). */
  joinTimeoutMs?: number;
  /** Records a consumer holds before it pauses fetching (default: twice `max_poll_records`, at least 1000). */
  maxBuffered?: number;
}

const toBuffer = (b: Uint8Array | null): Buffer | null => (b === null ? null : Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/** Creates learner Kafka clients on the runtime's Kafka. */
export function kafkajsClientFactory(connection: KafkaConnection, options: LearnerClientOptions = {}): KafkaClientFactory {
  const prefix = connection.topicPrefix ?? '';
  const plain = new Kafka({ ...kafkajsConfig(connection), logLevel: logLevel.NOTHING });
  // A client that authenticates gets its own kafkajs instance on the SASL listener with its credentials.
  const kafkaFor = (config: ProducerConfig | ConsumerConfig): Kafka => {
    const conn = learnerConnection(connection, pythonClientSecurity(config));
    return conn === connection ? plain : new Kafka({ ...kafkajsConfig(conn), logLevel: logLevel.NOTHING });
  };
  const now = options.now ?? (() => Date.now());
  return {
    producer: (config) => new KafkajsProducer(kafkaFor(config), prefix, config, now),
    consumer: (config) => new KafkajsConsumer(kafkaFor(config), prefix, config, options.joinTimeoutMs ?? 30_000, options.maxBuffered ?? Math.max(1000, 2 * (config.max_poll_records ?? 500))),
  };
}

class KafkajsProducer implements ProducerBackend {
  private readonly producer: Producer;
  private readonly connected: Promise<void>;

  constructor(private readonly kafka: Kafka, private readonly prefix: string, _config: ProducerConfig, private readonly now: () => number) {
    this.producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: true });
    this.connected = this.producer.connect();
    this.connected.catch(() => undefined);
  }

  async send(record: RawSend): Promise<RecordMetadata> {
    await this.connected;
    const timestamp = record.timestamp ?? this.now();
    const [meta] = await this.producer.send({
      topic: this.prefix + record.topic,
      messages: [{
        key: toBuffer(record.key),
        value: toBuffer(record.value),
        ...(record.partition === undefined ? {} : { partition: record.partition }),
        headers: Object.fromEntries(record.headers.map(([k, v]) => [k, toBuffer(v) ?? undefined])),
        timestamp: String(timestamp),
      }],
    });
    if (!meta) throw new Error(`Kafka did not acknowledge the record for ${record.topic}`);
    return { topic: record.topic, partition: meta.partition, offset: Number(meta.baseOffset ?? meta.offset ?? -1), timestamp };
  }

  async flush(): Promise<void> {
    // kafkajs sends each record on its own request and resolves when acknowledged: nothing is buffered.
  }

  async close(): Promise<void> {
    await this.connected.catch(() => undefined);
    await this.producer.disconnect();
  }

  async partitionsFor(topic: string): Promise<number[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const meta = await admin.fetchTopicMetadata({ topics: [this.prefix + topic] });
      return (meta.topics[0]?.partitions ?? []).map((p) => p.partitionId).sort((a, b) => a - b);
    } finally {
      await admin.disconnect();
    }
  }
}

class KafkajsConsumer implements ConsumerBackend {
  private readonly consumer: Consumer;
  private readonly groupId: string | null;
  private readonly buffer: RawRecord[] = [];
  private readonly positions = new Map<string, number>();
  private assigned: string[] = [];
  private topics: string[] = [];
  private paused = false;
  private started: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private joined!: () => void;
  /** Resolves at the first assignment: a poll's timeout counts from there, as joining is not waiting for data. */
  private readonly firstJoin = new Promise<void>((resolve) => {
    this.joined = resolve;
  });

  constructor(
    private readonly kafka: Kafka,
    private readonly prefix: string,
    private readonly config: ConsumerConfig,
    private readonly joinTimeoutMs: number,
    private readonly maxBuffered: number,
  ) {
    this.groupId = config.group_id ?? null;
    // Short fetch waits: a learner's poll or close should not sit out kafkajs's default 5 s long poll.
    this.consumer = kafka.consumer({ groupId: this.groupId ?? `streamlab-nogroup-${randomBytes(6).toString('hex')}`, allowAutoTopicCreation: true, maxWaitTimeInMs: 250 });
    this.consumer.on(this.consumer.events.GROUP_JOIN, (e) => {
      const assignment = e.payload.memberAssignment as Record<string, number[]>;
      this.assigned = Object.entries(assignment).flatMap(([t, ps]) => ps.map((p) => `${t.slice(this.prefix.length)}:${p}`)).sort();
      // Records buffered for partitions this member lost belong to another member now.
      for (let i = this.buffer.length - 1; i >= 0; i--) if (!this.assigned.includes(`${this.buffer[i]!.topic}:${this.buffer[i]!.partition}`)) this.buffer.splice(i, 1);
      this.joined();
    });
  }

  subscribe(topics: readonly string[]): void {
    const fromBeginning = this.config.auto_offset_reset === 'earliest';
    this.topics = topics.map((t) => this.prefix + t);
    this.started = (async () => {
      await this.consumer.connect();
      await this.consumer.subscribe({ topics: topics.map((t) => this.prefix + t), fromBeginning });
      await this.consumer.run({
        autoCommit: false,
        eachMessage: async ({ topic, partition, message }) => {
          this.buffer.push({
            topic: topic.slice(this.prefix.length),
            partition,
            offset: Number(message.offset),
            timestamp: Number(message.timestamp),
            key: message.key ? new Uint8Array(message.key) : null,
            value: message.value ? new Uint8Array(message.value) : null,
            headers: Object.entries(message.headers ?? {}).map(([k, v]) => [k, v === undefined ? null : new Uint8Array(Buffer.isBuffer(v) ? v : Buffer.from(String(v)))]),
          });
          if (!this.paused && this.buffer.length >= this.maxBuffered) {
            this.paused = true;
            this.consumer.pause(this.topics.map((topic) => ({ topic })));
          }
          this.wake?.();
        },
      });
    })();
    this.started.catch(() => undefined);
  }

  /** Records fetched and not yet handed out. */
  get bufferedRecords(): number {
    return this.buffer.length;
  }

  /** Whether fetching is paused because the buffer is full (kafkajs's own view of it). */
  get isPaused(): boolean {
    return this.consumer.paused().length > 0;
  }

  private take(max: number): RawRecord[] {
    const out = this.buffer.splice(0, max);
    for (const r of out) this.positions.set(`${r.topic}:${r.partition}`, r.offset + 1);
    if (this.paused && this.buffer.length <= this.maxBuffered / 2) {
      this.paused = false;
      this.consumer.resume(this.topics.map((topic) => ({ topic })));
    }
    return out;
  }

  async poll(timeoutMs: number, maxRecords: number): Promise<RawRecord[]> {
    if (!this.started) return [];
    await this.started;
    await Promise.race([this.firstJoin, new Promise<void>((resolve) => setTimeout(resolve, this.joinTimeoutMs).unref())]);
    if (this.buffer.length === 0 && timeoutMs > 0) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          this.wake = null;
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        this.wake = done;
      });
    }
    return this.take(maxRecords);
  }

  async commit(offsets?: Readonly<Record<string, number>>): Promise<void> {
    if (this.groupId === null || !this.started) return;
    await this.started;
    const entries = offsets ? Object.entries(offsets) : [...this.positions.entries()];
    if (entries.length === 0) return;
    await this.consumer.commitOffsets(entries.map(([tp, offset]) => {
      const i = tp.lastIndexOf(':');
      return { topic: this.prefix + tp.slice(0, i), partition: Number(tp.slice(i + 1)), offset: String(offset) };
    }));
  }

  async committed(topic: string, partition: number): Promise<number | null> {
    if (this.groupId === null) return null;
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const [t] = await admin.fetchOffsets({ groupId: this.groupId, topics: [this.prefix + topic] });
      const offset = Number(t?.partitions.find((p) => p.partition === partition)?.offset ?? -1);
      return offset < 0 ? null : offset;
    } finally {
      await admin.disconnect();
    }
  }

  assignment(): string[] {
    return [...this.assigned];
  }

  seek(topic: string, partition: number, offset: number): void {
    for (let i = this.buffer.length - 1; i >= 0; i--) if (this.buffer[i]!.topic === topic && this.buffer[i]!.partition === partition) this.buffer.splice(i, 1);
    this.consumer.seek({ topic: this.prefix + topic, partition, offset: String(offset) });
  }

  async close(autocommit: boolean): Promise<void> {
    if (autocommit) await this.commit().catch(() => undefined);
    await this.started?.catch(() => undefined);
    await this.consumer.disconnect();
  }
}
