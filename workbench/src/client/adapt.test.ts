import { describe, expect, it } from 'vitest';
import type { DStreamBatchEvent, StreamingQueryProgress, StructuredBatchEvent, StructuredBatchTrace } from '@streamlab/runtime/protocol';
import { adaptEvent, adaptProgress, adaptRows, splitLesson } from './adapt.js';
import { parseWindowCell } from './adapt-trace.js';
import { showCells } from '../format/console-table.js';

const trace: StructuredBatchTrace = {
  api: 'structured',
  batchId: 2,
  kind: 'data',
  batchTimestampMs: 30_000,
  watermark: { beforeMs: 8000, afterMs: 15_000, lateThresholdMs: 8000 },
  eventTime: { minMs: 4000, maxMs: 25_000, avgMs: 14_500 },
  columns: ['window', 'sensor', 'avg_temp'],
  input: {
    total: 2,
    sample: [
      { values: ['s2', '31.0', '1970-01-01 00:00:25'], eventTimeMs: 25_000, outcome: 'updated', window: { startMs: 20_000, endMs: 30_000 }, key: ['s2'] },
      { values: ['s1', '50.0', '1970-01-01 00:00:04'], eventTimeMs: 4000, outcome: 'late', window: { startMs: 0, endMs: 10_000 }, key: ['s1'], reason: 'window end 10000 <= watermark 8000' },
    ],
  },
  droppedLate: 1,
  emitted: { total: 1, sample: [['{1970-01-01 00:00:20, 1970-01-01 00:00:30}', 's2', '31.0']] },
  evicted: { total: 1, sample: [{ key: ['s2'], window: { startMs: 0, endMs: 10_000 }, emitted: false }] },
  stateRowsTotal: 3,
  malformed: { total: 7, sample: ['{"sensor":"s3",', 'not json'] },
};

const progress: StreamingQueryProgress = {
  id: 'q', runId: 'qr', name: 'q', timestamp: '1970-01-01T00:00:30.000Z', batchId: 2, batchDuration: 20, numInputRows: 2,
  inputRowsPerSecond: 0.2, processedRowsPerSecond: 100, durationMs: { triggerExecution: 20 },
  stateOperators: [{
    operatorName: 'stateStoreSave', numRowsTotal: 3, numRowsUpdated: 1, allUpdatesTimeMs: 0, numRowsRemoved: 1, allRemovalsTimeMs: 0,
    commitTimeMs: 0, memoryUsedBytes: 0, numRowsDroppedByWatermark: 1, numShufflePartitions: 1, numStateStoreInstances: 1, customMetrics: {},
  }],
  sources: [], sink: { description: 'MemorySink', numOutputRows: 1 },
};

const batch: StructuredBatchEvent = {
  kind: 'run.batch', api: 'structured', runId: 'r', queryName: 'q', batchId: 2, progress,
  rows: [{ window: { start: '1970-01-01T00:00:20.000Z', end: '1970-01-01T00:00:30.000Z' }, sensor: 's2', avg_temp: 31.5 }],
  schema: [{ name: 'window', type: 'struct<start:timestamp,end:timestamp>' }, { name: 'sensor', type: 'string' }, { name: 'avg_temp', type: 'double' }],
  totalRows: 1, truncated: false, trace,
};

describe('adaptEvent run.batch', () => {
  it('turns a structured batch into chart numbers, a typed table and timeline inputs, emitted windows and evictions', () => {
    const event = adaptEvent(batch);
    if (event.kind !== 'run.batch') throw new Error(event.kind);
    // The watermark and the newest event time come from the trace, in epoch ms.
    expect(event.progress).toEqual({
      batchId: 2, timestampMs: 30_000, numInputRows: 2, inputRowsPerSecond: 0.2, processedRowsPerSecond: 100, durationMs: 20,
      stateRows: 3, droppedByWatermark: 1, watermarkMs: 8000, maxEventTimeMs: 25_000,
    });
    expect(event.table).toEqual({ schema: batch.schema, rows: [[batch.rows[0]!.window, 's2', 31.5]], totalRows: 1 });
    expect(event.trace).toEqual({
      kind: 'structured', batchId: 2, watermarkBeforeMs: 8000, watermarkAfterMs: 15_000, hasWatermark: true,
      inputs: [
        { eventTimeMs: 25_000, key: 's2', windows: [{ startMs: 20_000, endMs: 30_000 }], status: 'updated', reason: undefined, preview: 's2, 31.0, 1970-01-01 00:00:25' },
        { eventTimeMs: 4000, key: 's1', windows: [{ startMs: 0, endMs: 10_000 }], status: 'dropped', reason: 'Dropped as late: window end 10000 <= watermark 8000.', preview: 's1, 50.0, 1970-01-01 00:00:04' },
      ],
      state: [{ key: 's2', window: { startMs: 20_000, endMs: 30_000 }, aggregate: 'avg_temp=31.0' }],
      emitted: [{ key: 's2', window: { startMs: 20_000, endMs: 30_000 }, values: 'avg_temp=31.0' }],
      evicted: [{ key: 's2', window: { startMs: 0, endMs: 10_000 }, aggregate: '' }],
      malformed: { total: 7, sample: ['{"sensor":"s3",', 'not json'] },
    });
  });

  it('draws no watermark for a query without one', () => {
    const event = adaptEvent({ ...batch, trace: { ...trace, watermark: null, eventTime: null } });
    if (event.kind !== 'run.batch' || event.trace?.kind !== 'structured') throw new Error(event.kind);
    expect([event.progress.watermarkMs, event.progress.maxEventTimeMs, event.trace.watermarkBeforeMs, event.trace.watermarkAfterMs, event.trace.hasWatermark]).toEqual([undefined, undefined, 0, 0, false]);
  });

  it('spreads a DStream batch over its interval and keeps the emitted window', () => {
    const dstream: DStreamBatchEvent = {
      kind: 'run.batch', api: 'dstream', runId: 'r', batchId: 2,
      trace: {
        api: 'dstream', batchTimeMs: 3000, batchTime: '1970-01-01 00:00:03', intervalStartMs: 2000,
        inputs: [{ streamId: 0, name: 'queueStream', records: 2, hasRdd: true }],
        windows: [{ streamId: 1, op: 'window', windowMs: 2000, slideMs: 1000, containing: [], emitted: { startMs: 1000, endMs: 3000, batchTimesMs: [2000, 3000], inverse: false } }],
        state: [], stateSize: 0, outputs: 1,
      },
    };
    const event = adaptEvent(dstream);
    if (event.kind !== 'run.batch') throw new Error(event.kind);
    expect(event).toEqual({
      kind: 'run.batch', runId: 'r', batchId: 2,
      progress: { batchId: 2, timestampMs: 3000, numInputRows: 2 },
      table: { schema: [], rows: [], totalRows: 0 },
      trace: {
        kind: 'dstream', batchId: 2, batchTimeMs: 3000, batchIntervalMs: 1000,
        records: [{ key: 'queueStream', arrivalMs: 3000 }, { key: 'queueStream', arrivalMs: 3000 }], recordCount: 2,
        window: { startMs: 1000, endMs: 3000 }, output: [],
      },
    });
  });

  it('puts a DStream batch\'s records in the lanes of their keys, once however many streams read the same topic', () => {
    const input = (streamId: number, records: number) => ({
      streamId, name: 'kafka[sensors]', records, hasRdd: true,
      sample: [{ key: 's1', preview: "('s1', '20.5')" }, { key: null, preview: "(None, '21.0')" }].slice(0, records),
    });
    const dstream: DStreamBatchEvent = {
      kind: 'run.batch', api: 'dstream', runId: 'r', batchId: 0,
      trace: {
        api: 'dstream', batchTimeMs: 10_000, batchTime: '1970-01-01 00:00:10', intervalStartMs: 0,
        // Three jobs call createDirectStream on the topic; one of them was not computed at this batch.
        inputs: [input(0, 2), input(1, 2), { ...input(2, 0), hasRdd: false }],
        windows: [], state: [], stateSize: 0, outputs: 3,
      },
    };
    const event = adaptEvent(dstream);
    if (event.kind !== 'run.batch' || event.trace?.kind !== 'dstream') throw new Error(event.kind);
    expect([event.progress.numInputRows, event.trace.recordCount, event.trace.records]).toEqual([2, 2, [
      { key: 's1', arrivalMs: 10_000, preview: "('s1', '20.5')" },
      { key: 'kafka[sensors]', arrivalMs: 10_000, preview: "(None, '21.0')" },
    ]]);
  });
});

describe('adaptEvent run.query and the batch schema', () => {
  it('passes the query\'s trigger on', () => {
    expect(adaptEvent({ kind: 'run.query', runId: 'r', queryName: 'averages', queryId: 'q1', trigger: { kind: 'processingTime', intervalMs: 10_000 } })).toEqual({
      kind: 'run.query', runId: 'r', query: 'averages', queryId: 'q1', trigger: { kind: 'processingTime', intervalMs: 10_000 },
    });
    expect(adaptEvent({ kind: 'run.query', runId: 'r', queryName: null, queryId: null, trigger: { kind: 'batchDuration', intervalMs: 1000 } })).toEqual({
      kind: 'run.query', runId: 'r', query: undefined, queryId: undefined, trigger: { kind: 'batchDuration', intervalMs: 1000 },
    });
  });

  it('types the table by the sent schema, where a guess from the JSON would be wrong', () => {
    const rows = [{ window: { start: '2024-01-01T10:00:00.000Z', end: '2024-01-01T10:01:00.000Z' }, avg_temp: 21, n: 2, day: '2024-01-01T00:00:00.000Z' }];
    const schema = [
      { name: 'window', type: 'struct<start:timestamp,end:timestamp>' }, { name: 'avg_temp', type: 'double' },
      { name: 'n', type: 'int' }, { name: 'day', type: 'string' },
    ];
    const sent = adaptEvent({ ...batch, rows, schema, totalRows: 1 });
    if (sent.kind !== 'run.batch') throw new Error(sent.kind);
    expect(sent.table).toEqual({ schema, rows: [[rows[0]!.window, 21, 2, '2024-01-01T00:00:00.000Z']], totalRows: 1 });
    // What the console table shows: 21.0 as Spark prints a double (a guess from the JSON 21 would say bigint), the string as it is.
    expect(showCells(sent.table, { truncate: 0 })[1]).toEqual(['{2024-01-01 10:00:00, 2024-01-01 10:01:00}', '21.0', '2', '2024-01-01T00:00:00.000Z']);
  });
});

describe('adapt helpers', () => {
  it('parses a window cell as show() prints it', () => {
    expect(parseWindowCell('{2024-01-01 10:00:00, 2024-01-01 10:01:00}')).toEqual({ startMs: Date.UTC(2024, 0, 1, 10), endMs: Date.UTC(2024, 0, 1, 10, 1) });
    expect(parseWindowCell('s1')).toBe(null);
  });

  it('orders row objects into the schema\'s columns, a missing value as null', () => {
    expect(adaptRows([{ a: 1, b: 'x' }, { a: 2.5 }], 2, [{ name: 'a', type: 'double' }, { name: 'b', type: 'string' }])).toEqual({
      schema: [{ name: 'a', type: 'double' }, { name: 'b', type: 'string' }], rows: [[1, 'x'], [2.5, null]], totalRows: 2,
    });
  });

  it('reports no state figures for a query without state', () => {
    const p = adaptProgress({ ...progress, stateOperators: [] }, trace);
    expect([p.stateRows, p.droppedByWatermark]).toEqual([undefined, undefined]);
  });

  it('splits lesson markdown into steps at level-2 headings and pulls hints out', () => {
    const lesson = splitLesson(
      { id: 'l', title: 'T' },
      '# T\n\nIntro.\n\n## Step 1\n\nA\n\n```ts\n## not a heading\n```\n\n## Hints\n\n- first\n- second\n',
      [{ path: 'main.ts', content: 'starter' }, { path: 'solution.ts', content: 'answer' }],
      { hints: ['from front matter'] },
    );
    expect(lesson.steps).toEqual([
      { title: 'Introduction', markdown: 'Intro.' },
      { title: 'Step 1', markdown: 'A\n\n```ts\n## not a heading\n```' },
    ]);
    expect(lesson.hints).toEqual(['from front matter', 'first', 'second']);
    expect(lesson.files).toEqual([{ path: 'main.ts', content: 'starter' }]);
    expect(lesson.solution).toEqual([{ path: 'main.ts', content: 'answer' }]);
  });
});

describe('check results', () => {
  it('counts rows as a multiset: the same rows a different number of times are missing rows, never "0 missing"', () => {
    const event = adaptEvent({
      kind: 'check.result', checkId: 'c', lessonId: 'l',
      tests: [{ name: 'n', status: 'failed', durationMs: 1, message: "AssertionError: expected [ 'a', 'b' ] to deeply equal [ 'a', 'b', 'a' ]" }],
    });
    if (event.kind !== 'check.result') throw new Error(event.kind);
    expect([event.results[0]!.message, event.results[0]!.expected, event.results[0]!.actual]).toEqual([
      'Your pipeline wrote 2 rows; the check expects 3: 1 row the check expects is missing from yours.', [['a']], [],
    ]);
  });

  it('turns a deep-equal failure into expected and actual rows with a plain summary', () => {
    const event = adaptEvent({
      kind: 'check.result', checkId: 'c', lessonId: 'l',
      tests: [
        { name: 'drops a late reading', status: 'failed', durationMs: 5, message: "AssertionError: expected [ '10:00–10:01 s1 n=2', 'it\\'s late' ] to deeply equal [ '10:00–10:01 s1 n=2', '10:01–10:02 s2 n=1' ]" },
        { name: 'append mode', status: 'passed', durationMs: 1, message: null },
        { name: 'other failure', status: 'failed', durationMs: 1, message: 'Error: boom' },
      ],
    });
    if (event.kind !== 'check.result') throw new Error(event.kind);
    expect(event.results).toEqual([
      {
        name: 'drops a late reading', passed: false,
        message: 'Your pipeline wrote 2 rows; the check expects 2: 1 row the check expects is missing from yours, and 1 row of yours is not expected.',
        expected: [['10:01–10:02 s2 n=1']],
        actual: [["it's late"]],
        detail: "AssertionError: expected [ '10:00–10:01 s1 n=2', 'it\\'s late' ] to deeply equal [ '10:00–10:01 s1 n=2', '10:01–10:02 s2 n=1' ]",
      },
      { name: 'append mode', passed: true, message: undefined },
      { name: 'other failure', passed: false, message: 'Error: boom' },
    ]);
  });
});
