import { DStream } from './dstream.js';
import type { RDD } from './rdd.js';

type Pair<K, V> = [K, V];

/**
 * `updateStateByKey` (PySpark's `PythonStateDStream`, JVM `StateDStream`):
 *
 *   last = this stream's RDD at t − slide, else the initial RDD
 *   if the parent has an RDD at t:
 *       for every key in last ∪ parent: s = updateFunc(new values (maybe []), last state or null)
 *       keep the pairs whose s is not null/undefined
 *   else: PySpark carries `last` over unchanged; the JVM calls updateFunc([], s) for every key
 *         (and produces no RDD when there is no previous state).
 */
export function stateCompute<K, V, S>(
  parent: DStream<Pair<K, V>>,
  updateFunc: (newValues: V[], lastState: S | null) => S | null | undefined,
  numPartitions: number,
  initial: RDD<Pair<K, S>> | null,
): DStream<Pair<K, S>> {
  const graph = parent.graph;

  const update = (last: RDD<Pair<K, S>> | null, batch: RDD<Pair<K, V>>): RDD<Pair<K, S>> => {
    const grouped: RDD<Pair<K, [V[], S | null]>> = last === null
      ? batch.groupByKey(numPartitions).mapValues((vs) => [vs, null] as [V[], S | null])
      : last.cogroup(batch.partitionBy(numPartitions), numPartitions).mapValues(([ss, vs]) => [vs, ss.length > 0 ? (ss[0] as S) : null] as [V[], S | null]);
    return grouped
      .mapValues(([vs, s]) => updateFunc(vs, s))
      .filter(([, s]) => s !== null && s !== undefined) as RDD<Pair<K, S>>;
  };

  return new DStream<Pair<K, S>>(graph, {
    op: 'updateStateByKey',
    parents: [parent as DStream<unknown>],
    slideDurationMs: parent.slideDurationMs,
    stateful: true,
    compute: (self, t) => {
      const previous = self.getOrCompute(t - parent.slideDurationMs);
      const batch = parent.getOrCompute(t);
      // The update function may mutate the state it is given; it gets copies, never the last RDD's values.
      const last = (previous ?? initial)?.copyElements() ?? null;
      if (graph.semantics === 'jvm') {
        if (batch !== null) return update(last, batch);
        if (previous === null) return null;
        return (last as RDD<Pair<K, S>>)
          .mapValues((s) => updateFunc([], s))
          .filter(([, s]) => s !== null && s !== undefined) as RDD<Pair<K, S>>;
      }
      if (batch !== null) return update(last, batch);
      return previous;
    },
  });
}
