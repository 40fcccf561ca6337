/**
 * How a Kafka micro-batch is cut (Spark's KafkaMicroBatchStream.rateLimit). Offsets are per
 * `topic` → `partition` → next offset to read (exclusive end of the previous batch).
 */

/** `{"topic": {"0": 8, "1": 1}}`, the form Spark writes to the offset log. */
export type PartitionOffsets = Record<string, Record<string, number>>;

/** Flattens to `topic:partition` keys for arithmetic. */
export function flatten(o: PartitionOffsets): Map<string, number> {
  const m = new Map<string, number>();
  for (const [t, parts] of Object.entries(o)) for (const [p, off] of Object.entries(parts)) m.set(`${t}\u0000${p}`, off);
  return m;
}

/** Inverse of `flatten`, with topics and partitions in sorted order. */
export function unflatten(m: Map<string, number>): PartitionOffsets {
  const out: PartitionOffsets = {};
  const keys = [...m.keys()].sort((a, b) => {
    const [ta, pa] = a.split('\u0000');
    const [tb, pb] = b.split('\u0000');
    return ta === tb ? Number(pa) - Number(pb) : ta < tb ? -1 : 1;
  });
  for (const k of keys) {
    const [t, p] = k.split('\u0000');
    (out[t] ??= {})[p] = m.get(k)!;
  }
  return out;
}

/**
 * Caps `until` so at most about `limit` records are read: each partition with `size > 0` records
 * available advances by `limit * size / total`, rounded down when >= 1 and up when < 1 (small
 * partitions are never starved), and never past its available end.
 */
export function rateLimit(from: Map<string, number>, until: Map<string, number>, limit: number): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const [tp, end] of until) {
    const begin = from.get(tp);
    if (begin === undefined) continue;
    const size = end - begin;
    if (size > 0) sizes.set(tp, size);
  }
  let total = 0;
  for (const s of sizes.values()) total += s;
  if (total < 1) return new Map(until);
  const out = new Map<string, number>();
  for (const [tp, end] of until) {
    const size = sizes.get(tp);
    if (size === undefined) {
      out.set(tp, end);
      continue;
    }
    const begin = from.get(tp)!;
    const prorate = limit * (size / total);
    const step = prorate < 1 ? Math.ceil(prorate) : Math.floor(prorate);
    out.set(tp, Math.min(end, begin + step));
  }
  return out;
}

/** Total records between two offset maps. */
export function recordCount(from: Map<string, number>, until: Map<string, number>): number {
  let n = 0;
  for (const [tp, end] of until) n += Math.max(0, end - (from.get(tp) ?? end));
  return n;
}
