/**
 * The engine's public surface (package subpath `@streamlab/runtime/engine`): the Structured Streaming
 * API, types, the pluggable source/sink/checkpoint interfaces, the Kafka rules and the trace types.
 */
export * from './structured/index.js';
export * as functions from './structured/functions.js';
export * as types from './types.js';
export { ManualClock } from './clock.js';
export type { Clock } from './clock.js';
export * from './errors.js';
export { InMemoryCheckpointStore } from './state/checkpoint-store.js';
export type { CheckpointStore, CheckpointResolver, OffsetLogEntry, CommitLogEntry, QueryMetadata } from './state/checkpoint-store.js';
export type { StateSnapshot } from './state/state-store.js';
export { StateStore } from './state/state-store.js';
export { FormatRegistry } from './formats.js';
export type { BatchSourceProvider } from './formats.js';
export type { Source, SourceProvider, SourceContext, Offset, ReadLimit } from './sources/source.js';
export type { Sink, SinkProvider, SinkContext, SinkBatch } from './sinks/sink.js';
export { MemorySink } from './sinks/memory-sink.js';
export { consoleBatchText } from './sinks/console-sink.js';
export type { OutputFn } from './sinks/console-sink.js';
export type { Row } from './expressions/compile.js';
export type { OutputMode } from './physical/operator.js';
export type { StreamingQueryProgress, SourceProgress, StateOperatorProgress } from './execution/progress.js';
export type { BatchTrace, RowTrace, EvictionTrace, TraceWindow, Sampled } from './execution/trace.js';
export { TRACE_SAMPLE_CAP } from './execution/trace.js';
export { showString } from './show.js';
export { toJsonText, fromJsonText } from './serde.js';
export { toInternalRow, toRowObject } from './rows.js';
export type { RowObject } from './rows.js';
export { parseExpression, parseBareExpression, parseNamedExpression } from './plans/sql-parser.js';
export { parseTimestamp, parseInterval } from './time.js';
export { formatTimestamp } from '../format/spark-time.js';
export { windowsFor, validateWindow } from './windows.js';
export type { WindowSpec } from './windows.js';
export * as kafka from './kafka/index.js';
