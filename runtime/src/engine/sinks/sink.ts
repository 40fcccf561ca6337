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

/** What a sink provider receives at `start()`. */
export interface SinkContext {
  readonly options: Readonly<Record<string, string>>;
  readonly schema: StructType;
  readonly outputMode: OutputMode;
  readonly queryName: string | undefined;
  /**
   * The streaming query's id, stable across restarts from the same checkpoint (its `metadata`
   * file); absent for static writes. Exactly-once sinks key their commit records on it.
   */
  readonly queryId?: string;
}

/** Creates sinks for one `format(...)` name. */
export interface SinkProvider {
  /** Checks the query's schema and options before it starts; throw AnalysisException with Spark's text. */
  validate?(ctx: SinkContext): void;
  /** Output modes the sink accepts (default: all). */
  readonly supportedModes?: readonly OutputMode[];
  createSink(ctx: SinkContext): Sink | Promise<Sink>;
}
