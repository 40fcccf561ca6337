import { describe, expect, it } from 'vitest';
import { dstreamWindowsSession, structuredWindowsSession } from '../fixtures/sessions.js';
import type { BatchEvent, QueryTrigger } from '../model/server-events.js';
import { advancePlan, firstBatchWait } from './advance-steps.js';

const q = (query: string | undefined, trigger: QueryTrigger, queryId = query ? `id-${query}` : undefined) => ({ query, queryId, trigger });
const batchesOf = (events: typeof structuredWindowsSession.run.events) =>
  events.flatMap((e) => (e.event.kind === 'run.batch' ? [e.event as BatchEvent] : []));

describe('advancePlan', () => {
  it('steps by the query\'s processing-time interval, not the picked one', () => {
    expect(advancePlan([q('averages', { kind: 'processingTime', intervalMs: 20_000 })], [], 10_000)).toEqual({
      steps: [{ ms: 20_000, label: '+20 s', title: 'Advance the manual clock by 20 seconds: one trigger interval of “averages”' }],
      chosen: false,
    });
  });

  it('gives each interval its own button, shortest first, naming the queries', () => {
    const plan = advancePlan([
      q('averages', { kind: 'processingTime', intervalMs: 10_000 }),
      q(undefined, { kind: 'processingTime', intervalMs: 2000 }, 'x'),
      q('counts', { kind: 'processingTime', intervalMs: 10_000 }),
      q('log', { kind: 'default', intervalMs: 0 }),
    ], [], 5000);
    expect(plan).toEqual({
      steps: [
        { ms: 2000, label: '+2 s (unnamed query)', title: 'Advance the manual clock by 2 seconds: one trigger interval of the unnamed query' },
        { ms: 10_000, label: '+10 s (averages and counts)', title: 'Advance the manual clock by 10 seconds: one trigger interval of “averages” and “counts”' },
      ],
      chosen: false,
    });
  });

  it('steps a StreamingContext by its batch duration', () => {
    expect(advancePlan([q(undefined, { kind: 'batchDuration', intervalMs: 1000 })], [], 10_000)).toEqual({
      steps: [{ ms: 1000, label: '+1 s', title: 'Advance the manual clock by 1 second: one batch interval of the StreamingContext' }],
      chosen: false,
    });
  });

  it('keeps the picked step for the default trigger and says why', () => {
    expect(advancePlan([q('counts', { kind: 'default', intervalMs: 0 })], [], 5000)).toEqual({
      steps: [{ ms: 5000, label: '+5 s', title: 'Advance the manual clock by 5 seconds' }],
      chosen: true,
      note: '“counts” uses the default trigger, which runs a batch when data arrives, not on the clock.',
    });
    expect(advancePlan([q('a', { kind: 'once', intervalMs: 0 }), q(undefined, { kind: 'availableNow', intervalMs: 0 }, 'b')], [], 1000).note)
      .toBe('“a” and the unnamed query use a once trigger, which runs one batch and stops and an availableNow trigger, which processes what is there and stops.');
    // Unnamed queries are counted, not named again and again.
    const unnamed = (id: string, kind: 'default' | 'processingTime', intervalMs = 0) => q(undefined, { kind, intervalMs }, id);
    expect(advancePlan([unnamed('x', 'default'), unnamed('y', 'default')], [], 10_000).note)
      .toBe('The two unnamed queries use the default trigger, which runs a batch when data arrives, not on the clock.');
    expect(advancePlan([q('report', { kind: 'default', intervalMs: 0 }), unnamed('x', 'default'), unnamed('y', 'default'), unnamed('z', 'default')], [], 10_000).note)
      .toBe('“report” and the 3 unnamed queries use the default trigger, which runs a batch when data arrives, not on the clock.');
    expect(advancePlan([unnamed('x', 'processingTime', 5000), unnamed('y', 'processingTime', 5000)], [], 10_000).steps)
      .toEqual([{ ms: 5000, label: '+5 s', title: 'Advance the manual clock by 5 seconds: one trigger interval of the two unnamed queries' }]);
  });

  it('falls back to a recorded DStream batch interval, then to the picked step', () => {
    const dstream = batchesOf(dstreamWindowsSession.run.events);
    const interval = dstream.flatMap((b) => (b.trace?.kind === 'dstream' ? [b.trace.batchIntervalMs] : [])).at(-1);
    expect(interval).toBe(10_000);
    expect(advancePlan([], dstream, 2000).steps.map((s) => [s.ms, s.label])).toEqual([[10_000, '+10 s']]);
    expect(advancePlan([], batchesOf(structuredWindowsSession.run.events), 2000)).toEqual({
      steps: [{ ms: 2000, label: '+2 s', title: 'Advance the manual clock by 2 seconds' }], chosen: true,
    });
  });
});

describe('what Output says before the first batch', () => {
  const ssc = q(undefined, { kind: 'batchDuration', intervalMs: 10_000 });
  it('names the interval a StreamingContext or a processing-time trigger waits for, on either clock', () => {
    expect(firstBatchWait([ssc], 'system')).toBe('Running: the StreamingContext makes a batch at every whole 10 seconds of processing time, so the first one ends within 10 seconds of the start and shows here then.');
    expect(firstBatchWait([ssc], 'manual')).toBe('Running on the manual clock: the StreamingContext makes a batch every 10 seconds of processing time. Press +10 s to end the first one, or Step.');
    expect(firstBatchWait([q('counts', { kind: 'processingTime', intervalMs: 5000 }), q('x', { kind: 'processingTime', intervalMs: 2000 })], 'system'))
      .toBe("Running: a batch runs every 2 seconds (the trigger's interval) when there is data, and shows here when it ends.");
    expect(firstBatchWait([q('counts', { kind: 'processingTime', intervalMs: 5000 })], 'manual'))
      .toBe("Running on the manual clock: a batch runs every 5 seconds of processing time (the trigger's interval) when there is data. Press +5 s to run the next one, or Step.");
  });

  it('says a default trigger waits for data, and what to press on the manual clock', () => {
    expect(firstBatchWait([q('counts', { kind: 'default', intervalMs: 0 })], 'system')).toBe('Running: waiting for data; a batch runs as soon as records arrive in the topics it reads.');
    expect(firstBatchWait([q('counts', { kind: 'default', intervalMs: 0 })], 'manual')).toBe('Running on the manual clock: press Step (or +N s) to run the first batch.');
    expect(firstBatchWait([], 'system')).toBe('Running: waiting for this run’s first batch.');
  });
});
