/**
 * One check sandbox in the browser: a dedicated Web Worker that loads one program (the learner's or the
 * lesson's solution) and answers the check's operations one at a time, as a job process in check mode
 * does (compare runtime/src/jobs/child/check-mode.ts). The operations themselves are the runtime's own
 * (check-ops.ts); this worker only makes the world they run in:
 *
 *   hello:  the nonce every message to the page carries (check-messages.ts)
 *   load:   a manual clock and an in-memory Kafka of the check's topics (with the broker's SASL rules
 *           when the world has them) → the engine bound to it → `lockdown()` (ses) freezes the
 *           JavaScript intrinsics and `harden()` the `streamlab` API, as in the job process's check
 *           mode → the network and code made from strings taken out of reach → the learner's script
 *           evaluated, its exports kept
 *   op:     answered from the world, or failed with the learner's error
 *   awaits: where the code of an operation that did not finish waits (the await tracker's deepest pending await)
 *
 * The page terminates the worker when the check is done with it, or when it stops answering.
 *
 * What the learner's script could use against the check is kept out of its reach: the channel to the
 * page (`postMessage`, refused on the global scope; the bound copy and the nonce live in this module),
 * the operations' messages (read with `MessageEvent`'s own getter, kept before any learner code ran, by
 * a listener registered first in the capture phase), and the objects the answers are computed from
 * (frozen by `lockdown()` and `harden()`).
 */
import 'ses';
import { ManualClock } from '@streamlab/runtime/engine';
import {
  bindEngineCore, checkCluster, createAwaitTracker, createLoopGuardOn, FormatRegistry, hangingAwait, printInto, registerMemoryKafka, runCheckOp, setKafkaClientFactory, SparkSession,
  type CheckOp, type CheckWorld, type WorldOp,
} from '@streamlab/runtime/in-browser-worker';
import type { CheckToPage, PageToCheck } from './check-messages.js';
import { evaluatePipeline, learnerFailure, PIPELINE_FILENAME, printed, refuseCodeFromStrings, refuseOutsideWorld, type PipelineTimers } from './run-sandbox.js';

declare function lockdown(options?: Record<string, string>): void;
declare function harden<T>(value: T): T;

/** How often the worker tells the page it is alive. */
const HEARTBEAT_MS = 200;

const postMessage = self.postMessage.bind(self);
/** The page's nonce for this worker (its `hello`). */
let nonce: string | null = null;
type WithoutNonce<M> = M extends unknown ? Omit<M, 'nonce'> : never;
const post = (message: WithoutNonce<CheckToPage>): void => {
  if (nonce !== null) postMessage({ ...message, nonce });
};
/** `MessageEvent`'s own `data` getter, as it was before the learner's script could replace it. */
const dataOf = Object.getOwnPropertyDescriptor(MessageEvent.prototype, 'data')!.get!;
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
    observer: { onQueryStarted: () => {}, onBatch: () => {}, onQueryError: () => {}, onOutput: (text) => printInto(out, `${text}\n`) },
  });
  // Made after the learner's session, and never made active: `getOrCreate()` keeps returning theirs.
  const trusted = new SparkSession(new Map(), clock, () => {});
  const kafkaSource = binding.session.formats.source('kafka');
  const guard = createLoopGuardOn(op.loopLimitMs, () => performance.now(), (fn) => setTimeout(fn, 0), () => false);
  const consoleApi = Object.freeze(Object.fromEntries((['log', 'info', 'warn', 'error', 'debug'] as const).map((level) => [level, (...a: unknown[]) => {
    printInto(out, `${printed(a)}\n`);
  }])));
  const timers = { setTimeout, clearTimeout, setInterval, clearInterval } as unknown as PipelineTimers;
  world = { clock, cluster, binding, trusted, kafkaSource, exports: {}, handles: new Map(), sinks: new Map(), printed: out, crashes: new Map() };
  // The job process's options: errors keep their stacks (the learner's line), and the engine may
  // still assign properties its frozen prototypes have (`this.name = …` in an Error subclass).
  lockdown({ errorTaming: 'unsafe', overrideTaming: 'moderate', consoleTaming: 'unsafe', stackFiltering: 'verbose', domainTaming: 'unsafe' });
  harden(binding.api);
  refuseOutsideWorld(self);
  refuseCodeFromStrings(self);
  world.exports = evaluatePipeline(op.code, { api: binding.api, loopGuard: guard, awaitTracker: awaits.track, console: consoleApi, timers });
  return { exports: Object.keys(world.exports) };
}

async function answer(m: Extract<PageToCheck, { type: 'op' }>): Promise<void> {
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
self.addEventListener('message', (ev: MessageEvent<PageToCheck>) => {
  const m = dataOf.call(ev) as PageToCheck;
  if (m.type === 'hello') nonce ??= m.nonce;
  else void answer(m);
}, { capture: true });
