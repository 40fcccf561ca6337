/**
 * The sinks that write into the session starting the query, registered like every other format
 * (`FormatRegistry.withBuiltIns`): `memory` (a table by query name that `spark.table(name)` reads),
 * `foreach` (a writer called per row) and `foreachBatch` (a function called per batch with a
 * DataFrame). What they need of the session and of the writer arrives in the SinkContext. Only
 * `writeStream` reaches them, as in Spark.
 */
import { AnalysisException } from '../errors.js';
import { toRowObject, type RowObject } from '../rows.js';
import type { Sink, SinkProvider } from './sink.js';

/** A `foreach` writer object (PySpark's ForeachWriter protocol). */
export interface ForeachWriter {
  open?(partitionId: number, epochId: number): boolean | void;
  process(row: RowObject): void;
  close?(error: unknown): void;
}

/** `format("memory")`: the query's rows in a table named by the query; the table exists (empty) from `start()`. */
export const memorySinkProvider: SinkProvider = {
  description: 'MemorySink',
  streamingOnly: true,
  validate(ctx) {
    if (!ctx.queryName) throw new AnalysisException('queryName must be specified for memory sink', { code: 'MEMORY_SINK_NEEDS_NAME' });
  },
  prepare: (ctx) => void ctx.session.memoryTable(ctx.queryName!, ctx.schema),
  createSink: (ctx) => ctx.session.memoryTable(ctx.queryName!, ctx.schema),
};

/** `foreachBatch(fn)`: `fn(batchDf, batchId)` for every micro-batch, awaited. */
export const foreachBatchSinkProvider: SinkProvider = {
  description: 'ForeachBatchSink',
  streamingOnly: true,
  validate(ctx) {
    if ((ctx.partitionColumns ?? []).length > 0) throw new AnalysisException("'foreachBatch' does not support partitioning", { code: 'FOREACH_BATCH_PARTITIONING' });
  },
  // The learner's function as a marked stub PySpark calls per batch.
  pyspark(query, py) {
    const fn = query.callback as { name?: unknown } | undefined;
    const fnName = typeof fn?.name === 'string' && fn.name ? py.ident(fn.name, 'process_batch') : 'process_batch';
    const name = py.stub({ name: fnName, where: `foreachBatch of ${query.where}`, params: ['batch_df', 'batch_id'], source: String(query.callback ?? '') });
    return { writer: `.foreachBatch(${name})` };
  },
  createSink(ctx): Sink {
    const fn = ctx.callback as (df: unknown, batchId: number) => unknown;
    return {
      addBatch: async (batch) => {
        await fn(ctx.session.batchFrame(batch), batch.batchId);
      },
    };
  },
};

/** `foreach(writer)`: opens the writer per batch, processes every row, closes it (with the error, if any). */
export const foreachSinkProvider: SinkProvider = {
  description: 'ForeachSink',
  streamingOnly: true,
  // The learner's writer (a function, or an object's methods listed) as a marked stub PySpark calls per row.
  pyspark(query, py) {
    const w = query.callback;
    const source = typeof w === 'function' ? String(w) : describeWriter(w);
    return { writer: `.foreach(${py.stub({ name: 'process_row', where: `foreach of ${query.where}`, params: ['row'], source })})` };
  },
  createSink(ctx): Sink {
    const f = ctx.callback as ForeachWriter | ((row: RowObject) => void);
    return {
      addBatch: (batch) => {
        const w: ForeachWriter = typeof f === 'function' ? { process: f } : f;
        if (w.open && w.open(0, batch.batchId) === false) return;
        let err: unknown = null;
        try {
          for (const r of batch.rows) w.process(toRowObject(r, batch.schema));
        } catch (e) {
          err = e;
        }
        w.close?.(err);
        if (err) throw err;
      },
    };
  },
};

function describeWriter(w: unknown): string {
  if (!w || typeof w !== 'object') return String(w);
  return Object.entries(w as Record<string, unknown>).map(([k, v]) => `${k}: ${String(v)}`).join('\n');
}
