/** The Structured Streaming API (PySpark names). */
export { SparkSession, SparkSessionBuilder, RuntimeConfig } from './session.js';
export { DataFrame } from './dataframe.js';
export { GroupedData } from './grouped-data.js';
export { Column } from './column.js';
export type { ColumnOrName, ColumnOrValue } from './column.js';
export { DataStreamReader } from './stream-reader.js';
export { DataStreamWriter } from './stream-writer.js';
export type { TriggerOptions, ForeachWriter } from './stream-writer.js';
export { StreamingQuery } from './streaming-query.js';
export type { Trigger, BatchListener, StreamingQueryStatus } from './streaming-query.js';
export { StreamingQueryManager } from './streaming-query-manager.js';
export type { StreamingQueryListener } from './streaming-query-manager.js';
export { MemoryStream } from './memory-stream.js';
export type { BatchResult } from '../execution/micro-batch-execution.js';
export { DataFrameWriter } from './writer.js';
export { DataFrameReader } from './reader.js';
export { Window, WindowSpec } from './window.js';
