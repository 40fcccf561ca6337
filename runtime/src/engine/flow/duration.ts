/**
 * Durations as the flow API takes them. Pekko's Scala DSL writes `100.millis` and `1.second`, its Java
 * DSL `Duration.ofMillis(100)`; here a duration is a number of milliseconds, a text with a unit
 * (`"100 millis"`, `"1 second"`, `"1.5 seconds"`, `"100.millis"`), or a Spark Streaming `Duration`
 * (`Milliseconds(100)`, `Seconds(1)`).
 */
import { Duration } from '../dstream/duration.js';

/** A duration the flow API accepts. */
export type FlowDuration = number | string | Duration;

const UNITS: Readonly<Record<string, number>> = {
  ns: 1e-6, nano: 1e-6, nanos: 1e-6, nanosecond: 1e-6, nanoseconds: 1e-6,
  us: 1e-3, micro: 1e-3, micros: 1e-3, microsecond: 1e-3, microseconds: 1e-3,
  ms: 1, milli: 1, millis: 1, millisecond: 1, milliseconds: 1,
  s: 1000, second: 1000, seconds: 1000,
  m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hour: 3_600_000, hours: 3_600_000,
  d: 86_400_000, day: 86_400_000, days: 86_400_000,
};

/** Milliseconds of a duration (fractions kept: `"1 nano"` is 1e-6). Throws a clear error on anything else. */
export function durationMs(d: FlowDuration, what = 'duration'): number {
  if (d instanceof Duration) return d.milliseconds;
  if (typeof d === 'number') {
    if (!Number.isFinite(d) || d < 0) throw new RangeError(`${what}: expected a non-negative number of milliseconds, got ${d}`);
    return d;
  }
  if (typeof d === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\.|\s)?\s*([a-zA-Z]+)\s*$/.exec(d);
    const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
    if (m && unit !== undefined) return Number(m[1]) * unit;
    throw new RangeError(`${what}: cannot read "${d}" as a duration; write it as "100 millis", "1 second" or a number of milliseconds`);
  }
  throw new TypeError(`${what}: expected a duration ("1 second", a number of milliseconds or a Duration), got ${String(d)}`);
}
