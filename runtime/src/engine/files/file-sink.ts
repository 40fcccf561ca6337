/**
 * Spark's file sink (`writeStream.format("json" | "csv" | "text").option("path", dir)`), as
 * FileStreamSink does it: append mode only; each batch's rows go to a new
 * `part-00000-<uuid>-c000.<format>` file, and then the batch is committed by writing
 * `<dir>/_spark_metadata/<batchId>` (one `{"path",…,"action":"add"}` line per file). A batch id the
 * log already holds is skipped, so a query restarted from its checkpoint writes each batch exactly
 * once; readers of `<dir>` (file sources, `spark.read`) read only the committed files. A static
 * write (`df.write.json(dir)`) writes a part file and `_SUCCESS`, and honours the save mode.
 */
import { AnalysisException, IllegalArgumentException } from '../errors.js';
import type { Sink, SinkBatch, SinkProvider } from '../sinks/sink.js';
import { childPath, type FileArea } from './file-area.js';
import { formatFile, option, type FileFormat } from './file-formats.js';

const EXTENSION: Record<FileFormat, string> = { json: 'json', csv: 'csv', text: 'txt' };

/** Spark's default block size, as the log's entries record it. */
const BLOCK_SIZE = 33554432;

/** The highest batch id committed into `dir`'s `_spark_metadata`, or -1. */
function latestCommitted(area: FileArea, logDir: string): number {
  const ids = (area.names?.(logDir) ?? []).filter((n) => /^\d+$/.test(n)).map(Number);
  return ids.length === 0 ? -1 : Math.max(...ids);
}

/** The provider of `writeStream.format(format)` into an area's folders. */
export function fileSinkProvider(format: FileFormat, area: FileArea): SinkProvider {
  return {
    supportedModes: ['append'],
    requiresCheckpointLocation: true,
    validate(ctx) {
      const path = option(ctx.options, 'path');
      if (path === undefined || path === '') throw new IllegalArgumentException("'path' is not specified.", { code: 'PATH_NOT_SPECIFIED' });
      if (!area.write) throw new AnalysisException(`This run has no folder to write files into: a ${format} sink works in Run and \`streamlab run\`.`, { code: 'NO_WORKSPACE' });
      if (format === 'text') {
        // Spark checks each column's type, then their number.
        const bad = ctx.schema.fields.find((f) => !(f.dataType.kind === 'atomic' && f.dataType.name === 'string'));
        if (bad) throw new AnalysisException(`[UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE] The Text datasource doesn't support the column \`${bad.name}\` of the type "${bad.dataType.simpleString().toUpperCase()}".`, { code: 'UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE' });
        if (ctx.schema.fields.length !== 1) throw new AnalysisException(`Text data source supports only a single column, and you have ${ctx.schema.fields.length} columns.`, { code: 'TEXT_SINGLE_COLUMN' });
      }
    },
    createSink(ctx): Sink {
      const dir = option(ctx.options, 'path')!;
      const logDir = childPath(dir, '_spark_metadata');
      const write = area.write!.bind(area);
      const partFile = (rows: SinkBatch['rows'], schema: SinkBatch['schema']) =>
        write(childPath(dir, `part-00000-${globalThis.crypto.randomUUID()}-c000.${EXTENSION[format]}`), formatFile(format, rows, schema, ctx.options, ctx.session.timeZone));
      if (ctx.queryId === undefined) {
        // A static write (`df.write.json(path)`): part files and `_SUCCESS`, no metadata log, as Spark's.
        return {
          addBatch(batch) {
            const mode = (option(ctx.options, 'mode') ?? 'errorifexists').toLowerCase();
            const exists = area.exists(dir);
            if (exists && (mode === 'error' || mode === 'errorifexists' || mode === 'default')) {
              throw new AnalysisException(`[PATH_ALREADY_EXISTS] Path ${dir.startsWith('/') ? `file:${dir}` : dir} already exists. Set mode as "overwrite" to overwrite the existing path.`, { code: 'PATH_ALREADY_EXISTS' });
            }
            if (exists && mode === 'ignore') return;
            if (exists && mode === 'overwrite') {
              throw new AnalysisException('Streamlab does not delete files: write to a new path, or use mode("append").', { code: 'UNSUPPORTED_OVERWRITE' });
            }
            if (batch.rows.length > 0) partFile(batch.rows, batch.schema);
            write(childPath(dir, '_SUCCESS'), '');
          },
        };
      }
      return {
        addBatch(batch) {
          if (batch.batchId <= latestCommitted(area, logDir)) return;
          const entries: string[] = [];
          if (batch.rows.length > 0) {
            const f = partFile(batch.rows, batch.schema);
            entries.push(JSON.stringify({ path: `file://${f.path}`, size: f.size, isDir: false, modificationTime: f.modificationTime, blockReplication: 1, blockSize: BLOCK_SIZE, action: 'add' }));
          }
          write(childPath(logDir, String(batch.batchId)), ['v1', ...entries].join('\n'));
        },
      };
    },
  };
}
