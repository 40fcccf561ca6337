/**
 * One check sandbox in the browser: a dedicated Web Worker that loads one program (the learner's or the
 * lesson's solution) and answers the check's operations one at a time, as a job process in check mode
 * does (compare runtime/src/jobs/child/check-mode.ts). The operations themselves are the runtime's own
 * (check-ops.ts); this worker only makes the world they run in:
 *
 *   load:   a manual clock and an in-memory Kafka of the check's topics (with the broker's SASL rules
 *           when the world has them) → the engine bound to it → the network taken out of reach → the
 *           learner's script evaluated, its exports kept
 *   op:     answered from the world, or failed with the learner's error
 *   awaits: where the code of an operation that did not finish waits (the await tracker's deepest pending await)
 *
 * The page terminates the worker when the check is done with it, or when it stops answering.
 */
import { ManualClock } from '@streamlab/runtime/engine';
import {
  bindEngineCore, checkCluster, createAwaitTracker, createLoopGuardOn, FormatRegistry, hangingAwait, registerMemoryKafka, runCheckOp, setKafkaClientFactory, SparkSession,
  type CheckOp, type CheckWorld, type WorldOp,
} from '@streamlab/runtime/in-browser-worker';
import type { CheckToPage, PageToCheck } from './check-messages.js';
import { evaluatePipeline, learnerFailure, PIPELINE_FILENAME, printed, refuseOutsideWorld, type PipelineTimers } from './run-sandbox.js';

/** How often the worker tells the page it is alive. */
const HEARTBEAT_MS = 200;

const post: (message: CheckToPage) => void = self.postMessage.bind(self);
const realSetInterval = setInterval;
let world: CheckWorld | null = null;
/** Where the learner's code waits, and the first await of each operation still answering. */
const awaits = createAwaitTracker(PIPELINE_FILENAME);
const opStarts = new Map<number, number>();

function load(op: Extract<CheckOp, { op: 'load' }>): { exports: string[] } {
  if (world) throw new Error('A check worker loads one program.');
  const clock = new ManualClock(op.startMs);
  const cluster = checkCluster(op, clock);
  const out: string[] = [];
  const formats = FormatRegistry.withBuiltIns();
  setKafkaClientFactory(cluster);
  registerMemoryKafka(formats, cluster);
  const binding = bindEngineCore({
    clock,
    formats,
    dstreamKafka: cluster,
    observer: { onQueryStarted: () => {}, onBatch: () => {}, onQueryError: () => {}, onOutput: (text) => out.push(`${text}\n`) },
  });
  // Made after the learner's session, and never made active: `getOrCreate()` keeps returning theirs.
  const trusted = new SparkSession(new Map(), clock, () => {});
  const kafkaSource = binding.session.formats.source('kafka');
  const guard = createLoopGuardOn(op.loopLimitMs, () => performance.now(), (fn) => setTimeout(fn, 0), () => false);
  const consoleApi = Object.freeze(Object.fromEntries((['log', 'info', 'warn', 'error', 'debug'] as const).map((level) => [level, (...a: unknown[]) => {
    out.push(`${printed(a)}\n`);
  }])));
  const timers = { setTimeout, clearTimeout, setInterval, clearInterval } as unknown as PipelineTimers;
  world = { clock, cluster, binding, trusted, kafkaSource, exports: {}, handles: new Map(), sinks: new Map(), printed: out, crashes: new Map() };
  refuseOutsideWorld(self);
  world.exports = evaluatePipeline(op.code, { api: binding.api, loopGuard: guard, awaitTracker: awaits.track, console: consoleApi, timers });
  return { exports: Object.keys(world.exports) };
}

async function answer(m: PageToCheck): Promise<void> {
  opStarts.set(m.id, awaits.nextSeq());
  try {
    let value: unknown;
    if (m.op.op === 'load') value = load(m.op);
    else if (m.op.op === 'awaits') {
      // Only awaits that started during that operation: earlier ones may be waiting for good reasons.
      const since = opStarts.get(m.op.request);
      const at = since === undefined ? null : hangingAwait(awaits.pending(), since);
      value = { at: at ? { file: at.file, line: at.line, column: at.column } : null };
    }
    else if (m.op.op === 'export') throw new Error('Export to PySpark needs the Streamlab runtime.');
    else if (!world) throw new Error('The check worker has not loaded a program.');
    else value = await runCheckOp(world, m.op as WorldOp);
    post({ type: 'reply', id: m.id, ok: true, value: value === undefined ? {} : value });
  } catch (e) {
    post({ type: 'reply', id: m.id, ok: false, error: learnerFailure(e, 'runtime-error') });
  } finally {
    opStarts.delete(m.id);
  }
}

realSetInterval(() => post({ type: 'heartbeat' }), HEARTBEAT_MS);

self.addEventListener('unhandledrejection', (ev) => {
  ev.preventDefault();
});
self.addEventListener('message', (ev: MessageEvent<PageToCheck>) => void answer(ev.data));
