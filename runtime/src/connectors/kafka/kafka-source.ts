/**
 * `spark.readStream.format("kafka")`: the engine's Source over the kafkajs partition reader.
 *
 *   initialOffset()          startingOffsets (default latest) over the partitions that exist now
 *   latestOffset(start, L)   partitions now (subscribe / subscribePattern / assign); new ones start at
 *                            earliest; ends = latest, prorated by maxOffsetsPerTrigger; with
 *                            minOffsetsPerTrigger a trigger with fewer rows is skipped until
 *                            maxTriggerDelay has passed since the last batch
 *   getBatch(start, end)     the records of [start, end) per partition as rows of Spark's schema
 *
 * Offsets are Spark's JSON (`{"t":{"0":8}}`) and live in the query's checkpoint; nothing is
 * committed to Kafka.
 */
import { ArrayType, BINARY, INT, LONG, STRING, StructField, StructType, TIMESTAMP } from '../../engine/types.js';
import type { Row } from '../../engine/compile.js';
import type { Offset, ReadLimit, Source, SourceContext, SourceProvider } from '../../engine/sources/source.js';
import { AnalysisException, IllegalArgumentException } from '../../engine/errors.js';
import { parseInterval } from '../../engine/time.js';
import { KafkajsPartitionReader } from './partition-reader.js';
import { resolveKafkaConnection, type KafkaConnection } from './kafka-connection.js';
import { initialOffsets, parseStartingOffsets, rateLimit, rowsBetween, sortOffsets, type PartitionOffsetMap } from './kafka-offsets.js';
import { reportDataLoss } from './data-loss.js';
import type { KafkaRecord, OffsetRange, PartitionOffsets } from './kafka-record.js';

const HEADERS_TYPE = new ArrayType(new StructType([new StructField('key', STRING, false), new StructField('value', BINARY, true)]), false);

/** Spark's fixed Kafka source schema. */
export function kafkaSourceSchema(includeHeaders: boolean): StructType {
  const fields = [
    new StructField('key', BINARY, true),
    new StructField('value', BINARY, true),
    new StructField('topic', STRING, true),
    new StructField('partition', INT, true),
    new StructField('offset', LONG, true),
    new StructField('timestamp', TIMESTAMP, true),
    new StructField('timestampType', INT, true),
  ];
  if (includeHeaders) fields.push(new StructField('headers', HEADERS_TYPE, true));
  return new StructType(fields);
}

/** Kafka consumer settings Spark rejects, with its reasons. */
const FORBIDDEN: Record<string, string> = {
  'auto.offset.reset':
    "Kafka option 'auto.offset.reset' is not supported. Instead set the source option 'startingoffsets' to 'earliest' or 'latest' to specify where to start. Structured Streaming manages which offsets are consumed internally, rather than relying on the kafkaConsumer to do it. This will ensure that no data is missed when new topics/partitions are dynamically subscribed. Note that 'startingoffsets' only applies when a new Streaming query is started, and that resuming will always pick up from where the query left off. See the docs for more details.",
  'key.deserializer': "Kafka option 'key.deserializer' is not supported as keys are deserialized as byte arrays with ByteArrayDeserializer. Use DataFrame operations to explicitly deserialize the keys.",
  'value.deserializer': "Kafka option 'value.deserializer' is not supported as values are deserialized as byte arrays with ByteArrayDeserializer. Use DataFrame operations to explicitly deserialize the values.",
  'enable.auto.commit': "Kafka option 'enable.auto.commit' is not supported as offsets are managed internally by Structured Streaming, not committed to Kafka.",
  'interceptor.classes': "Kafka option 'interceptor.classes' is not supported as returning null from interceptors is not supported.",
};

/** The parsed, validated source options. */
export interface KafkaSourceOptions {
  subscribe?: string[];
  subscribePattern?: RegExp;
  assign?: Record<string, number[]>;
  startingOffsets: string | undefined;
  maxOffsetsPerTrigger?: number;
  minOffsetsPerTrigger?: number;
  maxTriggerDelayMs: number;
  failOnDataLoss: boolean;
  includeHeaders: boolean;
}

function get(options: Readonly<Record<string, string>>, key: string): string | undefined {
  const k = key.toLowerCase();
  for (const [name, value] of Object.entries(options)) if (name.toLowerCase() === k) return value;
  return undefined;
}

/** Validates options as KafkaSourceProvider does; `bootstrapRequired` is false when the runtime supplies Kafka. */
export function parseKafkaSourceOptions(options: Readonly<Record<string, string>>, bootstrapRequired: boolean): KafkaSourceOptions {
  for (const name of Object.keys(options)) {
    const lower = name.toLowerCase();
    if (!lower.startsWith('kafka.')) continue;
    const reason = FORBIDDEN[lower.slice('kafka.'.length)];
    if (reason) throw new IllegalArgumentException(reason, { code: 'KAFKA_OPTION' });
  }
  if (bootstrapRequired && !get(options, 'kafka.bootstrap.servers')) {
    throw new IllegalArgumentException("Option 'kafka.bootstrap.servers' must be specified for configuring Kafka consumer", { code: 'KAFKA_OPTION' });
  }
  const strategies = ['subscribe', 'subscribePattern', 'assign'].filter((k) => get(options, k) !== undefined);
  if (strategies.length === 0) {
    throw new IllegalArgumentException('One of the following options must be specified for Kafka source: subscribe, subscribepattern, assign. See the docs for more details.', { code: 'KAFKA_OPTION' });
  }
  if (strategies.length > 1) {
    throw new IllegalArgumentException('Only one of the following options can be specified for Kafka source: subscribe, subscribepattern, assign. See the docs for more details.', { code: 'KAFKA_OPTION' });
  }
  const out: KafkaSourceOptions = {
    startingOffsets: get(options, 'startingOffsets'),
    maxTriggerDelayMs: 15 * 60_000,
    failOnDataLoss: (get(options, 'failOnDataLoss') ?? 'true').toLowerCase() !== 'false',
    includeHeaders: (get(options, 'includeHeaders') ?? 'false').toLowerCase() === 'true',
  };
  const subscribe = get(options, 'subscribe');
  if (subscribe !== undefined) {
    const topics = subscribe.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
    if (topics.length === 0) throw new IllegalArgumentException(`No topics to subscribe to as specified value for option 'subscribe' is '${subscribe}'`, { code: 'KAFKA_OPTION' });
    out.subscribe = topics;
  }
  const pattern = get(options, 'subscribePattern');
  if (pattern !== undefined) {
    if (pattern.trim() === '') throw new IllegalArgumentException("Pattern to subscribe is empty as specified value for option 'subscribePattern' is ''", { code: 'KAFKA_OPTION' });
    out.subscribePattern = new RegExp(`^(?:${pattern})$`);
  }
  const assign = get(options, 'assign');
  if (assign !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(assign);
    } catch {
      parsed = undefined;
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || !Object.values(parsed).every((v) => Array.isArray(v) && v.every((n) => Number.isInteger(n)))) {
      throw new IllegalArgumentException(`Expected e.g. {"topicA":[0,1],"topicB":[0,1]}, got ${assign}`, { code: 'KAFKA_OPTION' });
    }
    out.assign = parsed as Record<string, number[]>;
  }
  const positive = (key: string): number | undefined => {
    const raw = get(options, key);
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n <= 0) throw new IllegalArgumentException(`Invalid value '${raw}' for option '${key}', must be a positive integer`, { code: 'KAFKA_OPTION' });
    return n;
  };
  out.maxOffsetsPerTrigger = positive('maxOffsetsPerTrigger');
  out.minOffsetsPerTrigger = positive('minOffsetsPerTrigger');
  const delay = get(options, 'maxTriggerDelay');
  if (delay !== undefined) out.maxTriggerDelayMs = Math.round(parseInterval(delay).micros / 1000);
  if (get(options, 'endingOffsets') !== undefined) {
    throw new IllegalArgumentException('ending offset not valid in streaming queries', { code: 'KAFKA_OPTION' });
  }
  return out;
}

/** A running Kafka source. */
export class KafkaMicroBatchSource implements Source {
  readonly schema: StructType;
  private readonly reader: KafkajsPartitionReader;
  private lastBatchMs: number;

  constructor(
    private readonly ctx: SourceContext,
    private readonly opts: KafkaSourceOptions,
    connection: KafkaConnection,
  ) {
    this.schema = kafkaSourceSchema(opts.includeHeaders);
    this.reader = new KafkajsPartitionReader(connection, {
      failOnDataLoss: opts.failOnDataLoss,
      warn: (m) => console.warn(`[kafka source] ${m}`),
    });
    this.lastBatchMs = ctx.clock.now();
  }

  async initialOffset(): Promise<Offset> {
    const start = parseStartingOffsets(this.opts.startingOffsets, 'latest');
    return sortOffsets(initialOffsets(start, await this.partitions()));
  }

  defaultReadLimit(): ReadLimit {
    const { maxOffsetsPerTrigger: max, minOffsetsPerTrigger: min } = this.opts;
    if (min !== undefined) return { kind: 'minRows', minRows: min, maxTriggerDelayMs: this.opts.maxTriggerDelayMs, ...(max !== undefined ? { maxRows: max } : {}) };
    if (max !== undefined) return { kind: 'maxRows', maxRows: max };
    return { kind: 'allAvailable' };
  }

  async latestOffset(start: Offset, limit: ReadLimit): Promise<Offset> {
    const from = this.withNewPartitions(start as PartitionOffsetMap, await this.partitions());
    const latest: PartitionOffsetMap = {};
    for (const p of from.partitions) (latest[p.topic] ??= {})[String(p.partition)] = p.latest;
    const maxRows = limit.kind === 'maxRows' ? limit.maxRows : limit.kind === 'minRows' ? limit.maxRows : undefined;
    if (limit.kind === 'minRows') {
      const available = rowsBetween(from.start, latest);
      if (available < limit.minRows && this.ctx.clock.now() - this.lastBatchMs < limit.maxTriggerDelayMs) return start;
    }
    const end = rateLimit(from.start, latest, maxRows);
    if (rowsBetween(from.start, end) > 0) this.lastBatchMs = this.ctx.clock.now();
    return end;
  }

  async getBatch(start: Offset, end: Offset): Promise<Row[]> {
    const s = (start ?? {}) as PartitionOffsetMap;
    const e = end as PartitionOffsetMap;
    const ranges: OffsetRange[] = [];
    let earliest: PartitionOffsets[] | undefined;
    for (const [topic, parts] of Object.entries(e)) {
      for (const [partition, until] of Object.entries(parts)) {
        let from = s[topic]?.[partition];
        if (from === undefined) {
          // A partition that appeared after the start offsets were taken: read from its beginning.
          earliest ??= await this.reader.partitionOffsets(Object.keys(e));
          from = earliest.find((p) => p.topic === topic && String(p.partition) === partition)?.earliest ?? 0;
        }
        if (until < from) {
          reportDataLoss(this.opts.failOnDataLoss, (m) => console.warn(`[kafka source] ${m}`), `Partition ${topic}-${partition}'s offset was changed from ${from} to ${until}`, topic, Number(partition));
          continue;
        }
        if (until > from) ranges.push({ topic, partition: Number(partition), from, until });
      }
    }
    const read = await this.reader.readRanges(ranges);
    const rows: Row[] = [];
    for (const part of read) for (const r of part) rows.push(this.toRow(r));
    return rows;
  }

  async commit(): Promise<void> {}

  async stop(): Promise<void> {
    await this.reader.close();
  }

  private toRow(r: KafkaRecord): Row {
    const row: Row = [r.key, r.value, r.topic, r.partition, r.offset, r.timestamp * 1000, r.timestampType];
    if (this.opts.includeHeaders) row.push(r.headers.map((h) => [h.key, h.value]));
    return row;
  }

  /** Partitions the subscription covers now. */
  private async partitions(): Promise<PartitionOffsets[]> {
    if (this.opts.subscribe) return this.reader.partitionOffsets(this.opts.subscribe);
    if (this.opts.subscribePattern) {
      const re = this.opts.subscribePattern;
      return this.reader.partitionOffsets((await this.reader.listTopics()).filter((t) => re.test(t)));
    }
    const assign = this.opts.assign ?? {};
    const all = await this.reader.partitionOffsets(Object.keys(assign));
    return all.filter((p) => assign[p.topic]?.includes(p.partition));
  }

  /** The start offsets with partitions that appeared since added at their earliest offset. */
  private withNewPartitions(start: PartitionOffsetMap, partitions: PartitionOffsets[]): { start: PartitionOffsetMap; partitions: PartitionOffsets[] } {
    const out: PartitionOffsetMap = structuredClone(start ?? {});
    for (const p of partitions) {
      const byTopic = (out[p.topic] ??= {});
      if (byTopic[String(p.partition)] === undefined) byTopic[String(p.partition)] = p.earliest;
    }
    for (const [topic, parts] of Object.entries(start ?? {})) {
      for (const partition of Object.keys(parts)) {
        if (!partitions.some((p) => p.topic === topic && String(p.partition) === partition)) {
          reportDataLoss(this.opts.failOnDataLoss, (m) => console.warn(`[kafka source] ${m}`), `Partition ${topic}-${partition} was deleted`, topic, Number(partition));
        }
      }
    }
    return { start: out, partitions };
  }
}

/** The provider registered for `format("kafka")`; the runtime's connection wins over learner options. */
export function kafkaSourceProvider(runtime: KafkaConnection | undefined): SourceProvider {
  return {
    sourceSchema(options, userSchema) {
      if (userSchema) throw new AnalysisException('Kafka source has a fixed schema and cannot be set with a custom one', { code: 'KAFKA_OPTION' });
      return kafkaSourceSchema(parseKafkaSourceOptions(options, runtime === undefined).includeHeaders);
    },
    createSource(ctx) {
      const opts = parseKafkaSourceOptions(ctx.options, runtime === undefined);
      return new KafkaMicroBatchSource(ctx, opts, resolveKafkaConnection(runtime, ctx.options));
    },
  };
}
