/**
 * A versioned key-value state store, one per stateful operator (Spark's StateStore): reads see the
 * committed version plus this batch's own writes; `commit()` publishes the writes as the next
 * version, `abort()` throws them away. Iteration follows first-insertion order, which gives the
 * engine a deterministic output order.
 */
const DELETED = Symbol('deleted');

/** A serialisable copy of one committed version. */
export interface StateSnapshot<V> {
  readonly version: number;
  /** Key → value pairs (a Map copy, or pairs when read back from disk). */
  readonly entries: ReadonlyMap<string, V> | readonly (readonly [string, V])[];
}

/** What one commit changed: the keys it wrote (with their values) and the committed keys it removed. */
export interface StateDelta<V> {
  readonly version: number;
  readonly puts: ReadonlyMap<string, V>;
  readonly deletes: readonly string[];
}

/**
 * A committed version as a checkpoint takes it: the delta always (small), the whole state only when the
 * checkpoint asks for it (every few versions), so a batch costs what it changed, not what the state holds.
 */
export interface StateVersion<V> {
  readonly delta: StateDelta<V>;
  snapshot(): StateSnapshot<V>;
}

/** Applies `deltas` (in version order) to `entries` in place. */
export function applyDeltas<V>(entries: Map<string, V>, deltas: Iterable<StateDelta<V>>): Map<string, V> {
  for (const d of deltas) {
    for (const k of d.deletes) entries.delete(k);
    for (const [k, v] of d.puts) entries.set(k, v);
  }
  return entries;
}

/** Versioned state for one operator. */
export class StateStore<V> {
  private committed = new Map<string, V>();
  private pending = new Map<string, V | typeof DELETED>();
  private committedVersion = 0;
  private lastDelta: StateDelta<V> = { version: 0, puts: new Map(), deletes: [] };
  /** Live keys as this batch sees them, kept up to date so `size` is O(1). */
  private liveCount = 0;
  /** Whether `pending` holds a removal (else a commit can publish `pending` itself as the delta's puts). */
  private pendingDeletes = false;

  private isLive(key: string): boolean {
    const p = this.pending.get(key);
    if (p !== undefined) return p !== DELETED;
    return this.committed.has(key);
  }

  /** The last committed version (0 = empty initial state; batch N commits version N + 1). */
  get version(): number {
    return this.committedVersion;
  }

  get(key: string): V | undefined {
    const p = this.pending.get(key);
    if (p !== undefined) return p === DELETED ? undefined : p;
    return this.committed.get(key);
  }

  /**
   * Writes `value` under `key`. A caller that has just read the key may say whether it was live
   * (`get` returned a value), which spares looking it up again.
   */
  put(key: string, value: V, live: boolean = this.isLive(key)): void {
    if (!live) this.liveCount++;
    this.pending.set(key, value);
  }

  remove(key: string): void {
    if (this.isLive(key)) this.liveCount--;
    if (this.committed.has(key)) {
      this.pending.set(key, DELETED);
      this.pendingDeletes = true;
    } else this.pending.delete(key);
  }

  /**
   * Calls `f` for every live entry as this batch sees them, without allocating pairs. `f` may remove
   * the entry it is given.
   */
  forEach(f: (value: V, key: string) => void): void {
    for (const [k, v] of this.committed) {
      const p = this.pending.get(k);
      if (p === undefined) f(v, k);
      else if (p !== DELETED) f(p, k);
    }
    for (const [k, p] of this.pending) {
      if (p !== DELETED && !this.committed.has(k)) f(p, k);
    }
  }

  /** Entries as this batch sees them. */
  *entries(): IterableIterator<[string, V]> {
    for (const [k, v] of this.committed) {
      const p = this.pending.get(k);
      if (p === undefined) yield [k, v];
      else if (p !== DELETED) yield [k, p];
    }
    for (const [k, p] of this.pending) {
      if (p !== DELETED && !this.committed.has(k)) yield [k, p];
    }
  }

  /** Number of live keys as this batch sees them. */
  get size(): number {
    return this.liveCount;
  }

  /** Whether there are uncommitted writes. */
  get hasPending(): boolean {
    return this.pending.size > 0;
  }

  /** Publishes this batch's writes as version `version` (Spark: batchId + 1). */
  commit(version = this.committedVersion + 1): number {
    const deletes: string[] = [];
    let puts: Map<string, V>;
    if (!this.pendingDeletes) {
      // Only writes: the pending map becomes the delta's puts as it is, and the next batch gets a new one.
      for (const [k, p] of this.pending) this.committed.set(k, p as V);
      puts = this.pending as Map<string, V>;
      this.pending = new Map();
    } else {
      puts = new Map();
      for (const [k, p] of this.pending) {
        if (p === DELETED) {
          this.committed.delete(k);
          deletes.push(k);
        } else {
          this.committed.set(k, p);
          puts.set(k, p);
        }
      }
      this.pending.clear();
      this.pendingDeletes = false;
    }
    this.committedVersion = version;
    this.lastDelta = { version, puts, deletes };
    return version;
  }

  /** The last committed version for a checkpoint: its delta, and the whole state on request. */
  committedVersionForCheckpoint(): StateVersion<V> {
    const delta = this.lastDelta;
    return { delta, snapshot: () => this.snapshot() };
  }

  /** Discards this batch's writes. */
  abort(): void {
    this.pending.clear();
    this.pendingDeletes = false;
    this.liveCount = this.committed.size;
  }

  /** The committed version as plain data. */
  snapshot(): StateSnapshot<V> {
    // A Map copy is native and allocates no per-entry pairs; later commits never touch it.
    return { version: this.committedVersion, entries: new Map(this.committed) };
  }

  /** Replaces the contents with a snapshot (used on restart). */
  restore(s: StateSnapshot<V>): void {
    this.committed = new Map(s.entries as Iterable<readonly [string, V]>);
    this.pending.clear();
    this.pendingDeletes = false;
    this.liveCount = this.committed.size;
    this.committedVersion = s.version;
    this.lastDelta = { version: s.version, puts: new Map(), deletes: [] };
  }
}
