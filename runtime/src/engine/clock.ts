/**
 * Processing-time clocks. The engine never reads the wall clock nor starts a timer of its own: every
 * query, streaming context and in-memory Kafka is given a Clock. Tests and lessons use the ManualClock
 * (Spark's StreamManualClock); the runtime passes a system clock that lives outside the pure engine.
 */
export interface Clock {
  /** Current processing time in epoch milliseconds. */
  now(): number;
  /**
   * Resolves once `now() >= targetMs`, or rejects with the signal's reason when aborted.
   * A manual clock resolves only when it is advanced past the target.
   */
  waitUntil(targetMs: number, signal?: AbortSignal): Promise<void>;
  /**
   * Resolves after `ms` of elapsed time, or rejects with the signal's reason when aborted. Elapsed time
   * is not processing time: PySpark's timeouts (`awaitTermination(timeout)`, a consumer's `poll`) count
   * real seconds even while a manual clock drives the triggers, as they do in Spark under its manual clock.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** An elapsed-time wait, as `Clock.sleep`. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * `Clock.sleep` on the host's timers: the one place the engine touches a timer (the lint rule keeps
 * every other file to the injected Clock).
 */
export const hostSleep: Sleep = (ms, signal) => {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      // eslint-disable-next-line no-restricted-globals -- hostSleep is the engine's one host timer
      clearTimeout(timer);
      reject(signal?.reason);
    };
    // eslint-disable-next-line no-restricted-globals -- hostSleep is the engine's one host timer
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
};

interface Waiter {
  target: number;
  resolve: () => void;
}

/**
 * A clock that moves only when told to. Its elapsed-time waits (`sleep`) are the host's unless a
 * `sleep` is given.
 */
export class ManualClock implements Clock {
  private time: number;
  private waiters: Waiter[] = [];

  constructor(startMs = 0, private readonly elapsed: Sleep = hostSleep) {
    this.time = startMs;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return this.elapsed(ms, signal);
  }

  now(): number {
    return this.time;
  }

  /** Moves the clock forward by `ms` (never backwards) and wakes every waiter whose target has passed. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`ManualClock.advance: expected a non-negative duration, got ${ms}`);
    this.setTime(this.time + ms);
  }

  /** Sets the clock to `ms`; moving backwards is an error, as time never runs backwards in Spark's clocks. */
  setTime(ms: number): void {
    if (ms < this.time) throw new RangeError(`ManualClock.setTime: ${ms} is before the current time ${this.time}`);
    this.time = ms;
    const due = this.waiters.filter((w) => w.target <= ms);
    this.waiters = this.waiters.filter((w) => w.target > ms);
    for (const w of due) w.resolve();
  }

  waitUntil(targetMs: number, signal?: AbortSignal): Promise<void> {
    if (targetMs <= this.time) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { target: targetMs, resolve };
      this.waiters.push(waiter);
      signal?.addEventListener('abort', () => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(signal.reason);
      }, { once: true });
    });
  }

  /** The earliest time a caller of `waitUntil` is waiting for, if any (to step through timers in order). */
  get nextWaitTarget(): number | undefined {
    let min: number | undefined;
    for (const w of this.waiters) if (min === undefined || w.target < min) min = w.target;
    return min;
  }

  /** Number of callers currently blocked in `waitUntil` (Spark's `isStreamWaitingAt` helper uses the same idea). */
  get waitingCount(): number {
    return this.waiters.length;
  }
}
