/**
 * The pluggable source contract (Spark's `SupportsAdmissionControl` micro-batch stream, async so
 * connectors may do I/O). Offsets are JSON values: they are written to the checkpoint's offset log
 * before a batch runs and handed back unchanged on restart.
 */
import type { Row } from '../expressions/compile.js';
import type { Clock } from '../clock.js';
import type { StructType } from '../types.js';

/** A JSON-serialisable source position. */
export type Offset = null | boolean | number | string | readonly Offset[] | { readonly [k: string]: Offset };

/** How much one trigger may read (Spark's ReadLimit). */
export type ReadLimit =
  | { readonly kind: 'allAvailable' }
  | { readonly kind: 'maxRows'; readonly maxRows: number }
  | { readonly kind: 'minRows'; readonly minRows: number; readonly maxTriggerDelayMs: number; readonly maxRows?: number };

/** A streaming source instance, created when a query starts. */
export interface Source {
  readonly schema: StructType;
  /** Where a fresh query starts (before any data); e.g. Kafka's `startingOffsets`. */
  initialOffset(): Promise<Offset>;
  /** The read limit the source wants by default (from options such as `maxOffsetsPerTrigger`). */
  defaultReadLimit(): ReadLimit;
  /** The end offset of the next batch starting at `start`, honouring `limit`; equal to `start` when nothing is new. */
  latestOffset(start: Offset, limit: ReadLimit): Promise<Offset>;
  /** Rows in `(start, end]`. Must return the same rows when asked again after a restart. */
  getBatch(start: Offset, end: Offset): Promise<Row[]>;
  /** Everything up to `end` has been processed and committed; the source may forget it. */
  commit(end: Offset): Promise<void>;
  /** Called once when the query stops. */
  stop(): Promise<void>;
  /** Registers a callback fired when new data may be available; returns an unsubscribe function. */
  onNewData?(listener: () => void): () => void;
  /**
   * The source keeps its own log in `sources/<n>/` (the file source), so the query does not keep its
   * initial offset in `sources/<n>/0`.
   */
  readonly keepsSourceLog?: boolean;
}

/** A source's own log in the checkpoint (`sources/<n>/<batch>`), one entry of lines per log batch. */
export interface SourceLog {
  /** The highest log batch id written, or null. */
  latest(): Promise<number | null>;
  get(batchId: number): Promise<string[] | null>;
  /** Writes an entry (whole or not at all). */
  add(batchId: number, lines: readonly string[]): Promise<void>;
}

/** What a source provider receives when a query starts. */
export interface SourceContext {
  readonly options: Readonly<Record<string, string>>;
  readonly userSchema: StructType | undefined;
  readonly clock: Clock;
  /** Stable per query and source position, for sources that keep metadata. */
  readonly sourceIndex: number;
  /** Where a source says what it is waiting for (the run's output), when the query has one. */
  readonly log?: (line: string) => void;
  /** The source's log in the query's checkpoint (`sources/<sourceIndex>/`). */
  readonly sourceLog?: SourceLog;
  /** The session's configuration (`spark.sql.streaming.schemaInference`). */
  readonly conf?: Readonly<Record<string, string>>;
}

/** Creates sources for one `format(...)` name. */
export interface SourceProvider {
  /** The schema a `load()` gets, known before the query starts (throws on bad options). */
  sourceSchema(options: Readonly<Record<string, string>>, userSchema: StructType | undefined, conf?: Readonly<Record<string, string>>): StructType;
  createSource(ctx: SourceContext): Source | Promise<Source>;
}

/** Offsets compare by their JSON form. */
export function sameOffset(a: Offset | undefined, b: Offset | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
