/**
 * `spark.read.format("kafka")`: Spark's KafkaRelation as a pure static source over a synchronous
 * reader. `load()` does, in order:
 *
 *   options   parseKafkaBatchOptions (Spark's validateBatchOptions messages)
 *   assigned  the subscription's partitions, with their earliest and latest offsets
 *   ranges    startingOffsets / endingOffsets resolved per partition (earliest = -2, latest = -1);
 *             specific offsets must name exactly the assigned partitions; a range whose start is
 *             after its end fails; offsets Kafka no longer (or not yet) has are data loss:
 *             failOnDataLoss=true fails the read, false warns and reads what is there
 *   rows      every record of every range, partition by partition in offset order, built by the
 *             streaming source's own row builder
 */
import { AnalysisException, StreamlabError } from '../errors.js';
import type { BatchSourceProvider } from '../formats.js';
import type { Row } from '../expressions/compile.js';
import type { StructType } from '../types.js';
import { reportDataLoss, type DataLossWarn } from './data-loss.js';
import { parseKafkaBatchOptions, type KafkaBatchOptions, type KafkaSubscription } from './kafka-options.js';
import { kafkaRow } from './kafka-rows.js';
import { KAFKA_SCHEMA, KAFKA_SCHEMA_WITH_HEADERS } from './kafka-schema.js';
import type { KafkaOffsetRange, KafkaSyncPartitionReader, PartitionInfo } from './partition-reader.js';

/** A Scala `assert` failing inside Spark's Kafka reader (java.lang.AssertionError). */
export class KafkaAssertionError extends StreamlabError {
  constructor(message: string) {
    super(`assertion failed: ${message}`, { code: 'KAFKA_INVALID_OFFSETS' });
    this.name = 'AssertionError';
  }
}

/** The partitions a subscription reads (assign keeps only the listed partitions that exist). */
export function assignedPartitions(subscription: KafkaSubscription, list: (query: { topics?: readonly string[]; pattern?: string }) => PartitionInfo[]): PartitionInfo[] {
  if (subscription.kind === 'subscribe') return list({ topics: subscription.topics });
  if (subscription.kind === 'subscribePattern') return list({ pattern: subscription.pattern });
  const wanted = subscription.partitions;
  return list({ topics: Object.keys(wanted) }).filter((p) => wanted[p.topic]?.includes(p.partition));
}

const key = (topic: string, partition: number | string): string => `${topic}-${partition}`;

/** Scala's `Set(a, b)` rendering, sorted so the message is stable. */
function scalaSet(keys: Iterable<string>): string {
  return `Set(${[...keys].sort().join(', ')})`;
}

/** Per-partition offsets of a start or end limit; -2 / -1 stay unresolved here. */
function limitOffsets(limit: KafkaBatchOptions['startingOffsets'], assigned: readonly PartitionInfo[]): Map<string, number> {
  const out = new Map<string, number>();
  if (limit === 'earliest' || limit === 'latest') {
    for (const p of assigned) out.set(key(p.topic, p.partition), limit === 'earliest' ? -2 : -1);
    return out;
  }
  const specified = new Map<string, number>();
  for (const [t, parts] of Object.entries(limit)) for (const [p, off] of Object.entries(parts)) specified.set(key(t, Number(p)), off);
  const assignedKeys = new Set(assigned.map((p) => key(p.topic, p.partition)));
  const same = specified.size === assignedKeys.size && [...specified.keys()].every((k) => assignedKeys.has(k));
  if (!same) {
    // Spark (KafkaOffsetReader.fetchPartitionOffsets) asserts this for both ends, with one message.
    throw new KafkaAssertionError(
      `If startingOffsets contains specific offsets, you must specify all TopicPartitions.\nUse -1 for latest, -2 for earliest.\nSpecified: ${scalaSet(specified.keys())} Assigned: ${scalaSet(assignedKeys)}`,
    );
  }
  return specified;
}

/**
 * Resolves the read's offset ranges against the partitions as they are now (Spark's
 * getOffsetRangesFromUnresolvedOffsets, then the executor's late binding of -2 / -1).
 * Ranges come back sorted by topic, then partition.
 */
export function resolveKafkaBatchRanges(options: KafkaBatchOptions, assigned: readonly PartitionInfo[], warn: DataLossWarn = () => {}): KafkaOffsetRange[] {
  const from = limitOffsets(options.startingOffsets, assigned);
  const until = limitOffsets(options.endingOffsets, assigned);
  const sorted = [...assigned].sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
  const ranges: KafkaOffsetRange[] = [];
  for (const p of sorted) {
    const k = key(p.topic, p.partition);
    const rawFrom = from.get(k)!;
    const rawUntil = until.get(k)!;
    let start = rawFrom === -2 ? p.earliest : rawFrom === -1 ? p.latest : rawFrom;
    let end = rawUntil === -1 ? p.latest : rawUntil === -2 ? p.earliest : rawUntil;
    if (start > end) {
      throw new KafkaAssertionError(`Beginning offset ${start} is after the ending offset ${end} for topic ${p.topic} partition ${p.partition}. You either provided an invalid fromOffset, or the Kafka topic has been damaged`);
    }
    if (start < p.earliest) {
      reportDataLoss(options.failOnDataLoss, warn, `Cannot fetch offset ${start} (TopicPartition: ${k}); the earliest available offset is ${p.earliest}`, p.topic, p.partition);
      start = Math.min(p.earliest, end);
    }
    if (end > p.latest) {
      reportDataLoss(options.failOnDataLoss, warn, `Cannot fetch records in [${Math.max(start, p.latest)}, ${end}) of ${k}: the partition ends at ${p.latest}`, p.topic, p.partition);
      end = Math.max(start, p.latest);
    }
    ranges.push({ topic: p.topic, partition: p.partition, from: start, until: end });
  }
  return ranges;
}

/**
 * The schema of a static Kafka read after Spark's checks: the options are validated, and a
 * user-specified schema must be the fixed one (V1 `DataSource.resolveRelation`).
 */
export function kafkaBatchSchema(options: Readonly<Record<string, string>>, userSchema: StructType | undefined): { parsed: KafkaBatchOptions; schema: StructType } {
  const parsed = parseKafkaBatchOptions(options);
  const schema = parsed.includeHeaders ? KAFKA_SCHEMA_WITH_HEADERS : KAFKA_SCHEMA;
  if (userSchema && userSchema.simpleString() !== schema.simpleString()) {
    throw new AnalysisException(
      `The user-specified schema doesn't match the actual schema:\nuser-specified: ${userSchema.toDDL()}, actual: ${schema.toDDL()}. If you're using\nDataFrameReader.schema API or creating a table, please do not\nspecify the schema. Or if you're scanning an existed table, please\ndrop it and re-create it.`,
      { code: 'USER_SPECIFIED_SCHEMA_MISMATCH' },
    );
  }
  return { parsed, schema };
}

/** Options of {@link kafkaBatchSourceProvider}. */
export interface KafkaBatchHooks {
  /** Where Spark's warnings go (ignored options, data loss with failOnDataLoss=false). */
  warn?: (message: string) => void;
}

/** A `spark.read.format("kafka")` provider reading through the reader `reader(options)` returns. */
export function kafkaBatchSourceProvider(reader: (options: KafkaBatchOptions) => KafkaSyncPartitionReader, hooks: KafkaBatchHooks = {}): BatchSourceProvider {
  const warn = hooks.warn ?? (() => {});
  return {
    read(options, userSchema) {
      const { parsed, schema } = kafkaBatchSchema(options, userSchema);
      for (const w of parsed.warnings) warn(w);
      const r = reader(parsed);
      try {
        const assigned = assignedPartitions(parsed.subscription, (q) => r.listPartitionsSync(q));
        const ranges = resolveKafkaBatchRanges(parsed, assigned, warn).filter((x) => x.until > x.from);
        const rows: Row[] = [];
        const records = ranges.length === 0 ? [] : r.readRangesSync(ranges);
        for (const list of records) for (const rec of list) rows.push(kafkaRow(rec, parsed.includeHeaders));
        return { schema, rows };
      } finally {
        r.close?.();
      }
    },
  };
}
