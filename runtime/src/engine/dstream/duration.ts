/**
 * Spark Streaming durations. PySpark takes plain seconds everywhere; the JVM API takes `Duration`
 * objects. We accept both: a number is seconds (PySpark), a Duration is milliseconds.
 */
export class Duration {
  /** Length in milliseconds. */
  readonly milliseconds: number;

  constructor(milliseconds: number) {
    if (!Number.isFinite(milliseconds)) throw new RangeError(`Duration: expected a finite number of milliseconds, got ${milliseconds}`);
    this.milliseconds = milliseconds;
  }

  /** Whether this duration is an exact multiple of `other` (Spark's `isMultipleOf`). */
  isMultipleOf(other: Duration): boolean {
    return other.milliseconds !== 0 && this.milliseconds % other.milliseconds === 0;
  }

  /** Spark prints durations as `<n> ms`. */
  toString(): string {
    return `${this.milliseconds} ms`;
  }
}

/** Spark's `Seconds(n)` factory. */
export function Seconds(seconds: number): Duration {
  return new Duration(Math.round(seconds * 1000));
}

/** Spark's `Milliseconds(n)` factory. */
export function Milliseconds(ms: number): Duration {
  return new Duration(ms);
}

/** Spark's `Minutes(n)` factory. */
export function Minutes(minutes: number): Duration {
  return new Duration(Math.round(minutes * 60_000));
}

/** A duration as learners may write it: PySpark's seconds or a Duration. */
export type DurationLike = number | Duration;

/** Normalises a PySpark seconds value or a Duration to milliseconds. */
export function toMillis(d: DurationLike): number {
  if (d instanceof Duration) return d.milliseconds;
  if (typeof d !== 'number' || !Number.isFinite(d)) throw new TypeError(`expected a duration in seconds or a Duration, got ${String(d)}`);
  return Math.round(d * 1000);
}
