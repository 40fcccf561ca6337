import { describe, expect, it } from 'vitest';
import { dstreamWindowsSession } from '../fixtures/sessions.js';
import type { DStreamTrace } from '../model/server-events.js';
import { layoutDStreamTimeline } from './dstream-layout.js';

const traces = dstreamWindowsSession.run.events.flatMap((e) =>
  e.event.kind === 'run.batch' && e.event.trace?.kind === 'dstream' ? [e.event.trace as DStreamTrace] : [],
);
// 100 px margin + 400 px for 40 s of processing time: 10 px per second.
const viewport = { width: 516, left: 100, right: 16, top: 0, dotStrip: 20 };

describe('layoutDStreamTimeline over the recorded DStream session', () => {
  it('cuts processing time into one band per batch, the selected one marked', () => {
    const layout = layoutDStreamTimeline(traces, viewport);
    expect(layout.bands.map((b) => [b.label, b.x, b.width, b.records, b.current])).toEqual([
      ['Batch 0', 100, 100, 3, false],
      ['Batch 1', 200, 100, 3, false],
      ['Batch 2', 300, 100, 2, false],
      ['Batch 3', 400, 100, 2, true],
    ]);
  });

  it('puts each record inside the batch that received it, in its key lane', () => {
    const layout = layoutDStreamTimeline(traces, viewport, 0);
    expect(layout.lanes.map((l) => [l.key, l.y])).toEqual([['s1', 18], ['s2', 44]]);
    // Batch 0 holds s1 twice and s2 once: s1's dots split the band in thirds, s2's sits in the middle.
    expect(layout.dots.map((d) => [d.key, Math.round(d.x), d.y])).toEqual([
      ['s1', 133, 31], ['s2', 150, 57], ['s1', 167, 31],
    ]);
    // The frame is the whole run's, so scrubbing back does not move the axis.
    expect(layout.axis.map((a) => a.label)).toEqual(['00:00:00', '00:00:10', '00:00:20', '00:00:30', '00:00:40']);
  });

  it('draws the window the selected batch reduced, and how many batches it covers', () => {
    const layout = layoutDStreamTimeline(traces, viewport, 2);
    expect(layout.window).toEqual({ x: 200, width: 200, span: { startMs: 10_000, endMs: 30_000 }, label: 'window covers 2 batches' });
    // The record that was late in event time is on time here: DStreams only know arrival.
    const last = layoutDStreamTimeline(traces, viewport);
    expect(last.dots.filter((d) => d.batchId === 3).map((d) => d.title)).toEqual([
      'Batch 3: (s1, reading at event time 00:00:04)',
      'Batch 3: (s2, reading at event time 00:00:33)',
    ]);
  });

  it('starts the axis with the run when a window reaches back before its first batch, and counts every record received', () => {
    // A one-minute window over 10-second batches: at the first batch it covers (−50 s, 10 s].
    const first: DStreamTrace = {
      kind: 'dstream', batchId: 0, batchTimeMs: 10_000, batchIntervalMs: 10_000,
      records: [{ key: 's1', arrivalMs: 10_000 }], recordCount: 250, window: { startMs: -50_000, endMs: 10_000 }, output: [],
    };
    const layout = layoutDStreamTimeline([first, { ...first, batchId: 1, batchTimeMs: 20_000, recordCount: undefined, window: { startMs: -40_000, endMs: 20_000 } }], viewport);
    expect(layout.axis[0]).toEqual({ x: 100, label: '00:00:00' });
    expect(layout.bands.map((b) => [b.label, b.x, b.width, b.records])).toEqual([['Batch 0', 100, 200, 250], ['Batch 1', 300, 200, 1]]);
    expect(layout.window).toEqual({ x: 100, width: 400, span: { startMs: -40_000, endMs: 20_000 }, label: 'window covers 2 batches' });
  });
});
