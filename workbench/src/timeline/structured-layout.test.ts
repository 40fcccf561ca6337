import { describe, expect, it } from 'vitest';
import { structuredWindowsSession } from '../fixtures/sessions.js';
import type { StructuredTrace } from '../model/server-events.js';
import { MIN_DOT_STRIP, MIN_ROW, dotPaths, layoutStructuredTimeline } from './structured-layout.js';

const traces = structuredWindowsSession.run.events.flatMap((e) =>
  e.event.kind === 'run.batch' && e.event.trace?.kind === 'structured' ? [e.event.trace as StructuredTrace] : [],
);
// 100 px margin + 400 px for 40 s of event time: 10 px per second.
const viewport = { width: 516, left: 100, right: 16, top: 0, rowHeight: 20, dotStrip: 20 };

describe('layoutStructuredTimeline over the recorded structured-windows session', () => {
  it('has four batches in the recording', () => {
    expect(traces.map((t) => t.batchId)).toEqual([0, 1, 2, 3]);
  });

  it('after batch 0 draws one lane per sensor, one window box each, and no watermark yet', () => {
    const layout = layoutStructuredTimeline(traces, viewport, 0);
    expect(layout.lanes.map((l) => l.key)).toEqual(['s1', 's2']);
    // The frame is the whole run's (0–40 s), so scrubbing moves content, not the axis.
    expect([layout.scale.domainStart, layout.scale.domainEnd]).toEqual([0, 40_000]);
    expect(layout.windows.map((w) => [w.key, w.window.startMs, w.window.endMs, w.label, w.emitted])).toEqual([
      ['s1', 0, 10_000, 'avg(temp)=21.0 (2 rows)', true],
      ['s2', 0, 10_000, 'avg(temp)=30.0 (1 row)', true],
    ]);
    expect(layout.watermarks).toEqual([]);
    expect(layout.dots.map((d) => [d.key, d.eventTimeMs, d.dropped, d.current])).toEqual([
      ['s1', 2000, false, true],
      ['s2', 4000, false, true],
      ['s1', 7000, false, true],
    ]);
  });

  it('after batch 3 places windows and the watermark on the event-time axis', () => {
    const layout = layoutStructuredTimeline(traces, viewport);
    expect(layout.selectedBatchId).toBe(3);
    expect(layout.scale.domainEnd).toBe(40_000);
    // Eight (sensor, window) boxes: [0,10) … [30,40) for s2, up to [20,30) for s1.
    expect(layout.windows.map((w) => `${w.key}:${w.window.startMs / 1000}-${w.window.endMs / 1000}`)).toEqual([
      's1:0-10', 's1:10-20', 's1:20-30', 's2:0-10', 's2:10-20', 's2:20-30', 's2:30-40',
    ]);
    const s2Last = layout.windows.find((w) => w.key === 's2' && w.window.startMs === 30_000)!;
    expect([s2Last.x, s2Last.width, s2Last.emitted, s2Last.label]).toEqual([400, 100, true, 'avg(temp)=29.0 (1 row)']);
    // Tumbling windows never overlap, so each key needs one row and all its boxes share a y.
    expect(new Set(layout.windows.filter((w) => w.key === 's1').map((w) => w.y)).size).toBe(1);
    // The watermark line moves 8 s → 15 s → 23 s (batch 0 left it at 0, which is not drawn).
    expect(layout.watermarks).toEqual([
      { batchId: 1, watermarkMs: 8000, x: 180 },
      { batchId: 2, watermarkMs: 15_000, x: 250 },
      { batchId: 3, watermarkMs: 23_000, x: 330 },
    ]);
    // Windows that ended at or before the watermark were evicted from state.
    expect(layout.windows.filter((w) => w.evicted).map((w) => `${w.key}:${w.window.startMs}`)).toEqual(['s1:0', 's2:0']);
  });

  it('marks the late record as dropped with the reason in its hover text', () => {
    const layout = layoutStructuredTimeline(traces, viewport);
    const dropped = layout.dots.filter((d) => d.dropped);
    expect(dropped.map((d) => [d.key, d.eventTimeMs, d.batchId, d.x])).toEqual([['s1', 4000, 3, 140]]);
    expect(dropped[0]!.title).toBe(
      'Dropped in batch 3: {"sensor": "s1", "temp": 50, "ts": "1970-01-01 00:00:04"}. event time 1970-01-01 00:00:04 is older than the watermark 1970-01-01 00:00:15, so the row is late and dropped',
    );
    // The late record did not create or change a window: s1's [0,10) keeps its batch-1 average.
    expect(layout.windows.find((w) => w.key === 's1' && w.window.startMs === 0)!.label).toBe('avg(temp)=21.666666666666668 (3 rows)');
  });

  it('puts axis ticks on whole multiples of the step', () => {
    const layout = layoutStructuredTimeline(traces, viewport);
    expect(layout.axis.map((a) => a.label)).toEqual(['00:00:00', '00:00:10', '00:00:20', '00:00:30', '00:00:40']);
    expect(layout.axis.map((a) => a.x)).toEqual([100, 200, 300, 400, 500]);
  });

  it('stacks overlapping sliding windows of one key into separate rows', () => {
    const w = (s: number, e: number) => ({ startMs: s, endMs: e });
    const sliding: StructuredTrace = {
      kind: 'structured', batchId: 0, watermarkBeforeMs: 0, watermarkAfterMs: 0,
      inputs: [{ eventTimeMs: 7000, key: 'a', windows: [w(0, 10_000), w(5000, 15_000)], status: 'updated' }],
      state: [], emitted: [], evicted: [],
    };
    const layout = layoutStructuredTimeline([sliding], viewport);
    expect(layout.windows.map((b) => b.y)).toEqual([20, 40]);
    expect(layout.lanes).toEqual([{ key: 'a', color: 'var(--sl-key-0)', y: 0, height: 66 }]);
  });

  it('shrinks the lanes to the height it is given, keeping every window in its lane, down to a floor', () => {
    // Full size: two lanes of 20 + 20 + 6 = 46 px, 92 + the 28 px axis = 120.
    expect(layoutStructuredTimeline(traces, { ...viewport, height: 200 }).height).toBe(120);
    // 112 px: 112 - 28 axis - 12 between lanes leaves 72 for 80 px of strips and rows: each at 9/10.
    const fitted = layoutStructuredTimeline(traces, { ...viewport, height: 112 });
    expect(fitted.lanes.map((l) => [l.key, l.y, l.height])).toEqual([['s1', 0, 42], ['s2', 42, 42]]);
    expect(fitted.height).toBe(112);
    // s2's boxes sit under its 18 px dot strip, 18 - 4 px high.
    expect(fitted.windows.filter((w) => w.key === 's2').map((w) => [w.y, w.height])).toEqual([[60, 14], [60, 14], [60, 14], [60, 14]]);
    // No room at all: the rows and strips stop at their floor and the drawing is taller than asked.
    const floor = layoutStructuredTimeline(traces, { ...viewport, height: 40 });
    expect(floor.lanes.map((l) => l.height)).toEqual([MIN_DOT_STRIP + MIN_ROW + 6, MIN_DOT_STRIP + MIN_ROW + 6]);
  });

  it('groups dots into one path per colour and state', () => {
    const layout = layoutStructuredTimeline(traces, viewport);
    const paths = dotPaths(layout.dots);
    expect(paths.map((p) => [p.color, p.dropped, p.current, p.d.split('M').length - 1])).toEqual([
      ['var(--sl-key-0)', false, false, 5],
      ['var(--sl-key-1)', false, false, 3],
      ['var(--sl-key-0)', true, true, 1],
      ['var(--sl-key-1)', false, true, 1],
    ]);
  });
});

describe('layoutStructuredTimeline at 5,000 records', () => {
  it('draws every record but keeps the dots to one path per colour and state', async () => {
    const { syntheticStructuredTraces } = await import('../fixtures/synthetic-traces.js');
    const big = syntheticStructuredTraces(5000, 8, 50);
    const layout = layoutStructuredTimeline(big, { width: 1200 });
    expect(layout.dots.length).toBe(5000);
    // Every 25th reading is late (200), except the 4 in batch 0, before any watermark exists.
    expect(layout.dots.filter((d) => d.dropped).length).toBe(196);
    expect(layout.lanes.map((l) => l.key)).toEqual(['sensor-0', 'sensor-1', 'sensor-2', 'sensor-3', 'sensor-4', 'sensor-5', 'sensor-6', 'sensor-7']);
    // Kept: 8 colours × (past, current). Dropped: all 8 colours in past batches, and in the last batch
    // the 4 late readings 4924, 4949, 4974, 4999 fall on sensors 4–7.
    const paths = dotPaths(layout.dots);
    expect(paths.length).toBe(8 * 2 + 8 + 4);
    expect(paths.reduce((n, p) => n + p.d.split('M').length - 1, 0)).toBe(5000);
  });
});
