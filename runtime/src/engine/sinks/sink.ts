/**
 * The pluggable sink contract. A sink receives each micro-batch's output rows with the batch id;
 * sinks that must be exactly-once dedupe by batch id (a batch may be replayed after a crash).
 */
import type { Row } from '../compile.js';
import type { OutputMode } from '../physical/operator.js';
import type { StructType } from '../types.js';

/** One micro-batch as a sink sees it. */
export interface SinkBatch {
  readonly batchId: number;
  readonly schema: StructType;
  readonly rows: readonly Row[];
  readonly outputMode: OutputMode;
}

/** A running sink. */
export interface Sink {
  addBatch(batch: SinkBatch): void | Promise<void>;
  stop?(): void | Promise<void>;
}

/** What of the session writing a DataFrame its sinks reach. */
export interface SinkSession {
  /** Where the session's printed text goes now (the console sink looks it up per batch). */
  readonly outputFunction: (text: string) => void;
  /** The memory table named `name`, made empty with `schema` if new (`spark.table(name)` reads it). */
  memoryTable(name: string, schema: StructType): Sink;
  /** A static DataFrame over one batch's rows, as `foreachBatch` passes it. */
  batchFrame(batch: SinkBatch): unknown;
}

/** What a sink provider receives at `start()` (or `save()`). */
export interface SinkContext {
  readonly options: Readonly<Record<string, string>>;
  readonly schema: StructType;
  readonly outputMode: OutputMode;
  readonly queryName: string | undefined;
  /** The session writing. */
  readonly session: SinkSession;
  /** The function or writer given to `foreachBatch`/`foreach`. */
  readonly callback?: unknown;
  /** The `partitionBy` columns. */
  readonly partitionColumns?: readonly string[];
  /**
   * The streaming query's id, stable across restarts from the same checkpoint (its `metadata`
   * file); absent for static writes. Exactly-once sinks key their commit records on it.
   */
  readonly queryId?: string;
}

/** Creates sinks for one `format(...)` name. */
export interface SinkProvider {
  /** How the query's progress names the sink (`sink.description`; default: the format name). */
  readonly description?: string;
  /** Only `writeStream` finds the sink; `write.format(name)` does not (memory, console, foreach, foreachBatch). */
  readonly streamingOnly?: boolean;
  /** Checks the query's schema and options before it starts; throw AnalysisException with Spark's text. */
  validate?(ctx: SinkContext): void;
  /** Runs in `start()` once the query is accepted: what Spark shows from `start()` on (the memory sink's empty table). */
  prepare?(ctx: SinkContext): void;
  /** Output modes the sink accepts (default: all). */
  readonly supportedModes?: readonly OutputMode[];
  createSink(ctx: SinkContext): Sink | Promise<Sink>;
}
