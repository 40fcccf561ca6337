/**
 * Where a query keeps its progress (Spark's checkpoint location): query metadata, the offset log
 * (written before a batch runs), the commit log (written after the sink accepted it) and state
 * snapshots per stateful operator and version. The engine talks only to this interface; the
 * in-memory store lives here, the file-system store (Spark-like layout) in `runtime/src/checkpoint/`.
 */
import type { Offset } from './sources/source.js';
import type { StateSnapshot } from './state-store.js';

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
  /**
   * State snapshot of an operator at a version (version = batchId + 1). The snapshot is never
   * mutated after it is handed over, so an in-memory store may keep it as is.
   */
  readState(operatorId: number, version: number): Promise<StateSnapshot<unknown> | null>;
  writeState(operatorId: number, version: number, snapshot: StateSnapshot<unknown>): Promise<void>;
}

/** A checkpoint kept in memory (survives `stop()`/`start()` within one process). */
export class InMemoryCheckpointStore implements CheckpointStore {
  private metadata: QueryMetadata | null = null;
  private readonly offsets = new Map<number, OffsetLogEntry>();
  private readonly commits = new Map<number, CommitLogEntry>();
  private readonly sources = new Map<number, Offset>();
  private readonly state = new Map<string, StateSnapshot<unknown>>();

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
  async readState(operatorId: number, version: number): Promise<StateSnapshot<unknown> | null> {
    return this.state.get(`${operatorId}/${version}`) ?? null;
  }
  async writeState(operatorId: number, version: number, snapshot: StateSnapshot<unknown>): Promise<void> {
    this.state.set(`${operatorId}/${version}`, snapshot);
    // Keep a bounded history, as Spark's minBatchesToRetain does.
    this.state.delete(`${operatorId}/${version - 100}`);
  }
}

/** Resolves `checkpointLocation` strings to stores; the runtime registers a file-system resolver. */
export type CheckpointResolver = (location: string) => CheckpointStore;
