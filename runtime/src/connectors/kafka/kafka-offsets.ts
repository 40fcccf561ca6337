/**
 * Spark's Kafka offset rules as pure functions: the offset JSON (`{"t":{"0":8,"1":1}}`), the
 * `startingOffsets` forms, and the `maxOffsetsPerTrigger` proration (KafkaMicroBatchStream.rateLimit).
 */
import type { PartitionOffsets } from './kafka-record.js';

/** Offsets per topic per partition (partition keys are strings, as in Spark's JSON). */
export type PartitionOffsetMap = Record<string, Record<string, number>>;

/** Parsed `startingOffsets`. */
export type StartingOffsets = { kind: 'earliest' } | { kind: 'latest' } | { kind: 'specific'; offsets: PartitionOffsetMap };

/** Thrown for a bad offsets option. */
export class KafkaOffsetsError extends Error {
  readonly code = 'KAFKA_OPTION';
  constructor(message: string) {
    super(message);
    this.name = 'IllegalArgumentException';
  }
}

/** Parses `startingOffsets` (`earliest`, `latest` or JSON; -2 = earliest, -1 = latest). */
export function parseStartingOffsets(text: string | undefined, dflt: 'earliest' | 'latest'): StartingOffsets {
  const t = (text ?? dflt).trim();
  if (t.toLowerCase() === 'earliest') return { kind: 'earliest' };
  if (t.toLowerCase() === 'latest') return { kind: 'latest' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(t);
  } catch {
    throw new KafkaOffsetsError(`Expected e.g. {"topicA":{"0":23,"1":-1},"topicB":{"0":-2}}, got ${t}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new KafkaOffsetsError(`Expected e.g. {"topicA":{"0":23,"1":-1},"topicB":{"0":-2}}, got ${t}`);
  }
  const offsets: PartitionOffsetMap = {};
  for (const [topic, parts] of Object.entries(parsed as Record<string, unknown>)) {
    if (!parts || typeof parts !== 'object') throw new KafkaOffsetsError(`Expected e.g. {"topicA":{"0":23,"1":-1},"topicB":{"0":-2}}, got ${t}`);
    offsets[topic] = {};
    for (const [p, o] of Object.entries(parts as Record<string, unknown>)) {
      if (typeof o !== 'number' || !Number.isInteger(o)) throw new KafkaOffsetsError(`Expected e.g. {"topicA":{"0":23,"1":-1},"topicB":{"0":-2}}, got ${t}`);
      offsets[topic]![p] = o;
    }
  }
  return { kind: 'specific', offsets };
}

/** The start offsets of a fresh query from `startingOffsets` and the partitions that exist now. */
export function initialOffsets(start: StartingOffsets, partitions: readonly PartitionOffsets[]): PartitionOffsetMap {
  const out: PartitionOffsetMap = {};
  for (const p of partitions) {
    let o: number;
    if (start.kind === 'earliest') o = p.earliest;
    else if (start.kind === 'latest') o = p.latest;
    else {
      const given = start.offsets[p.topic]?.[String(p.partition)];
      // -2 = earliest, -1 = latest; partitions not named start at earliest.
      o = given === undefined || given === -2 ? p.earliest : given === -1 ? p.latest : given;
    }
    (out[p.topic] ??= {})[String(p.partition)] = o;
  }
  return out;
}

/**
 * End offsets for the next batch: every partition advances to its latest offset, or with a row
 * limit L each partition with data gets `L * (size / total)` rows, floored when ≥ 1 and ceiled
 * when < 1 (so small partitions are never starved), capped at the partition's latest offset.
 */
export function rateLimit(start: PartitionOffsetMap, latest: PartitionOffsetMap, maxRows: number | undefined): PartitionOffsetMap {
  const sizes: Array<{ topic: string; partition: string; from: number; until: number; size: number }> = [];
  for (const [topic, parts] of Object.entries(latest)) {
    for (const [partition, until] of Object.entries(parts)) {
      const from = start[topic]?.[partition] ?? until;
      sizes.push({ topic, partition, from, until, size: Math.max(0, until - from) });
    }
  }
  const total = sizes.reduce((s, x) => s + x.size, 0);
  const out: PartitionOffsetMap = {};
  for (const s of sizes) {
    let end = s.until;
    if (maxRows !== undefined && total > 0 && s.size > 0) {
      const prorate = maxRows * (s.size / total);
      const step = prorate < 1 ? Math.ceil(prorate) : Math.floor(prorate);
      end = Math.min(s.until, s.from + step);
    } else if (s.size === 0) {
      end = Math.max(s.from, s.until);
    }
    (out[s.topic] ??= {})[s.partition] = end;
  }
  // Partitions known at the start but gone from the listing keep their start offset.
  for (const [topic, parts] of Object.entries(start)) {
    for (const [partition, from] of Object.entries(parts)) {
      if (out[topic]?.[partition] === undefined) (out[topic] ??= {})[partition] = from;
    }
  }
  return sortOffsets(out);
}

/** Total rows between two offset maps. */
export function rowsBetween(start: PartitionOffsetMap, end: PartitionOffsetMap): number {
  let n = 0;
  for (const [topic, parts] of Object.entries(end)) {
    for (const [partition, until] of Object.entries(parts)) n += Math.max(0, until - (start[topic]?.[partition] ?? until));
  }
  return n;
}

/** Keys in a stable order (topic, then partition number), so offset JSON compares by text. */
export function sortOffsets(m: PartitionOffsetMap): PartitionOffsetMap {
  const out: PartitionOffsetMap = {};
  for (const topic of Object.keys(m).sort()) {
    out[topic] = {};
    for (const p of Object.keys(m[topic]!).sort((a, b) => Number(a) - Number(b))) out[topic]![p] = m[topic]![p]!;
  }
  return out;
}
