import type { Clock } from '../clock.js';
import type { DirectInput, DirectInputFactory } from './direct-input.js';

/** One record in an in-memory topic partition. */
export interface MemoryTopicRecord {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  value: string;
  /** When the record arrived (epoch ms on the topics' clock); a batch at time t sees records with arrivalMs ≤ t. */
  arrivalMs: number;
}

/** Options for producing one record. */
export interface MemoryProduceOptions {
  key?: string | null;
  /** Target partition; by default the key's hash, or round robin for records without a key. */
  partition?: number;
  /** Arrival time; by default the topics' clock, or 0 without one. */
  arrivalMs?: number;
}

/**
 * Kafka-like topics held in memory, so DStream lessons and tests run without a broker. Each topic has
 * fixed partitions with dense offsets; `createDirectStream` reads them through `createDirectInput`.
 */
export class MemoryTopics implements DirectInputFactory {
  private readonly topics = new Map<string, MemoryTopicRecord[][]>();
  private roundRobin = 0;

  constructor(private readonly options: { clock?: Clock; defaultPartitions?: number } = {}) {}

  /** Creates `name` with `partitions` partitions (no-op when it exists). */
  createTopic(name: string, partitions = this.options.defaultPartitions ?? 1): void {
    if (!this.topics.has(name)) this.topics.set(name, Array.from({ length: Math.max(1, partitions) }, () => []));
  }

  /** Appends one record, creating the topic on first use as Kafka's auto-create does. */
  produce(topic: string, value: string, options: MemoryProduceOptions = {}): MemoryTopicRecord {
    this.createTopic(topic);
    const parts = this.topics.get(topic) as MemoryTopicRecord[][];
    const key = options.key ?? null;
    const partition = options.partition ?? (key === null ? this.roundRobin++ % parts.length : stringHash(key) % parts.length);
    const log = parts[partition];
    if (!log) throw new RangeError(`Topic ${topic} has no partition ${partition}`);
    const record: MemoryTopicRecord = {
      topic,
      partition,
      offset: log.length,
      key,
      value,
      arrivalMs: options.arrivalMs ?? this.options.clock?.now() ?? 0,
    };
    log.push(record);
    return record;
  }

  /** Every record of a topic, partition by partition. */
  records(topic: string): MemoryTopicRecord[] {
    return (this.topics.get(topic) ?? []).flat();
  }

  /** Next offset of each partition. */
  endOffsets(topic: string): number[] {
    return (this.topics.get(topic) ?? []).map((p) => p.length);
  }

  /** A direct input over `topics`, honouring `auto.offset.reset` (`latest` by default, `earliest`/`smallest`). */
  createDirectInput(topics: string[], kafkaParams: Record<string, string>): DirectInput<[string | null, string]> {
    const reset = (kafkaParams['auto.offset.reset'] ?? 'latest').toLowerCase();
    const fromStart = reset === 'earliest' || reset === 'smallest';
    const positions = new Map<string, number>();
    const partitionsOf = (): { topic: string; partition: number; log: MemoryTopicRecord[] }[] =>
      topics.flatMap((topic) => {
        this.createTopic(topic);
        return (this.topics.get(topic) as MemoryTopicRecord[][]).map((log, partition) => ({ topic, partition, log }));
      });
    return {
      name: `kafka[${topics.join(',')}]`,
      start: async (restored) => {
        const saved = (restored ?? {}) as Record<string, number>;
        for (const { topic, partition, log } of partitionsOf()) {
          const id = `${topic}:${partition}`;
          positions.set(id, saved[id] ?? (fromStart ? 0 : log.length));
        }
      },
      fetch: async (batchTimeMs) =>
        partitionsOf().map(({ topic, partition, log }) => {
          const id = `${topic}:${partition}`;
          const from = positions.get(id) ?? (fromStart ? 0 : log.length);
          let until = from;
          while (until < log.length && (log[until] as MemoryTopicRecord).arrivalMs <= batchTimeMs) until++;
          positions.set(id, until);
          return log.slice(from, until).map((r) => [r.key, r.value] as [string | null, string]);
        }),
      positions: () => Object.fromEntries(positions),
      stop: async () => undefined,
    };
  }
}

function stringHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

let shared: MemoryTopics | undefined;

/** The in-memory topics `KafkaUtils.createDirectStream` uses when the context has no Kafka factory. */
export function defaultMemoryTopics(): MemoryTopics {
  shared ??= new MemoryTopics();
  return shared;
}

/** Starts the shared in-memory topics afresh (for hosts and tests that run programs one after another). */
export function resetDefaultMemoryTopics(): MemoryTopics {
  shared = new MemoryTopics();
  return shared;
}
