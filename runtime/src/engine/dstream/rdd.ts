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

  /** Applies `f` to every element. */
  map<U>(f: (x: T) => U): RDD<U> {
    return new RDD(this.context, this.parts.map((p) => p.map((x) => f(x))));
  }

  /** Keeps the elements for which `f` is truthy. */
  filter(f: (x: T) => unknown): RDD<T> {
    return new RDD(this.context, this.parts.map((p) => p.filter((x) => f(x))));
  }

  /** Applies `f` and flattens the iterables it returns. */
  flatMap<U>(f: (x: T) => Iterable<U>): RDD<U> {
    return new RDD(this.context, this.parts.map((p) => p.flatMap((x) => Array.from(f(x)))));
  }

  /** Applies `f` to each partition's iterator. */
  mapPartitions<U>(f: (it: Iterable<T>) => Iterable<U>): RDD<U> {
    return new RDD(this.context, this.parts.map((p) => Array.from(f(p.slice()))));
  }

  /** Reduces all elements with an associative function; Spark raises on an empty RDD. */
  reduce(f: (a: T, b: T) => T): T {
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
  reduceByKey<K, V>(this: RDD<[K, V]>, f: (a: V, b: V) => V, numPartitions?: number): RDD<[K, V]> {
    const acc = new Map<string, [K, V]>();
    for (const [k, v] of this.collect()) {
      const id = keyId(k);
      const cur = acc.get(id);
      acc.set(id, cur ? [cur[0], f(cur[1], v)] : [k, v]);
    }
    return this.context.parallelize([...acc.values()], numPartitions ?? Math.max(1, this.parts.length));
  }
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
