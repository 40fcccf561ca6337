/**
 * The wall clock for runs in `system` mode. It lives outside the pure engine, which only sees `Clock`.
 */
import type { Clock } from '../engine/clock.js';

/** A `Clock` backed by `Date.now()` and timers. */
export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }

  waitUntil(targetMs: number, signal?: AbortSignal): Promise<void> {
    const delay = targetMs - Date.now();
    if (delay <= 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, delay);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
