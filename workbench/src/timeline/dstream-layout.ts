/**
 * Layout of the DStream timeline: a processing-time axis cut into batch intervals. Each batch's records
 * sit inside the interval that received them (lane per key), and a windowed operation's window is drawn
 * as a bracket over the batches it covered. Pure geometry, like the structured layout.
 */
import type { DStreamTrace, WindowSpan } from '../model/server-events.js';
import { keyColor } from './key-colors.js';
import { formatTick, scaleX, tickStep, ticks, type TimeScale } from './time-axis.js';
import type { DotLayout, LaneLayout, Viewport } from './structured-layout.js';

/** One batch interval `(batchTime - interval, batchTime]`. */
export interface BatchBandLayout {
  batchId: number;
  x: number;
  width: number;
  label: string;
  current: boolean;
  records: number;
}

/** The DStream picture for one selected batch. */
export interface DStreamTimelineLayout {
  width: number;
  height: number;
  scale: TimeScale;
  lanes: LaneLayout[];
  bands: BatchBandLayout[];
  dots: DotLayout[];
  /** Window of the selected batch's windowed operation, if any. */
  window: { x: number; width: number; span: WindowSpan; label: string } | null;
  axis: { x: number; label: string }[];
  selectedBatchId: number | null;
}

/** Lays out `traces[0..selected]` on the frame of the whole run; `selected` defaults to the last trace. */
export function layoutDStreamTimeline(traces: DStreamTrace[], viewport: Viewport, selected = traces.length - 1): DStreamTimelineLayout {
  const left = viewport.left ?? 96;
  const right = viewport.right ?? 16;
  const top = viewport.top ?? 8;
  const laneHeight = (viewport.dotStrip ?? 26) + 6;
  const shown = selected >= 0 ? traces.slice(0, selected + 1) : [];
  const current = shown[shown.length - 1];
  // The frame (axis and lanes) covers the whole run so scrubbing never moves it.
  const first = traces[0];
  const last = traces[traces.length - 1];
  const start = first ? first.batchTimeMs - first.batchIntervalMs : 0;
  const end = last ? last.batchTimeMs : 1000;
  // A window that reaches back before the first batch covers nothing there: the axis starts with the run.
  const domainStart = start;
  const scale: TimeScale = { domainStart, domainEnd: Math.max(end, domainStart + 1), rangeStart: left, rangeEnd: Math.max(left + 1, viewport.width - right) };

  const keys = [...new Set(traces.flatMap((t) => t.records.map((r) => r.key)))].sort();
  const lanes: LaneLayout[] = keys.map((key, i) => ({ key, color: keyColor(i), y: top + 18 + i * laneHeight, height: laneHeight }));
  const laneOf = new Map(lanes.map((l) => [l.key, l]));

  const bands = shown.map((t) => {
    const x0 = scaleX(scale, t.batchTimeMs - t.batchIntervalMs);
    const x1 = scaleX(scale, t.batchTimeMs);
    return { batchId: t.batchId, x: x0, width: x1 - x0, label: `Batch ${t.batchId}`, current: t === current, records: t.recordCount ?? t.records.length };
  });

  const dots: DotLayout[] = [];
  for (const t of shown) {
    const x0 = scaleX(scale, t.batchTimeMs - t.batchIntervalMs);
    const x1 = scaleX(scale, t.batchTimeMs);
    // Records are spread evenly inside their batch: arrival order matters, exact arrival time does not.
    const perKey = new Map<string, number>();
    const counts = new Map<string, number>();
    for (const r of t.records) counts.set(r.key, (counts.get(r.key) ?? 0) + 1);
    for (const r of t.records) {
      const i = perKey.get(r.key) ?? 0;
      perKey.set(r.key, i + 1);
      const n = counts.get(r.key)!;
      const lane = laneOf.get(r.key)!;
      dots.push({
        x: x0 + ((i + 1) * (x1 - x0)) / (n + 1),
        y: lane.y + lane.height / 2,
        color: lane.color,
        key: r.key,
        batchId: t.batchId,
        eventTimeMs: r.arrivalMs,
        dropped: false,
        current: t === current,
        title: `Batch ${t.batchId}: ${r.preview ?? r.key}`,
      });
    }
  }

  let window: DStreamTimelineLayout['window'] = null;
  if (current?.window) {
    const x0 = scaleX(scale, Math.max(domainStart, current.window.startMs));
    const x1 = scaleX(scale, current.window.endMs);
    const batches = shown.filter((t) => t.batchTimeMs > current.window!.startMs && t.batchTimeMs <= current.window!.endMs).length;
    window = { x: x0, width: x1 - x0, span: current.window, label: `window covers ${batches} ${batches === 1 ? 'batch' : 'batches'}` };
  }
  const step = tickStep(scale.domainEnd - scale.domainStart, Math.max(2, Math.floor((scale.rangeEnd - scale.rangeStart) / 90)));
  const axis = ticks(scale.domainStart, scale.domainEnd, step).map((t) => ({ x: scaleX(scale, t), label: formatTick(t, step) }));
  const height = top + 18 + lanes.length * laneHeight + 28;
  return { width: viewport.width, height, scale, lanes, bands, dots, window, axis, selectedBatchId: current?.batchId ?? null };
}
