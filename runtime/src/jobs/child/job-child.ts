/**
 * Entry of a job process: runs one learner pipeline, then exits.
 *
 * The process is started by the runtime with an empty environment, Node's permission model (it may read
 * only its own bundle), `--disallow-code-generation-from-strings` (which closes the classic
 * `constructor.constructor("return process")` escape out of `vm`), and a heap cap. Inside it, the learner's
 * compiled script runs in a `vm` context that holds only the JavaScript built-ins, a console, timers,
 * `require("streamlab")` and a `process` stand-in that explains what is not available.
 *
 *   on start:  bind the engine with the run's clock → evaluate the script → call its exported main()
 *              if any → report running, later finished when nothing is left to do
 *   on step:   advance the manual clock or run batches → step-done
 *   on stop:   stop every query → exit 0
 *   always:    heartbeat every HEARTBEAT_MS; errors → `error` message, then exit 1
 */
import { format } from 'node:util';
import vm from 'node:vm';
import { ManualClock, type Clock } from '../../engine/clock.js';
import type { ChildToHost, HostToChild, RawError } from '../ipc.js';
import { createLoopGuard, LOOP_GUARD_NAME } from '../loop-guard.js';
import { SystemClock } from '../system-clock.js';
import { bindEngine, type EngineBinding } from './engine-binding.js';
import { provideSavedModel } from '../../engine/ml/saved-model.js';

/** How often the child reports that it is alive. */
const HEARTBEAT_MS = 200;
/** File name the compiled script runs under; stack frames with it are the learner's. */
export const PIPELINE_FILENAME = 'pipeline.js';
/** Longest text forwarded per console call. */
const MAX_LOG_CHARS = 10_000;
/** Console calls forwarded per heartbeat interval; the rest are counted and reported once. */
const MAX_LOGS_PER_TICK = 100;

function send(message: ChildToHost): void {
  process.send?.(message);
}

/** An error the sandbox raises on purpose; `code` tells the host which learner message to show. */
class SandboxError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'Error';
  }
}

let binding: EngineBinding | null = null;
let clock: Clock | null = null;
let topLevelDone = false;
let failed = false;
let finishedReported = false;
let idleTicks = 0;
let batchesReported = 0;
let logsThisTick = 0;
let droppedLogs = 0;
const sandboxTimers = new Set<NodeJS.Timeout>();

function toRawError(error: unknown, fallbackCode: string): RawError {
  if (error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error)) {
    const e = error as { name?: unknown; message?: unknown; stack?: unknown; code?: unknown; cause?: unknown };
    // Engine wrappers (StreamingQueryException) carry the learner's error as `cause`: report that one.
    if (e.cause && typeof e.cause === 'object' && typeof (e.cause as { stack?: unknown }).stack === 'string'
      && String((e.cause as { stack: string }).stack).includes(PIPELINE_FILENAME)) {
      return toRawError(e.cause, fallbackCode);
    }
    if (e.name === 'EvalError' && typeof e.message === 'string' && e.message.startsWith('Code generation from strings disallowed')) {
      return { name: 'Error', message: 'Pipelines cannot turn strings into code (eval, new Function).', stack: typeof e.stack === 'string' ? e.stack : '', code: 'sandbox-violation' };
    }
    return {
      name: typeof e.name === 'string' ? e.name : 'Error',
      message: typeof e.message === 'string' ? e.message : String(e.message),
      stack: typeof e.stack === 'string' ? e.stack : '',
      code: typeof e.code === 'string' ? e.code : fallbackCode,
    };
  }
  return { name: 'Error', message: `Your pipeline threw ${safeString(error)}`, stack: '', code: fallbackCode };
}

function safeString(v: unknown): string {
  try {
    return format('%o', v).slice(0, 200);
  } catch {
    return 'a value that cannot be shown';
  }
}

function fail(error: unknown, code: string): void {
  if (failed) return;
  failed = true;
  send({ type: 'error', error: toRawError(error, code) });
  // Let the IPC message flush before leaving.
  setTimeout(() => process.exit(1), 20);
}

function log(level: 'log' | 'info' | 'warn' | 'error' | 'debug', args: unknown[]): void {
  if (logsThisTick >= MAX_LOGS_PER_TICK) {
    droppedLogs++;
    return;
  }
  logsThisTick++;
  let text = format(...args);
  if (text.length > MAX_LOG_CHARS) text = `${text.slice(0, MAX_LOG_CHARS)}… (${text.length - MAX_LOG_CHARS} more characters)`;
  send({ type: 'log', level, text });
}

function processStandIn(): unknown {
  const denied = (what: string) => new SandboxError('sandbox-violation', `process.${what} is not available in a pipeline.`);
  return new Proxy(Object.create(null) as object, {
    get(_t, prop) {
      if (prop === 'env') throw new SandboxError('env-not-available', 'Pipelines cannot read environment variables: the runtime connects Kafka and PostgreSQL for you.');
      if (prop === 'exit' || prop === 'abort' || prop === 'kill') {
        return () => {
          throw new SandboxError('process-exit', `process.${String(prop)}() is not available in a pipeline: stop the query instead (query.stop() or the Stop button).`);
        };
      }
      if (prop === Symbol.toPrimitive || prop === 'toString' || prop === Symbol.toStringTag) return undefined;
      throw denied(String(prop));
    },
    set(_t, prop) {
      throw denied(String(prop));
    },
  });
}

function sandboxRequire(name: unknown): unknown {
  if (name === 'streamlab' && binding) return binding.api;
  throw new SandboxError('import-not-allowed', `Only "streamlab" and your own files can be imported; "${String(name)}" is not available in a pipeline.`);
}

function sandboxTimersApi() {
  return {
    setTimeout: (fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
      const t = setTimeout(() => {
        sandboxTimers.delete(t);
        fn(...args);
      }, ms);
      sandboxTimers.add(t);
      return t;
    },
    clearTimeout: (t: NodeJS.Timeout) => {
      sandboxTimers.delete(t);
      clearTimeout(t);
    },
    setInterval: (fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
      const t = setInterval(fn, ms, ...args);
      sandboxTimers.add(t);
      return t;
    },
    clearInterval: (t: NodeJS.Timeout) => {
      sandboxTimers.delete(t);
      clearInterval(t);
    },
    queueMicrotask: (fn: () => void) => queueMicrotask(fn),
  };
}

function start(message: Extract<HostToChild, { type: 'start' }>): void {
  for (const m of message.models ?? []) provideSavedModel(m.name, m.model);
  clock = message.mode === 'manual' ? new ManualClock(message.startMs) : new SystemClock();
  binding = bindEngine({
    clock,
    services: message.services,
    ...(message.checkpointDir ? { checkpointDir: message.checkpointDir } : {}),
    observer: {
      onQueryStarted: (q) => send({ type: 'query', queryName: q.queryName, queryId: q.queryId, trigger: q.trigger }),
      onBatch: (r) => {
        batchesReported++;
        send(r.api === 'structured' ? { type: 'batch', ...r, rows: r.rows.slice(0, message.maxRows) } : { type: 'batch', ...r });
      },
      onQueryError: (e) => fail(e, 'user-function-error'),
      onOutput: (text) => log('log', [text]),
    },
  });
  const consoleApi = Object.freeze({
    log: (...a: unknown[]) => log('log', a),
    info: (...a: unknown[]) => log('info', a),
    warn: (...a: unknown[]) => log('warn', a),
    error: (...a: unknown[]) => log('error', a),
    debug: (...a: unknown[]) => log('debug', a),
  });
  const context = vm.createContext(
    { console: consoleApi, ...sandboxTimersApi() },
    { name: 'pipeline', codeGeneration: { strings: false, wasm: false } },
  );
  Object.defineProperty(context, 'process', { get: processStandIn, enumerable: false });
  // Same first line as the compiled code, so line numbers in the stack are the compiled ones.
  const wrapped = `(function (exports, require, module, ${LOOP_GUARD_NAME}) {${message.code}\n})`;
  send({ type: 'status', state: 'running' });
  try {
    const fn = new vm.Script(wrapped, { filename: PIPELINE_FILENAME }).runInContext(context) as (e: object, r: unknown, m: object, guard: () => void) => unknown;
    const mod: { exports: Record<string, unknown> } = { exports: {} };
    fn(mod.exports, sandboxRequire, mod, createLoopGuard(message.loopLimitMs));
    // Lesson files export `main()`: the module builds the pipeline, `main` starts it.
    const main = mod.exports.main;
    const result = typeof main === 'function' ? (main as () => unknown)() : undefined;
    if (result && typeof (result as Promise<unknown>).then === 'function') {
      (result as Promise<unknown>).then(undefined, (e: unknown) => fail(e, 'runtime-error'));
    }
  } catch (e) {
    fail(e, 'runtime-error');
    return;
  }
  topLevelDone = true;
}

async function step(message: Extract<HostToChild, { type: 'step' }>): Promise<void> {
  if (!binding || !clock) return;
  let batchesRun = 0;
  const before = batchesReported;
  try {
    if (message.advanceMs !== undefined) {
      if (!(clock instanceof ManualClock)) throw new Error('run.step needs a run started with the manual clock.');
      clock.advance(message.advanceMs);
      // Let the batches that became due run before answering.
      await new Promise((r) => setImmediate(r));
      await binding.settle();
    }
    if (message.drain) await binding.drain();
    if (message.batches !== undefined) {
      await binding.runBatches(message.batches);
      await binding.settle();
    }
    // Batches that ran because of this step, whichever way they were triggered.
    batchesRun = batchesReported - before;
    send({ type: 'step-done', stepId: message.stepId, batchesRun, clockMs: clock.now() });
  } catch (e) {
    send({ type: 'step-done', stepId: message.stepId, batchesRun, clockMs: clock.now(), error: e instanceof Error ? e.message : String(e) });
  }
}

async function stop(): Promise<void> {
  try {
    await binding?.stopAll();
  } finally {
    process.exit(0);
  }
}

/** True when the pipeline has nothing left that could do work. */
function isIdle(): boolean {
  if (!topLevelDone || failed || !binding) return false;
  if (binding.activeQueries() > 0 || sandboxTimers.size > 0) return false;
  // Sockets, file handles and the like keep a pipeline alive; our own IPC pipe, stdio and heartbeat do not.
  const resources = process.getActiveResourcesInfo().filter((r) => r !== 'PipeWrap' && r !== 'TTYWrap' && r !== 'SignalWrap' && r !== 'Timeout' && r !== 'Immediate');
  return resources.length === 0;
}

setInterval(() => {
  send({ type: 'heartbeat', rssBytes: process.memoryUsage.rss() });
  if (droppedLogs > 0) {
    const n = droppedLogs;
    droppedLogs = 0;
    logsThisTick = 0;
    log('warn', [`(${n} more console lines were dropped: at most ${MAX_LOGS_PER_TICK} are shown per ${HEARTBEAT_MS} ms)`]);
  }
  logsThisTick = 0;
  if (isIdle()) {
    idleTicks++;
    if (idleTicks >= 2 && !finishedReported) {
      finishedReported = true;
      send({ type: 'status', state: 'finished' });
      setTimeout(() => process.exit(0), 20);
    }
  } else {
    idleTicks = 0;
  }
}, HEARTBEAT_MS);

process.on('uncaughtException', (e) => fail(e, 'runtime-error'));
process.on('unhandledRejection', (e) => fail(e, 'runtime-error'));
process.on('disconnect', () => process.exit(0));
process.on('message', (raw: HostToChild) => {
  if (raw.type === 'start') start(raw);
  else if (raw.type === 'step') void step(raw);
  else if (raw.type === 'stop') void stop();
});
