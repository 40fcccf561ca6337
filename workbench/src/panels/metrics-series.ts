/**
 * The Metrics panel's series, computed from batch progress: one x value per batch (its id) and one
 * y array per chart, `null` where a batch did not report the number (uPlot draws a gap).
 */
import type { BatchEvent } from '../model/server-events.js';

/** One chart: title, unit and values aligned with `x`. */
export interface MetricSeries {
  id: string;
  title: string;
  unit: string;
  values: (number | null)[];
}

/** x values (batch ids) and the six charts. */
export interface MetricsData {
  x: number[];
  series: MetricSeries[];
}

const v = (n: number | undefined) => (n === undefined ? null : n);

/**
 * Watermark lag: how far the watermark trails the newest event time seen, in seconds. It is what the
 * `withWatermark` delay buys: late data within it still counts.
 */
export function watermarkLagSeconds(b: BatchEvent): number | null {
  const p = b.progress;
  const newest = p.maxEventTimeMs ?? (b.trace?.kind === 'structured'
    ? Math.max(-Infinity, ...b.trace.inputs.flatMap((i) => (i.eventTimeMs === null ? [] : [i.eventTimeMs])))
    : undefined);
  const watermark = b.trace?.kind === 'structured' ? b.trace.watermarkAfterMs : p.watermarkMs;
  if (newest === undefined || !Number.isFinite(newest) || watermark === undefined || watermark <= 0) return null;
  return (newest - watermark) / 1000;
}

/** Builds the chart data for `batches` (in arrival order). */
export function metricsSeries(batches: BatchEvent[]): MetricsData {
  return {
    x: batches.map((b) => b.batchId),
    series: [
      { id: 'input', title: 'Input rows/s', unit: 'rows/s', values: batches.map((b) => v(b.progress.inputRowsPerSecond)) },
      { id: 'processed', title: 'Processed rows/s', unit: 'rows/s', values: batches.map((b) => v(b.progress.processedRowsPerSecond)) },
      { id: 'duration', title: 'Batch duration', unit: 'ms', values: batches.map((b) => v(b.progress.durationMs)) },
      { id: 'state', title: 'State rows', unit: 'rows', values: batches.map((b) => v(b.progress.stateRows)) },
      { id: 'dropped', title: 'Rows dropped by watermark', unit: 'rows', values: batches.map((b) => v(b.progress.droppedByWatermark)) },
      { id: 'lag', title: 'Watermark lag', unit: 's', values: batches.map(watermarkLagSeconds) },
    ],
  };
}
