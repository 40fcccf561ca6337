/** Spark's file sources and sinks over a host's {@link FileArea}. */
import type { FormatRegistry } from '../formats.js';
import type { FileArea } from './file-area.js';
import { fileBatchSourceProvider } from './file-batch-source.js';
import { FILE_SINK_FORMATS, FILE_SOURCE_FORMATS } from './file-formats.js';
import { fileSinkProvider } from './file-sink.js';
import { fileStreamSourceProvider } from './file-stream-source.js';

export type { AreaFile, FileArea } from './file-area.js';

/**
 * Registers `readStream.format("json" | "csv" | "text")`, `spark.read.json/text`, and the file sinks
 * (when the area may be written) over `area`. The batch CSV reader is registered apart (csv-source.ts).
 */
export function registerFileFormats(formats: FormatRegistry, area: FileArea): void {
  for (const f of FILE_SOURCE_FORMATS) formats.registerSource(f, fileStreamSourceProvider(f, area));
  formats.registerBatchSource('json', fileBatchSourceProvider('json', area));
  formats.registerBatchSource('text', fileBatchSourceProvider('text', area));
  for (const f of FILE_SINK_FORMATS) formats.registerSink(f, fileSinkProvider(f, area));
}
