/**
 * A linear time scale and "nice" tick steps for the timeline axes. Times are epoch milliseconds in UTC,
 * which is also Spark's session time zone in every lesson.
 */

/** Maps a time domain onto pixels. */
export interface TimeScale {
  domainStart: number;
  domainEnd: number;
  rangeStart: number;
  rangeEnd: number;
}

/** Pixel position of `t`. */
export function scaleX(scale: TimeScale, t: number): number {
  const span = scale.domainEnd - scale.domainStart || 1;
  return scale.rangeStart + ((t - scale.domainStart) / span) * (scale.rangeEnd - scale.rangeStart);
}

/** Time at pixel `x` (the inverse of `scaleX`). */
export function invertX(scale: TimeScale, x: number): number {
  const width = scale.rangeEnd - scale.rangeStart || 1;
  return scale.domainStart + ((x - scale.rangeStart) / width) * (scale.domainEnd - scale.domainStart);
}

const STEPS_MS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000,
  600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000,
];

/** The smallest nice step that keeps at most `maxTicks` ticks over `spanMs`. */
export function tickStep(spanMs: number, maxTicks: number): number {
  const wanted = spanMs / Math.max(1, maxTicks);
  return STEPS_MS.find((s) => s >= wanted) ?? Math.ceil(wanted / 86_400_000) * 86_400_000;
}

/** Tick times: multiples of `step` inside the domain (windows align to the epoch, so ticks do too). */
export function ticks(start: number, end: number, step: number): number[] {
  const out: number[] = [];
  for (let t = Math.ceil(start / step) * step; t <= end; t += step) out.push(t);
  return out;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Short UTC label: `HH:mm:ss`, with `.SSS` when the step is below a second. */
export function formatTick(t: number, step: number): string {
  const d = new Date(t);
  const base = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return step < 1000 ? `${base}.${pad(d.getUTCMilliseconds(), 3)}` : base;
}
