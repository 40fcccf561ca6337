/**
 * The Timeline's lanes for every grouping the lessons use, on batches recorded from real runs of the
 * lessons' code on their own data (scripts/record-lesson-traces.ts): window and key (lesson 03, its
 * console and its report query), a window alone, a key alone (lesson 04) and DStream batches (lesson 02).
 */
import { describe, expect, it } from 'vitest';
import type { ServerEvent } from '@streamlab/runtime/protocol';
import recorded from '../fixtures/lesson-traces.json';
import { adaptEvent } from '../client/adapt.js';
import type { BatchEvent, DStreamTrace, StructuredTrace } from '../model/server-events.js';
import { groupingOf, layoutBatchTimeline, layoutStructuredTimeline, type StructuredTimelineLayout } from './structured-layout.js';
import { layoutDStreamTimeline } from './dstream-layout.js';
import { timelineQueries } from './timeline-queries.js';

const runs = recorded as unknown as Record<string, Record<string, unknown>[]>;
const SENSORS = ['sensor-1', 'sensor-2', 'sensor-3'];
const viewport = { width: 900 };

/** The recorded run's batches as the workbench keeps them. */
function batchesOf(name: string): BatchEvent[] {
  return runs[name]!.map((e) => {
    const event = adaptEvent({ ...e, runId: 'r' } as unknown as ServerEvent);
    if (event.kind !== 'run.batch') throw new Error(`not a batch: ${event.kind}`);
    const { kind: _kind, ...batch } = event;
    return batch;
  });
}

const structured = (batches: BatchEvent[]) => batches.map((b) => b.trace as StructuredTrace);

/** Each window box with the key of the lane its middle sits in. */
function boxLanes(layout: StructuredTimelineLayout): { key: string; lane: string | undefined }[] {
  return layout.windows.map((w) => ({ key: w.key, lane: layout.lanes.find((l) => w.y + w.height / 2 >= l.y && w.y + w.height / 2 <= l.y + l.height)?.key }));
}

const minute = (ms: number) => new Date(ms).toISOString().slice(11, 16);

describe('lesson 03\'s solution: a window and a key, in two queries', () => {
  const queries = timelineQueries(batchesOf('03-solution'));

  it('shows its console and its report query apart, each with its own batches', () => {
    expect(queries.map((q) => [q.label, q.batches.length, q.batches[0]!.batchId])).toEqual([
      ['Query 1 → console', 30, 0],
      ['Query 2 → kafka', 30, 0],
    ]);
  });

  it('draws the console query\'s windows in their sensor\'s lanes, one lane per sensor', () => {
    const traces = structured(queries[0]!.batches);
    expect(groupingOf(traces)).toBe('window-and-key');
    const layout = layoutStructuredTimeline(traces, viewport);
    expect(layout.lanes.map((l) => l.key)).toEqual(SENSORS);
    expect(boxLanes(layout).filter((b) => b.lane !== b.key)).toEqual([]);
    expect([...new Set(layout.windows.map((w) => minute(w.window.startMs)))]).toEqual(['10:00', '10:01', '10:02']);
  });

  it('draws the report query (append mode, key and JSON value) in the sensors\' lanes, the windows it wrote marked', () => {
    const traces = structured(queries[1]!.batches);
    const layout = layoutStructuredTimeline(traces, viewport);
    expect(layout.lanes.map((l) => l.key)).toEqual(SENSORS);
    expect(boxLanes(layout).filter((b) => b.lane !== b.key)).toEqual([]);
    // Append mode writes a window once the watermark passes its end: by the last batch, 10:00 for each sensor.
    const written = layout.windows.filter((w) => w.everEmitted).map((w) => `${w.key} ${minute(w.window.startMs)}`);
    const evictedAndWritten = traces.flatMap((t) => t.emitted.filter((e) => e.window).map((e) => `${e.key} ${minute(e.window!.startMs)}`));
    expect(written.sort()).toEqual(evictedAndWritten.sort());
    expect(written).toEqual(SENSORS.map((s) => `${s} 10:00`));
    // Its boxes show what the value says beyond the window and the key: the rounded average.
    const written10 = traces.flatMap((t) => t.emitted).filter((e) => e.window);
    expect(written10.map((e) => e.values)).toEqual(SENSORS.map((s) => {
      const value = (runs['03-solution']!.flatMap((b) => ((b.trace as { emitted: { sample: string[][] } }).emitted.sample)).find((cells) => cells[0] === s && cells.length === 2)!)[1]!;
      return `avg=${(JSON.parse(value) as { avg: number }).avg}`;
    }));
    expect(written10.every((e) => /^avg=\d+(\.\d{1,2})?$/.test(e.values))).toBe(true);
  });
});

describe('lesson 03\'s starter: arrival-time windows and a key', () => {
  it('draws every window in its sensor\'s lane, and no lane without a key', () => {
    const queries = timelineQueries(batchesOf('03-starter'));
    expect(queries.map((q) => q.label)).toEqual(['Query 1 → console']);
    const layout = layoutStructuredTimeline(structured(queries[0]!.batches), viewport);
    expect(layout.lanes.map((l) => l.key)).toEqual(SENSORS);
    expect(boxLanes(layout).filter((b) => b.lane !== b.key)).toEqual([]);
  });
});

describe('a window without a key', () => {
  it('draws one lane holding every window', () => {
    const traces = structured(timelineQueries(batchesOf('03-window-only'))[0]!.batches);
    expect(groupingOf(traces)).toBe('window');
    const layout = layoutStructuredTimeline(traces, viewport);
    expect(layout.lanes.map((l) => l.key)).toEqual(['']);
    expect(layout.windows.map((w) => [w.key, minute(w.window.startMs)])).toEqual([['', '10:00'], ['', '10:01'], ['', '10:02']]);
  });
});

describe('lesson 04\'s solution: a key without a window', () => {
  it('draws one lane per origin, each batch\'s counts in their origin\'s lane', () => {
    const traces = structured(timelineQueries(batchesOf('04-solution'))[0]!.batches);
    expect(groupingOf(traces)).toBe('key');
    const layout = layoutBatchTimeline(traces, viewport);
    const origins = ['kafka-test-app-0 (10.1.0.17)', 'kafka-test-app-1 (10.1.62.178)', 'kafka-test-app-2 (10.1.33.104)'];
    expect(layout.lanes.map((l) => l.key)).toEqual(origins);
    expect(boxLanes(layout).filter((b) => b.lane !== b.key)).toEqual([]);
    // Complete mode writes every origin every batch.
    expect(layout.windows.filter((w) => w.window.startMs === 0).map((w) => `${w.key}: ${w.label}`)).toEqual([
      'kafka-test-app-2 (10.1.33.104): count=5', 'kafka-test-app-0 (10.1.0.17): count=2', 'kafka-test-app-1 (10.1.62.178): count=3',
    ]);
  });
});

describe('lesson 02\'s solution: DStream batches', () => {
  it('draws one band per batch and each record in its sensor\'s lane', () => {
    const batches = batchesOf('02-solution');
    const queries = timelineQueries(batches);
    expect(queries.map((q) => [q.label, q.batches.length])).toEqual([['Query 1', 6]]);
    const traces = queries[0]!.batches.map((b) => b.trace as DStreamTrace);
    const layout = layoutDStreamTimeline(traces, viewport);
    expect(layout.lanes.map((l) => l.key)).toEqual(SENSORS);
    expect(layout.bands.map((b) => b.records)).toEqual(traces.map((t) => t.records.length));
    // Every record's dot sits in the lane of its key.
    const laneOf = new Map(layout.lanes.map((l) => [l.key, l]));
    expect(layout.dots.filter((d) => { const l = laneOf.get(d.key)!; return !(d.y >= l.y && d.y <= l.y + l.height); })).toEqual([]);
  });
});
