/**
 * Spark's file source and file sink over a workspace folder: new files taken once each, oldest first
 * (or newest with latestFirst), at most maxFilesPerTrigger a batch, kept in the checkpoint's source
 * log; the sink's part files committed by `_spark_metadata` so that a replayed batch is written once.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../runtime/src/engine/clock.js';
import { SparkSession, type DataFrame } from '../../../runtime/src/engine/structured/index.js';
import { registerFileFormats } from '../../../runtime/src/engine/files/index.js';
import { workspaceArea } from '../../../runtime/src/connectors/files/workspace.js';
import { learnerCheckpointResolver } from '../../../runtime/src/checkpoint/learner-checkpoints.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'file-stream-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function session(): SparkSession {
  const spark = SparkSession.builder.clock(new ManualClock(0)).output(() => undefined).checkpointResolver(learnerCheckpointResolver(join(root, 'checkpoints'))).create();
  registerFileFormats(spark.formats, workspaceArea(join(root, 'ws'), { writable: true }));
  return spark;
}

/** Writes a file into the workspace with a modification time of `second` seconds. */
function put(path: string, text: string, second: number): void {
  const full = join(root, 'ws', path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, text);
  utimesSync(full, second, second);
}

async function batches(spark: SparkSession, df: DataFrame, location = 'cp'): Promise<Array<[number, unknown[]]>> {
  const out: Array<[number, unknown[]]> = [];
  const q = df.writeStream.option('checkpointLocation', location).foreachBatch((b: DataFrame, id: number) => {
    out.push([id, b.collect().map((r) => Object.values(r))]);
  }).start();
  await q.processAllAvailable();
  await q.stop();
  return out;
}

describe('the file source', () => {
  beforeEach(() => mkdirSync(join(root, 'ws'), { recursive: true }));

  it('takes new files oldest first, maxFilesPerTrigger at a time, and logs them in sources/0', async () => {
    const spark = session();
    put('in/b.json', '{"n":2,"s":"b"}\n', 200);
    put('in/a.json', '{"n":1,"s":"a"}\n{"n":11}\nnot json\n', 100);
    put('in/c.json', '{"n":3,"s":"c"}\n', 300);
    put('in/_hidden.json', '{"n":9}\n', 50);
    const df = spark.readStream.json('/in', { schema: 'n INT, s STRING', maxFilesPerTrigger: 2 });
    expect(await batches(spark, df)).toEqual([[0, [[1, 'a'], [11, null], [null, null], [2, 'b']]], [1, [[3, 'c']]]]);
    const log = (n: number) => readFileSync(join(root, 'checkpoints', 'cp', 'sources', '0', String(n)), 'utf8');
    expect(log(0)).toBe('v1\n{"path":"file:///in/a.json","timestamp":100000,"batchId":0}\n{"path":"file:///in/b.json","timestamp":200000,"batchId":0}');
    expect(log(1)).toBe('v1\n{"path":"file:///in/c.json","timestamp":300000,"batchId":1}');
    expect(readFileSync(join(root, 'checkpoints', 'cp', 'offsets', '1'), 'utf8').split('\n')[2]).toBe('{"logOffset":1}');
    await spark.stop();
  });

  it('takes the newest first with latestFirst', async () => {
    const spark = session();
    put('in/a.txt', 'one\n', 100);
    put('in/b.txt', 'two\n\nthree', 200);
    const df = spark.readStream.option('latestFirst', 'true').option('maxFilesPerTrigger', 1).text('in');
    expect(await batches(spark, df)).toEqual([[0, [['two'], [''], ['three']]], [1, [['one']]]]);
    await spark.stop();
  });

  it('reads a file once: a restarted query takes only files it has not seen, even when an old one changed', async () => {
    const spark = session();
    put('in/a.csv', '1,x\n', 100);
    const df = () => spark.readStream.schema('n INT, s STRING').format('csv').load('in');
    expect(await batches(spark, df())).toEqual([[0, [[1, 'x']]]]);
    put('in/a.csv', '1,changed\n', 400);
    put('in/b.csv', '2,"y, z"\n', 300);
    expect(await batches(spark, df())).toEqual([[1, [[2, 'y, z']]]]);
    await spark.stop();
  });

  it("refuses json and csv without a schema, and a folder that is not there, with Spark's errors", () => {
    const spark = session();
    put('in/a.json', '{}\n', 100);
    expect(() => spark.readStream.format('json').load('in')).toThrow(/^Schema must be specified when creating a streaming source DataFrame\./);
    expect(() => spark.readStream.json('missing', { schema: 'n INT' })).toThrow('[PATH_NOT_FOUND] Path does not exist: missing.');
    expect(() => spark.readStream.json('/missing', { schema: 'n INT' })).toThrow('[PATH_NOT_FOUND] Path does not exist: /missing.');
    expect(() => spark.read.json('/missing')).toThrow('[PATH_NOT_FOUND] Path does not exist: file:/missing.');
    expect(() => spark.readStream.format('text').load()).toThrow("'path' is not specified.");
  });
});

describe('the file sink', () => {
  it('writes a part file per batch, commits it in _spark_metadata, and writes a replayed batch once', async () => {
    const spark = session();
    mkdirSync(join(root, 'ws', 'in'), { recursive: true });
    put('in/a.json', '{"n":1,"s":"a"}\n', 100);
    const query = spark.readStream.json('in', { schema: 'n INT, s STRING' }).writeStream.format('json')
      .option('path', 'out').option('checkpointLocation', 'sink-cp').start();
    await query.processAllAvailable();
    const crashed = query.crashAfterNextSinkWrite();
    put('in/b.json', '{"n":2}\n', 200);
    await query.processAllAvailable();
    const { batchId, restarted } = await crashed;
    expect(batchId).toBe(1);
    await restarted.processAllAvailable();
    await restarted.stop();
    const out = join(root, 'ws', 'out');
    const parts = readdirSync(out).filter((n) => n.startsWith('part-'));
    // Batch 1 was written before the crash and again after it: the second write found it committed.
    expect(parts).toHaveLength(2);
    expect(readdirSync(join(out, '_spark_metadata')).sort()).toEqual(['0', '1']);
    const entry = readFileSync(join(out, '_spark_metadata', '1'), 'utf8').split('\n');
    expect(entry[0]).toBe('v1');
    const file = JSON.parse(entry[1]) as { path: string; action: string; size: number };
    expect(file.path).toMatch(/^file:\/\/\/out\/part-00000-[0-9a-f-]{36}-c000\.json$/);
    expect(file.action).toBe('add');
    expect(readFileSync(join(root, 'ws', file.path.slice('file://'.length)), 'utf8')).toBe('{"n":2}\n');
    // Readers see the committed files only.
    expect(spark.read.json('out').orderBy('n').collect().map((r) => [r.n, r.s])).toEqual([[1, 'a'], [2, null]]);
    await spark.stop();
  });

  it('accepts append mode only and needs a path and a checkpoint location', () => {
    const spark = session();
    mkdirSync(join(root, 'ws', 'in'), { recursive: true });
    const df = spark.readStream.json('in', { schema: 'n INT' });
    expect(() => df.groupBy('n').count().writeStream.format('csv').option('path', 'o').option('checkpointLocation', 'c').outputMode('complete').start()).toThrow('Data source csv does not support Complete output mode.');
    expect(() => df.writeStream.format('json').option('checkpointLocation', 'c').start()).toThrow("'path' is not specified.");
    expect(() => df.writeStream.format('json').start('o')).toThrow(/^checkpointLocation must be specified either through option\("checkpointLocation", \.\.\.\)/);
  });

  it('writes a static DataFrame as part files and _SUCCESS, with the save modes', async () => {
    const spark = session();
    const df = spark.createDataFrame([{ n: 1, s: 'a,b' }, { n: 2, s: null }], 'n INT, s STRING');
    await df.write.json('static');
    const names = () => readdirSync(join(root, 'ws', 'static')).map((n) => n.replace(/^part-00000-[0-9a-f-]{36}-c000\./, 'part.')).sort();
    expect(names()).toEqual(['_SUCCESS', 'part.json']);
    expect(spark.read.json('static').orderBy('n').collect().map((r) => [r.n, r.s])).toEqual([[1, 'a,b'], [2, null]]);
    await expect(df.write.json('static')).rejects.toThrow('[PATH_ALREADY_EXISTS] Path static already exists. Set mode as "overwrite" to overwrite the existing path.');
    await expect(df.write.mode('overwrite').json('static')).rejects.toThrow('Streamlab does not delete files');
    await df.write.mode('ignore').json('static');
    await df.write.csv('static', { mode: 'append', header: true });
    expect(names()).toEqual(['_SUCCESS', 'part.csv', 'part.json']);
    const csv = readdirSync(join(root, 'ws', 'static')).find((n) => n.endsWith('.csv'))!;
    expect(readFileSync(join(root, 'ws', 'static', csv), 'utf8')).toBe('n,s\n1,"a,b"\n2,\n');
    await spark.stop();
  });
});
