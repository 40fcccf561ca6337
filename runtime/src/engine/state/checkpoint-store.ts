/**
 * Where a query keeps its progress (Spark's checkpoint location): query metadata, the offset log
 * (written before a batch runs), the commit log (written after the sink accepted it) and state
 * snapshots per stateful operator and version. The engine talks only to this interface; the
 * in-memory store lives here, the file-system store (Spark-like layout) in `runtime/src/checkpoint/`.
 */
import type { Offset } from '../sources/source.js';
import { applyDeltas, type StateDelta, type StateSnapshot, type StateVersion } from './state-store.js';

/** Query metadata (`metadata` file): the id is stable across restarts. */
export interface QueryMetadata {
  readonly id: string;
}

/** One offset log entry (`offsets/<batchId>`). */
export interface OffsetLogEntry {
  readonly batchId: number;
  readonly batchWatermarkMs: number;
  readonly batchTimestampMs: number;
  /** Confs frozen at first start (e.g. the multiple-watermark policy). */
  readonly conf: Readonly<Record<string, string>>;
  /** End offset per source, in source order. */
  readonly offsets: readonly Offset[];
}

/** One commit log entry (`commits/<batchId>`). */
export interface CommitLogEntry {
  readonly batchId: number;
  readonly nextBatchWatermarkMs: number;
}

/** Storage for a query's checkpoint. All methods may do I/O. */
export interface CheckpointStore {
  readMetadata(): Promise<QueryMetadata | null>;
  writeMetadata(m: QueryMetadata): Promise<void>;
  /** Highest batch id with an offset log entry, or null. */
  latestOffsetBatchId(): Promise<number | null>;
  readOffsets(batchId: number): Promise<OffsetLogEntry | null>;
  writeOffsets(e: OffsetLogEntry): Promise<void>;
  readCommit(batchId: number): Promise<CommitLogEntry | null>;
  writeCommit(e: CommitLogEntry): Promise<void>;
  /** Source-specific metadata such as Kafka's initial offsets (`sources/<n>/0`). */
  readSourceMetadata(sourceIndex: number): Promise<Offset | null>;
  writeSourceMetadata(sourceIndex: number, value: Offset): Promise<void>;
  /** A source's own log (the file source's `sources/<n>/<batch>`): the highest entry, an entry, a new entry. */
  latestSourceLog(sourceIndex: number): Promise<number | null>;
  readSourceLog(sourceIndex: number, batchId: number): Promise<string[] | null>;
  writeSourceLog(sourceIndex: number, batchId: number, lines: readonly string[]): Promise<void>;
  /**
   * The state of an operator at a version (version = batchId + 1), or null when it is not kept. A
   * returned snapshot is the caller's.
   */
  readState(operatorId: number, version: number): Promise<StateSnapshot<unknown> | null>;
  /**
   * Keeps a committed version. As Spark's state store does, a store keeps the version's delta and takes
   * the whole state (`snapshot()`, before its first await) only every few versions; any of the last
   * {@link RETAIN_STATE_VERSIONS} versions stays readable. Writing a version forgets later ones (a batch
   * run again after a restart replaces what it wrote before).
   */
  writeState(operatorId: number, version: number, state: StateVersion<unknown>): Promise<void>;
}

/** Versions of an operator's state kept readable on disk (Spark's `spark.sql.streaming.minBatchesToRetain`). */
export const RETAIN_STATE_VERSIONS = 100;

/**
 * Versions kept readable in memory (Spark's `spark.sql.streaming.maxBatchesToRetainInMemory`): a restart
 * reads the last committed version, or the one before when the last batch did not commit.
 */
export const RETAIN_STATE_VERSIONS_IN_MEMORY = 2;

/** A checkpoint kept in memory (survives `stop()`/`start()` within one process). */
export class InMemoryCheckpointStore implements CheckpointStore {
  /** @param retainVersions state versions kept readable per operator */
  constructor(private readonly retainVersions = RETAIN_STATE_VERSIONS_IN_MEMORY) {}

  private metadata: QueryMetadata | null = null;
  private readonly offsets = new Map<number, OffsetLogEntry>();
  private readonly commits = new Map<number, CommitLogEntry>();
  private readonly sources = new Map<number, Offset>();
  private readonly sourceLogs = new Map<number, Map<number, string[]>>();
  private readonly state = new Map<number, InMemoryStateLog>();

  async readMetadata(): Promise<QueryMetadata | null> {
    return this.metadata;
  }
  async writeMetadata(m: QueryMetadata): Promise<void> {
    this.metadata = m;
  }
  async latestOffsetBatchId(): Promise<number | null> {
    return this.offsets.size === 0 ? null : Math.max(...this.offsets.keys());
  }
  async readOffsets(batchId: number): Promise<OffsetLogEntry | null> {
    return this.offsets.get(batchId) ?? null;
  }
  async writeOffsets(e: OffsetLogEntry): Promise<void> {
    this.offsets.set(e.batchId, e);
  }
  async readCommit(batchId: number): Promise<CommitLogEntry | null> {
    return this.commits.get(batchId) ?? null;
  }
  async writeCommit(e: CommitLogEntry): Promise<void> {
    this.commits.set(e.batchId, e);
  }
  async readSourceMetadata(sourceIndex: number): Promise<Offset | null> {
    return this.sources.get(sourceIndex) ?? null;
  }
  async writeSourceMetadata(sourceIndex: number, value: Offset): Promise<void> {
    this.sources.set(sourceIndex, value);
  }
  async latestSourceLog(sourceIndex: number): Promise<number | null> {
    const log = this.sourceLogs.get(sourceIndex);
    return log && log.size > 0 ? Math.max(...log.keys()) : null;
  }
  async readSourceLog(sourceIndex: number, batchId: number): Promise<string[] | null> {
    return this.sourceLogs.get(sourceIndex)?.get(batchId) ?? null;
  }
  async writeSourceLog(sourceIndex: number, batchId: number, lines: readonly string[]): Promise<void> {
    let log = this.sourceLogs.get(sourceIndex);
    if (!log) this.sourceLogs.set(sourceIndex, (log = new Map()));
    log.set(batchId, [...lines]);
  }
  async readState(operatorId: number, version: number): Promise<StateSnapshot<unknown> | null> {
    return this.state.get(operatorId)?.read(version) ?? null;
  }
  async writeState(operatorId: number, version: number, state: StateVersion<unknown>): Promise<void> {
    let log = this.state.get(operatorId);
    if (!log) this.state.set(operatorId, (log = new InMemoryStateLog(this.retainVersions)));
    log.write(version, state);
  }
}

/**
 * One operator's state in memory: a base version the log owns, and the deltas after it. Memory is one
 * copy of the state plus the retained deltas, however many batches run; deltas older than the
 * retained versions are folded into the base.
 */
class InMemoryStateLog {
  constructor(private readonly retain: number) {}

  private base = new Map<string, unknown>();
  private baseVersion = 0;
  private readonly deltas = new Map<number, StateDelta<unknown>>();

  private get latest(): number {
    return this.baseVersion + this.deltas.size;
  }

  write(version: number, state: StateVersion<unknown>): void {
    // A batch run again after a restart: what was written from that version on is replaced.
    for (let v = this.latest; v >= version && v > this.baseVersion; v--) this.deltas.delete(v);
    if (version <= this.baseVersion || version !== this.latest + 1) {
      // Not the next version (nothing kept lines up with it): start again from the whole state.
      const snap = state.snapshot();
      this.base = new Map(snap.entries as Iterable<readonly [string, unknown]>);
      this.baseVersion = version;
      this.deltas.clear();
      return;
    }
    this.deltas.set(version, state.delta);
    // Fold what is older than the retained versions into the base, a batch of deltas at a time.
    if (this.deltas.size > 2 * this.retain) {
      const until = this.latest - this.retain + 1;
      for (let v = this.baseVersion + 1; v <= until; v++) {
        applyDeltas(this.base, [this.deltas.get(v)!]);
        this.deltas.delete(v);
      }
      this.baseVersion = until;
    }
  }

  read(version: number): StateSnapshot<unknown> | null {
    if (version < this.baseVersion || version > this.latest) return null;
    const entries = new Map(this.base);
    for (let v = this.baseVersion + 1; v <= version; v++) applyDeltas(entries, [this.deltas.get(v)!]);
    return { version, entries };
  }
}

/** Resolves `checkpointLocation` strings to stores; the runtime registers a file-system resolver. */
export type CheckpointResolver = (location: string) => CheckpointStore;
