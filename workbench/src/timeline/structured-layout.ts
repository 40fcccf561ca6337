/**
 * Layout of the Structured Streaming timeline: pure geometry from the engine's batch traces, so it is
 * tested in Node and the element only draws it.
 *
 *   y: one lane per grouping key (sorted), each lane split into sub-rows so overlapping (sliding)
 *      windows of one key do not cover each other; dots sit in a strip above the window rows.
 *   x: event time, over every record, window and watermark seen up to the selected batch.
 *
 * Everything up to and including the selected batch is drawn; the selected batch's records and emitted
 * windows are marked `current`, which is what scrubbing shows moving.
 */
import type { StructuredTrace, WindowSpan } from '../model/server-events.js';
import { keyColor } from './key-colors.js';
import { formatTick, scaleX, tickStep, ticks, type TimeScale } from './time-axis.js';

/** Size of the drawing and its margins, in CSS pixels. */
export interface Viewport {
  width: number;
  /** Height of one window row; lanes grow with their rows. */
  rowHeight?: number;
  /** Height of the dot strip at the top of each lane. */
  dotStrip?: number;
  left?: number;
  right?: number;
  top?: number;
  /**
   * Height the drawing may take. When the lanes at full size would not fit, their rows and dot strips
   * shrink to fit, down to `MIN_ROW` and `MIN_DOT_STRIP`; below that the drawing is taller than asked.
   */
  height?: number;
}

/** The smallest window row (its label still reads) and dot strip a lane shrinks to. */
export const MIN_ROW = 16;
export const MIN_DOT_STRIP = 12;
/** Below the lanes: the time axis and its labels. */
const AXIS = 28;
/** Between lanes. */
const LANE_GAP = 6;

/**
 * Row height and dot strip for lanes of `rowCounts` window rows each, full size when they fit in
 * `viewport.height` and otherwise shrunk together to fit.
 */
export function fitLanes(rowCounts: number[], viewport: Viewport): { rowHeight: number; dotStrip: number } {
  const rowHeight = viewport.rowHeight ?? 22;
  const dotStrip = viewport.dotStrip ?? 26;
  if (viewport.height === undefined || rowCounts.length === 0) return { rowHeight, dotStrip };
  const room = viewport.height - (viewport.top ?? 8) - AXIS - LANE_GAP * rowCounts.length;
  const rows = rowCounts.reduce((a, b) => a + b, 0);
  const full = dotStrip * rowCounts.length + rowHeight * rows;
  if (full <= room) return { rowHeight, dotStrip };
  const scale = Math.max(0, room) / full;
  return { rowHeight: Math.max(MIN_ROW, Math.floor(rowHeight * scale)), dotStrip: Math.max(MIN_DOT_STRIP, Math.floor(dotStrip * scale)) };
}

/** One input record. */
export interface DotLayout {
  x: number;
  y: number;
  color: string;
  key: string;
  batchId: number;
  eventTimeMs: number;
  dropped: boolean;
  /** Batch being shown: drawn bolder. */
  current: boolean;
  /** Hover text: the record, and for dropped records why. */
  title: string;
}

/** One (key, window) state entry or result. */
export interface WindowBoxLayout {
  x: number;
  width: number;
  y: number;
  height: number;
  color: string;
  key: string;
  window: WindowSpan;
  /** Running aggregate as of the selected batch. */
  label: string;
  /** Emitted by the selected batch. */
  emitted: boolean;
  /** Emitted by some batch up to the selected one. */
  everEmitted: boolean;
  /** Removed from state (watermark passed its end) by the selected batch or earlier. */
  evicted: boolean;
}

/** A key's horizontal band. */
export interface LaneLayout {
  key: string;
  color: string;
  y: number;
  height: number;
}

/** Position of the watermark after a batch. */
export interface WatermarkMark {
  batchId: number;
  x: number;
  watermarkMs: number;
}

/** The whole picture for one selected batch. */
export interface StructuredTimelineLayout {
  width: number;
  height: number;
  scale: TimeScale;
  lanes: LaneLayout[];
  dots: DotLayout[];
  windows: WindowBoxLayout[];
  /** Watermark after each batch up to the selected one; the last is the current line. */
  watermarks: WatermarkMark[];
  axis: { x: number; label: string }[];
  /** Records whose event time was NULL (not drawable), up to the selected batch. */
  nullEventTimes: number;
  selectedBatchId: number | null;
}

const windowId = (key: string, w: WindowSpan) => `${key}\u0000${w.startMs}\u0000${w.endMs}`;

function formatTime(ms: number): string {
  return formatTick(ms, ms % 1000 === 0 ? 1000 : 1);
}

/** Greedy interval packing: the first row whose last window ends at or before this one starts. */
function packRows(spans: WindowSpan[]): number[] {
  const rowEnds: number[] = [];
  return spans.map((s) => {
    let row = rowEnds.findIndex((end) => end <= s.startMs);
    if (row === -1) {
      row = rowEnds.length;
      rowEnds.push(s.endMs);
    } else rowEnds[row] = s.endMs;
    return row;
  });
}

interface WindowInfo { key: string; window: WindowSpan; label: string; everEmitted: boolean; evicted: boolean }

/** The whole run's fold, kept per traces array: scrubbing lays out the same run again and again. */
const wholeRun = new WeakMap<StructuredTrace[], ReturnType<typeof collect>>();

/** What a run of traces says about windows, keys and the time span, folded batch by batch. */
function collect(traces: StructuredTrace[]) {
  const windows = new Map<string, WindowInfo>();
  const touch = (key: string, window: WindowSpan): WindowInfo => {
    const id = windowId(key, window);
    let info = windows.get(id);
    if (!info) {
      info = { key, window, label: '', everEmitted: false, evicted: false };
      windows.set(id, info);
    }
    return info;
  };
  const keys = new Set<string>();
  let nullEventTimes = 0;
  let minT = Infinity;
  let maxT = -Infinity;
  const see = (t: number) => {
    if (Number.isFinite(t)) {
      minT = Math.min(minT, t);
      maxT = Math.max(maxT, t);
    }
  };
  for (const trace of traces) {
    for (const input of trace.inputs) {
      keys.add(input.key);
      if (input.eventTimeMs === null) nullEventTimes++;
      else see(input.eventTimeMs);
      if (input.status === 'updated') for (const w of input.windows) touch(input.key, w);
    }
    for (const s of trace.state) {
      keys.add(s.key);
      if (s.window) {
        const info = touch(s.key, s.window);
        info.label = s.aggregate;
        info.evicted = false;
      }
    }
    for (const e of trace.emitted) {
      // A row tied to no window draws nothing, so it makes no lane either.
      if (!e.window) continue;
      keys.add(e.key);
      const info = touch(e.key, e.window);
      info.everEmitted = true;
      if (!info.label) info.label = e.values;
    }
    for (const ev of trace.evicted) {
      if (!ev.window) continue;
      const info = touch(ev.key, ev.window);
      info.evicted = true;
      if (ev.aggregate) info.label = ev.aggregate;
    }
    if (trace.watermarkAfterMs > 0) see(trace.watermarkAfterMs);
  }
  for (const info of windows.values()) {
    see(info.window.startMs);
    see(info.window.endMs);
  }
  return { windows, keys, nullEventTimes, minT, maxT };
}

/**
 * Lays out `traces[0..selected]` (traces in batch order). `selected` is an index into `traces`;
 * it defaults to the last one. The axis, the lanes and each window's row come from the whole run, so
 * scrubbing moves the content and never the frame.
 */
export function layoutStructuredTimeline(traces: StructuredTrace[], viewport: Viewport, selected = traces.length - 1): StructuredTimelineLayout {
  const left = viewport.left ?? 96;
  const right = viewport.right ?? 16;
  const top = viewport.top ?? 8;
  const shown = selected >= 0 ? traces.slice(0, selected + 1) : [];
  const current = shown[shown.length - 1];
  let whole = wholeRun.get(traces);
  if (!whole) wholeRun.set(traces, (whole = collect(traces)));
  const { windows, nullEventTimes } = collect(shown);
  const emittedNow = new Set((current?.emitted ?? []).flatMap((e) => (e.window ? [windowId(e.key, e.window)] : [])));

  let { minT, maxT } = whole;
  if (!Number.isFinite(minT)) {
    minT = 0;
    maxT = 10_000;
  }
  if (maxT === minT) maxT = minT + 1000;
  const scale: TimeScale = { domainStart: minT, domainEnd: maxT, rangeStart: left, rangeEnd: Math.max(left + 1, viewport.width - right) };

  // Lanes: one per key, windows packed into rows per key over the whole run.
  const sortedKeys = [...whole.keys].sort();
  const packed = sortedKeys.map((key) => {
    const all = [...whole.windows.values()].filter((w) => w.key === key).sort((a, b) => a.window.startMs - b.window.startMs || a.window.endMs - b.window.endMs);
    const rows = packRows(all.map((w) => w.window));
    return { all, rows, rowCount: Math.max(1, ...rows.map((r) => r + 1)) };
  });
  const { rowHeight, dotStrip } = fitLanes(packed.map((p) => p.rowCount), viewport);
  const lanes: LaneLayout[] = [];
  const windowBoxes: WindowBoxLayout[] = [];
  const laneTop = new Map<string, number>();
  let y = top;
  sortedKeys.forEach((key, index) => {
    const color = keyColor(index);
    const { all, rows, rowCount } = packed[index]!;
    const height = dotStrip + rowCount * rowHeight + LANE_GAP;
    laneTop.set(key, y);
    lanes.push({ key, color, y, height });
    all.forEach((w, i) => {
      const id = windowId(key, w.window);
      const known = windows.get(id);
      if (!known) return;
      const x0 = scaleX(scale, w.window.startMs);
      const x1 = scaleX(scale, w.window.endMs);
      windowBoxes.push({
        x: x0,
        width: Math.max(1, x1 - x0),
        y: y + dotStrip + rows[i]! * rowHeight,
        height: rowHeight - 4,
        color,
        key,
        window: w.window,
        label: known.label,
        emitted: emittedNow.has(id),
        everEmitted: known.everEmitted,
        evicted: known.evicted,
      });
    });
    y += height;
  });

  const colorOf = new Map(lanes.map((l) => [l.key, l.color]));
  const dots: DotLayout[] = [];
  for (const trace of shown) {
    const isCurrent = trace === current;
    // Records of one batch share a jitter row so batches read as strata within the strip.
    const jitter = 4 + ((trace.batchId % 4) * (dotStrip - 10)) / 4;
    for (const input of trace.inputs) {
      if (input.eventTimeMs === null) continue;
      const dropped = input.status === 'dropped';
      const what = input.preview ?? `${input.key} @ ${formatTime(input.eventTimeMs)}`;
      dots.push({
        x: scaleX(scale, input.eventTimeMs),
        y: laneTop.get(input.key)! + jitter + 3,
        color: colorOf.get(input.key)!,
        key: input.key,
        batchId: trace.batchId,
        eventTimeMs: input.eventTimeMs,
        dropped,
        current: isCurrent,
        title: dropped
          ? `Dropped in batch ${trace.batchId}: ${what}. ${input.reason ?? `Event time is before the watermark ${formatTime(trace.watermarkBeforeMs)}.`}`
          : `Batch ${trace.batchId}: ${what}`,
      });
    }
  }

  const watermarks = shown
    .filter((t) => t.watermarkAfterMs > 0)
    .map((t) => ({ batchId: t.batchId, watermarkMs: t.watermarkAfterMs, x: scaleX(scale, t.watermarkAfterMs) }));
  const step = tickStep(maxT - minT, Math.max(2, Math.floor((scale.rangeEnd - scale.rangeStart) / 90)));
  const axis = ticks(minT, maxT, step).map((t) => ({ x: scaleX(scale, t), label: formatTick(t, step) }));

  return {
    width: viewport.width,
    height: y + AXIS,
    scale,
    lanes,
    dots,
    windows: windowBoxes,
    watermarks,
    axis,
    nullEventTimes,
    selectedBatchId: current?.batchId ?? null,
  };
}

/** What a run groups by, as the timeline draws it. */
export type Grouping = 'window-and-key' | 'window' | 'key' | 'none';

/** The grouping a run's traces show: a window when any record or result has one, a key likewise. */
export function groupingOf(traces: StructuredTrace[]): Grouping {
  let window = false;
  let key = false;
  for (const t of traces) {
    for (const i of t.inputs) {
      window ||= i.windows.length > 0;
      key ||= i.key !== '';
    }
    for (const e of t.emitted) {
      window ||= e.window !== null;
      key ||= e.key !== '';
    }
  }
  return window ? (key ? 'window-and-key' : 'window') : key ? 'key' : 'none';
}

/**
 * Layout for a run without windows (a key only, or a global aggregate): there is no event time to place
 * anything on, so x is the batch. Each key's lane shows the records each batch read for it and, as a box
 * in that batch's column, the result the batch wrote for it.
 */
export function layoutBatchTimeline(traces: StructuredTrace[], viewport: Viewport, selected = traces.length - 1): StructuredTimelineLayout {
  const left = viewport.left ?? 96;
  const right = viewport.right ?? 16;
  const top = viewport.top ?? 8;
  const shown = selected >= 0 ? traces.slice(0, selected + 1) : [];
  const current = shown[shown.length - 1];
  const scale: TimeScale = { domainStart: 0, domainEnd: Math.max(1, traces.length), rangeStart: left, rangeEnd: Math.max(left + 1, viewport.width - right) };
  const keys = [...new Set(traces.flatMap((t) => [...t.inputs.map((i) => i.key), ...t.emitted.map((e) => e.key)]))].sort();
  const { rowHeight, dotStrip } = fitLanes(keys.map(() => 1), viewport);
  const lanes: LaneLayout[] = keys.map((key, i) => ({ key, color: keyColor(i), y: top + i * (dotStrip + rowHeight + LANE_GAP), height: dotStrip + rowHeight + LANE_GAP }));
  const laneOf = new Map(lanes.map((l) => [l.key, l]));
  const dots: DotLayout[] = [];
  const boxes: WindowBoxLayout[] = [];
  shown.forEach((trace, column) => {
    const x0 = scaleX(scale, column);
    const x1 = scaleX(scale, column + 1);
    const isCurrent = trace === current;
    for (const lane of lanes) {
      const records = trace.inputs.filter((i) => i.key === lane.key);
      records.forEach((input, j) => {
        dots.push({
          x: x0 + ((j + 1) * (x1 - x0)) / (records.length + 1),
          y: lane.y + dotStrip / 2,
          color: lane.color,
          key: lane.key,
          batchId: trace.batchId,
          eventTimeMs: input.eventTimeMs ?? 0,
          dropped: input.status === 'dropped',
          current: isCurrent,
          title: `Batch ${trace.batchId}: ${input.preview ?? lane.key}`,
        });
      });
    }
    for (const e of trace.emitted) {
      const lane = laneOf.get(e.key);
      if (!lane) continue;
      boxes.push({
        x: x0 + 2,
        width: Math.max(1, x1 - x0 - 4),
        y: lane.y + dotStrip,
        height: rowHeight - 4,
        color: lane.color,
        key: e.key,
        window: { startMs: column, endMs: column + 1 },
        label: e.values,
        emitted: isCurrent,
        everEmitted: true,
        evicted: false,
      });
    }
  });
  const axis = traces.map((t, i) => ({ x: (scaleX(scale, i) + scaleX(scale, i + 1)) / 2, label: `batch ${t.batchId}` }));
  const last = lanes[lanes.length - 1];
  return {
    width: viewport.width,
    height: (last ? last.y + last.height : top) + AXIS,
    scale,
    lanes,
    dots,
    windows: boxes,
    watermarks: [],
    axis: axis.length > 24 ? axis.filter((_, i) => i % Math.ceil(axis.length / 24) === 0) : axis,
    nullEventTimes: 0,
    selectedBatchId: current?.batchId ?? null,
  };
}

/**
 * Dots grouped into one SVG path per (colour, state), so 5,000 records cost a handful of DOM nodes and
 * scrubbing stays smooth. Each dot is a circle drawn as two arcs.
 */
export function dotPaths(dots: DotLayout[], radius = 3): { color: string; dropped: boolean; current: boolean; d: string }[] {
  const groups = new Map<string, { color: string; dropped: boolean; current: boolean; parts: string[] }>();
  for (const dot of dots) {
    const id = `${dot.color}|${dot.dropped}|${dot.current}`;
    let g = groups.get(id);
    if (!g) {
      g = { color: dot.color, dropped: dot.dropped, current: dot.current, parts: [] };
      groups.set(id, g);
    }
    const r = dot.current ? radius + 1 : radius;
    g.parts.push(`M${(dot.x - r).toFixed(1)} ${dot.y.toFixed(1)}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0`);
  }
  return [...groups.values()].map(({ parts, ...rest }) => ({ ...rest, d: parts.join('') }));
}
