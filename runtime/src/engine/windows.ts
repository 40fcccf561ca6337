/**
 * Window arithmetic (Spark's ResolveTimeWindows), in microseconds:
 *
 *   remainder = (t - startTime) % slide            (Java remainder: keeps the sign)
 *   lastStart = t - (remainder < 0 ? remainder + slide : remainder)
 *   for i in 0 .. ceil(window / slide) - 1:
 *     start = lastStart - i * slide; end = start + window
 *     keep iff start <= t < end
 *
 * Windows are start-inclusive, end-exclusive and aligned to the epoch plus `startTime`.
 */
import { AnalysisException } from './errors.js';

/** Validated window parameters in microseconds. */
export interface WindowSpec {
  readonly windowUs: number;
  readonly slideUs: number;
  readonly startUs: number;
}

/** Checks a window spec with Spark's messages (durations printed in microseconds, as Spark does). */
export function validateWindow(windowUs: number, slideUs: number, startUs: number): WindowSpec {
  if (windowUs <= 0) throw new AnalysisException(`The window duration (${windowUs}) must be greater than 0.`, { code: 'INVALID_WINDOW_DURATION' });
  if (slideUs <= 0) throw new AnalysisException(`The slide duration (${slideUs}) must be greater than 0.`, { code: 'INVALID_SLIDE_DURATION' });
  if (slideUs > windowUs) throw new AnalysisException(`The slide duration (${slideUs}) must be less than or equal to the windowDuration (${windowUs}).`, { code: 'INVALID_SLIDE_DURATION' });
  if (Math.abs(startUs) >= slideUs) throw new AnalysisException(`The absolute value of start time (${startUs}) must be less than the slideDuration (${slideUs}).`, { code: 'INVALID_START_TIME' });
  return { windowUs, slideUs, startUs };
}

/** Start of the latest window containing `t`. */
export function lastWindowStart(t: number, spec: WindowSpec): number {
  const remainder = (t - spec.startUs) % spec.slideUs;
  return t - (remainder < 0 ? remainder + spec.slideUs : remainder);
}

/** All windows `[start, end)` containing `t`, latest first (the order Spark's Expand produces). */
export function windowsFor(t: number, spec: WindowSpec): [number, number][] {
  const last = lastWindowStart(t, spec);
  const n = Math.ceil(spec.windowUs / spec.slideUs);
  const out: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const start = last - i * spec.slideUs;
    const end = start + spec.windowUs;
    if (start <= t && t < end) out.push([start, end]);
  }
  return out;
}
