/**
 * The learner realm's console and timers, written as source text the realm evaluates itself (as
 * realm-text-codec.ts is): the functions, the timer handles and their prototypes belong to the realm,
 * so a learner who walks from `setTimeout`, `console.log` or a handle to `constructor.constructor`
 * meets the realm's own `Function`, which refuses strings, and never a Node `Timeout` with its links
 * to the job process's other timers. The job process keeps the real timers; the realm sees numbers
 * wrapped in frozen handles.
 *
 *   setTimeout(fn, ms, ...args) → handle    (handle.ref(), .unref(), .hasRef(), .refresh(), +handle)
 *   clearTimeout(handle | number)           (the same for intervals)
 */

/** What the realm's timers and console call in the job process; kept in the closure, never exposed. */
export interface RealmTimerHost {
  /** Schedules `run` once (or every `ms` when `repeat`) and returns its id. */
  schedule(repeat: boolean, run: () => void, ms: number | undefined): number;
  /** Cancels a timer by id; unknown ids are ignored. */
  cancel(id: number): void;
  /** `ref`, `unref`, `refresh` or `hasRef` on a timer by id. */
  control(id: number, op: 'ref' | 'unref' | 'refresh' | 'hasRef'): boolean;
  /** Runs `run` as a microtask (so an error in it is uncaught, as Node's queueMicrotask makes it). */
  microtask(run: () => void): void;
  /** `console.<level>(...args)`. */
  print(level: string, args: unknown[]): void;
}

/** Evaluated in the realm; its value takes the host functions and returns the realm's globals. */
export const REALM_TIMERS_SOURCE = String.raw`((host) => {
  'use strict';
  const { schedule, cancel, control, microtask, print } = host;
  const ids = new WeakMap();
  class Timeout {
    ref() { control(ids.get(this), 'ref'); return this; }
    unref() { control(ids.get(this), 'unref'); return this; }
    hasRef() { return control(ids.get(this), 'hasRef'); }
    refresh() { control(ids.get(this), 'refresh'); return this; }
    [Symbol.toPrimitive]() { return ids.get(this); }
  }
  Object.freeze(Timeout.prototype);
  Object.freeze(Timeout);
  const handle = (id) => { const t = new Timeout(); ids.set(t, id); return Object.freeze(t); };
  const idOf = (t) => (typeof t === 'number' ? t : ids.get(t));
  const callback = (fn) => {
    if (typeof fn !== 'function') throw new TypeError('The "callback" argument must be of type function. Received ' + (fn === null ? 'null' : typeof fn));
    return fn;
  };
  const delay = (ms) => (ms === undefined ? undefined : Number(ms));
  const clear = (t) => { const id = idOf(t); if (id !== undefined) cancel(id); };
  const globals = {
    setTimeout(fn, ms, ...args) { const f = callback(fn); return handle(schedule(false, () => { f(...args); }, delay(ms))); },
    setInterval(fn, ms, ...args) { const f = callback(fn); return handle(schedule(true, () => { f(...args); }, delay(ms))); },
    clearTimeout(t) { clear(t); },
    clearInterval(t) { clear(t); },
    queueMicrotask(fn) { const f = callback(fn); microtask(() => { f(); }); },
    console: Object.freeze({
      log(...a) { print('log', a); },
      info(...a) { print('info', a); },
      warn(...a) { print('warn', a); },
      error(...a) { print('error', a); },
      debug(...a) { print('debug', a); },
    }),
  };
  return Object.freeze(globals);
})`;
