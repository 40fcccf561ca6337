/**
 * A Kafka cluster held in memory: topics with fixed partitions and dense offsets, consumer groups with
 * committed offsets and range assignment, and the default murmur2 partitioner. One cluster serves the
 * learner's `KafkaProducer`/`KafkaConsumer`, the DStream direct stream and the structured `kafka`
 * format, so a lesson's check can run every layer against the same topics without a broker.
 *
 * Group rules (Kafka's, reduced to one process):
 *   join/leave   a member joining or leaving bumps the group's generation; every member recomputes its
 *                assignment on its next poll (range assignor: per topic, partitions split in order over
 *                the members sorted by id) and, with auto-commit, commits what it consumed first
 *   position     of a newly assigned partition = the group's committed offset, else `auto_offset_reset`
 *                (`earliest` → 0, `latest` → the end of the log at assignment time)
 *   no group_id  the consumer is assigned every partition and never commits
 */
import { ManualClock, type Clock } from '../clock.js';
import type { DirectInput, DirectInputFactory } from '../dstream/direct-input.js';
import type {
  ConsumerBackend, ConsumerConfig, KafkaClientFactory, ProducerBackend, ProducerConfig, RawRecord, RawSend, RecordMetadata,
} from './client-types.js';
import { authenticateClient, KafkaSecurityError, pythonClientSecurity, type KafkaClientSecurity, type KafkaListenerSecurity } from '../kafka/kafka-security.js';
import { partitionForKey } from './murmur2.js';

/** One stored record. */
export interface StoredRecord extends RawRecord {
  /** When the cluster appended it (its clock), which decides the DStream batch that reads it. */
  appendMs: number;
}

interface GroupState {
  committed: Map<string, number>;
  members: Map<string, MemoryConsumer>;
  generation: number;
}

const decoder = new TextDecoder();

/** `topic:partition`, the key of positions and commits. */
export function tpKey(topic: string, partition: number): string {
  return `${topic}:${partition}`;
}

/** Options of {@link InMemoryKafkaCluster}. */
export interface InMemoryKafkaOptions {
  /** Timestamps and append times come from this clock, and a poll's timeout elapses on it (a ManualClock at 0 without one). */
  clock?: Clock;
  /** Partitions of auto-created topics (Kafka's `num.partitions`, default 1). */
  defaultPartitions?: number;
  /** Require SASL of every client, as a cluster whose only listener is SASL_PLAINTEXT (see kafka-security.ts). */
  security?: KafkaListenerSecurity;
}

/** Topics, partitions and consumer groups in memory. */
export class InMemoryKafkaCluster implements KafkaClientFactory, DirectInputFactory {
  private readonly topics = new Map<string, StoredRecord[][]>();
  private readonly groups = new Map<string, GroupState>();
  private readonly listeners = new Set<() => void>();
  private stickyRoundRobin = 0;
  private memberIds = 0;
  /** The cluster's clock: record timestamps, and a poll's timeout. */
  readonly clock: Clock;

  constructor(private readonly options: InMemoryKafkaOptions = {}) {
    this.clock = options.clock ?? new ManualClock(0);
  }

  /** Current time on the cluster's clock. */
  now(): number {
    return this.clock.now();
  }

  /** Creates a topic (no-op when it exists with any partition count). */
  createTopic(name: string, partitions = this.options.defaultPartitions ?? 1): void {
    if (!this.topics.has(name)) this.topics.set(name, Array.from({ length: Math.max(1, partitions) }, () => []));
  }

  /** Topic names, sorted. */
  listTopics(): string[] {
    return [...this.topics.keys()].sort();
  }

  /** Number of partitions (auto-creating the topic, as a metadata request does). */
  partitionCount(topic: string): number {
    this.createTopic(topic);
    return this.log(topic).length;
  }

  private log(topic: string): StoredRecord[][] {
    const t = this.topics.get(topic);
    if (!t) throw new RangeError(`Unknown topic ${topic}`);
    return t;
  }

  /** Appends a record; keyed records go where Kafka's default partitioner puts them. */
  append(record: RawSend): RecordMetadata {
    this.createTopic(record.topic);
    const parts = this.log(record.topic);
    const partition = record.partition ?? (record.key === null ? this.stickyRoundRobin++ % parts.length : partitionForKey(record.key, parts.length));
    const log = parts[partition];
    if (!log) throw new RangeError(`Topic ${record.topic} has no partition ${partition} (it has ${parts.length})`);
    const now = this.now();
    const stored: StoredRecord = {
      topic: record.topic,
      partition,
      offset: log.length,
      timestamp: record.timestamp ?? now,
      key: record.key,
      value: record.value,
      headers: record.headers,
      appendMs: now,
    };
    log.push(stored);
    for (const l of [...this.listeners]) l();
    return { topic: stored.topic, partition, offset: stored.offset, timestamp: stored.timestamp };
  }

  /** Appends text records (a test and lesson helper). */
  produce(topic: string, value: string | null, options: { key?: string | null; partition?: number; timestamp?: number } = {}): RecordMetadata {
    const enc = new TextEncoder();
    return this.append({
      topic,
      key: options.key === undefined || options.key === null ? null : enc.encode(options.key),
      value: value === null ? null : enc.encode(value),
      ...(options.partition === undefined ? {} : { partition: options.partition }),
      ...(options.timestamp === undefined ? {} : { timestamp: options.timestamp }),
      headers: [],
    });
  }

  /** Every record of a topic, partition by partition, in offset order. */
  records(topic: string): StoredRecord[] {
    return (this.topics.get(topic) ?? []).flat();
  }

  /** Records of a topic as text, in partition then offset order. */
  textRecords(topic: string): { partition: number; offset: number; key: string | null; value: string | null }[] {
    return this.records(topic).map((r) => ({
      partition: r.partition,
      offset: r.offset,
      key: r.key === null ? null : decoder.decode(r.key),
      value: r.value === null ? null : decoder.decode(r.value),
    }));
  }

  /** Records of one partition from `from` (inclusive) to `until` (exclusive). */
  read(topic: string, partition: number, from: number, until?: number): StoredRecord[] {
    return (this.topics.get(topic)?.[partition] ?? []).slice(from, until);
  }

  /** Next offset of each partition. */
  endOffsets(topic: string): number[] {
    return (this.topics.get(topic) ?? []).map((p) => p.length);
  }

  /** The group's committed offset for a partition, or null. */
  committed(groupId: string, topic: string, partition: number): number | null {
    return this.groups.get(groupId)?.committed.get(tpKey(topic, partition)) ?? null;
  }

  /** Calls `listener` whenever a record is appended; returns the unsubscribe function. */
  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * What the cluster's listener does with a connecting client: with `security`, a broker's SASL checks;
   * without, a SASL client is refused as a PLAINTEXT listener refuses a SaslHandshake. Returns the principal.
   */
  authenticate(client: KafkaClientSecurity): string {
    const security = this.options.security;
    if (security) return authenticateClient(security, client);
    if (client.protocol === 'SASL_PLAINTEXT') {
      throw new KafkaSecurityError('IllegalSaslStateException', `Unexpected handshake request with client mechanism ${client.mechanism}, enabled mechanisms are []`);
    }
    return 'User:ANONYMOUS';
  }

  // ------------------------------------------------------------------ client factory

  producer(config: ProducerConfig): ProducerBackend {
    this.authenticate(pythonClientSecurity(config));
    return {
      send: async (record) => this.append(record),
      flush: async () => undefined,
      close: async () => undefined,
      partitionsFor: async (topic) => Array.from({ length: this.partitionCount(topic) }, (_, i) => i),
    };
  }

  consumer(config: ConsumerConfig): ConsumerBackend {
    this.authenticate(pythonClientSecurity(config));
    return new MemoryConsumer(this, config, `member-${++this.memberIds}`);
  }

  /** @internal */
  group(groupId: string): GroupState {
    let g = this.groups.get(groupId);
    if (!g) this.groups.set(groupId, (g = { committed: new Map(), members: new Map(), generation: 0 }));
    return g;
  }

  // ------------------------------------------------------------------ DStream direct input

  /**
   * A direct input over `topics`: the batch at time t gets the records appended at or before t that
   * no earlier batch got. `auto.offset.reset`: `latest` (default) or `earliest`/`smallest`.
   */
  createDirectInput(topics: string[], kafkaParams: Record<string, string>): DirectInput<[string | null, string]> {
    if (this.options.security || kafkaParams['security.protocol'] !== undefined) throw kafka08WithoutSasl();
    const reset = (kafkaParams['auto.offset.reset'] ?? 'latest').toLowerCase();
    const fromStart = reset === 'earliest' || reset === 'smallest';
    const positions = new Map<string, number>();
    const partitions = () => topics.flatMap((topic) => {
      this.createTopic(topic);
      return this.log(topic).map((log, partition) => ({ topic, partition, log }));
    });
    return {
      name: `kafka[${topics.join(',')}]`,
      start: async (restored) => {
        const saved = (restored ?? {}) as Record<string, number>;
        for (const { topic, partition, log } of partitions()) positions.set(tpKey(topic, partition), saved[tpKey(topic, partition)] ?? (fromStart ? 0 : log.length));
      },
      fetch: async (batchTimeMs) => partitions().map(({ topic, partition, log }) => {
        const id = tpKey(topic, partition);
        const from = positions.get(id) ?? (fromStart ? 0 : log.length);
        let until = from;
        while (until < log.length && log[until]!.appendMs <= batchTimeMs) until++;
        positions.set(id, until);
        return log.slice(from, until).map((r) => [r.key === null ? null : decoder.decode(r.key), r.value === null ? '' : decoder.decode(r.value)] as [string | null, string]);
      }),
      positions: () => Object.fromEntries(positions),
      stop: async () => undefined,
    };
  }
}

/** KafkaUtils is the Kafka 0.8 integration, whose consumer has no security settings at all. */
export function kafka08WithoutSasl(): KafkaSecurityError {
  return new KafkaSecurityError(
    'IllegalArgumentException',
    'KafkaUtils.createDirectStream (spark-streaming-kafka-0-8) reads with Kafka 0.8\'s consumer, which cannot authenticate: a Kafka that requires SASL is read with Structured Streaming (spark.readStream.format("kafka") with kafka.security.protocol, kafka.sasl.mechanism and kafka.sasl.jaas.config).',
  );
}

/** A consumer of the in-memory cluster. */
class MemoryConsumer implements ConsumerBackend {
  private topics: string[] = [];
  private readonly positions = new Map<string, number>();
  private assigned: string[] = [];
  private generation = -1;
  private closed = false;
  private readonly groupId: string | null;
  private readonly reset: 'earliest' | 'latest';
  /** `enable.auto.commit`: only then does a rebalance commit what was consumed. */
  private readonly autoCommit: boolean;

  constructor(private readonly cluster: InMemoryKafkaCluster, config: ConsumerConfig, readonly memberId: string) {
    this.groupId = config.group_id ?? null;
    this.reset = config.auto_offset_reset === 'earliest' ? 'earliest' : 'latest';
    this.autoCommit = config.enable_auto_commit !== false;
  }

  subscribe(topics: readonly string[]): void {
    this.topics = [...topics];
    for (const t of topics) this.cluster.createTopic(t);
    if (this.groupId !== null) {
      const g = this.cluster.group(this.groupId);
      g.members.set(this.memberId, this);
      g.generation++;
    }
  }

  /** Recomputes the assignment when the group changed since the last poll. */
  private async rebalance(autocommit: boolean): Promise<void> {
    if (this.groupId === null) {
      if (this.generation === 0) return;
      this.generation = 0;
      this.assign(this.topics.flatMap((t) => Array.from({ length: this.cluster.partitionCount(t) }, (_, p) => tpKey(t, p))));
      return;
    }
    const g = this.cluster.group(this.groupId);
    if (g.generation === this.generation) return;
    if (autocommit) await this.commit();
    this.generation = g.generation;
    const members = [...g.members.keys()].sort();
    const mine: string[] = [];
    for (const topic of this.topics) {
      const subscribers = members.filter((m) => g.members.get(m)!.topics.includes(topic));
      const n = this.cluster.partitionCount(topic);
      const idx = subscribers.indexOf(this.memberId);
      // Range assignor: the first (n % members) members get one extra partition.
      const per = Math.floor(n / subscribers.length);
      const extra = n % subscribers.length;
      const start = idx * per + Math.min(idx, extra);
      const count = per + (idx < extra ? 1 : 0);
      for (let p = start; p < start + count; p++) mine.push(tpKey(topic, p));
    }
    this.assign(mine);
  }

  private assign(tps: string[]): void {
    this.assigned = tps;
    for (const key of [...this.positions.keys()]) if (!tps.includes(key)) this.positions.delete(key);
    for (const tp of tps) {
      if (this.positions.has(tp)) continue;
      const [topic, partition] = splitTp(tp);
      const committed = this.groupId === null ? null : this.cluster.committed(this.groupId, topic, partition);
      this.positions.set(tp, committed ?? (this.reset === 'earliest' ? 0 : this.cluster.endOffsets(topic)[partition] ?? 0));
    }
  }

  private available(maxRecords: number): RawRecord[] {
    const out: RawRecord[] = [];
    for (const tp of this.assigned) {
      if (out.length >= maxRecords) break;
      const [topic, partition] = splitTp(tp);
      const from = this.positions.get(tp) ?? 0;
      const recs = this.cluster.read(topic, partition, from, from + (maxRecords - out.length));
      this.positions.set(tp, from + recs.length);
      for (const r of recs) out.push({ topic: r.topic, partition: r.partition, offset: r.offset, timestamp: r.timestamp, key: r.key, value: r.value, headers: r.headers });
    }
    return out;
  }

  async poll(timeoutMs: number, maxRecords: number): Promise<RawRecord[]> {
    if (this.closed) throw new Error('KafkaConsumer is closed');
    await this.rebalance(this.autoCommit);
    let recs = this.available(maxRecords);
    if (recs.length > 0 || timeoutMs <= 0) return recs;
    // Waits for the timeout (elapsed time on the cluster's clock) or the next append, whichever is first.
    const appended = new AbortController();
    const off = this.cluster.onAppend(() => appended.abort());
    await this.cluster.clock.sleep(timeoutMs, appended.signal).catch(() => undefined);
    off();
    // Closed while waiting: it has left the group, so it neither commits nor reads any more.
    if (this.closed) return [];
    await this.rebalance(this.autoCommit);
    recs = this.available(maxRecords);
    return recs;
  }

  async commit(offsets?: Readonly<Record<string, number>>): Promise<void> {
    if (this.groupId === null) return;
    const g = this.cluster.group(this.groupId);
    const entries = offsets ? Object.entries(offsets) : [...this.positions.entries()];
    for (const [tp, off] of entries) g.committed.set(tp, off);
  }

  async committed(topic: string, partition: number): Promise<number | null> {
    return this.groupId === null ? null : this.cluster.committed(this.groupId, topic, partition);
  }

  assignment(): string[] {
    return [...this.assigned];
  }

  seek(topic: string, partition: number, offset: number): void {
    const tp = tpKey(topic, partition);
    if (!this.assigned.includes(tp)) throw new Error(`No current assignment for partition ${tp}`);
    this.positions.set(tp, offset);
  }

  async close(autocommit: boolean): Promise<void> {
    if (this.closed) return;
    if (autocommit) await this.commit();
    this.closed = true;
    if (this.groupId !== null) {
      const g = this.cluster.group(this.groupId);
      g.members.delete(this.memberId);
      g.generation++;
    }
  }
}

function splitTp(tp: string): [string, number] {
  const i = tp.lastIndexOf(':');
  return [tp.slice(0, i), Number(tp.slice(i + 1))];
}
