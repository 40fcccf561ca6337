/**
 * Entry of a job process: runs one learner pipeline, then exits.
 *
 * The process is started by the runtime with an empty environment, Node's permission model (it may read
 * only its own bundle), `--disallow-code-generation-from-strings` (which closes the classic
 * `constructor.constructor("return process")` escape out of `vm`), and a heap cap. Inside it, the learner's
 * compiled script runs in a `vm` context that holds only the JavaScript built-ins, a console, timers,
 * `require("streamlab")` and a `process` stand-in that explains what is not available.
 *
 *   on start:  bind the engine with the run's clock → lock the process down as check mode does
 *              (`./lockdown.ts`) → evaluate the script → call its exported main()
 *              if any → report running, later finished when nothing is left to do
 *   on step:   advance the manual clock or run batches → step-done
 *   on stop:   stop every query → exit 0
 *   always:    heartbeat every HEARTBEAT_MS; errors → `error` message, then exit 1
 */
import { format } from 'node:util';
import { ManualClock, type Clock } from '../../engine/clock.js';
import type { ChildToHost, HostToChild } from '../ipc.js';
import { createLoopGuard } from '../loop-guard.js';
import { createAwaitTracker, hangingAwait, type AwaitTracker } from '../await-tracker.js';
import { SystemClock } from '../system-clock.js';
import { bindEngine, type EngineBinding } from './engine-binding.js';
import { lockDownFor } from './lockdown.js';
import { provideSavedModel } from '../../engine/ml/saved-model.js';
import { createSandboxRealm, PIPELINE_FILENAME } from './sandbox-realm.js';
import { toRawError } from './raw-error.js';
import { handleCheck } from './check-mode.js';
import type { CheckRequest } from '../check-ipc.js';

export { PIPELINE_FILENAME } from './sandbox-realm.js';

// An error the engine raises while the learner's call runs (the analysis behind `select(…)`) is many
// frames below that call: with V8's default of 10 frames the learner's own line was cut off, and the
// error pointed at the function the check had called instead.
Error.stackTraceLimit = 200;

/** How often the child reports that it is alive. */
const HEARTBEAT_MS = 200;
/** Heartbeats with nothing running but a pending await before the run is stopped at that await (2 s). */
const HANG_TICKS = 10;
/** Longest text forwarded per console call. */
const MAX_LOG_CHARS = 10_000;
/** Console calls forwarded per heartbeat interval; the rest are counted and reported once. */
const MAX_LOGS_PER_TICK = 100;

function send(message: ChildToHost): void {
  process.send?.(message);
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
let sandboxTimers: ReadonlySet<NodeJS.Timeout> = new Set();
let awaitTracker: AwaitTracker | null = null;

/** Sends the run's error, then leaves once the IPC channel has taken it (a large message takes a while on a busy machine). */
function sendErrorAndExit(message: ChildToHost): void {
  const exit = () => setTimeout(() => process.exit(1), 20);
  if (process.send) process.send(message, exit);
  else exit();
}

function fail(error: unknown, code: string): void {
  if (failed) return;
  failed = true;
  sendErrorAndExit({ type: 'error', error: toRawError(error, code) });
}

/** Ends the run with an error at a learner position the child knows (no stack to map). */
function failAt(message: string, code: string, at: { file: string; line: number; column: number }): void {
  if (failed) return;
  failed = true;
  sendErrorAndExit({ type: 'error', error: { name: 'Error', message, stack: '', code, at } });
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

function start(message: Extract<HostToChild, { type: 'start' }>): void {
  for (const m of message.models ?? []) provideSavedModel(m.name, m.model);
  clock = message.mode === 'manual' ? new ManualClock(message.startMs) : new SystemClock();
  binding = bindEngine({
    clock,
    services: message.services,
    ...(message.checkpointDir ? { checkpointDir: message.checkpointDir } : {}),
    ...(message.workspaceLimit ? { workspaceLimit: message.workspaceLimit } : {}),
    ...(message.dataDir ? { dataDir: message.dataDir } : {}),
    ...(message.runStartedAtMs !== undefined ? { runStartedAtMs: message.runStartedAtMs } : {}),
    maxRows: message.maxRows,
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
  lockDownFor(binding.api);
  awaitTracker = createAwaitTracker(PIPELINE_FILENAME);
  const realm = createSandboxRealm({
    print: log,
    write: (text, level) => log(level, [text.endsWith('\n') ? text.slice(0, -1) : text]),
    api: () => binding?.api,
    loopGuard: createLoopGuard(message.loopLimitMs),
    awaits: awaitTracker.track,
  });
  sandboxTimers = realm.timers;
  send({ type: 'status', state: 'running' });
  try {
    const exports = realm.evaluate(message.code);
    // Lesson files export `main()`: the module builds the pipeline, `main` starts it.
    const main = exports.main;
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
  const latency = binding?.latencyUpdate();
  if (latency) send({ type: 'latency', ...latency });
  if (droppedLogs > 0) {
    const n = droppedLogs;
    droppedLogs = 0;
    logsThisTick = 0;
    log('warn', [`(${n} more console lines were dropped: at most ${MAX_LOGS_PER_TICK} are shown per ${HEARTBEAT_MS} ms)`]);
  }
  logsThisTick = 0;
  if (isIdle()) {
    idleTicks++;
    // Nothing is left that could do work, yet the code still awaits: that await can never resolve.
    const hang = awaitTracker ? hangingAwait(awaitTracker.pending()) : null;
    if (hang && idleTicks >= HANG_TICKS) {
      failAt(`Your pipeline waits at line ${hang.line} for an await that never resolves, with nothing else running, so it was stopped.`, 'unresponsive', { file: hang.file, line: hang.line, column: hang.column });
    } else if (!hang && idleTicks >= 2 && !finishedReported) {
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
process.on('message', (raw: HostToChild | CheckRequest) => {
  if (raw.type === 'check') void handleCheck(raw);
  else if (raw.type === 'start') start(raw);
  else if (raw.type === 'step') void step(raw);
  else if (raw.type === 'crash') binding?.crashQueries();
  else if (raw.type === 'stop') void stop();
});
