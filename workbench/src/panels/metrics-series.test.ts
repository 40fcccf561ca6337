import { describe, expect, it } from 'vitest';
import { structuredWindowsSession } from '../fixtures/sessions.js';
import type { BatchEvent } from '../model/server-events.js';
import { metricsSeries } from './metrics-series.js';

const batches = structuredWindowsSession.run.events.flatMap((e) => (e.event.kind === 'run.batch' ? [e.event as BatchEvent] : []));

describe('metricsSeries over the recorded structured-windows session', () => {
  it('plots one point per batch for every chart', () => {
    const data = metricsSeries(batches);
    expect(data.x).toEqual([0, 1, 2, 3]);
    const byId = Object.fromEntries(data.series.map((s) => [s.id, s.values]));
    expect(byId).toEqual({
      input: [0.3, 0.3, 0.2, 0.2],
      processed: [73.2, 130.4, 105.3, 117.6],
      duration: [41, 23, 19, 17],
      state: [2, 4, 6, 5],
      dropped: [0, 0, 0, 1],
      // Newest event time minus the watermark after the batch: no watermark yet, then 18-8, 25-15, 33-23.
      lag: [null, 10, 10, 10],
    });
  });
});
