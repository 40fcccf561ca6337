/**
 * A streaming aggregation finds a batch's groups by key value when the key's parts are primitive and by
 * the key's text otherwise (arrays, structs): every kind of key folds repeated rows into one group
 * within a batch and across batches.
 */
import { describe, expect, it } from 'vitest';
import type { Row } from '../../../runtime/src/engine/expressions/compile.js';
import { functions as F, MemoryStream, SparkSession, type DataFrame } from '../../../runtime/src/streamlab.js';

async function run(group: (df: DataFrame) => DataFrame, batches: Row[][]): Promise<unknown[][][]> {
  const spark = SparkSession.builder.appName('aggregate-keys').output(() => undefined).create();
  const out: unknown[][][] = [];
  spark.formats.registerSink('collect', { createSink: () => ({ addBatch: (b) => void out.push(b.rows.map((r) => [...r])) }) });
  const input = new MemoryStream('a STRING, b BIGINT', spark);
  const q = group(input.toDF()).writeStream.format('collect').outputMode('update').start();
  for (const rows of batches) {
    input.data.addInternal(rows);
    await q.processAllAvailable();
  }
  await q.stop();
  await spark.stop();
  return out.map((rows) => rows.sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))));
}

const batches: Row[][] = [
  [['x', 1], ['y', 2], ['x', 1], [null, 1], ['x', 2], [null, 1]],
  [['x', 1], [null, 1], ['z', 3]],
];

describe('streaming aggregation keys', () => {
  it('one primitive part', async () => {
    expect(await run((df) => df.groupBy('a').count(), batches)).toEqual([
      [['x', 3], ['y', 1], [null, 2]],
      [['x', 4], ['z', 1], [null, 3]],
    ]);
  });

  it('two primitive parts', async () => {
    expect(await run((df) => df.groupBy('a', 'b').count(), batches)).toEqual([
      [['x', 1, 2], ['x', 2, 1], ['y', 2, 1], [null, 1, 2]],
      [['x', 1, 3], ['z', 3, 1], [null, 1, 3]],
    ]);
  });

  it('an array', async () => {
    expect(await run((df) => df.groupBy(F.array('a', 'b').alias('k')).count(), batches)).toEqual([
      [[['x', '1'], 2], [['x', '2'], 1], [['y', '2'], 1], [[null, '1'], 2]],
      [[['x', '1'], 3], [['z', '3'], 1], [[null, '1'], 3]],
    ]);
  });

  it('an array and a primitive part', async () => {
    expect(await run((df) => df.groupBy(F.array('b').alias('k'), 'a').count(), batches)).toEqual([
      [[[1], 'x', 2], [[1], null, 2], [[2], 'x', 1], [[2], 'y', 1]],
      [[[1], 'x', 3], [[1], null, 3], [[3], 'z', 1]],
    ]);
  });
});
