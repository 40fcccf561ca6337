/**
 * The serving layer's answer cache, standing in for the memcached of a lambda architecture's web
 * tier: answers of executed queries by key, each kept with the version of the data it was computed
 * from (PostgreSQL's snapshot, see `DatabaseService.snapshotRead`).
 *
 *   lookup(key, version)   an answer under the same version      → hit
 *                          an answer under another version        → invalidation, then miss
 *                          no answer                              → miss
 *   store(key, version, v) keeps v for the next lookup
 *
 * New data is a committed transaction, and a committed transaction changes the version: an answer is
 * dropped the first time it is asked for after a speed batch or a batch-layer run committed, and is
 * never served from before it.
 */

/** How a lookup went and the counts since the cache was made. */
export interface CacheCounts {
  hits: number;
  misses: number;
  invalidations: number;
}

/** Answers by key, each valid for one data version. */
export class AnswerCache<V> {
  private readonly entries = new Map<string, { version: string; value: V }>();
  private readonly counts: CacheCounts = { hits: 0, misses: 0, invalidations: 0 };

  /** @param maxEntries answers kept at most (the oldest goes first) */
  constructor(private readonly maxEntries = 100) {}

  /** The answer for `key` computed from data version `version`, counted as a hit; undefined (a miss) otherwise. */
  lookup(key: string, version: string): V | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.version === version) {
      this.counts.hits++;
      return entry.value;
    }
    if (entry) {
      this.entries.delete(key);
      this.counts.invalidations++;
    }
    this.counts.misses++;
    return undefined;
  }

  /** Whether an answer for `key` at `version` is kept (counts nothing). */
  has(key: string, version: string): boolean {
    return this.entries.get(key)?.version === version;
  }

  /** Keeps `value` as the answer for `key` at `version`. */
  store(key: string, version: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { version, value });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  /** The counts so far. */
  stats(): CacheCounts {
    return { ...this.counts };
  }
}
