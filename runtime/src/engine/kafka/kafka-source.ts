/**
 * The Kafka source's rules as a pure Source over a `KafkaPartitionReader`: offsets are
 * `{"topic": {"partition": nextOffset}}`; a batch covers `[previous end, new end)` per partition;
 * `maxOffsetsPerTrigger` is prorated across partitions by backlog (see `offset-ranges.ts`);
 * `minOffsetsPerTrigger` skips triggers with too little data until `maxTriggerDelay` has passed;
 * partitions that appear later start at their earliest offset.
 */
import type { Row } from '../expressions/compile.js';
import { IllegalArgumentException } from '../errors.js';
import { reportDataLoss } from './data-loss.js';
import type { Offset, ReadLimit, Source, SourceContext, SourceProvider } from '../sources/source.js';
import type { StructType } from '../types.js';
import { parseKafkaSourceOptions, type KafkaSourceOptions } from './kafka-options.js';
import { KAFKA_SCHEMA, KAFKA_SCHEMA_WITH_HEADERS } from './kafka-schema.js';
import { kafkaRow } from './kafka-rows.js';
import { flatten, rateLimit, recordCount, unflatten, type PartitionOffsets } from './offset-ranges.js';
import type { KafkaPartitionReader, PartitionInfo } from './partition-reader.js';

/** How many times the latest offsets are listed when they are behind the query's (Spark's fetchOffset.numRetries). */
const FETCH_OFFSET_ATTEMPTS = 3;

/** A micro-batch Kafka source. */
export class KafkaSource implements Source {
  readonly schema: StructType;
  private lastBatchMs: number;

  /** Where `failOnDataLoss=false` data-loss warnings go: the query's log, as Spark's logWarning. */
  private readonly warn = (message: string): void => (this.ctx.log ?? console.warn)(message);

  /** Subscribed topics that did not exist when last listed (said once, and again when they appear). */
  private readonly missing = new Set<string>();

  constructor(private readonly reader: KafkaPartitionReader, readonly options: KafkaSourceOptions, private readonly ctx: Pick<SourceContext, 'clock' | 'log'>) {
    this.schema = options.includeHeaders ? KAFKA_SCHEMA_WITH_HEADERS : KAFKA_SCHEMA;
    this.lastBatchMs = ctx.clock.now();
  }

  private async partitions(): Promise<PartitionInfo[]> {
    const s = this.options.subscription;
    if (s.kind === 'subscribe') {
      const parts = await this.reader.listPartitions({ topics: s.topics });
      this.sayMissing(s.topics, parts);
      return parts;
    }
    if (s.kind === 'subscribePattern') return this.reader.listPartitions({ pattern: s.pattern });
    const all = await this.reader.listPartitions({ topics: Object.keys(s.partitions) });
    return all.filter((p) => s.partitions[p.topic]?.includes(p.partition));
  }

  /** A query on a topic that does not exist waits for it, and says so instead of waiting silently. */
  private sayMissing(topics: readonly string[], parts: readonly PartitionInfo[]): void {
    for (const topic of topics) {
      const exists = parts.some((p) => p.topic === topic);
      if (!exists && !this.missing.has(topic)) {
        this.missing.add(topic);
        this.ctx.log?.(`Waiting for topic "${topic}": it does not exist yet. Create it in the Topics panel or produce to it, and this query starts reading it.`);
      } else if (exists && this.missing.delete(topic)) {
        this.ctx.log?.(`Topic "${topic}" exists now: reading it.`);
      }
    }
  }

  async initialOffset(): Promise<Offset> {
    const parts = await this.partitions();
    const so = this.options.startingOffsets;
    const m = new Map<string, number>();
    for (const p of parts) {
      let off: number;
      if (so === 'earliest') off = p.earliest;
      else if (so === 'latest') off = p.latest;
      else {
        const v = so[p.topic]?.[String(p.partition)];
        if (v === undefined) throw new IllegalArgumentException(`Cannot resolve the starting offset of ${p.topic}-${p.partition}: it is missing from startingOffsets`, { code: 'KAFKA_INVALID_OPTION' });
        off = v === -2 ? p.earliest : v === -1 ? p.latest : v;
      }
      m.set(`${p.topic}\u0000${p.partition}`, off);
    }
    return unflatten(m) as unknown as Offset;
  }

  defaultReadLimit(): ReadLimit {
    const { maxOffsetsPerTrigger: max, minOffsetsPerTrigger: min } = this.options;
    if (min !== undefined) return { kind: 'minRows', minRows: min, maxTriggerDelayMs: this.options.maxTriggerDelayMs, ...(max !== undefined ? { maxRows: max } : {}) };
    if (max !== undefined) return { kind: 'maxRows', maxRows: max };
    return { kind: 'allAvailable' };
  }

  async latestOffset(start: Offset, limit: ReadLimit): Promise<Offset> {
    const from = flatten(start as unknown as PartitionOffsets);
    const behind = (ps: PartitionInfo[]) => ps.some((p) => p.latest < (from.get(`${p.topic}\u0000${p.partition}`) ?? 0));
    let parts = await this.partitions();
    // As Spark's fetchLatestOffsets, a partition that seems to end before the query's offset is asked
    // about again (KAFKA-7703: a broker can answer with a stale offset) before it counts as moved back.
    for (let attempt = 1; attempt < FETCH_OFFSET_ATTEMPTS && behind(parts); attempt++) parts = await this.partitions();
    const until = new Map<string, number>();
    let movedBack = false;
    for (const p of parts) {
      const k = `${p.topic}\u0000${p.partition}`;
      const begin = from.get(k);
      if (begin === undefined) from.set(k, p.earliest);
      else if (p.latest < begin) {
        // The partition now ends before where this query stopped: the topic was deleted and made again,
        // or emptied. Spark reports it as data loss (failing by default) instead of waiting for offsets
        // the partition may never reach again; when it only warns, reading goes on from the new end.
        reportDataLoss(this.options.failOnDataLoss, this.warn, `Partition ${p.topic}-${p.partition}'s offset was changed from ${begin} to ${p.latest}, some data may have been missed`, p.topic, p.partition);
        from.set(k, p.latest);
        movedBack = true;
      }
      until.set(k, p.latest);
    }
    for (const [k, v] of from) if (!until.has(k)) until.set(k, v);
    let end = until;
    if (limit.kind === 'minRows') {
      const available = recordCount(from, until);
      if (available < limit.minRows && this.ctx.clock.now() - this.lastBatchMs < limit.maxTriggerDelayMs) return start;
      if (limit.maxRows !== undefined) end = rateLimit(from, until, limit.maxRows);
    } else if (limit.kind === 'maxRows') {
      end = rateLimit(from, until, limit.maxRows);
    }
    // Only report an advance when some partition moved (new partitions alone do not make a batch); a
    // partition that moved back makes one, so the next batch starts at its new end.
    if (recordCount(from, end) === 0 && !movedBack && JSON.stringify(unflatten(from)) !== JSON.stringify(start)) {
      return start;
    }
    return unflatten(end) as unknown as Offset;
  }

  async getBatch(start: Offset, end: Offset): Promise<Row[]> {
    const from = flatten(start as unknown as PartitionOffsets);
    const until = flatten(end as unknown as PartitionOffsets);
    // Partitions are read together (or concurrently) and appended in partition order, so a batch's
    // rows are the same whichever fetch answers first.
    const ranges: { topic: string; partition: number; from: number; until: number }[] = [];
    for (const [k, stop] of until) {
      const [topic, p] = k.split('\u0000');
      const begin = from.get(k) ?? 0;
      if (stop <= begin) continue;
      ranges.push({ topic, partition: Number(p), from: begin, until: stop });
    }
    const reader = this.reader;
    const parts = ranges.length === 0 ? [] : reader.readRanges
      ? await reader.readRanges(ranges)
      : await Promise.all(ranges.map((r) => reader.read(r.topic, r.partition, r.from, r.until)));
    let total = 0;
    for (const records of parts) total += records.length;
    const rows: Row[] = new Array(total);
    let n = 0;
    const headers = this.options.includeHeaders;
    for (const records of parts) {
      for (let i = 0; i < records.length; i++) rows[n++] = kafkaRow(records[i], headers);
    }
    this.lastBatchMs = this.ctx.clock.now();
    return rows;
  }

  async commit(): Promise<void> {}

  async stop(): Promise<void> {}
}

/** A `format("kafka")` source provider reading through `reader`. */
export function kafkaSourceProvider(reader: (options: KafkaSourceOptions) => KafkaPartitionReader, hooks: { onNewData?: (listener: () => void) => () => void } = {}): SourceProvider {
  return {
    sourceSchema(options, userSchema) {
      if (userSchema) throw new IllegalArgumentException('Kafka source has a fixed schema and cannot be set with a custom one', { code: 'KAFKA_INVALID_OPTION' });
      const parsed = parseKafkaSourceOptions(options);
      return parsed.includeHeaders ? KAFKA_SCHEMA_WITH_HEADERS : KAFKA_SCHEMA;
    },
    createSource(ctx) {
      const parsed = parseKafkaSourceOptions(ctx.options);
      const source = new KafkaSource(reader(parsed), parsed, ctx);
      if (hooks.onNewData) (source as Source).onNewData = hooks.onNewData;
      return source;
    },
  };
}
