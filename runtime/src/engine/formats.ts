/**
 * The `format(...)` names a session knows, for streaming sources, static sources and sinks. Each
 * SparkSession holds its own registry (`spark.formats`): a new one knows the built-ins that need no I/O
 * (`rate`; `noop`, `console`, `memory`, `foreach`, `foreachBatch`); whoever creates the session registers the rest into it before handing it over —
 * the job process and the checks register the connectors (Kafka, PostgreSQL, JDBC) from outside the
 * engine. Nothing is shared between sessions.
 */
import { IllegalArgumentException } from './errors.js';
import { consoleSinkProvider } from './sinks/console-sink.js';
import { noopSinkProvider } from './sinks/noop-sink.js';
import { foreachBatchSinkProvider, foreachSinkProvider, memorySinkProvider } from './sinks/session-sinks.js';
import type { SinkProvider } from './sinks/sink.js';
import { rateSourceProvider } from './sources/rate-source.js';
import type { SourceProvider } from './sources/source.js';
import type { Row } from './expressions/compile.js';
import type { StructType } from './types.js';

/** A static (batch) source for `spark.read.format(name)`: reads synchronously, returns rows in engine form. */
export interface BatchSourceProvider {
  read(options: Readonly<Record<string, string>>, userSchema: StructType | undefined): { schema: StructType; rows: Row[] };
}

/** Spark's error for a `format(name)` no provider answers. */
export function dataSourceNotFound(name: string): IllegalArgumentException {
  return new IllegalArgumentException(`[DATA_SOURCE_NOT_FOUND] Failed to find the data source: ${name}. Please find packages at \`https://spark.apache.org/third-party-projects.html\`.`, { code: 'DATA_SOURCE_NOT_FOUND' });
}

/** Format names (case-insensitive, as Spark's) to their providers. */
export class FormatRegistry {
  private readonly sources = new Map<string, SourceProvider>();
  private readonly batchSources = new Map<string, BatchSourceProvider>();
  private readonly sinks = new Map<string, SinkProvider>();

  /**
   * A registry that knows the built-ins needing no I/O: the `rate` source, and the `noop`, `console`,
   * `memory`, `foreach` and `foreachBatch` sinks.
   */
  static withBuiltIns(): FormatRegistry {
    return new FormatRegistry()
      .registerSource('rate', rateSourceProvider)
      .registerSink('noop', noopSinkProvider)
      .registerSink('console', consoleSinkProvider)
      .registerSink('memory', memorySinkProvider)
      .registerSink('foreach', foreachSinkProvider)
      .registerSink('foreachBatch', foreachBatchSinkProvider);
  }

  /** Registers (or replaces) the source for `readStream.format(name)`. */
  registerSource(name: string, provider: SourceProvider): this {
    this.sources.set(name.toLowerCase(), provider);
    return this;
  }

  /** Registers (or replaces) the static source for `read.format(name)`. */
  registerBatchSource(name: string, provider: BatchSourceProvider): this {
    this.batchSources.set(name.toLowerCase(), provider);
    return this;
  }

  /** Registers (or replaces) the sink for `writeStream.format(name)` and `write.format(name)`. */
  registerSink(name: string, provider: SinkProvider): this {
    this.sinks.set(name.toLowerCase(), provider);
    return this;
  }

  /** The source provider for a format, or Spark's "Failed to find data source" error. */
  source(name: string): SourceProvider {
    const p = this.sources.get(name.toLowerCase());
    if (!p) throw dataSourceNotFound(name);
    return p;
  }

  /** The static source provider for a format, or Spark's "Failed to find data source" error. */
  batchSource(name: string): BatchSourceProvider {
    const p = this.batchSources.get(name.toLowerCase());
    if (!p) throw dataSourceNotFound(name);
    return p;
  }

  /** The sink provider for a format, or undefined. */
  sink(name: string): SinkProvider | undefined {
    return this.sinks.get(name.toLowerCase());
  }
}
