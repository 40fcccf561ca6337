/**
 * Where a StreamingContext keeps its checkpoint. The DStream graph itself cannot be serialised (it
 * holds the learner's functions), so — like re-running the PySpark program with
 * `StreamingContext.getOrCreate` — the program rebuilds the same graph and the checkpoint restores
 * the data: the last batch time, the RDDs of stateful streams, and input positions.
 */

/** Checkpointed data of one stateful DStream (its RDD at `timeMs`). */
export interface StreamCheckpoint {
  /** Operation name, checked on restore so a changed pipeline does not pick up foreign state. */
  op: string;
  timeMs: number;
  partitions: unknown[][];
}

/** Everything a context needs to resume. JSON-serialisable when the records are. */
export interface DStreamCheckpoint {
  version: 1;
  batchDurationMs: number;
  zeroTimeMs: number;
  /** Time of the last completed batch. */
  lastBatchTimeMs: number;
  /** Keyed by DStream id. */
  streams: Record<string, StreamCheckpoint>;
  /** Positions of direct inputs, keyed by DStream id. */
  inputs: Record<string, unknown>;
  /**
   * Recent input batches a window still needs, keyed by DStream id (Spark rebuilds them from the
   * checkpointed offset ranges), so a window spanning a restart still holds the batches before it.
   */
  inputRdds?: Record<string, { timeMs: number; partitions: unknown[][] }[]>;
}

/** Pluggable checkpoint storage; the runtime provides a file-backed one outside the pure engine. */
export interface CheckpointStore {
  load(dir: string): Promise<DStreamCheckpoint | undefined>;
  save(dir: string, checkpoint: DStreamCheckpoint): Promise<void>;
}

/**
 * Keeps checkpoints in memory, keyed by directory. A save keeps the object it is given (the context
 * builds a fresh one per batch and never changes it; copying the window's input batches on every
 * batch would cost more than the batch itself); a load returns a deep copy.
 */
export class InMemoryCheckpointStore implements CheckpointStore {
  private readonly byDir = new Map<string, DStreamCheckpoint>();

  async load(dir: string): Promise<DStreamCheckpoint | undefined> {
    const cp = this.byDir.get(dir);
    return cp === undefined ? undefined : structuredClone(cp);
  }

  async save(dir: string, checkpoint: DStreamCheckpoint): Promise<void> {
    this.byDir.set(dir, checkpoint);
  }

  /** Forgets a directory (like deleting it). */
  delete(dir: string): void {
    this.byDir.delete(dir);
  }
}

let shared: InMemoryCheckpointStore | undefined;

/** The store used when none is configured: one per process, so a second context finds the first one's directory. */
export function defaultCheckpointStore(): InMemoryCheckpointStore {
  shared ??= new InMemoryCheckpointStore();
  return shared;
}
