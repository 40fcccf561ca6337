/**
 * The wall clock for runs in `system` mode. It lives outside the pure engine, which only sees `Clock`.
 */
import { hostSleep, type Clock } from '../engine/clock.js';

/** A `Clock` backed by `Date.now()` and the host's timers. */
export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }

  waitUntil(targetMs: number, signal?: AbortSignal): Promise<void> {
    const delay = targetMs - Date.now();
    if (delay <= 0) return Promise.resolve();
    return hostSleep(delay, signal);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return hostSleep(ms, signal);
  }
}
