/**
 * Check mode of a job process (see `../check-ipc.ts` for the operations): the learner's code runs in
 * the same sandbox realm as a Run, on a manual clock and an in-memory Kafka that only this process
 * sees, driven one operation at a time by a check harness outside the sandbox.
 *
 * Before the learner's code runs, `ses`'s `lockdown()` freezes this process's JavaScript intrinsics
 * (Array.prototype, Promise, JSON, …) and `harden()` freezes the `streamlab` API the learner imports
 * (every class, its prototype and statics): a submission can change neither the engine's behaviour
 * nor what the harness reads. The harness never calls methods on objects the learner returned: a
 * DataFrame is accepted only when it is one the engine built (its plan is then run on a session of
 * the harness's own, which the learner cannot reach), and a query only when the engine started it.
 */
import { format } from 'node:util';
import { ManualClock } from '../../engine/clock.js';
import { provideSavedModel } from '../../engine/ml/saved-model.js';
import { SparkSession } from '../../engine/structured/session.js';
import type { CheckOp, CheckReply, CheckRequest } from '../check-ipc.js';
import { createLoopGuard } from '../loop-guard.js';
import { createAwaitTracker, hangingAwait, type AwaitTracker } from '../await-tracker.js';
import { bindEngine } from './engine-binding.js';
import { lockDownFor } from './lockdown.js';
import { toRawError } from './raw-error.js';
import { captureProgram } from '../../export/capture.js';
import { exportPySpark } from '../../export/pyspark-program.js';
import * as streamlab from '../../streamlab.js';
import { createSandboxRealm, PIPELINE_FILENAME } from './sandbox-realm.js';
import { checkCluster, printInto, runCheckOp, type CheckWorld } from './check-ops.js';

let world: CheckWorld | null = null;
let awaits: AwaitTracker | null = null;
/** The tracker's sequence number when each pending operation started, by request id. */
const opStarts = new Map<number, number>();
let exported = false;

function reply(message: CheckReply): void {
  process.send?.(message);
}

/** Handles one check operation; always answers. */
export async function handleCheck(request: CheckRequest): Promise<void> {
  opStarts.set(request.id, awaits?.nextSeq() ?? 0);
  try {
    const value = await run(request.op);
    reply({ type: 'check-reply', id: request.id, ok: true, value: value === undefined ? {} : value });
  } catch (e) {
    reply({ type: 'check-reply', id: request.id, ok: false, error: toRawError(e, 'runtime-error') });
  } finally {
    opStarts.delete(request.id);
  }
}

function need(): CheckWorld {
  if (!world) throw new Error('The check process has not loaded a submission.');
  return world;
}

async function run(op: CheckOp): Promise<unknown> {
  switch (op.op) {
    case 'load':
      return load(op);
    case 'awaits': {
      // Only awaits that started during that operation: earlier ones may be waiting for good reasons.
      const since = opStarts.get(op.request);
      const at = since === undefined || !awaits ? null : hangingAwait(awaits.pending(), since);
      return { at: at ? { file: at.file, line: at.line, column: at.column } : null };
    }
    case 'export':
      for (const m of op.models ?? []) provideSavedModel(m.name, m.model);
      return exportProgram(op.code, op.title, op.loopLimitMs);
    default:
      return runCheckOp(need(), op);
  }
}

function load(op: Extract<CheckOp, { op: 'load' }>): { exports: string[] } {
  if (world) throw new Error('A check process loads one submission.');
  for (const m of op.models ?? []) provideSavedModel(m.name, m.model);
  const clock = new ManualClock(op.startMs);
  const cluster = checkCluster(op, clock);
  const printed: string[] = [];
  const binding = bindEngine({
    clock,
    // The check's own schema and role, never the runtime's database: the harness made both for this process.
    services: op.database ? { pg: op.database } : {},
    memoryKafka: cluster,
    ...(op.dataDir ? { dataDir: op.dataDir } : {}),
    // A check reads no batch reports: none of their rows is converted.
    maxRows: 0,
    observer: {
      onQueryStarted: () => {},
      onBatch: () => {},
      onQueryError: () => {},
      onOutput: (text) => printInto(printed, `${text}\n`),
    },
  });
  // Made after the learner's session, and never made active: `getOrCreate()` keeps returning theirs.
  const trusted = new SparkSession(new Map(), clock, () => {});
  const loopGuard = createLoopGuard(op.loopLimitMs);
  const kafkaSource = binding.session.formats.source('kafka');
  lockDownFor(binding.api);
  awaits = createAwaitTracker(PIPELINE_FILENAME);
  const realm = createSandboxRealm({
    print: (_level, args) => printInto(printed, `${format(...args)}\n`),
    write: (text) => printInto(printed, text),
    api: () => binding.api,
    loopGuard,
    awaits: awaits.track,
  });
  world = { clock, cluster, binding, trusted, kafkaSource, exports: {}, handles: new Map(), sinks: new Map(), printed, crashes: new Map() };
  world.exports = realm.evaluate(op.code);
  return { exports: Object.keys(world.exports) };
}

/**
 * The PySpark export of a program: its `main()` runs in the sandbox realm up to `start()` (which the
 * capture intercepts by patching the writer's prototype while it runs, so this process is not locked
 * down: what an export's learner could change is their own export), then the plans are rendered here.
 */
async function exportProgram(code: string, title: string | undefined, loopLimitMs: number): Promise<unknown> {
  if (world || exported) throw new Error('A check process runs one submission.');
  exported = true;
  const realm = createSandboxRealm({ print: () => {}, write: () => {}, api: () => streamlab, loopGuard: createLoopGuard(loopLimitMs) });
  const program = await captureProgram(code, (c) => realm.evaluate(c));
  const result = exportPySpark(program, title ? { title } : {});
  return { code: result.code, stubs: result.stubs.map((s) => ({ name: s.name, where: s.where, params: [...s.params], source: s.source })), submit: [...result.submit] };
}
