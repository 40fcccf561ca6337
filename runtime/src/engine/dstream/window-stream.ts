import { DStream, type WindowInfo } from './dstream.js';
import { toMillis, type DurationLike } from './duration.js';
import { Exception, IllegalArgumentException, ValueError } from './errors.js';
import type { RDD } from './rdd.js';

/**
 * PySpark's `_validate_window_param`: window and slide must be multiples of the parent's slide
 * (normally the batch interval). PySpark checks before the JVM does, so its ValueError is what a
 * learner sees.
 */
export function validateWindowParams(
  parent: { slideDurationMs: number; graph: { semantics: string } },
  windowDuration: DurationLike,
  slideDuration: DurationLike | undefined | null,
  inverse = false,
): { windowMs: number; slideMs: number } {
  const d = parent.slideDurationMs;
  if (parent.graph.semantics === 'jvm') return validateJvm(d, toMillis(windowDuration), slideDuration == null ? d : toMillis(slideDuration), inverse);
  const windowMs = toMillis(windowDuration);
  if (windowMs % d !== 0) {
    throw new ValueError(`windowDuration must be multiple of the parent dstream's slide (batch) duration (${d} ms)`);
  }
  const slideGiven = slideDuration !== undefined && slideDuration !== null && toMillis(slideDuration) !== 0;
  const slideMs = slideGiven ? toMillis(slideDuration) : d;
  if (slideGiven && slideMs % d !== 0) {
    throw new ValueError(`slideDuration must be multiple of the parent dstream's slide (batch) duration (${d} ms)`);
  }
  if (windowMs <= 0) throw new ValueError(`windowDuration must be positive, got ${windowMs} ms`);
  if (slideMs <= 0) throw new ValueError(`slideDuration must be positive, got ${slideMs} ms`);
  return { windowMs, slideMs };
}

/**
 * The JVM checks: WindowedDStream throws a plain Exception, ReducedWindowedDStream (the inverse
 * path) fails a `require`.
 */
function validateJvm(parentMs: number, windowMs: number, slideMs: number, inverse: boolean): { windowMs: number; slideMs: number } {
  const check = (what: string, ms: number): void => {
    if (ms > 0 && ms % parentMs === 0) return;
    if (inverse) {
      throw new IllegalArgumentException(
        `requirement failed: The ${what} duration of ReducedWindowedDStream (${ms} ms) must be multiple of the slide duration of parent DStream (${parentMs} ms)`,
      );
    }
    throw new Exception(`The ${what} duration of windowed DStream (${ms} ms) must be a multiple of the slide duration of parent DStream (${parentMs} ms)`);
  };
  check('window', windowMs);
  check('slide', slideMs);
  return { windowMs, slideMs };
}

/** Batch times of `parent` in [fromMs, toMs] after the zero time. */
function parentTimes(parent: DStream<unknown>, fromMs: number, toMs: number): number[] {
  const zero = parent.graph.zeroTimeMs ?? 0;
  const out: number[] = [];
  for (let t = fromMs; t <= toMs; t += parent.slideDurationMs) if (t > zero) out.push(t);
  return out;
}

/**
 * Spark's `WindowedDStream`: at each valid time t the union of the parent's RDDs in (t − window, t].
 * It always produces an RDD (possibly with no partitions when every batch in it had none).
 */
export function windowCompute<T>(parent: DStream<T>, op: string, windowMs: number, slideMs: number): DStream<T> {
  const info: WindowInfo = { op, windowMs, slideMs, parentSlideMs: parent.slideDurationMs, lastEmitted: new Map() };
  return new DStream<T>(parent.graph, {
    op,
    parents: [parent as DStream<unknown>],
    slideDurationMs: slideMs,
    parentRememberExtraMs: windowMs,
    window: info,
    compute: (_self, t) => {
      const from = t - windowMs + parent.slideDurationMs;
      info.lastEmitted.set(t, { batchTimesMs: parentTimes(parent as DStream<unknown>, from, t), inverse: false });
      // Each batch's RDD is read by several windows; copies keep one window's functions from changing the next.
      return parent.graph.sparkContext.union(parent.sliceRdds(from, t).map((r) => r.copyElements()));
    },
  });
}

type Pair<K, V> = [K, V];

/** Deep copies of RDDs that earlier batches computed and later ones read again. */
function copies<T>(rdds: RDD<T>[]): RDD<T>[] {
  return rdds.map((r) => r.copyElements());
}

/**
 * `reduceByKeyAndWindow` with an inverse function. `reduced` is the parent already reduced per batch.
 *
 * PySpark (`PythonReducedWindowedDStream`):
 *   prev = this stream's RDD at t − slide
 *   if prev exists and window ≥ 5·slide:
 *       r = prev ⊖ (batches that left: (t − slide − window, t − window])    via leftOuterJoin + invFunc
 *       if batches entered ((t − slide, t]): r = filter(r ⊕ entered)         filterFunc only here
 *   else: r = filter(reduce of the batches in (t − window, t]), or no RDD if there are none
 *
 * JVM (`ReducedWindowedDStream`): always prev ⊖ left ⊕ entered per key (an empty prev when there is
 * none), filterFunc applied to every result, and an RDD at every valid time — so a key whose value
 * returns to the zero stays in the output unless filtered.
 */
export function reducedWindowCompute<K, V>(
  reduced: DStream<Pair<K, V>>,
  func: (a: V, b: V) => V,
  invFunc: (a: V, b: V) => V,
  windowMs: number,
  slideMs: number,
  numPartitions: number,
  filterFunc: ((kv: Pair<K, V>) => unknown) | null,
): DStream<Pair<K, V>> {
  const graph = reduced.graph;
  const sc = graph.sparkContext;
  const ps = reduced.slideDurationMs;
  const info: WindowInfo = { op: 'reduceByKeyAndWindow', windowMs, slideMs, parentSlideMs: ps, lastEmitted: new Map() };

  const reduceF = (a: RDD<Pair<K, V>> | null, b: RDD<Pair<K, V>>): RDD<Pair<K, V>> => {
    const bReduced = b.reduceByKey(func, numPartitions);
    const r = a ? a.union(bReduced).reduceByKey(func, numPartitions) : bReduced;
    return filterFunc ? r.filter(filterFunc) : r;
  };
  const invReduceF = (a: RDD<Pair<K, V>>, b: RDD<Pair<K, V>>): RDD<Pair<K, V>> => {
    const bReduced = b.reduceByKey(func, numPartitions);
    return a.leftOuterJoin(bReduced, numPartitions).mapValues(([x, y]) => (y !== null ? invFunc(x, y) : x));
  };

  const pyspark = (self: DStream<Pair<K, V>>, t: number): RDD<Pair<K, V>> | null => {
    const prevEnd = t - slideMs;
    const currentBegin = t - windowMs;
    const previous = self.getOrCompute(prevEnd)?.copyElements() ?? null;
    if (previous !== null && windowMs >= 5 * slideMs) {
      const oldRdds = copies(reduced.sliceRdds(prevEnd - windowMs + ps, currentBegin));
      const subtracted = oldRdds.length > 0 ? invReduceF(previous, sc.union(oldRdds)) : previous;
      const newRdds = copies(reduced.sliceRdds(prevEnd + ps, t));
      info.lastEmitted.set(t, { batchTimesMs: parentTimes(reduced as DStream<unknown>, currentBegin + ps, t), inverse: true });
      return newRdds.length > 0 ? reduceF(subtracted, sc.union(newRdds)) : subtracted;
    }
    info.lastEmitted.set(t, { batchTimesMs: parentTimes(reduced as DStream<unknown>, currentBegin + ps, t), inverse: false });
    const current = copies(reduced.sliceRdds(currentBegin + ps, t));
    return current.length > 0 ? reduceF(null, sc.union(current)) : null;
  };

  const jvm = (self: DStream<Pair<K, V>>, t: number): RDD<Pair<K, V>> => {
    const prevEnd = t - slideMs;
    const currentBegin = t - windowMs;
    const oldRdds = copies(reduced.sliceRdds(prevEnd - windowMs + ps, currentBegin));
    const newRdds = copies(reduced.sliceRdds(prevEnd + ps, t));
    const previous = self.getOrCompute(prevEnd)?.copyElements() ?? sc.emptyRDD<Pair<K, V>>();
    info.lastEmitted.set(t, { batchTimesMs: parentTimes(reduced as DStream<unknown>, currentBegin + ps, t), inverse: true });
    const sides = [previous, ...oldRdds, ...newRdds].map((rdd, i) => rdd.map(([k, v]) => [k, [i, v]] as Pair<K, [number, V]>));
    const grouped = sc.union(sides).groupByKey(numPartitions);
    const merged: Pair<K, V>[] = [];
    for (const [k, tagged] of grouped.collect()) {
      const prev = tagged.filter(([i]) => i === 0).map(([, v]) => v);
      const olds = tagged.filter(([i]) => i >= 1 && i <= oldRdds.length).map(([, v]) => v);
      const news = tagged.filter(([i]) => i > oldRdds.length).map(([, v]) => v);
      // Spark throws when a key has neither a previous value nor new values; such a key can only
      // appear when filterFunc removed it earlier, so it is simply not part of the window any more.
      if (prev.length === 0) {
        if (news.length > 0) merged.push([k, news.reduce(func)]);
        continue;
      }
      let value = prev[0] as V;
      if (olds.length > 0) value = invFunc(value, olds.reduce(func));
      if (news.length > 0) value = func(value, news.reduce(func));
      merged.push([k, value]);
    }
    const r = sc.parallelize(merged, numPartitions);
    return filterFunc ? r.filter(filterFunc) : r;
  };

  return new DStream<Pair<K, V>>(graph, {
    op: 'reduceByKeyAndWindow',
    parents: [reduced as DStream<unknown>],
    slideDurationMs: slideMs,
    parentRememberExtraMs: windowMs,
    stateful: true,
    window: info,
    compute: graph.semantics === 'jvm' ? jvm : pyspark,
  });
}
