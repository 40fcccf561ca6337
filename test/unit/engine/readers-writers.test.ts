/** Static reads and writes through registered formats, and the foreach sink. */
import { describe, expect, it } from 'vitest';
import { MemoryStream, SparkSession, type RowObject } from 'streamlab';
import { FormatRegistry } from '../../../runtime/src/engine/formats.js';
import { parseSchema } from '../../../runtime/src/engine/types.js';
import type { SinkBatch } from '../../../runtime/src/engine/sinks/sink.js';

/** The formats this file's sessions know. */
const formats = FormatRegistry.withBuiltIns();

describe('spark.read and df.write', () => {
  it('reads a registered static format and writes rows to a registered sink as one batch', async () => {
    formats.registerBatchSource('fixture', { read: (options) => ({ schema: parseSchema('id INT, name STRING'), rows: [[1, options.prefix + 'a'], [2, options.prefix + 'b']] }) });
    const written: SinkBatch[] = [];
    const seenOptions: Record<string, string>[] = [];
    formats.registerSink('capture', { createSink: (ctx) => (seenOptions.push({ ...ctx.options }), { addBatch: (b) => void written.push(b) }) });
    const spark = SparkSession.builder.formats(formats).output(() => undefined).create();
    const df = spark.read.format('fixture').option('prefix', 'x-').load();
    expect(df.collect()).toEqual([{ id: 1, name: 'x-a' }, { id: 2, name: 'x-b' }]);
    await df.where('id > 1').write.format('capture').mode('append').option('table', 't').save();
    expect(written.map((b) => [b.batchId, b.rows])).toEqual([[0, [[2, 'x-b']]]]);
    expect(seenOptions).toEqual([{ table: 't', mode: 'append' }]);
    expect(() => spark.read.format('nope').load()).toThrow('[DATA_SOURCE_NOT_FOUND] Failed to find the data source: nope.');
  });

  it("a format is known only to the session whose registry has it; every session knows the built-ins", () => {
    const only = FormatRegistry.withBuiltIns().registerBatchSource('only-here', { read: () => ({ schema: parseSchema('id INT'), rows: [[7]] }) });
    const one = SparkSession.builder.formats(only).output(() => undefined).create();
    const other = SparkSession.builder.output(() => undefined).create();
    expect(one.read.format('ONLY-HERE').load().collect()).toEqual([{ id: 7 }]);
    expect(() => other.read.format('only-here').load()).toThrow('[DATA_SOURCE_NOT_FOUND] Failed to find the data source: only-here.');
    expect(other.readStream.format('rate').load().isStreaming).toBe(true);
    expect(other.formats.sink('noop')).toBeDefined();
  });

  it('finds the session sinks through the registry for writeStream only: write.format(name) does not', async () => {
    const spark = SparkSession.builder.output(() => undefined).create();
    expect(['console', 'memory', 'foreach', 'foreachBatch'].map((n) => spark.formats.sink(n)?.streamingOnly)).toEqual([true, true, true, true]);
    await expect(spark.createDataFrame([[1]], 'id INT').write.format('memory').save()).rejects.toThrow('[DATA_SOURCE_NOT_FOUND] Failed to find the data source: memory.');
  });

  it('write.jdbc(url, table, mode, properties) is a jdbc save with those options', async () => {
    const seen: Record<string, string>[] = [];
    formats.registerSink('jdbc', { createSink: (ctx) => (seen.push({ ...ctx.options }), { addBatch: () => undefined }) });
    const spark = SparkSession.builder.formats(formats).output(() => undefined).create();
    await spark.createDataFrame([[1]], 'id INT').write.jdbc('jdbc:postgresql://db:5432/app', 'locations', 'overwrite', { user: 'spark', password: 'pw' });
    expect(seen).toEqual([{ url: 'jdbc:postgresql://db:5432/app', dbtable: 'locations', user: 'spark', password: 'pw', mode: 'overwrite' }]);
  });
});

describe('foreach sink', () => {
  it('opens, processes every row and closes per batch', async () => {
    const spark = SparkSession.builder.formats(formats).output(() => undefined).create();
    const input = new MemoryStream('v INT', spark);
    const calls: string[] = [];
    const q = input.toDF().writeStream.foreach({
      open: (partitionId, epochId) => (calls.push(`open ${partitionId} ${epochId}`), true),
      process: (row: RowObject) => void calls.push(`process ${row.v}`),
      close: (error) => void calls.push(`close ${error === null ? 'ok' : 'error'}`),
    }).start();
    input.addData([1, 2]);
    await q.processAllAvailable();
    input.addData([3]);
    await q.processAllAvailable();
    await q.stop();
    expect(calls).toEqual(['open 0 0', 'process 1', 'process 2', 'close ok', 'open 0 1', 'process 3', 'close ok']);
  });
});
