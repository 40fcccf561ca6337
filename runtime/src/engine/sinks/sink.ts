/**
 * The pluggable sink contract. A sink receives each micro-batch's output rows with the batch id;
 * sinks that must be exactly-once dedupe by batch id (a batch may be replayed after a crash).
 */
import type { Zone } from '../time-zone.js';
import type { Row } from '../expressions/compile.js';
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
  /** The session time zone, read when a batch prints its timestamps. */
  readonly timeZone?: Zone;
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

/** What the PySpark export knows of a query when a sink's {@link SinkProvider.pyspark} hook writes it. */
export interface SinkExportQuery {
  /** The Python variable the started query is bound to (`query`, `totals`). */
  readonly variable: string;
  /** The query as the export's messages name it (`query "totals"`, `query 2`). */
  readonly where: string;
  /** The `option(...)`s the program gave. */
  readonly options: Readonly<Record<string, string>>;
  /** The function or writer given to `foreachBatch`/`foreach`. */
  readonly callback?: unknown;
}

/** The Python text the export lends a sink's hook, so that every sink quotes and names alike. */
export interface PySparkText {
  /** A Python string literal. */
  str(value: string): string;
  /** A Python identifier made from `name`, or `fallback` when nothing of it is usable. */
  ident(name: string, fallback: string): string;
  /** Declares a marked stub for learner code PySpark cannot run as it is; returns the stub's (unique) name. */
  stub(spec: { name: string; where: string; params: string[]; source: string }): string;
}

/** A sink as PySpark writes it. */
export interface SinkExportCode {
  /** Python definitions to place before the query (a `foreachBatch` writer). */
  readonly helpers?: readonly string[];
  /** The writer call after `.outputMode(...)`: `.foreachBatch(write_query_to_postgres)`, `.foreach(process_row)`. */
  readonly writer: string;
  /** The options still written as `.option(k, v)` after it (default: all the program gave). */
  readonly options?: Readonly<Record<string, string>>;
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
  /** The query must have a checkpoint location (Spark's file sink). */
  readonly requiresCheckpointLocation?: boolean;
  /** Output modes the sink accepts (default: all). */
  readonly supportedModes?: readonly OutputMode[];
  createSink(ctx: SinkContext): Sink | Promise<Sink>;
  /**
   * How the PySpark export writes a query into this sink when PySpark has no `format(name)` for it
   * (default: `.format(name)` with the program's options).
   */
  pyspark?(query: SinkExportQuery, py: PySparkText): SinkExportCode;
}
