import type { DStreamGraph } from './dstream-graph.js';
import type { StreamingContext } from './streaming-context.js';
import { toMillis, type DurationLike } from './duration.js';
import { IllegalArgumentException, ValueError } from './errors.js';
import type { AnyPair, KeyOf, Pair, ValueOf } from './pair.js';
import { formatBatchTime, pyStr, scalaStr } from './python-format.js';
import { RDD } from './rdd.js';
import { stateCompute } from './state-stream.js';
import { reducedWindowCompute, validateWindowParams, windowCompute } from './window-stream.js';

/** Window facts a windowed stream reports to the explain trace. */
export interface WindowInfo {
  op: string;
  windowMs: number;
  slideMs: number;
  /** Slide of the stream the window is cut from (its batch times). */
  parentSlideMs: number;
  /** Batch times the last emitted window covered and whether the inverse path produced it, by time. */
  lastEmitted: Map<number, { batchTimesMs: number[]; inverse: boolean }>;
}

/** Construction parameters of a DStream (internal: learners build streams through the operations). */
export interface DStreamSpec<T> {
  op: string;
  parents: DStream<unknown>[];
  slideDurationMs: number;
  /**
   * The RDD at a valid batch time; `null` is Spark's "no RDD" (`None`). A method, so that a stream
   * of pairs is usable where a stream of any pairs is expected.
   */
  compute(self: DStream<T>, timeMs: number): RDD<T> | null;
  /** Spark's `mustCheckpoint`: stateful streams whose RDD is saved with the checkpoint. */
  stateful?: boolean;
  /** Extra time the parents must remember beyond this stream's own remember duration (windows). */
  parentRememberExtraMs?: number;
  window?: WindowInfo;
  /** Set for input streams: `compute` asks the input source (see `input-source.ts`). */
  input?: boolean;
}

/**
 * The first parameter of a `foreachRDD` / `transform` function. PySpark decides by the parameter
 * count: a one-parameter function gets the RDD, a two-parameter one gets the batch time (a Date)
 * and then the RDD. TypeScript cannot type a callback by its arity, so the first parameter is typed
 * as both; at run time it is exactly one of them.
 */
export type RddOrTime<T> = RDD<T> & Date;

/**
 * A discretized stream (PySpark `DStream`): one RDD per batch time at which the stream is valid
 * (a multiple of its slide duration after the zero time). RDDs are computed on demand from the
 * parents and remembered as long as a window or state needs them, like Spark's `generatedRDDs`.
 */
export class DStream<T> {
  /** Stream id, in creation order within the context. */
  readonly id: number;
  /** Operation that created this stream (for explain traces). */
  readonly op: string;
  /** Interval between this stream's RDDs, in milliseconds. */
  readonly slideDurationMs: number;
  /** @internal */
  readonly graph: DStreamGraph;
  /** @internal */
  readonly spec: DStreamSpec<T>;
  private readonly generated = new Map<number, RDD<T> | null>();
  /** @internal Id of the plan node that produced this stream (-1 for internal streams). */
  planId = -1;
  private rememberMs = 0;

  /** @internal Streams are created by StreamingContext and by the operations below. */
  constructor(graph: DStreamGraph, spec: DStreamSpec<T>) {
    this.graph = graph;
    this.spec = spec;
    this.op = spec.op;
    this.slideDurationMs = spec.slideDurationMs;
    this.id = graph.register(this as DStream<unknown>);
  }

  /** PySpark's `_slideDuration`: the slide in seconds. */
  get slideDuration(): number {
    return this.slideDurationMs / 1000;
  }

  /** The StreamingContext this stream belongs to (PySpark `context()`). */
  context(): StreamingContext {
    return this.graph.owner as StreamingContext;
  }

  // ---------------------------------------------------------------- scheduling internals

  /** Whether an RDD is due at `timeMs` (Spark's `isTimeValid`). */
  isTimeValid(timeMs: number): boolean {
    const zero = this.graph.zeroTimeMs;
    if (zero === null) throw new Error(`${this.op} DStream has not been initialized`);
    return timeMs > zero && (timeMs - zero) % this.slideDurationMs === 0;
  }

  /** @internal The RDD at `timeMs`, computing and remembering it on first use. */
  getOrCompute(timeMs: number): RDD<T> | null {
    const known = this.generated.get(timeMs);
    if (known !== undefined || this.generated.has(timeMs)) return known ?? null;
    if (!this.isTimeValid(timeMs)) return null;
    const rdd = this.spec.compute(this, timeMs);
    this.generated.set(timeMs, rdd);
    return rdd;
  }

  /** @internal The RDD computed (or restored) for `timeMs`, without computing it; null if none. */
  generatedAt(timeMs: number): RDD<T> | null {
    return this.generated.get(timeMs) ?? null;
  }

  /** @internal Records an RDD computed elsewhere (restored checkpoints). */
  setGenerated(timeMs: number, rdd: RDD<T> | null): void {
    this.generated.set(timeMs, rdd);
  }

  /** @internal The most recent remembered RDD at or before `timeMs` (for state sizes and checkpoints). */
  latestGenerated(timeMs: number): [number, RDD<T>] | null {
    let best: [number, RDD<T>] | null = null;
    for (const [t, rdd] of this.generated) {
      if (rdd !== null && t <= timeMs && (best === null || t > best[0])) best = [t, rdd];
    }
    return best;
  }

  /** @internal Remembered RDDs at or before `timeMs`, oldest first. */
  generatedUpTo(timeMs: number): [number, RDD<T>][] {
    return [...this.generated.entries()]
      .filter((e): e is [number, RDD<T>] => e[1] !== null && e[0] <= timeMs)
      .sort((a, b) => a[0] - b[0]);
  }

  /** @internal Whether a window downstream needs more than the last two RDDs of this stream. */
  get keepsHistory(): boolean {
    return this.rememberMs > 2 * this.slideDurationMs;
  }

  /** @internal Whether some output operation depends on this stream (set at start). */
  get isReachable(): boolean {
    return this.rememberMs > 0;
  }

  /** @internal Spark's `remember`: keep RDDs at least this long, and tell the parents what they must keep. */
  remember(ms: number): void {
    const want = Math.max(ms, 2 * this.slideDurationMs);
    if (want <= this.rememberMs) return;
    this.rememberMs = want;
    for (const p of this.spec.parents) p.remember(this.rememberMs + (this.spec.parentRememberExtraMs ?? 0));
  }

  /** @internal Forgets RDDs older than the remember duration (Spark's `clearMetadata`). */
  clearOldRdds(timeMs: number): void {
    for (const t of [...this.generated.keys()]) {
      if (t <= timeMs - this.rememberMs) this.generated.delete(t);
    }
    if (this.spec.window) {
      for (const t of [...this.spec.window.lastEmitted.keys()]) if (t <= timeMs - this.rememberMs) this.spec.window.lastEmitted.delete(t);
    }
  }

  /**
   * This stream's RDDs with times in [fromMs, toMs] (Spark's `slice`): times are aligned down to its
   * slide, times at or before the zero time are skipped, and batches with no RDD are left out.
   */
  sliceRdds(fromMs: number, toMs: number): RDD<T>[] {
    const zero = this.graph.zeroTimeMs;
    if (zero === null) throw new Error(`${this.op} DStream has not been initialized`);
    const align = (t: number): number => zero + Math.floor((t - zero) / this.slideDurationMs) * this.slideDurationMs;
    const out: RDD<T>[] = [];
    for (let t = align(fromMs); t <= align(toMs); t += this.slideDurationMs) {
      if (t <= zero) continue;
      const rdd = this.getOrCompute(t);
      if (rdd !== null) out.push(rdd);
    }
    return out;
  }

  /** @internal Derives a stream that applies `f` to each RDD (PySpark's `transform` machinery). */
  derive<U>(op: string, f: (rdd: RDD<T>, timeMs: number) => RDD<U>): DStream<U> {
    return new DStream<U>(this.graph, {
      op,
      parents: [this as DStream<unknown>],
      slideDurationMs: this.slideDurationMs,
      compute: (_self, t) => {
        const rdd = this.getOrCompute(t);
        return rdd === null ? null : f(rdd, t);
      },
    });
  }

  // ---------------------------------------------------------------- element-wise operations

  /** Applies `f` to every element (a function returning `[k, v]` makes a pair stream). */
  map<K, A, B>(f: (x: T) => [K, [A, B]]): DStream<Pair<K, Pair<A, B>>>;
  map<K, V>(f: (x: T) => [K, V]): DStream<Pair<K, V>>;
  map<U>(f: (x: T) => U): DStream<U>;
  map<U>(f: (x: T) => U): DStream<U> {
    return this.graph.record('map', 'transformation', [this], {}, { f }, () => {
      return this.derive('map', (rdd) => rdd.map(f));
    });
  }

  /** Applies `f` and flattens the iterables it returns. */
  flatMap<K, V>(f: (x: T) => Iterable<[K, V]>): DStream<Pair<K, V>>;
  flatMap<U>(f: (x: T) => Iterable<U>): DStream<U>;
  flatMap<U>(f: (x: T) => Iterable<U>): DStream<U> {
    return this.graph.record('flatMap', 'transformation', [this], {}, { f }, () => {
      return this.derive('flatMap', (rdd) => rdd.flatMap(f));
    });
  }

  /** Keeps the elements for which `f` is truthy. */
  filter(f: (x: T) => unknown): DStream<T> {
    return this.graph.record('filter', 'transformation', [this], {}, { f }, () => {
      return this.derive('filter', (rdd) => rdd.filter(f));
    });
  }

  /** Applies `f` to each partition of each RDD. */
  mapPartitions<U>(f: (it: Iterable<T>) => Iterable<U>): DStream<U> {
    return this.graph.record('mapPartitions', 'transformation', [this], {}, { f }, () => {
      return this.derive('mapPartitions', (rdd) => rdd.mapPartitions(f));
    });
  }

  /** Applies `f(partitionIndex, iterator)` to each partition of each RDD. */
  mapPartitionsWithIndex<U>(f: (index: number, it: Iterable<T>) => Iterable<U>): DStream<U> {
    return this.graph.record('mapPartitionsWithIndex', 'transformation', [this], {}, { f }, () =>
      this.derive('mapPartitionsWithIndex', (rdd) => rdd.mapPartitionsWithIndex(f)),
    );
  }

  /** Applies `f` to the value of each pair. */
  mapValues<A, B>(this: DStream<AnyPair>, f: (v: ValueOf<T>) => [A, B]): DStream<Pair<KeyOf<T>, Pair<A, B>>>;
  mapValues<U>(this: DStream<AnyPair>, f: (v: ValueOf<T>) => U): DStream<Pair<KeyOf<T>, U>>;
  mapValues<U>(this: DStream<AnyPair>, f: (v: ValueOf<T>) => U): DStream<Pair<KeyOf<T>, U>> {
    return this.graph.record('mapValues', 'transformation', [this], {}, { f }, () => {
      return asPairs<KeyOf<T>, ValueOf<T>>(this).derive('mapValues', (rdd) => rdd.mapValues(f));
    });
  }

  /** Applies `f` to the value of each pair and emits one pair per element it returns. */
  flatMapValues<K, V, U>(this: DStream<Pair<K, V>>, f: (v: V) => Iterable<U>): DStream<Pair<K, U>> {
    return this.graph.record('flatMapValues', 'transformation', [this], {}, { f }, () => {
      return this.derive('flatMapValues', (rdd) => rdd.flatMapValues(f));
    });
  }

  /** Each partition as one array (PySpark `glom`). */
  glom(): DStream<T[]> {
    return this.graph.record('glom', 'transformation', [this], {}, {}, () => {
      return this.derive('glom', (rdd) => rdd.glom());
    });
  }

  /**
   * Applies an RDD-to-RDD function to every batch. Like PySpark, a function declaring exactly one
   * parameter gets `(rdd)`, any other gets `(time, rdd)` with the batch time as a Date.
   */
  transform<U>(func: (rddOrTime: RddOrTime<T>, rdd: RDD<T>) => RDD<U>): DStream<U> {
    return this.graph.record('transform', 'transformation', [this], {}, { func }, () => {
      return this.derive('transform', (rdd, t) => callWithOptionalTime(func, t, rdd));
    });
  }

  /**
   * Combines this stream's and `other`'s RDD of each batch with `func(a, b)` or `func(time, a, b)`;
   * a side with no RDD is passed as an empty RDD (PySpark's `transformWith`).
   */
  transformWith<U, V>(func: ((a: RDD<T>, b: RDD<U>) => RDD<V>) | ((time: Date, a: RDD<T>, b: RDD<U>) => RDD<V>), other: DStream<U>): DStream<V> {
    return this.graph.record('transformWith', 'transformation', [this, other], {}, { func }, () => {
      return this.combineWith('transformWith', other, (a, b, t) =>
        func.length === 2 ? (func as (a: RDD<T>, b: RDD<U>) => RDD<V>)(a, b) : (func as (time: Date, a: RDD<T>, b: RDD<U>) => RDD<V>)(new Date(t), a, b),
      );
    });
  }

  private combineWith<U, V>(op: string, other: DStream<U>, f: (a: RDD<T>, b: RDD<U>, timeMs: number) => RDD<V>): DStream<V> {
    return new DStream<V>(this.graph, {
      op,
      parents: [this as DStream<unknown>, other as DStream<unknown>],
      slideDurationMs: this.slideDurationMs,
      compute: (_self, t) => {
        const sc = this.graph.sparkContext;
        const a = this.getOrCompute(t) ?? sc.emptyRDD<T>();
        const b = other.getOrCompute(t) ?? sc.emptyRDD<U>();
        return f(a, b, t);
      },
    });
  }

  /** Both streams' elements in each batch; the slides must match (PySpark's ValueError otherwise). */
  union(other: DStream<T>): DStream<T> {
    return this.graph.record('union', 'transformation', [this, other], {}, {}, () => {
      if (this.slideDurationMs !== other.slideDurationMs) throw new ValueError('the two DStream should have same slide duration');
      return this.combineWith('union', other, (a, b) => a.union(b));
    });
  }

  // ---------------------------------------------------------------- aggregations per batch

  /** Reduces each RDD to a single element (PySpark: reduceByKey on a constant key into one partition). */
  reduce(f: (a: T, b: T) => NoInfer<T>): DStream<T> {
    return this.graph.record('reduce', 'transformation', [this], {}, { f }, () => {
      return this.map((x) => [null, x] as Pair<null, T>).reduceByKey(f, 1).map(([, v]) => v);
    });
  }

  /**
   * Number of elements in each RDD. PySpark counts per partition and reduces, so an RDD without
   * partitions (an empty queue) yields no element; the JVM API always yields one number.
   */
  count(): DStream<number> {
    return this.graph.record('count', 'transformation', [this], {}, {}, () => {
      if (this.graph.semantics === 'jvm') {
        return this.derive('count', (rdd) => this.graph.sparkContext.parallelize([rdd.count()], 1));
      }
      return this.mapPartitions((it) => [Array.from(it).length]).reduce((a, b) => a + b);
    });
  }

  /** Count of each distinct element in each batch, as `[element, count]` pairs. */
  countByValue(): DStream<Pair<T, number>> {
    return this.graph.record('countByValue', 'transformation', [this], {}, {}, () => {
      return this.map((x) => [x, 1] as Pair<T, number>).reduceByKey((a, b) => a + b);
    });
  }

  /** Merges the values of each key in each batch. */
  reduceByKey(
    this: DStream<AnyPair>,
    func: (a: ValueOf<T>, b: ValueOf<T>) => ValueOf<T>,
    numPartitions?: number,
  ): DStream<Pair<KeyOf<T>, ValueOf<T>>> {
    return this.graph.record('reduceByKey', 'transformation', [this], { numPartitions }, { func }, () => {
      return asPairs<KeyOf<T>, ValueOf<T>>(this).derive('reduceByKey', (rdd) => rdd.reduceByKey(func, numPartitions));
    });
  }

  /** Generic per-key aggregation of each batch (a combiner `[a, b]` stays a tuple). */
  combineByKey<A, B>(
    this: DStream<AnyPair>,
    createCombiner: (v: ValueOf<T>) => [A, B],
    mergeValue: (c: [A, B], v: ValueOf<T>) => NoInfer<[A, B]>,
    mergeCombiners: (a: [A, B], b: [A, B]) => NoInfer<[A, B]>,
    numPartitions?: number,
  ): DStream<Pair<KeyOf<T>, Pair<A, B>>>;
  combineByKey<C>(
    this: DStream<AnyPair>,
    createCombiner: (v: ValueOf<T>) => C,
    mergeValue: (c: C, v: ValueOf<T>) => NoInfer<C>,
    mergeCombiners: (a: C, b: C) => NoInfer<C>,
    numPartitions?: number,
  ): DStream<Pair<KeyOf<T>, C>>;
  combineByKey<C>(
    this: DStream<AnyPair>,
    createCombiner: (v: ValueOf<T>) => C,
    mergeValue: (c: C, v: ValueOf<T>) => C,
    mergeCombiners: (a: C, b: C) => C,
    numPartitions?: number,
  ): DStream<Pair<KeyOf<T>, C>> {
    return this.graph.record('combineByKey', 'transformation', [this], { numPartitions }, { createCombiner, mergeValue, mergeCombiners }, () => {
      return asPairs<KeyOf<T>, ValueOf<T>>(this).derive('combineByKey', (rdd) => rdd.combineByKey(createCombiner, mergeValue, mergeCombiners, numPartitions));
    });
  }

  /** The values of each key in each batch, as an array. */
  groupByKey<K, V>(this: DStream<Pair<K, V>>, numPartitions?: number): DStream<Pair<K, V[]>> {
    return this.graph.record('groupByKey', 'transformation', [this], { numPartitions }, {}, () => {
      return this.derive('groupByKey', (rdd) => rdd.groupByKey(numPartitions));
    });
  }

  /** Redistributes each batch by key hash. */
  partitionBy<K, V>(this: DStream<Pair<K, V>>, numPartitions: number): DStream<Pair<K, V>> {
    return this.graph.record('partitionBy', 'transformation', [this], { numPartitions }, {}, () => {
      return this.derive('partitionBy', (rdd) => rdd.partitionBy(numPartitions));
    });
  }

  /** Per batch, the values of each key on both sides. */
  cogroup<K, V, W>(this: DStream<Pair<K, V>>, other: DStream<Pair<K, W>>, numPartitions?: number): DStream<Pair<K, [V[], W[]]>> {
    return this.graph.record('cogroup', 'transformation', [this, other], { numPartitions }, {}, () => {
      return this.combineWith('cogroup', other, (a, b) => a.cogroup(b, numPartitions));
    });
  }

  /** Per batch inner join on the key. */
  join<K, V, W>(this: DStream<Pair<K, V>>, other: DStream<Pair<K, W>>, numPartitions?: number): DStream<Pair<K, [V, W]>> {
    return this.graph.record('join', 'transformation', [this, other], { numPartitions }, {}, () => {
      return this.combineWith('join', other, (a, b) => a.join(b, numPartitions));
    });
  }

  /** Per batch left outer join on the key (`null` where the right side has no value). */
  leftOuterJoin<K, V, W>(this: DStream<Pair<K, V>>, other: DStream<Pair<K, W>>, numPartitions?: number): DStream<Pair<K, [V, W | null]>> {
    return this.graph.record('leftOuterJoin', 'transformation', [this, other], { numPartitions }, {}, () => {
      return this.combineWith('leftOuterJoin', other, (a, b) => a.leftOuterJoin(b, numPartitions));
    });
  }

  /** Per batch right outer join on the key (`null` where the left side has no value). */
  rightOuterJoin<K, V, W>(this: DStream<Pair<K, V>>, other: DStream<Pair<K, W>>, numPartitions?: number): DStream<Pair<K, [V | null, W]>> {
    return this.graph.record('rightOuterJoin', 'transformation', [this, other], { numPartitions }, {}, () => {
      return this.combineWith('rightOuterJoin', other, (a, b) => a.rightOuterJoin(b, numPartitions));
    });
  }

  /** Per batch full outer join on the key (`null` for a missing side). */
  fullOuterJoin<K, V, W>(this: DStream<Pair<K, V>>, other: DStream<Pair<K, W>>, numPartitions?: number): DStream<Pair<K, [V | null, W | null]>> {
    return this.graph.record('fullOuterJoin', 'transformation', [this, other], { numPartitions }, {}, () => {
      return this.combineWith('fullOuterJoin', other, (a, b) => a.fullOuterJoin(b, numPartitions));
    });
  }

  /** Spreads each batch over `numPartitions` partitions. */
  repartition(numPartitions: number): DStream<T> {
    return this.graph.record('repartition', 'transformation', [this], { numPartitions }, {}, () => {
      return this.derive('repartition', (rdd) => rdd.repartition(numPartitions));
    });
  }

  // ---------------------------------------------------------------- windows

  /**
   * The union of the RDDs of the last `windowDuration` (PySpark seconds or a Duration), every
   * `slideDuration` (default: this stream's slide). The window at time t covers the batches in
   * (t − window, t].
   */
  window(windowDuration: DurationLike, slideDuration?: DurationLike): DStream<T> {
    return this.graph.record('window', 'transformation', [this], windowArgs(windowDuration, slideDuration), {}, () => {
      const { windowMs, slideMs } = validateWindowParams(this, windowDuration, slideDuration);
      return windowCompute(this, 'window', windowMs, slideMs);
    });
  }

  /** Number of elements in each window (built on reduceByKeyAndWindow with an inverse, as in Spark). */
  countByWindow(windowDuration: DurationLike, slideDuration?: DurationLike): DStream<number> {
    return this.graph.record('countByWindow', 'transformation', [this], windowArgs(windowDuration, slideDuration), {}, () => {
      return this.map(() => 1).reduceByWindow((a, b) => a + b, (a, b) => a - b, windowDuration, slideDuration);
    });
  }

  /** Reduces all elements of each window to one; `invReduceFunc` may be null. */
  reduceByWindow(
    reduceFunc: (a: T, b: T) => NoInfer<T>,
    invReduceFunc: ((a: T, b: T) => NoInfer<T>) | null | undefined,
    windowDuration: DurationLike,
    slideDuration?: DurationLike,
  ): DStream<T> {
    return this.graph.record('reduceByWindow', 'transformation', [this], windowArgs(windowDuration, slideDuration), { reduceFunc, invReduceFunc }, () => {
      const keyed = this.map((x) => [1, x] as Pair<number, T>);
      return keyed.reduceByKeyAndWindow(reduceFunc, invReduceFunc, windowDuration, slideDuration, 1).map(([, v]) => v);
    });
  }

  /**
   * Per key, the reduce of its values over each window. Without `invFunc` the window is reduced from
   * its batches; with it, the previous window's result is updated (minus the batches that left, plus
   * the ones that entered) — in PySpark only when window ≥ 5 × slide, otherwise it recomputes.
   * `filterFunc` (inverse path only, as in Spark) drops pairs from the result, e.g. zero counts.
   */
  reduceByKeyAndWindow(
    this: DStream<AnyPair>,
    func: (a: ValueOf<T>, b: ValueOf<T>) => ValueOf<T>,
    invFunc: ((a: ValueOf<T>, b: ValueOf<T>) => ValueOf<T>) | null | undefined,
    windowDuration: DurationLike,
    slideDuration?: DurationLike,
    numPartitions?: number,
    filterFunc?: ((kv: Pair<KeyOf<T>, ValueOf<T>>) => unknown) | null,
  ): DStream<Pair<KeyOf<T>, ValueOf<T>>> {
    return this.graph.record('reduceByKeyAndWindow', 'transformation', [this], { ...windowArgs(windowDuration, slideDuration), numPartitions }, { func, invFunc, filterFunc }, () => {
      const { windowMs, slideMs } = validateWindowParams(this, windowDuration, slideDuration, Boolean(invFunc));
      const n = numPartitions ?? this.graph.sparkContext.defaultParallelism;
      const reduced = asPairs<KeyOf<T>, ValueOf<T>>(this).reduceByKey(func, n);
      if (invFunc) return reducedWindowCompute(reduced, func, invFunc, windowMs, slideMs, n, filterFunc ?? null);
      return windowCompute(reduced, 'reduceByKeyAndWindow', windowMs, slideMs).reduceByKey(func, n);
    });
  }

  /** Count of each distinct element over each window; elements whose count fell to 0 are dropped. */
  countByValueAndWindow(windowDuration: DurationLike, slideDuration?: DurationLike, numPartitions?: number): DStream<Pair<T, number>> {
    return this.graph.record('countByValueAndWindow', 'transformation', [this], { ...windowArgs(windowDuration, slideDuration), numPartitions }, {}, () => {
      const keyed = this.map((x) => [x, 1] as Pair<T, number>);
      return keyed
        .reduceByKeyAndWindow((a, b) => a + b, (a, b) => a - b, windowDuration, slideDuration, numPartitions)
        .filter(([, c]) => c > 0);
    });
  }

  /** The values of each key over each window, in arrival order. */
  groupByKeyAndWindow<K, V>(
    this: DStream<Pair<K, V>>,
    windowDuration: DurationLike,
    slideDuration?: DurationLike,
    numPartitions?: number,
  ): DStream<Pair<K, V[]>> {
    return this.graph.record('groupByKeyAndWindow', 'transformation', [this], { ...windowArgs(windowDuration, slideDuration), numPartitions }, {}, () => {
      if (this.graph.semantics === 'jvm') {
        // The JVM groups per batch and concatenates the groups of the window (no inverse function).
        const { windowMs, slideMs } = validateWindowParams(this, windowDuration, slideDuration);
        return windowCompute(this.groupByKey(numPartitions), 'groupByKeyAndWindow', windowMs, slideMs)
          .reduceByKey((a, b) => a.concat(b), numPartitions);
      }
      const lists = this.mapValues((v): V[] => [v]);
      // Values that left the window are the oldest ones, so the inverse drops them from the front.
      return lists.reduceByKeyAndWindow((a, b) => a.concat(b), (a, b) => a.slice(b.length), windowDuration, slideDuration, numPartitions);
    });
  }

  // ---------------------------------------------------------------- state

  /**
   * Running state per key. Each batch `updateFunc(newValues, lastState)` runs for every key that has
   * state or new values (lastState is `null` for a new key); returning null/undefined drops the key.
   * The output is the whole state after each batch. Needs `ssc.checkpoint(dir)`.
   */
  updateStateByKey<S>(
    this: DStream<AnyPair>,
    updateFunc: (newValues: ValueOf<T>[], lastState: S | null) => S | null | undefined,
    numPartitions?: number,
    initialRDD?: RDD<Pair<KeyOf<T>, S>> | Pair<KeyOf<T>, S>[] | null,
  ): DStream<Pair<KeyOf<T>, S>> {
    return this.graph.record('updateStateByKey', 'transformation', [this], { numPartitions, initial: initialRDD instanceof RDD ? initialRDD.collect() : (initialRDD ?? null) }, { updateFunc }, () => {
      const sc = this.graph.sparkContext;
      const initial = initialRDD == null ? null : initialRDD instanceof RDD ? initialRDD : sc.parallelize(initialRDD);
      return stateCompute(asPairs<KeyOf<T>, ValueOf<T>>(this), updateFunc, numPartitions ?? sc.defaultParallelism, initial);
    });
  }

  // ---------------------------------------------------------------- output operations

  /**
   * Runs `func` on every RDD this stream produces. Like PySpark, a function declaring exactly one
   * parameter gets `(rdd)`; any other gets `(time, rdd)` with the batch time as a Date.
   */
  foreachRDD(func: (rddOrTime: RddOrTime<T>, rdd: RDD<T>) => void): void {
    this.graph.record('foreachRDD', 'output', [this], {}, { func }, () => {
      this.graph.addOutput({
        stream: this as DStream<unknown>,
        run: (t, rdd) => {
          // Like PySpark's collected rows, what the output function sees is a copy it may change freely.
          callWithOptionalTime(func, t, (rdd as RDD<T>).copyElements());
        },
      });
    });
  }

  /**
   * Prints the first `num` elements of every RDD, as PySpark's `pprint` does: a dashes line,
   * `Time: <batch time>`, dashes, one `str(element)` per line, `...` when there were more, a blank line.
   */
  pprint(num = 10): void {
    this.graph.record('pprint', 'output', [this], { num }, {}, () => {
      this.print(num);
    });
  }

  /** Scala's name for `pprint`. */
  print(num = 10): void {
    this.graph.record('print', 'output', [this], { num }, {}, () => {
      this.foreachRDD((time: Date, rdd: RDD<T>) => {
        const taken = rdd.take(num + 1);
        const dashes = '-------------------------------------------';
        const jvm = this.graph.semantics === 'jvm';
        // Scala's print() shows the time as `<ms> ms` and records with toString.
        const timeText = jvm ? `${time.getTime()} ms` : formatBatchTime(time.getTime(), this.graph.timeZone);
        const lines = [dashes, `Time: ${timeText}`, dashes];
        for (const record of taken.slice(0, num)) lines.push(jvm ? scalaStr(record) : pyStr(record));
        if (taken.length > num) lines.push('...');
        lines.push('');
        this.graph.stdout(lines.join('\n') + '\n');
      });
    });
  }

  // ---------------------------------------------------------------- misc

  /** Everything is in memory already; kept for PySpark compatibility. */
  cache(): this {
    return this;
  }

  /** Same as `cache()`. */
  persist(): this {
    return this;
  }

  /**
   * Sets the checkpoint interval (seconds or Duration); it must be a multiple of the slide. State is
   * saved after every batch here, so the interval is only validated.
   */
  checkpoint(interval: DurationLike): this {
    const ms = toMillis(interval);
    if (ms <= 0 || ms % this.slideDurationMs !== 0) {
      throw new IllegalArgumentException(
        `requirement failed: The checkpoint interval for ${this.op} has been set to ${ms} ms which not a multiple of its slide duration (${this.slideDurationMs} ms).`,
      );
    }
    return this;
  }

  /**
   * The RDDs between two times, inclusive (PySpark `slice(begin, end)` with Dates or epoch seconds).
   * Only RDDs still remembered (or computable) are returned.
   */
  slice(begin: Date | number, end: Date | number): RDD<T>[] {
    const ms = (x: Date | number): number => (x instanceof Date ? x.getTime() : Math.round(x * 1000));
    return this.sliceRdds(ms(begin), ms(end));
  }
}

/** Window arguments for the plan, in milliseconds. */
function windowArgs(windowDuration: DurationLike, slideDuration: DurationLike | undefined | null): Record<string, unknown> {
  return { windowMs: toMillis(windowDuration), slideMs: slideDuration === undefined || slideDuration === null ? null : toMillis(slideDuration) };
}

/** Views a pair stream with its key and value types spelled out (the `this` constraint guarantees pairs). */
function asPairs<K, V>(stream: DStream<AnyPair>): DStream<Pair<K, V>> {
  return stream as unknown as DStream<Pair<K, V>>;
}

function callWithOptionalTime<T, R>(func: (rddOrTime: RddOrTime<T>, rdd: RDD<T>) => R, timeMs: number, rdd: RDD<T>): R {
  const call = func as (first: unknown, rdd?: RDD<T>) => R;
  return func.length === 1 ? call(rdd) : call(new Date(timeMs), rdd);
}
