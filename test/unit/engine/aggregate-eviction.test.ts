/**
 * A windowed aggregation with a watermark keeps a window's groups until the watermark passes the
 * window's end and then drops them, whether or not the batches between touched them: batches that move
 * the watermark without reaching any window end evict nothing, the batch that reaches one evicts
 * exactly the groups behind it, and rows of an evicted window count as late and bring no group back.
 */
import { describe, expect, it } from 'vitest';
import type { Row } from '../../../runtime/src/engine/expressions/compile.js';
import { functions as F, MemoryStream, SparkSession } from '../../../runtime/src/streamlab.js';

interface Batch {
  rows: string[];
  total: number;
  updated: number;
  removed: number;
  dropped: number;
}

async function run(mode: 'append' | 'update', batches: Row[][]): Promise<Batch[]> {
  const spark = SparkSession.builder.appName('aggregate-eviction').output(() => undefined).create();
  const out: Batch[] = [];
  let rows: string[] = [];
  spark.formats.registerSink('collect', {
    createSink: () => ({ addBatch: (b) => void (rows = b.rows.map((r) => `${(r[0] as number[]).map((us) => us / 1e6).join('-')} ${r[1]} ${r[2]}`).sort()) }),
  });
  const input = new MemoryStream('a STRING, t INT', spark);
  const q = input.toDF()
    .withColumn('ts', F.col('t').cast('timestamp'))
    .withWatermark('ts', '5 seconds')
    .groupBy(F.window('ts', '10 seconds'), 'a')
    .count()
    .writeStream.format('collect').outputMode(mode).start();
  q.onBatch((b) => {
    const s = b.progress.stateOperators[0]!;
    out.push({ rows, total: s.numRowsTotal, updated: s.numRowsUpdated, removed: s.numRowsRemoved, dropped: s.numRowsDroppedByWatermark });
  });
  for (const batch of batches) {
    input.data.addInternal(batch);
    await q.processAllAvailable();
  }
  await q.stop();
  await spark.stop();
  return out;
}

// Event times in seconds; windows of 10 s; the watermark trails the largest time by 5 s.
const batches: Row[][] = [
  [['x', 100], ['y', 101]],
  [['x', 103]],
  [['x', 112], ['z', 125]],
  [['x', 104], ['y', 121]],
  [['z', 131]],
  [['z', 140], ['y', 105]],
];

// Each data batch that moves the watermark is followed by a batch without data, which evicts.
describe('windowed aggregation eviction', () => {
  it('append mode writes each window once, when the watermark passes its end', async () => {
    expect(await run('append', batches)).toEqual([
      { rows: [], total: 2, updated: 2, removed: 0, dropped: 0 },
      { rows: [], total: 2, updated: 0, removed: 0, dropped: 0 },
      { rows: [], total: 2, updated: 1, removed: 0, dropped: 0 },
      { rows: [], total: 2, updated: 0, removed: 0, dropped: 0 },
      { rows: [], total: 4, updated: 2, removed: 0, dropped: 0 },
      { rows: ['100-110 x 2', '100-110 y 1', '110-120 x 1'], total: 1, updated: 0, removed: 3, dropped: 0 },
      { rows: [], total: 2, updated: 1, removed: 0, dropped: 1 },
      { rows: [], total: 3, updated: 1, removed: 0, dropped: 0 },
      { rows: [], total: 3, updated: 0, removed: 0, dropped: 0 },
      { rows: [], total: 4, updated: 1, removed: 0, dropped: 1 },
      { rows: ['120-130 y 1', '120-130 z 1'], total: 2, updated: 0, removed: 2, dropped: 0 },
    ]);
  });

  it('update mode writes the groups a batch changed and forgets windows behind the watermark', async () => {
    expect(await run('update', batches)).toEqual([
      { rows: ['100-110 x 1', '100-110 y 1'], total: 2, updated: 2, removed: 0, dropped: 0 },
      { rows: [], total: 2, updated: 0, removed: 0, dropped: 0 },
      { rows: ['100-110 x 2'], total: 2, updated: 1, removed: 0, dropped: 0 },
      { rows: [], total: 2, updated: 0, removed: 0, dropped: 0 },
      { rows: ['110-120 x 1', '120-130 z 1'], total: 4, updated: 2, removed: 0, dropped: 0 },
      { rows: [], total: 1, updated: 0, removed: 3, dropped: 0 },
      { rows: ['120-130 y 1'], total: 2, updated: 1, removed: 0, dropped: 1 },
      { rows: ['130-140 z 1'], total: 3, updated: 1, removed: 0, dropped: 0 },
      { rows: [], total: 3, updated: 0, removed: 0, dropped: 0 },
      { rows: ['140-150 z 1'], total: 4, updated: 1, removed: 0, dropped: 1 },
      { rows: [], total: 2, updated: 0, removed: 2, dropped: 0 },
    ]);
  });

  it('evicts a window that opened below every window already in state', async () => {
    // 138 is behind the largest time (142) but not late, so its window ends before any other in state.
    expect(await run('append', [[['x', 142]], [['y', 138]], [['z', 146]]])).toEqual([
      { rows: [], total: 1, updated: 1, removed: 0, dropped: 0 },
      { rows: [], total: 1, updated: 0, removed: 0, dropped: 0 },
      { rows: [], total: 2, updated: 1, removed: 0, dropped: 0 },
      { rows: [], total: 3, updated: 1, removed: 0, dropped: 0 },
      { rows: ['130-140 y 1'], total: 2, updated: 0, removed: 1, dropped: 0 },
    ]);
  });
});
