import type { AnyPair, KeyOf, Pair, ValueOf } from './pair.js';
import type { SparkContext } from './spark-context.js';

/**
 * A resilient distributed dataset, computed eagerly in memory: a list of partitions.
 * Names and results mirror PySpark's RDD for the operations a `foreachRDD` body needs.
 */
export class RDD<T> {
  /** The context this RDD belongs to (PySpark `rdd.context`). */
  readonly context: SparkContext;
  private readonly parts: T[][];

  constructor(context: SparkContext, partitions: T[][]) {
    this.context = context;
    this.parts = partitions;
  }

  /** The partitions as arrays (a copy, so callers cannot mutate the RDD). */
  partitions(): T[][] {
    return this.parts.map((p) => p.slice());
  }

  /**
   * @internal A copy with deep-copied elements. PySpark hands every stage freshly deserialised
   * objects, so a function that mutates its argument (`state.push(v); return state`) never changes
   * an RDD computed earlier; copying where earlier RDDs are read again keeps that true here.
   */
  copyElements(): RDD<T> {
    return new RDD(this.context, this.parts.map((p) => p.map(copyValue)));
  }

  /** Number of partitions. */
  getNumPartitions(): number {
    return this.parts.length;
  }

  /** All elements, partition by partition. */
  collect(): T[] {
    return this.parts.flat();
  }

  /** Number of elements. */
  count(): number {
    let n = 0;
    for (const p of this.parts) n += p.length;
    return n;
  }

  /** The first `num` elements, in partition order. */
  take(num: number): T[] {
    const out: T[] = [];
    for (const p of this.parts) {
      for (const x of p) {
        if (out.length >= num) return out;
        out.push(x);
      }
    }
    return out;
  }

  /** The first element; Spark raises on an empty RDD. */
  first(): T {
    const t = this.take(1);
    if (t.length === 0) throw new Error('RDD is empty');
    return t[0] as T;
  }

  /** Whether the RDD has no elements. */
  isEmpty(): boolean {
    return this.parts.every((p) => p.length === 0);
  }

  /** Applies `f` to every element (a function returning `[k, v]` makes a pair RDD). */
  map<K, A, B>(f: (x: T) => [K, [A, B]]): RDD<Pair<K, Pair<A, B>>>;
  map<K, V>(f: (x: T) => [K, V]): RDD<Pair<K, V>>;
  map<U>(f: (x: T) => U): RDD<U>;
  map<U>(f: (x: T) => U): RDD<U> {
    return new RDD(this.context, this.parts.map((p) => p.map((x) => f(x))));
  }

  /** Keeps the elements for which `f` is truthy. */
  filter(f: (x: T) => unknown): RDD<T> {
    return new RDD(this.context, this.parts.map((p) => p.filter((x) => f(x))));
  }

  /** Applies `f` and flattens the iterables it returns. */
  flatMap<K, V>(f: (x: T) => Iterable<[K, V]>): RDD<Pair<K, V>>;
  flatMap<U>(f: (x: T) => Iterable<U>): RDD<U>;
  flatMap<U>(f: (x: T) => Iterable<U>): RDD<U> {
    return new RDD(this.context, this.parts.map((p) => p.flatMap((x) => Array.from(f(x)))));
  }

  /** Applies `f` to each partition's iterator. */
  mapPartitions<U>(f: (it: Iterable<T>) => Iterable<U>): RDD<U> {
    return new RDD(this.context, this.parts.map((p) => Array.from(f(p.slice()))));
  }

  /** Applies `f(partitionIndex, iterator)` to each partition. */
  mapPartitionsWithIndex<U>(f: (index: number, it: Iterable<T>) => Iterable<U>): RDD<U> {
    return new RDD(this.context, this.parts.map((p, i) => Array.from(f(i, p.slice()))));
  }

  /** The distinct elements (by value, as Python compares tuples and strings), in first-seen order. */
  distinct(numPartitions?: number): RDD<T> {
    const seen = new Map<string, T>();
    for (const x of this.collect()) if (!seen.has(keyId(x))) seen.set(keyId(x), x);
    return this.context.parallelize([...seen.values()], numPartitions ?? Math.max(1, this.parts.length));
  }

  /** Sum of the elements (0 for an empty RDD, as PySpark). */
  sum(this: RDD<number>): number {
    return this.collect().reduce((a, b) => a + b, 0);
  }

  /** Arithmetic mean; NaN for an empty RDD, as PySpark's StatCounter gives. */
  mean(this: RDD<number>): number {
    const all = this.collect();
    return all.length === 0 ? NaN : all.reduce((a, b) => a + b, 0) / all.length;
  }

  /** Largest element (optionally by `key`); Spark raises on an empty RDD. */
  max(key?: (x: T) => unknown): T {
    return this.reduce((a, b) => (compareValues(key ? key(a) : a, key ? key(b) : b) >= 0 ? a : b));
  }

  /** Smallest element (optionally by `key`); Spark raises on an empty RDD. */
  min(key?: (x: T) => unknown): T {
    return this.reduce((a, b) => (compareValues(key ? key(a) : a, key ? key(b) : b) <= 0 ? a : b));
  }

  /** The `num` smallest elements (optionally by `key`), ascending. */
  takeOrdered(num: number, key?: (x: T) => unknown): T[] {
    return this.collect().slice().sort((a, b) => compareValues(key ? key(a) : a, key ? key(b) : b)).slice(0, num);
  }

  /** The `num` largest elements (optionally by `key`), descending. */
  top(num: number, key?: (x: T) => unknown): T[] {
    return this.collect().slice().sort((a, b) => compareValues(key ? key(b) : b, key ? key(a) : a)).slice(0, num);
  }

  /** Reduces all elements with an associative function; Spark raises on an empty RDD. */
  reduce(f: (a: T, b: T) => NoInfer<T>): T {
    const all = this.collect();
    if (all.length === 0) throw new Error('Can not reduce() empty RDD');
    let acc = all[0] as T;
    for (let i = 1; i < all.length; i++) acc = f(acc, all[i] as T);
    return acc;
  }

  /** Calls `f` for every element, for its side effects. */
  foreach(f: (x: T) => void): void {
    for (const p of this.parts) for (const x of p) f(x);
  }

  /** Calls `f` once per partition. */
  foreachPartition(f: (it: Iterable<T>) => void): void {
    for (const p of this.parts) f(p.slice());
  }

  /** Sorts by a key function (stable, numbers numerically, strings by code point). */
  sortBy(keyfunc: (x: T) => unknown, ascending = true, numPartitions?: number): RDD<T> {
    const sorted = this.collect().slice().sort((a, b) => {
      const c = compareValues(keyfunc(a), keyfunc(b));
      return ascending ? c : -c;
    });
    return this.context.parallelize(sorted, numPartitions ?? Math.max(1, this.parts.length));
  }

  /** Merges values per key with `f` (PySpark `reduceByKey`). */
  reduceByKey(this: RDD<AnyPair>, f: (a: ValueOf<T>, b: ValueOf<T>) => ValueOf<T>, numPartitions?: number): RDD<Pair<KeyOf<T>, ValueOf<T>>> {
    return (this as unknown as RDD<Pair<KeyOf<T>, ValueOf<T>>>).combineKeyed((v) => v, f, f, numPartitions);
  }

  /**
   * The generic per-key aggregation (PySpark `combineByKey`): values are combined inside each
   * partition first, then the per-partition combiners are merged after the shuffle.
   */
  combineByKey<A, B>(
    this: RDD<AnyPair>,
    createCombiner: (v: ValueOf<T>) => [A, B],
    mergeValue: (c: [A, B], v: ValueOf<T>) => NoInfer<[A, B]>,
    mergeCombiners: (a: [A, B], b: [A, B]) => NoInfer<[A, B]>,
    numPartitions?: number,
  ): RDD<Pair<KeyOf<T>, Pair<A, B>>>;
  combineByKey<C>(
    this: RDD<AnyPair>,
    createCombiner: (v: ValueOf<T>) => C,
    mergeValue: (c: C, v: ValueOf<T>) => NoInfer<C>,
    mergeCombiners: (a: C, b: C) => NoInfer<C>,
    numPartitions?: number,
  ): RDD<Pair<KeyOf<T>, C>>;
  combineByKey<C>(
    this: RDD<AnyPair>,
    createCombiner: (v: ValueOf<T>) => C,
    mergeValue: (c: C, v: ValueOf<T>) => C,
    mergeCombiners: (a: C, b: C) => C,
    numPartitions?: number,
  ): RDD<Pair<KeyOf<T>, C>> {
    return (this as unknown as RDD<Pair<KeyOf<T>, ValueOf<T>>>).combineKeyed(createCombiner, mergeValue, mergeCombiners, numPartitions);
  }

  /** @internal combineByKey with the key and value types spelled out. */
  combineKeyed<K, V, C>(
    this: RDD<[K, V]>,
    createCombiner: (v: V) => C,
    mergeValue: (c: C, v: V) => C,
    mergeCombiners: (a: C, b: C) => C,
    numPartitions?: number,
  ): RDD<[K, C]> {
    const n = numPartitions ?? this.context.defaultParallelism;
    const combined: [K, C][] = [];
    for (const part of this.parts) {
      const local = new Map<string, [K, C]>();
      for (const [k, v] of part) {
        const id = keyId(k);
        const cur = local.get(id);
        // The combiner may be mutated by mergeValue, so it must not be the element itself.
        local.set(id, cur ? [cur[0], mergeValue(cur[1], v)] : [k, createCombiner(copyValue(v))]);
      }
      combined.push(...local.values());
    }
    const buckets = hashBuckets(combined, n);
    return new RDD(this.context, buckets.map((bucket) => {
      const merged = new Map<string, [K, C]>();
      for (const [k, c] of bucket) {
        const id = keyId(k);
        const cur = merged.get(id);
        merged.set(id, cur ? [cur[0], mergeCombiners(cur[1], c)] : [k, c]);
      }
      return [...merged.values()];
    }));
  }

  /** Groups the values of each key into an array (PySpark `groupByKey`; values keep arrival order). */
  groupByKey<K, V>(this: RDD<[K, V]>, numPartitions?: number): RDD<[K, V[]]> {
    return this.combineKeyed((v) => [v], (c, v) => [...c, v], (a, b) => [...a, ...b], numPartitions);
  }

  /** Applies `f` to each value, keeping the key. */
  mapValues<K, V, A, B>(this: RDD<[K, V]>, f: (v: V) => [A, B]): RDD<[K, Pair<A, B>]>;
  mapValues<K, V, U>(this: RDD<[K, V]>, f: (v: V) => U): RDD<[K, U]>;
  mapValues<K, V, U>(this: RDD<[K, V]>, f: (v: V) => U): RDD<[K, U]> {
    return new RDD(this.context, this.parts.map((p) => p.map(([k, v]) => [k, f(v)] as [K, U])));
  }

  /** Applies `f` to each value and emits one pair per element it returns. */
  flatMapValues<K, V, U>(this: RDD<[K, V]>, f: (v: V) => Iterable<U>): RDD<[K, U]> {
    return new RDD(this.context, this.parts.map((p) => p.flatMap(([k, v]) => Array.from(f(v), (u) => [k, u] as [K, U]))));
  }

  /** The keys of a pair RDD. */
  keys<K, V>(this: RDD<[K, V]>): RDD<K> {
    return this.map(([k]) => k);
  }

  /** The values of a pair RDD. */
  values<K, V>(this: RDD<[K, V]>): RDD<V> {
    return this.map(([, v]) => v);
  }

  /** Redistributes pairs by the hash of their key. */
  partitionBy<K, V>(this: RDD<[K, V]>, numPartitions?: number): RDD<[K, V]> {
    return new RDD(this.context, hashBuckets(this.collect(), numPartitions ?? this.context.defaultParallelism));
  }

  /** Concatenates two RDDs, keeping both sets of partitions (PySpark `union`). */
  union(other: RDD<T>): RDD<T> {
    return new RDD(this.context, [...this.parts, ...other.parts]);
  }

  /**
   * For each key in either RDD, the arrays of its values on each side (PySpark `cogroup`).
   */
  cogroup<K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, numPartitions?: number): RDD<[K, [V[], W[]]]> {
    const tagged = this.map(([k, v]) => [k, [0, v]] as [K, [0 | 1, V | W]])
      .union(other.map(([k, w]) => [k, [1, w]] as [K, [0 | 1, V | W]]));
    return tagged.combineKeyed<K, [0 | 1, V | W], [V[], W[]]>(
      ([side, x]) => (side === 0 ? [[x as V], []] : [[], [x as W]]),
      (c, [side, x]) => (side === 0 ? [[...c[0], x as V], c[1]] : [c[0], [...c[1], x as W]]),
      (a, b) => [[...a[0], ...b[0]], [...a[1], ...b[1]]],
      numPartitions,
    );
  }

  /** Inner join on the key: one pair per matching (left, right) value combination. */
  join<K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, numPartitions?: number): RDD<[K, [V, W]]> {
    return this.cogroup(other, numPartitions).flatMapValues(([vs, ws]) => vs.flatMap((v) => ws.map((w) => [v, w] as [V, W])));
  }

  /** Left outer join: keys only on the left get `null` as the right value (Python's `None`). */
  leftOuterJoin<K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, numPartitions?: number): RDD<[K, [V, W | null]]> {
    return this.cogroup(other, numPartitions).flatMapValues(([vs, ws]) =>
      vs.flatMap((v) => (ws.length === 0 ? [[v, null] as [V, W | null]] : ws.map((w) => [v, w] as [V, W | null]))),
    );
  }

  /** Right outer join: keys only on the right get `null` as the left value. */
  rightOuterJoin<K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, numPartitions?: number): RDD<[K, [V | null, W]]> {
    return this.cogroup(other, numPartitions).flatMapValues(([vs, ws]) =>
      ws.flatMap((w) => (vs.length === 0 ? [[null, w] as [V | null, W]] : vs.map((v) => [v, w] as [V | null, W]))),
    );
  }

  /** Full outer join: a missing side is `null`. */
  fullOuterJoin<K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, numPartitions?: number): RDD<[K, [V | null, W | null]]> {
    return this.cogroup(other, numPartitions).flatMapValues(([vs, ws]) => {
      if (vs.length === 0) return ws.map((w) => [null, w] as [V | null, W | null]);
      if (ws.length === 0) return vs.map((v) => [v, null] as [V | null, W | null]);
      return vs.flatMap((v) => ws.map((w) => [v, w] as [V | null, W | null]));
    });
  }

  /**
   * Spreads the elements over `numPartitions` partitions. Spark starts each input partition at a
   * random target; we start partition i at target i so results are reproducible.
   */
  repartition(numPartitions: number): RDD<T> {
    if (!Number.isInteger(numPartitions) || numPartitions < 1) throw new RangeError('Number of partitions must be positive.');
    const out: T[][] = Array.from({ length: numPartitions }, () => []);
    this.parts.forEach((p, i) => p.forEach((x, j) => out[(i + j) % numPartitions]!.push(x)));
    return new RDD(this.context, out);
  }

  /** Number of pairs per key, as a local Map (PySpark `countByKey`). */
  countByKey<K, V>(this: RDD<[K, V]>): Map<K, number> {
    return new Map([...this.keys().countByValue()]);
  }

  /** The pairs as a local Map; a later pair wins for a repeated key (PySpark `collectAsMap`). */
  collectAsMap<K, V>(this: RDD<[K, V]>): Map<K, V> {
    return new Map(this.collect());
  }

  /** Counts of each distinct element, as a local Map keyed by the element (PySpark `countByValue`). */
  countByValue(): Map<T, number> {
    const counts = new Map<string, [T, number]>();
    for (const x of this.collect()) {
      const id = keyId(x);
      const cur = counts.get(id);
      counts.set(id, [x, (cur?.[1] ?? 0) + 1]);
    }
    return new Map([...counts.values()]);
  }

  /** Sorts a pair RDD by key. */
  sortByKey<K, V>(this: RDD<[K, V]>, ascending = true, numPartitions?: number): RDD<[K, V]> {
    return this.sortBy(([k]) => k, ascending, numPartitions);
  }

  /** The elements of each partition as one array per partition (PySpark `glom`). */
  glom(): RDD<T[]> {
    return new RDD(this.context, this.parts.map((p) => [p.slice()]));
  }

  /** Marks the RDD as cached; everything is in memory already, so this only returns the RDD. */
  cache(): this {
    return this;
  }

  /** Same as `cache()`. */
  persist(): this {
    return this;
  }
}

/**
 * Spreads pairs over `n` partitions by a stable hash of the key. Python's hash of strings is salted
 * per process, so Spark's own order is not reproducible; a fixed FNV-1a hash keeps ours deterministic.
 */
function hashBuckets<K, V>(pairs: [K, V][], n: number): [K, V][][] {
  if (!Number.isInteger(n) || n < 1) throw new RangeError('Number of partitions must be positive.');
  const buckets: [K, V][][] = Array.from({ length: n }, () => []);
  for (const pair of pairs) buckets[stableHash(keyId(pair[0])) % n]!.push(pair);
  return buckets;
}

function stableHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * Deep copy of plain data (arrays, plain objects, Map, Set, Date); other objects (class instances)
 * are shared, as copying would lose their prototype.
 */
export function copyValue<T>(x: T): T {
  if (x === null || typeof x !== 'object') return x;
  if (Array.isArray(x)) return x.map(copyValue) as T;
  if (x instanceof Date) return new Date(x.getTime()) as T;
  if (x instanceof Map) return new Map([...x].map(([k, v]) => [copyValue(k), copyValue(v)])) as T;
  if (x instanceof Set) return new Set([...x].map(copyValue)) as T;
  const proto = Object.getPrototypeOf(x) as object | null;
  if (proto !== Object.prototype && proto !== null) return x;
  const out = Object.create(proto) as Record<string, unknown>;
  for (const [k, v] of Object.entries(x as Record<string, unknown>)) out[k] = copyValue(v);
  return out as T;
}

/** A stable identity for a key so that structurally equal keys (tuples, strings, numbers) group together. */
export function keyId(k: unknown): string {
  return JSON.stringify(k) ?? 'undefined';
}

/** Total order used by sorts: numbers, then strings, arrays element-wise, else by JSON text. */
export function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compareValues(a[i], b[i]);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  const sa = keyId(a);
  const sb = keyId(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}
