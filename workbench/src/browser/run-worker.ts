/**
 * One learner run in the browser: a dedicated Web Worker the page starts for the run and terminates on
 * Stop, on an endless loop, or when the run ends. It is the browser's job process (compare
 * runtime/src/jobs/child/job-child.ts):
 *
 *   start:  the broker from the page's records (the lesson's `clearOnRun` topics emptied, its topics
 *           made, SASL required when the lesson's Kafka requires it) → the lesson's data player on the run's clock → the engine bound to the broker
 *           (engine-core.ts) → the network, the page's channel and code made from strings taken out of reach → the learner's
 *           script evaluated, its `main()` called → running (finished once nothing is left to do)
 *   step:   manual clock: the records due by the new time produced, then the clock moved or batches run
 *   stop:   every query stopped → the broker's records to the page → ended
 */
import { ManualClock, type Clock } from '@streamlab/runtime/engine';
import type { ServerEvent } from '@streamlab/runtime/protocol';
import {
  bindEngineCore, createLoopGuardOn, DataPlayer, FormatRegistry, registerMemoryKafka, saslListener, setKafkaClientFactory, SystemClock,
  type EngineBinding, type InMemoryKafkaCluster,
} from '@streamlab/runtime/in-browser-worker';
import { clusterFrom, snapshotOf } from './broker-snapshot.js';
import { evaluatePipeline, learnerFailure, printed, refuseCodeFromStrings, refuseOutsideWorld, type PipelineTimers } from './run-sandbox.js';
import type { PageToRun, RunToPage } from './run-messages.js';

/** How often the worker tells the page it is alive (the job process's heartbeat). */
const HEARTBEAT_MS = 200;
/** Longest text forwarded per console call. */
const MAX_LOG_CHARS = 10_000;

const post: (message: RunToPage) => void = self.postMessage.bind(self);
const realSetTimeout = setTimeout;
const realClearTimeout = clearTimeout;
const realSetInterval = setInterval;
const realClearInterval = clearInterval;
const encoder = new TextEncoder();

let runId = '';
let binding: EngineBinding | null = null;
let clock: Clock | null = null;
let cluster: InMemoryKafkaCluster | null = null;
let player: DataPlayer | null = null;
let failed = false;
let topLevelDone = false;
let finished = false;
let idleTicks = 0;
let batchesReported = 0;
const learnerTimers = new Set<ReturnType<typeof setTimeout>>();

function emit(event: ServerEvent): void {
  post({ type: 'event', event });
}

function log(level: 'log' | 'info' | 'warn' | 'error' | 'debug', text: string): void {
  emit({ kind: 'run.log', runId, level, text: text.length > MAX_LOG_CHARS ? `${text.slice(0, MAX_LOG_CHARS)}… (${text.length - MAX_LOG_CHARS} more characters)` : text });
}

function fail(error: unknown, code: string): void {
  if (failed) return;
  failed = true;
  emit({ kind: 'run.error', runId, ...learnerFailure(error, code) });
  emit({ kind: 'run.status', runId, state: 'failed' });
  void endRun();
}

async function endRun(): Promise<void> {
  player?.stop();
  try {
    await binding?.stopAll();
  } catch {
    // The run ends anyway.
  }
  if (cluster) post({ type: 'broker', broker: snapshotOf(cluster) });
  post({ type: 'ended' });
}

async function start(message: Extract<PageToRun, { type: 'start' }>): Promise<void> {
  runId = message.runId;
  const plan = message.plan;
  clock = message.mode === 'manual' ? new ManualClock(plan?.clockStartMs ?? 0) : new SystemClock();
  // The lesson's topics exist; a dataset topic with `clearOnRun` starts empty, so its data plays from its first record.
  const cleared = new Set(plan?.datasets.filter((d) => d.clearOnRun).map((d) => d.topic) ?? []);
  // A lesson whose Kafka requires SASL gets a broker that does, as its runtime's SASL listener.
  cluster = clusterFrom(message.broker, clock, cleared, message.sasl ? saslListener(message.sasl.mechanisms, message.sasl.users) : undefined);
  for (const t of plan?.topics ?? []) cluster.createTopic(t.name, t.partitions);
  const broker = cluster;
  if (plan) {
    player = new DataPlayer(plan, {
      mode: message.mode,
      sink: async (records) => {
        for (const r of records) {
          broker.append({ topic: r.topic, key: r.key === null ? null : encoder.encode(r.key), value: encoder.encode(r.value), headers: [], ...(r.timestampMs === undefined ? {} : { timestamp: r.timestampMs }) });
        }
      },
      timers: { setTimeout: (fn, ms) => realSetTimeout(fn, ms), clearTimeout: (h) => realClearTimeout(h as ReturnType<typeof setTimeout>) },
      onProgress: (_p, error) => {
        if (error) log('warn', `The lesson's data could not be produced: ${error.message}`);
      },
    });
    await player.start();
  }
  const formats = FormatRegistry.withBuiltIns();
  setKafkaClientFactory(broker);
  registerMemoryKafka(formats, broker);
  binding = bindEngineCore({
    clock,
    formats,
    dstreamKafka: broker,
    observer: {
      onQueryStarted: (q) => emit({ kind: 'run.query', runId, queryName: q.queryName, queryId: q.queryId, trigger: q.trigger }),
      onBatch: (r) => {
        batchesReported++;
        emit(r.api === 'structured'
          ? { kind: 'run.batch', runId, ...r, rows: r.rows.slice(0, message.maxRows), truncated: Math.min(r.rows.length, message.maxRows) < r.totalRows }
          : { kind: 'run.batch', runId, ...r });
      },
      onQueryError: (e) => fail(e, 'user-function-error'),
      onOutput: (text) => log('log', text),
    },
  });
  const api = binding.api;
  const guard = createLoopGuardOn(message.loopLimitMs, () => performance.now(), (fn) => realSetTimeout(fn, 0), () => false);
  const sandboxTimers = {
    setTimeout: (fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
      const t = realSetTimeout(() => {
        learnerTimers.delete(t);
        fn(...args);
      }, ms);
      learnerTimers.add(t);
      return t;
    },
    clearTimeout: (t: ReturnType<typeof setTimeout>) => {
      learnerTimers.delete(t);
      realClearTimeout(t);
    },
    setInterval: (fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
      const t = realSetInterval(fn, ms, ...args);
      learnerTimers.add(t);
      return t;
    },
    clearInterval: (t: ReturnType<typeof setInterval>) => {
      learnerTimers.delete(t);
      realClearInterval(t);
    },
  };
  const consoleApi = Object.freeze(Object.fromEntries((['log', 'info', 'warn', 'error', 'debug'] as const).map((level) => [level, (...a: unknown[]) => log(level, printed(a))])));
  refuseOutsideWorld(self);
  refuseCodeFromStrings(self);
  emit({ kind: 'run.status', runId, state: 'running' });
  try {
    const exports = evaluatePipeline(message.code, { api, loopGuard: guard, console: consoleApi, timers: sandboxTimers as unknown as PipelineTimers });
    const main = exports.main;
    const result = typeof main === 'function' ? (main as () => unknown)() : undefined;
    if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).then(undefined, (e: unknown) => fail(e, 'runtime-error'));
  } catch (e) {
    fail(e, 'runtime-error');
    return;
  }
  topLevelDone = true;
}

async function step(message: Extract<PageToRun, { type: 'step' }>): Promise<void> {
  if (!binding || !clock) return;
  const before = batchesReported;
  try {
    if (message.advanceMs !== undefined) {
      if (!(clock instanceof ManualClock)) throw new Error('run.step needs a run started with the manual clock.');
      // The records that arrive by the new time are in the broker before the clock gets there.
      await player?.advanceTo(clock.now() + message.advanceMs);
      clock.advance(message.advanceMs);
      await new Promise((r) => realSetTimeout(r, 0));
      await binding.settle();
    }
    if (message.batches !== undefined) {
      await binding.runBatches(message.batches);
      await binding.settle();
    }
    post({ type: 'step-done', stepId: message.stepId, batchesRun: batchesReported - before, clockMs: clock.now() });
  } catch (e) {
    post({ type: 'step-done', stepId: message.stepId, batchesRun: batchesReported - before, clockMs: clock.now(), error: e instanceof Error ? e.message : String(e) });
  }
  if (cluster) post({ type: 'broker', broker: snapshotOf(cluster) });
}

realSetInterval(() => {
  post({ type: 'heartbeat' });
  const latency = binding?.latencyUpdate();
  if (latency) emit({ kind: 'run.latency', runId, ...latency });
  // Nothing left that could do work: the run has finished, as a job process reports it.
  if (topLevelDone && !failed && !finished && binding && binding.activeQueries() === 0 && learnerTimers.size === 0) {
    if (++idleTicks >= 2) {
      finished = true;
      emit({ kind: 'run.status', runId, state: 'finished' });
      void endRun();
    }
  } else {
    idleTicks = 0;
  }
}, HEARTBEAT_MS);

self.addEventListener('error', (ev) => {
  ev.preventDefault();
  fail(ev.error ?? new Error(ev.message), 'runtime-error');
});
self.addEventListener('unhandledrejection', (ev) => {
  ev.preventDefault();
  fail(ev.reason, 'runtime-error');
});
self.addEventListener('message', (ev: MessageEvent<PageToRun>) => {
  const m = ev.data;
  if (m.type === 'start') void start(m).catch((e: unknown) => fail(e, 'internal'));
  else if (m.type === 'step') void step(m);
  else if (m.type === 'crash') binding?.crashQueries();
  else if (m.type === 'stop') void endRun();
});
