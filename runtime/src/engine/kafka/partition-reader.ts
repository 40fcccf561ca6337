/**
 * The small async interface the Kafka source reads through. The engine ships an in-memory
 * implementation (tests, conformance, lessons without a broker); the connector implements it with
 * kafkajs.
 */

/** One Kafka record. */
export interface KafkaRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  /** Epoch milliseconds. */
  readonly timestamp: number;
  /** 0 = CreateTime, 1 = LogAppendTime. */
  readonly timestampType: number;
  readonly headers?: readonly { readonly key: string; readonly value: Uint8Array | null }[];
}

/** A partition with its earliest and latest (next to be written) offsets. */
export interface PartitionInfo {
  readonly topic: string;
  readonly partition: number;
  readonly earliest: number;
  readonly latest: number;
}

/** Reads partitions; every method may do I/O. */
export interface KafkaPartitionReader {
  /** Partitions of the given topics (or of topics matching `pattern`). */
  listPartitions(query: { topics?: readonly string[]; pattern?: string }): Promise<PartitionInfo[]>;
  /** Records with `from <= offset < until` of one partition, in offset order. */
  read(topic: string, partition: number, from: number, until: number): Promise<KafkaRecord[]>;
  /**
   * Optional: several ranges at once, one result per range in the order given, each as `read`
   * returns it. A reader that can fetch partitions together (one request per broker) offers it.
   */
  readRanges?(ranges: readonly { topic: string; partition: number; from: number; until: number }[]): Promise<KafkaRecord[][]>;
}

/** A half-open offset range `[from, until)` of one partition. */
export interface KafkaOffsetRange {
  readonly topic: string;
  readonly partition: number;
  readonly from: number;
  readonly until: number;
}

/**
 * The synchronous reader a static read (`spark.read.format("kafka").load()`) goes through: `load()`
 * returns a DataFrame at once, as in PySpark, so its records must be in hand when it returns.
 */
export interface KafkaSyncPartitionReader {
  /** Partitions of the given topics (or of topics matching `pattern`), with earliest and latest offsets. */
  listPartitionsSync(query: { topics?: readonly string[]; pattern?: string }): PartitionInfo[];
  /** For each range, its records in offset order (one array per range, in the order given). */
  readRangesSync(ranges: readonly KafkaOffsetRange[]): KafkaRecord[][];
  /** Releases connections; called once the read is over, whether it succeeded or not. */
  close?(): void;
}

/** An in-memory set of topics implementing the reader (append with `produce`). */
export class InMemoryKafkaTopics implements KafkaPartitionReader, KafkaSyncPartitionReader {
  private readonly topics = new Map<string, KafkaRecord[][]>();
  private readonly listeners = new Set<() => void>();

  /** Creates a topic with `partitions` empty partitions (no-op if it exists). */
  createTopic(topic: string, partitions = 1): void {
    if (!this.topics.has(topic)) this.topics.set(topic, Array.from({ length: partitions }, () => []));
  }

  /** Deletes a topic with its records (a later `produce` or `createTopic` makes it again, empty). */
  deleteTopic(topic: string): void {
    this.topics.delete(topic);
  }

  /** Appends a record; returns its offset. */
  produce(topic: string, partition: number, value: Uint8Array | string | null, options: { key?: Uint8Array | string | null; timestamp?: number; headers?: { key: string; value: Uint8Array | null }[] } = {}): number {
    this.createTopic(topic, partition + 1);
    const parts = this.topics.get(topic)!;
    while (parts.length <= partition) parts.push([]);
    const log = parts[partition];
    const enc = (x: Uint8Array | string | null | undefined): Uint8Array | null => (x === null || x === undefined ? null : typeof x === 'string' ? new TextEncoder().encode(x) : x);
    const rec: KafkaRecord = { topic, partition, offset: log.length, key: enc(options.key), value: enc(value), timestamp: options.timestamp ?? 0, timestampType: 0, headers: options.headers };
    log.push(rec);
    for (const l of [...this.listeners]) l();
    return rec.offset;
  }

  /** Called after every `produce`. */
  onProduce(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every record of a topic, partition by partition (for asserting on a sink topic). */
  records(topic: string): KafkaRecord[] {
    return (this.topics.get(topic) ?? []).flat();
  }

  async listPartitions(query: { topics?: readonly string[]; pattern?: string }): Promise<PartitionInfo[]> {
    return this.listPartitionsSync(query);
  }

  async read(topic: string, partition: number, from: number, until: number): Promise<KafkaRecord[]> {
    return this.readSync(topic, partition, from, until);
  }

  listPartitionsSync(query: { topics?: readonly string[]; pattern?: string }): PartitionInfo[] {
    const names = query.pattern !== undefined
      ? [...this.topics.keys()].filter((t) => new RegExp(`^(?:${query.pattern})$`).test(t))
      : (query.topics ?? []).filter((t) => this.topics.has(t));
    const out: PartitionInfo[] = [];
    for (const t of names.sort()) this.topics.get(t)!.forEach((log, p) => out.push({ topic: t, partition: p, earliest: 0, latest: log.length }));
    return out;
  }

  readRangesSync(ranges: readonly KafkaOffsetRange[]): KafkaRecord[][] {
    return ranges.map((r) => this.readSync(r.topic, r.partition, r.from, r.until));
  }

  private readSync(topic: string, partition: number, from: number, until: number): KafkaRecord[] {
    return (this.topics.get(topic)?.[partition] ?? []).slice(from, until);
  }
}
