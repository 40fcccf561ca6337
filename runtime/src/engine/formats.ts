/**
 * Registry of `format(...)` names for sources and sinks. Built-ins that need no I/O register here;
 * connectors (Kafka, PostgreSQL, JDBC) register themselves from outside the engine.
 */
import { IllegalArgumentException } from './errors.js';
import { noopSinkProvider } from './sinks/noop-sink.js';
import type { SinkProvider } from './sinks/sink.js';
import { rateSourceProvider } from './sources/rate-source.js';
import type { SourceProvider } from './sources/source.js';
import type { Row } from './compile.js';
import type { StructType } from './types.js';

/** A static (batch) source for `spark.read.format(name)`: reads synchronously, returns rows in engine form. */
export interface BatchSourceProvider {
  read(options: Readonly<Record<string, string>>, userSchema: StructType | undefined): { schema: StructType; rows: Row[] };
}

const sources = new Map<string, SourceProvider>();
const batchSources = new Map<string, BatchSourceProvider>();
const sinks = new Map<string, SinkProvider>();

/** Registers (or replaces) the source for `format(name)`. */
export function registerSourceProvider(name: string, provider: SourceProvider): void {
  sources.set(name.toLowerCase(), provider);
}

/** Registers (or replaces) the sink for `writeStream.format(name)`. */
export function registerSinkProvider(name: string, provider: SinkProvider): void {
  sinks.set(name.toLowerCase(), provider);
}

/** Registers (or replaces) the static source for `spark.read.format(name)`. */
export function registerBatchSourceProvider(name: string, provider: BatchSourceProvider): void {
  batchSources.set(name.toLowerCase(), provider);
}

/** The static source provider for a format, or Spark's "Failed to find data source" error. */
export function batchSourceProvider(name: string): BatchSourceProvider {
  const p = batchSources.get(name.toLowerCase());
  if (!p) throw new IllegalArgumentException(`[DATA_SOURCE_NOT_FOUND] Failed to find the data source: ${name}. Please find packages at \`https://spark.apache.org/third-party-projects.html\`.`, { code: 'DATA_SOURCE_NOT_FOUND' });
  return p;
}

/** The source provider for a format, or Spark's "Failed to find data source" error. */
export function sourceProvider(name: string): SourceProvider {
  const p = sources.get(name.toLowerCase());
  if (!p) throw new IllegalArgumentException(`[DATA_SOURCE_NOT_FOUND] Failed to find the data source: ${name}. Please find packages at \`https://spark.apache.org/third-party-projects.html\`.`, { code: 'DATA_SOURCE_NOT_FOUND' });
  return p;
}

/** The sink provider for a format, or undefined (the writer handles built-ins bound to a session). */
export function sinkProvider(name: string): SinkProvider | undefined {
  return sinks.get(name.toLowerCase());
}

registerSourceProvider('rate', rateSourceProvider);
registerSinkProvider('noop', noopSinkProvider);
