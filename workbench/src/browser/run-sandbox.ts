/**
 * The learner's side of a run's worker (run-worker.ts): what a pipeline may not reach, how it prints,
 * and its errors as the learner sees them. The rules are the job process's (runtime/src/jobs/child/
 * sandbox-realm.ts, raw-error.ts): only `require("streamlab")`, a console, timers; no network.
 */
import type { LearnerError } from '@streamlab/runtime/in-browser';
import { AWAIT_TRACKER_NAME, LOOP_GUARD_NAME } from '@streamlab/runtime/in-browser-worker';

/** File name the compiled script runs under (its `sourceURL`), as in the job process. */
export const PIPELINE_FILENAME = 'pipeline.js';

/** The worker's own indirect eval, kept before {@link refuseCodeFromStrings} takes `eval` away from the pipeline. */
const evaluate = eval;

/** What a worker could reach the outside world with; a pipeline gets a refusal instead. */
export const OUTSIDE_WORLD = [
  'fetch', 'importScripts', 'WebSocket', 'WebSocketStream', 'WebTransport', 'XMLHttpRequest', 'EventSource', 'Worker', 'SharedWorker',
  'BroadcastChannel', 'indexedDB', 'caches', 'cookieStore', 'postMessage', 'close', 'navigator', 'fonts', 'FontFace',
  'RTCPeerConnection', 'webkitRTCPeerConnection',
] as const;

/** What a pipeline that turns a string into code is told, as in the job process (raw-error.ts). */
export const CODE_FROM_STRINGS = 'Pipelines cannot turn strings into code (eval, new Function).';

function codeFromStrings(): Error & { code: string } {
  return Object.assign(new Error(CODE_FROM_STRINGS), { code: 'sandbox-violation' });
}

/** The refusal a pipeline gets for `name`. */
export function refusal(name: string): Error & { code: string } {
  return Object.assign(new Error(`${name} is not available in a pipeline: it reads and writes the lesson's topics through "streamlab", and reaches nothing else.`), { code: 'sandbox-violation' });
}

/**
 * Replaces each name of `OUTSIDE_WORLD` on the worker's global scope and along its prototype chain
 * with a getter that throws the refusal, so `fetch(…)`, `self.fetch` and `globalThis.WebSocket` all
 * fail with a sentence instead of reaching the network or the page. Call it after the worker has kept
 * what it needs itself (its `postMessage`).
 */
export function refuseOutsideWorld(scope: object): void {
  for (let o: object | null = scope; o && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    for (const name of OUTSIDE_WORLD) {
      const own = Object.getOwnPropertyDescriptor(o, name);
      if (o !== scope && !own) continue;
      if (own && !own.configurable) continue;
      Object.defineProperty(o, name, {
        get() {
          throw refusal(name);
        },
        set() {
          throw refusal(name);
        },
        configurable: false,
        enumerable: false,
      });
    }
  }
}

/**
 * Takes away every way a pipeline could turn a string into code, which would run outside the compiled
 * script's rules (a dynamic `import()` of another file or site, say): the global `eval` and
 * `Function`, and the `constructor` of the four kinds of function (`(async () => {}).constructor`).
 * Each becomes a function that throws the job process's sentence; `instanceof Function` still holds.
 * A constructor that is already frozen (`lockdown()` tamed it to throw) is left as it is. Call it after
 * everything that needs `eval` has run (`lockdown()` does); {@link evaluatePipeline} kept its own.
 */
export function refuseCodeFromStrings(scope: object): void {
  const refused = function (): never {
    throw codeFromStrings();
  };
  const kinds = [function () {}, async function () {}, function* () {}, async function* () {}].map((f) => Object.getPrototypeOf(f) as object);
  for (const proto of kinds) {
    const own = Object.getOwnPropertyDescriptor(proto, 'constructor');
    if (!own || !own.writable || !own.configurable) continue;
    const stand = function (): never {
      throw codeFromStrings();
    };
    Object.defineProperty(stand, 'prototype', { value: proto });
    Object.defineProperty(proto, 'constructor', { value: stand, writable: false, configurable: false, enumerable: false });
  }
  const fn = Object.defineProperty(function Function(): never {
    throw codeFromStrings();
  }, 'prototype', { value: Function.prototype });
  Object.defineProperty(scope, 'Function', { value: fn, writable: false, configurable: false, enumerable: false });
  Object.defineProperty(scope, 'eval', { value: refused, writable: false, configurable: false, enumerable: false });
}

/** Console arguments as one line, as Node's `format` prints the usual cases. */
export function printed(args: readonly unknown[]): string {
  return args.map((a) => {
    if (typeof a === 'string') return a;
    if (a instanceof Error) return a.stack ?? `${a.name}: ${a.message}`;
    if (typeof a === 'bigint') return `${a}n`;
    if (typeof a === 'object' && a !== null) {
      try {
        return JSON.stringify(a, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
      } catch {
        return String(a);
      }
    }
    return String(a);
  }).join(' ');
}

/**
 * The learner-facing error of a failed run: the learner's own error rather than an engine wrapper
 * (a query's exception carries it as `cause`), with the sandbox's code when it raised the error.
 */
export function learnerFailure(error: unknown, fallbackCode: string): LearnerError {
  if (error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error)) {
    const e = error as { name?: unknown; message?: unknown; stack?: unknown; code?: unknown; cause?: unknown };
    if (e.cause && typeof e.cause === 'object' && String((e.cause as { stack?: unknown }).stack ?? '').includes(PIPELINE_FILENAME)) return learnerFailure(e.cause, fallbackCode);
    const message = typeof e.message === 'string' ? e.message : String(e.message);
    const name = typeof e.name === 'string' && e.name !== 'Error' ? `${e.name}: ` : '';
    return { message, code: typeof e.code === 'string' ? e.code : fallbackCode, file: null, line: null, column: null, stack: `${name}${message}` };
  }
  const message = `Your pipeline threw ${printed([error]).slice(0, 200)}`;
  return { message, code: fallbackCode, file: null, line: null, column: null, stack: message };
}

/** Timers as a pipeline gets them. */
export interface PipelineTimers {
  setTimeout(fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]): unknown;
  clearTimeout(t: unknown): void;
  setInterval(fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]): unknown;
  clearInterval(t: unknown): void;
}

/** What a pipeline's script is evaluated with. */
export interface PipelineScope {
  /** What `require("streamlab")` returns. */
  api: unknown;
  /** The endless-loop guard the compiled code calls. */
  loopGuard: () => void;
  /** Where the code waits (await-tracker.ts); without it, an await is only awaited. */
  awaitTracker?: (value: unknown, file: string, line: number, column: number) => Promise<unknown>;
  console: object;
  timers: PipelineTimers;
}

/**
 * Evaluates the compiled script (learner-bundle.ts: CommonJS, loops guarded) with only `streamlab`
 * to require, the console and timers given; returns its exports. Call {@link refuseOutsideWorld} and
 * {@link refuseCodeFromStrings} first: the script runs on the worker's global scope.
 */
export function evaluatePipeline(code: string, scope: PipelineScope): Record<string, unknown> {
  const require = (name: unknown): unknown => {
    if (name === 'streamlab') return scope.api;
    throw Object.assign(new Error(`Only "streamlab" and your own files can be imported; "${String(name)}" is not available in a pipeline.`), { code: 'import-not-allowed' });
  };
  // Same first line as the compiled code, so line numbers in the stack are the compiled ones.
  const wrapped = `(function (exports, require, module, ${LOOP_GUARD_NAME}, ${AWAIT_TRACKER_NAME}, console, setTimeout, clearTimeout, setInterval, clearInterval) {${code}\n})\n//# sourceURL=${PIPELINE_FILENAME}`;
  const fn = evaluate(wrapped) as (...a: unknown[]) => void;
  const mod: { exports: Record<string, unknown> } = { exports: {} };
  const t = scope.timers;
  // A timer given a string would evaluate it: only functions.
  const only = (set: PipelineTimers['setTimeout']) => (handler: unknown, ms?: number, ...args: unknown[]): unknown => {
    if (typeof handler !== 'function') throw codeFromStrings();
    return set(handler as (...a: unknown[]) => void, ms, ...args);
  };
  fn(mod.exports, require, mod, scope.loopGuard, scope.awaitTracker ?? ((v: unknown) => Promise.resolve(v)), scope.console, only(t.setTimeout), t.clearTimeout, only(t.setInterval), t.clearInterval);
  return mod.exports;
}
