import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../runtime/src/engine/clock.js';
import { MemoryStream, SparkSession, type DataFrame } from '../../../runtime/src/engine/structured/index.js';

describe('crashAfterNextSinkWrite', () => {
  it('kills the query between the write and the commit; the restart replays that batch once more', async () => {
    const spark = SparkSession.builder.clock(new ManualClock(0)).create();
    const input = new MemoryStream('n INT', spark);
    const written: Array<[number, number[]]> = [];
    const query = input.toDF().writeStream
      .option('checkpointLocation', '/checkpoints/crash')
      .foreachBatch((df: DataFrame, id: number) => {
        written.push([id, df.collect().map((r) => r.n as number)]);
      })
      .start();
    input.addData({ n: 1 }, { n: 2 });
    await query.processAllAvailable();
    const crashed = query.crashAfterNextSinkWrite();
    input.addData({ n: 3 });
    await query.processAllAvailable();
    const { batchId, restarted } = await crashed;
    expect(batchId).toBe(1);
    expect(query.isActive).toBe(false);
    expect(restarted.id).toBe(query.id);
    expect(restarted.runId).not.toBe(query.runId);
    await restarted.processAllAvailable();
    input.addData({ n: 4 });
    await restarted.processAllAvailable();
    // Batch 1 was written, not committed: the restarted query runs it again with the same offsets.
    expect(written).toEqual([[0, [1, 2]], [1, [3]], [1, [3]], [2, [4]]]);
    expect(spark.streams.active).toEqual([restarted]);
    await restarted.stop();
    await spark.stop();
  });
});
