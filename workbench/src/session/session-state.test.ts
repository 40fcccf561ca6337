import { describe, expect, it } from 'vitest';
import { structuredWindowsSession } from '../fixtures/sessions.js';
import { connectionLost, initialState, reduceEvent, runRequested, runStarted, canRun, isActive } from './session-state.js';

const events = structuredWindowsSession.run.events.map((e) => ({ ...e.event, runId: 'r1' }));

describe('reduceEvent over the recorded structured-windows session', () => {
  it('collects the four batches in order with their progress, then fails on the recorded error', () => {
    let state = runStarted({ ...initialState(), connection: { state: 'open', attempt: 0 } }, 'r1', 'system');
    expect(isActive(state)).toBe(true);
    // While it starts, Run waits; once it runs, Run restarts it with the editor's code.
    expect(canRun(state)).toBe(false);
    expect(canRun(reduceEvent(state, { kind: 'run.status', runId: 'r1', status: 'running' }))).toBe(true);
    for (const e of events) state = reduceEvent(state, e);
    expect(state.batches.map((b) => [b.batchId, b.progress.numInputRows, b.progress.droppedByWatermark])).toEqual([
      [0, 3, 0], [1, 3, 0], [2, 2, 0], [3, 2, 1],
    ]);
    expect(state.logs.map((l) => l.text)).toEqual(['query started: sensor averages per 10 s window']);
    expect(state.errors.map((e) => [e.file, e.line, e.column])).toEqual([['main.ts', 14, 21]]);
    expect(state.run.status).toBe('failed');
    // System clock: the processing time shown is the last batch's trigger time.
    expect(state.run.clockMs).toBe(40_000);
    expect(canRun(state)).toBe(true);
  });

  it('ignores events of a run that is no longer current', () => {
    let state = runStarted(initialState(), 'r2', 'manual');
    for (const e of events) state = reduceEvent(state, e);
    expect(state.batches).toEqual([]);
    expect(state.run).toEqual({ runId: 'r2', status: 'starting', mode: 'manual', clockMs: 0, queries: [] });
  });

  it('adopts a live run of its session on a page that has none (a reload), and only then', () => {
    const fresh = initialState();
    const adopted = reduceEvent(fresh, { kind: 'run.status', runId: 'r7', status: 'running' });
    expect(adopted.run).toEqual({ runId: 'r7', status: 'running', mode: 'system', clockMs: null, queries: [] });
    expect(isActive(adopted)).toBe(true);
    expect(reduceEvent(adopted, events.find((e) => e.kind === 'run.batch')!).batches).toEqual([]);
    expect(reduceEvent(adopted, { ...events.find((e) => e.kind === 'run.batch')!, runId: 'r7' }).batches).toHaveLength(1);
    // An ended run is not adopted, and a page with a run of its own keeps it.
    expect(reduceEvent(fresh, { kind: 'run.status', runId: 'r7', status: 'stopped' })).toBe(fresh);
    const own = runStarted(initialState(), 'r2', 'manual');
    expect(reduceEvent(own, { kind: 'run.status', runId: 'r7', status: 'running' })).toBe(own);
    // Run pressed while r7 ran, then Stop before the runtime named the new run: r7's last statuses are
    // stragglers of the run before, not a run to take up again.
    const stoppedUnnamed = { ...runRequested(adopted, 'system'), run: { ...runRequested(adopted, 'system').run, status: 'stopped' as const } };
    expect(reduceEvent(stoppedUnnamed, { kind: 'run.status', runId: 'r7', status: 'running' })).toBe(stoppedUnnamed);
  });

  it("takes up a reattached run on the clock the runtime says, at its clock's time, and only a run of the page's lesson", () => {
    const lesson = { id: 'l', title: 'L', steps: [], files: [], hints: [], data: { clockStartMs: Date.UTC(2026, 10, 21, 10), topics: [], records: 12, extras: [] } };
    const page = { ...initialState(), lesson };
    const clockMs = Date.UTC(2026, 10, 21, 10, 3);
    const manual = reduceEvent(page, { kind: 'run.status', runId: 'r7', status: 'running', mode: 'manual', clockMs, lessonId: 'l' });
    expect(manual.run).toEqual({ runId: 'r7', status: 'running', mode: 'manual', clockMs, queries: [] });
    // A run the session has going for another lesson is not this page's; the page's own lesson's run that follows is.
    const other = reduceEvent(page, { kind: 'run.status', runId: 'r6', status: 'running', mode: 'manual', clockMs, lessonId: 'other' });
    expect(other).toBe(page);
    expect(reduceEvent(other, { kind: 'run.status', runId: 'r8', status: 'running', mode: 'system', lessonId: 'l' }).run)
      .toEqual({ runId: 'r8', status: 'running', mode: 'system', clockMs: null, queries: [] });
  });

  it("starts a manual clock at the lesson's time, as the runtime does, and a system clock unknown", () => {
    const lesson = { id: 'l', title: 'L', steps: [], files: [], hints: [], data: { clockStartMs: Date.UTC(2026, 10, 21, 10), topics: [], records: 12, extras: [] } };
    const withLesson = { ...initialState(), lesson };
    expect(runStarted(withLesson, 'r1', 'manual').run.clockMs).toBe(Date.UTC(2026, 10, 21, 10));
    expect(runStarted(withLesson, 'r1', 'system').run.clockMs).toBe(null);
    // A lesson without a time (or without data) starts the manual clock at 0, as the runtime does.
    expect(runStarted({ ...initialState(), lesson: { ...lesson, data: { ...lesson.data, clockStartMs: null } } }, 'r1', 'manual').run.clockMs).toBe(0);
    expect(runStarted({ ...initialState(), lesson: { ...lesson, data: undefined } }, 'r1', 'manual').run.clockMs).toBe(0);
  });

  it('keeps the previous run for compare when a new run starts', () => {
    let state = runStarted(initialState(), 'r1', 'system');
    for (const e of events) state = reduceEvent(state, e);
    state = runStarted(state, 'r3', 'system');
    expect(state.batches).toEqual([]);
    expect(state.previousBatches.map((b) => b.batchId)).toEqual([0, 1, 2, 3]);
    expect(state.errors).toEqual([]);
  });
});

describe('Run pressed', () => {
  it("empties Output at once, says the run is starting, and shows nothing the run before still sends", () => {
    let state = runStarted({ ...initialState(), connection: { state: 'open', attempt: 0 } }, 'r1', 'system');
    for (const e of events) state = reduceEvent(state, e);
    state = runRequested(state, 'manual');
    expect([state.batches, state.logs, state.errors]).toEqual([[], [], []]);
    expect(state.previousBatches.map((b) => b.batchId)).toEqual([0, 1, 2, 3]);
    expect(state.run).toEqual({ runId: null, status: 'compiling', mode: 'manual', clockMs: 0, queries: [] });
    expect([isActive(state), canRun(state)]).toEqual([true, false]);
    // The run before, stopping, still sends: none of it is shown, and its status does not pass for the new run's.
    for (const e of events) expect(reduceEvent(state, e)).toBe(state);
    expect(reduceEvent(state, { kind: 'run.status', runId: 'r1', status: 'stopped' })).toBe(state);
    // Named by the runtime, the new run keeps the run before for compare.
    const named = runStarted(state, 'r2', 'manual');
    expect([named.batches, named.previousBatches.map((b) => b.batchId), named.run.runId]).toEqual([[], [0, 1, 2, 3], 'r2']);
  });

  it('keeps a run the learner stopped stopping until it has ended, whatever it said before Stop reached it', () => {
    let state = runStarted(initialState(), 'r1', 'system');
    state = { ...state, run: { ...state.run, status: 'stopping' } };
    for (const status of ['compiling', 'starting', 'running'] as const) expect(reduceEvent(state, { kind: 'run.status', runId: 'r1', status }).run.status).toBe('stopping');
    expect(reduceEvent(state, { kind: 'run.status', runId: 'r1', status: 'stopped' }).run.status).toBe('stopped');
    expect(reduceEvent(state, { kind: 'run.status', runId: 'r1', status: 'failed' }).run.status).toBe('failed');
  });
});

describe('run.query', () => {
  it('collects the run\'s queries, replaces a restarted one and ignores other runs', () => {
    let state = runStarted(initialState(), 'r1', 'manual');
    state = reduceEvent(state, { kind: 'run.query', runId: 'r1', query: 'averages', queryId: 'q1', trigger: { kind: 'processingTime', intervalMs: 10_000 } });
    state = reduceEvent(state, { kind: 'run.query', runId: 'r1', query: undefined, queryId: undefined, trigger: { kind: 'batchDuration', intervalMs: 2000 } });
    state = reduceEvent(state, { kind: 'run.query', runId: 'r0', query: 'old', queryId: 'q0', trigger: { kind: 'default', intervalMs: 0 } });
    state = reduceEvent(state, { kind: 'run.query', runId: 'r1', query: 'averages', queryId: 'q1', trigger: { kind: 'processingTime', intervalMs: 5000 } });
    expect(state.run.queries).toEqual([
      { query: undefined, queryId: undefined, trigger: { kind: 'batchDuration', intervalMs: 2000 } },
      { query: 'averages', queryId: 'q1', trigger: { kind: 'processingTime', intervalMs: 5000 } },
    ]);
    expect(runStarted(state, 'r2', 'manual').run.queries).toEqual([]);
  });
});

describe('connectionLost', () => {
  it('stops a running run and tells the learner why', () => {
    let state = runStarted({ ...initialState(), connection: { state: 'open', attempt: 0 } }, 'r1', 'system');
    state = reduceEvent(state, { kind: 'run.status', runId: 'r1', status: 'running' });
    const after = connectionLost(state);
    expect(after.run.status).toBe('stopped');
    expect(after.notice).toBe('The runtime restarted, so the run stopped. Your code is saved: press Run to start it again.');
    expect(canRun(after)).toBe(true);
  });

  it('leaves a finished run and its notice alone', () => {
    const state = { ...initialState(), notice: 'earlier' };
    expect(connectionLost(state)).toEqual({ ...state, tail: { ...state.tail, tailId: null } });
  });
});
