/**
 * The Timeline's lanes for each grouping the lessons use, from the engine's real traces: the query runs
 * on a memory stream, its batch traces go through the workbench's adapter and layout.
 */
import { describe, expect, it } from 'vitest';
import { functions as F, ManualClock, MemoryStream, SparkSession, type BatchTrace, type DataFrame } from 'streamlab';
import type { StructuredBatchTrace } from '../../../runtime/src/protocol/index.js';
import { adaptStructuredTrace } from '../../../workbench/src/client/adapt-trace.js';
import { groupingOf, layoutBatchTimeline, layoutStructuredTimeline } from '../../../workbench/src/timeline/structured-layout.js';

const at = (hms: string) => new Date(`2026-11-21T${hms}Z`);
const viewport = { width: 700, left: 100, right: 0, top: 0, rowHeight: 20, dotStrip: 20 };

/** Runs `query` over two batches of readings and returns the adapted traces. */
async function traces(query: (readings: DataFrame) => DataFrame, mode: 'update' | 'complete' = 'update') {
  const spark = SparkSession.builder.clock(new ManualClock(at('10:00:20').getTime())).output(() => {}).create();
  const input = new MemoryStream('timestamp TIMESTAMP, node_name STRING, temperature DOUBLE', spark);
  const raw: BatchTrace[] = [];
  const q = query(input.toDF()).writeStream.format('console').outputMode(mode).start();
  q.onBatch((b) => raw.push(b.trace));
  input.addData([[at('10:00:05'), 'sensor-1', 20.5], [at('10:00:10'), 'sensor-2', 30.0], [at('10:00:15'), 'sensor-3', 22.0]] as never);
  await q.processAllAvailable();
  input.addData([[at('10:01:10'), 'sensor-1', 24.0], [at('10:00:50'), 'sensor-2', 34.0]] as never);
  await q.processAllAvailable();
  await q.stop();
  return raw.filter((t) => t.api === 'structured' && t.input.total > 0).map((t) => adaptStructuredTrace(t as StructuredBatchTrace));
}

describe('Timeline lanes per grouping', () => {
  it('window plus key without a watermark (lesson 03 starter): one lane per sensor holding its dots and its windows', async () => {
    const t = await traces((df) => df.groupBy(F.window('timestamp', '1 minute'), 'node_name').agg(F.avg('temperature').alias('avg_temp')));
    expect(groupingOf(t)).toBe('window-and-key');
    expect(t.every((x) => x.hasWatermark === false)).toBe(true);
    const layout = layoutStructuredTimeline(t, viewport);
    expect(layout.lanes.map((l) => l.key)).toEqual(['sensor-1', 'sensor-2', 'sensor-3']);
    expect(layout.nullEventTimes).toBe(0);
    expect(layout.dots.map((d) => [d.key, d.eventTimeMs - at('10:00:00').getTime()])).toEqual([
      ['sensor-1', 5000], ['sensor-2', 10_000], ['sensor-3', 15_000], ['sensor-1', 70_000], ['sensor-2', 50_000],
    ]);
    const minute = (ms: number) => (ms - at('10:00:00').getTime()) / 60_000;
    expect(layout.windows.map((w) => [w.key, minute(w.window.startMs), minute(w.window.endMs), w.label])).toEqual([
      ['sensor-1', 0, 1, 'avg_temp=20.5'], ['sensor-1', 1, 2, 'avg_temp=24.0'],
      ['sensor-2', 0, 1, 'avg_temp=32.0'],
      ['sensor-3', 0, 1, 'avg_temp=22.0'],
    ]);
    // Each box sits in its own sensor's lane.
    for (const w of layout.windows) {
      const lane = layout.lanes.find((l) => l.key === w.key)!;
      expect(w.y >= lane.y && w.y + w.height <= lane.y + lane.height).toBe(true);
    }
  });

  it('window only: one lane for all rows, windows on the event-time axis', async () => {
    const t = await traces((df) => df.groupBy(F.window('timestamp', '1 minute')).count());
    expect(groupingOf(t)).toBe('window');
    const layout = layoutStructuredTimeline(t, viewport);
    expect(layout.lanes.map((l) => l.key)).toEqual(['']);
    expect(layout.windows.map((w) => w.label)).toEqual(['count=4', 'count=1']);
    expect(layout.dots).toHaveLength(5);
  });

  it('key only (lesson 04): a lane per key, a column per batch, the row each batch wrote', async () => {
    const t = await traces((df) => df.groupBy('node_name').count(), 'complete');
    expect(groupingOf(t)).toBe('key');
    const layout = layoutBatchTimeline(t, viewport);
    expect(layout.lanes.map((l) => l.key)).toEqual(['sensor-1', 'sensor-2', 'sensor-3']);
    expect(layout.axis.map((a) => a.label)).toEqual(['batch 0', 'batch 1']);
    expect(layout.windows.map((w) => [w.key, w.window.startMs, w.label, w.emitted])).toEqual([
      ['sensor-1', 0, 'count=1', false], ['sensor-2', 0, 'count=1', false], ['sensor-3', 0, 'count=1', false],
      ['sensor-1', 1, 'count=2', true], ['sensor-2', 1, 'count=2', true], ['sensor-3', 1, 'count=1', true],
    ]);
    expect(layout.dots.map((d) => [d.key, d.batchId])).toEqual([['sensor-1', 0], ['sensor-2', 0], ['sensor-3', 0], ['sensor-1', 1], ['sensor-2', 1]]);
  });
});
