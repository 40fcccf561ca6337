/**
 * Key-value pairs, PySpark's 2-tuples. Pair operations read the key and value types off the
 * stream's element type instead of inferring them from the learner's functions, so a function that
 * returns `[sum, count]` is checked against the tuple type rather than widened to `number[]`.
 */

/** A key-value pair. */
export type Pair<K, V> = [K, V];

/** Any pair; the element type pair operations require. */
export type AnyPair = readonly [unknown, unknown];

/** The key type of a pair type. */
export type KeyOf<T> = T extends readonly [infer K, unknown] ? K : never;

/** The value type of a pair type. */
export type ValueOf<T> = T extends readonly [unknown, infer V] ? V : never;
