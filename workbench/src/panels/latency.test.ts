import { describe, expect, it } from 'vitest';
import { initialState, reduceEvent, runStarted } from '../session/session-state.js';
import { formatMs } from './sl-latency-panel.js';
import type { RunLatency } from '../model/server-events.js';

const latency = (runId: string, p50: number): RunLatency => ({
  runId,
  bucketsMs: [1, 10, 100],
  pipelines: [{ name: 'q (trigger 1 second)', kind: 'micro-batch', trigger: '1 second', count: 3, p50, p95: 900, p99: 990, max: 990, histogram: [0, 0, 1, 2], startupMs: 1200 }],
});

describe('latency in the session state', () => {
  it('keeps the current run\'s figures and moves them to earlier runs when a new run starts', () => {
    let s = runStarted(initialState(), 'r1', 'system');
    s = reduceEvent(s, { kind: 'run.latency', ...latency('other', 1) });
    expect(s.latency.current).toBeNull();
    s = reduceEvent(s, { kind: 'run.latency', ...latency('r1', 500) });
    s = reduceEvent(s, { kind: 'run.latency', ...latency('r1', 520) });
    expect(s.latency.current?.pipelines[0]?.p50).toBe(520);
    s = runStarted(s, 'r2', 'system');
    expect([s.latency.current, s.latency.earlier.map((l) => [l.runId, l.pipelines[0]!.p50])]).toEqual([null, [['r1', 520]]]);
  });

  it('formats milliseconds as a learner reads them', () => {
    expect([formatMs(0.42), formatMs(37.4), formatMs(1250), formatMs(12_340), formatMs(null)]).toEqual(['0.4 ms', '37 ms', '1.25 s', '12.3 s', '–']);
  });
});
