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
import 'ses';
import { format } from 'node:util';
import { Buffer } from 'node:buffer';
import { ManualClock } from '../../engine/clock.js';
import { exprSql } from '../../engine/expr-names.js';
import { provideSavedModel } from '../../engine/ml/saved-model.js';
import { InMemoryKafkaCluster } from '../../engine/kafka-client/memory-kafka-cluster.js';
import type { LogicalPlan } from '../../engine/plan.js';
import type { SourceProvider } from '../../engine/sources/source.js';
import { DataFrame } from '../../engine/structured/dataframe.js';
import { SparkSession } from '../../engine/structured/session.js';
import { StreamingQuery } from '../../engine/structured/streaming-query.js';
import type { StreamingContext, StreamingContextOptions } from '../../engine/dstream/streaming-context.js';
import { ActorSystem } from '../../engine/flow/actor-system.js';
import { drainControl, isDrainingControl } from '../../engine/flow/kafka/consumer.js';
import { LatencyMeter } from '../../engine/latency/latency-meter.js';
import type { CheckArg, CheckBatch, CheckOp, CheckReply, CheckRequest, PlanSummary } from '../check-ipc.js';
import { createLoopGuard } from '../loop-guard.js';
import { createAwaitTracker, hangingAwait, type AwaitTracker } from '../await-tracker.js';
import { bindEngine, toJson, type EngineBinding } from './engine-binding.js';
import { toRowObject } from '../../engine/rows.js';
import { toRawError } from './raw-error.js';
import { captureProgram } from '../../export/capture.js';
import { exportPySpark } from '../../export/pyspark-program.js';
import * as streamlab from '../../streamlab.js';
import { createSandboxRealm, PIPELINE_FILENAME, SandboxError } from './sandbox-realm.js';

declare function lockdown(options?: Record<string, string>): void;
declare function harden<T>(value: T): T;

/** The world of one check process. */
interface CheckWorld {
  clock: ManualClock;
  cluster: InMemoryKafkaCluster;
  binding: EngineBinding;
  /** The harness's own session: queries it starts are invisible to the learner's code. */
  trusted: SparkSession;
  kafkaSource: SourceProvider;
  exports: Record<string, unknown>;
  handles: Map<number, unknown>;
  /** Rows written per batch to each harness query's memory sink. */
  sinks: Map<number, { columns: string[]; batches: CheckBatch[] }>;
  /** Everything printed since the harness last read it. */
  printed: string[];
  /** Queries armed to crash mid-batch, by handle: resolves with the query their checkpoint restarted. */
  crashes: Map<number, Promise<StreamingQuery>>;
}

let world: CheckWorld | null = null;
let awaits: AwaitTracker | null = null;
/** The tracker's sequence number when each pending operation started, by request id. */
const opStarts = new Map<number, number>();
let nextHandle = 1;
let lockedDown = false;
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

function handle<T>(w: CheckWorld, id: number, what: string, test: (v: unknown) => v is T): T {
  const v = w.handles.get(id);
  if (!test(v)) throw new Error(`No ${what} with handle ${id}.`);
  return v;
}

const isDataFrame = (v: unknown): v is DataFrame => v instanceof DataFrame;
const isQuery = (v: unknown): v is StreamingQuery => v instanceof StreamingQuery;
const isSystem = (v: unknown): v is ActorSystem => v instanceof ActorSystem;
const isMeter = (v: unknown): v is LatencyMeter => v instanceof LatencyMeter;
const isContext = (v: unknown): v is StreamingContext => typeof v === 'object' && v !== null && typeof (v as StreamingContext).awaitBatchCompleted === 'function';

function keep(w: CheckWorld, v: unknown): number {
  const id = nextHandle++;
  w.handles.set(id, v);
  return id;
}

async function run(op: CheckOp): Promise<unknown> {
  switch (op.op) {
    case 'load':
      return load(op);
    case 'call':
      return call(need(), op.fn, op.args, op.returns);
    case 'startStream': {
      const w = need();
      const df = handle(w, op.df, 'DataFrame', isDataFrame);
      // The learner's plan, started by the harness on its own session and memory sink.
      const name = `check_${nextHandle}`;
      const started = new DataFrame(w.trusted, df.plan);
      // Projections the harness asks for (a timestamp as text to the microsecond, say), on its own session.
      const query = (op.selectExpr ? started.selectExpr(...op.selectExpr) : started).writeStream.format('memory').queryName(name).outputMode(op.outputMode).start();
      const id = keep(w, query);
      const sink: { columns: string[]; batches: CheckBatch[] } = { columns: [], batches: [] };
      w.sinks.set(id, sink);
      query.onBatch((result) => {
        sink.columns = result.schema.fieldNames();
        sink.batches.push({ batchId: result.progress.batchId, rows: result.rows.map((r) => toJson(toRowObject(r, result.schema)) as Record<string, unknown>) });
      });
      return { handle: id };
    }
    case 'collect': {
      const w = need();
      const df = handle(w, op.df, 'DataFrame', isDataFrame);
      if (df.isStreaming) throw new SandboxError('not-static', 'This DataFrame is a streaming one: the check reads the rows of a static DataFrame (spark.read).');
      // The engine's own method on the frozen class, never one the learner's object could bring.
      const rows = DataFrame.prototype.collectInternal.call(df);
      return { columns: df.schema.fieldNames(), rows: rows.map((r) => toJson(toRowObject(r, df.schema)) as Record<string, unknown>) };
    }
    case 'produce': {
      const w = need();
      // One synchronous loop: no batch can start between these records.
      for (const r of op.records) w.cluster.produce(op.topic, r.value, { key: r.key, ...(r.partition !== undefined ? { partition: r.partition } : {}) });
      return { count: op.records.length };
    }
    case 'records': {
      const decoder = new TextDecoder();
      const text = (b: Uint8Array | null) => (b === null ? null : decoder.decode(b));
      const base64 = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64'));
      return need().cluster.records(op.topic).map((r) => ({ partition: r.partition, offset: r.offset, key: text(r.key), value: text(r.value), valueBase64: base64(r.value), timestamp: r.timestamp }));
    }
    case 'clock': {
      const w = need();
      if (op.setMs !== undefined) w.clock.setTime(op.setMs);
      if (op.advanceMs !== undefined) w.clock.advance(op.advanceMs);
      // Let batches that became due run before answering.
      await new Promise((r) => setImmediate(r));
      await w.binding.settle();
      for (const q of w.trusted.streams.active) await q.awaitIdle();
      return { nowMs: w.clock.now() };
    }
    case 'process': {
      const w = need();
      const q = handle(w, op.query, 'query', isQuery);
      const before = q.lastProgress?.batchId ?? -1;
      await StreamingQuery.prototype.processAllAvailable.call(q);
      return { batches: (q.lastProgress?.batchId ?? -1) - before };
    }
    case 'context': {
      const w = need();
      const Ctx = w.binding.api.StreamingContext as new (sc: unknown, seconds: number, options: StreamingContextOptions) => StreamingContext;
      return { handle: keep(w, new Ctx(w.binding.session.sparkContext, op.batchSeconds, { readInputsEveryBatch: op.readInputsEveryBatch === true })) };
    }
    case 'startContext': {
      const w = need();
      handle(w, op.context, 'StreamingContext', isContext).start();
      return {};
    }
    case 'awaitBatch': {
      const w = need();
      await handle(w, op.context, 'StreamingContext', isContext).awaitBatchCompleted(op.timeMs);
      return {};
    }
    case 'output': {
      const w = need();
      const text = w.printed.join('');
      w.printed.length = 0;
      return { text };
    }
    case 'batches': {
      const w = need();
      const sink = w.sinks.get(op.query);
      if (!sink) throw new Error(`No harness query with handle ${op.query}.`);
      return { columns: sink.columns, batches: sink.batches };
    }
    case 'plan': {
      const w = need();
      const v = w.handles.get(op.handle);
      const plan = isDataFrame(v) ? v.plan : isQuery(v) ? queryPlan(v) : null;
      if (!plan) throw new Error(`No DataFrame or query with handle ${op.handle}.`);
      return summarise(plan, w);
    }
    case 'stop': {
      const w = need();
      await StreamingQuery.prototype.stop.call(handle(w, op.query, 'query', isQuery));
      return {};
    }
    case 'crash': {
      const w = need();
      const q = handle(w, op.query, 'query', isQuery);
      const report = StreamingQuery.prototype.crashAfterNextSinkWrite.call(q);
      report.catch(() => undefined);
      w.crashes.set(op.query, report.then((r) => r.restarted));
      return {};
    }
    case 'restarted': {
      const w = need();
      const restarted = w.crashes.get(op.query);
      if (!restarted) throw new Error(`No query armed to crash with handle ${op.query}.`);
      return { handle: keep(w, await restarted) };
    }
    case 'actorSystem': {
      const w = need();
      return { handle: keep(w, ActorSystem.create(op.name, { clock: w.clock })) };
    }
    case 'drain': {
      const w = need();
      const control = w.handles.get(op.control);
      if (!isDrainingControl(control)) throw new Error(`No DrainingControl with handle ${op.control}.`);
      await drainControl(control);
      return {};
    }
    case 'meter': {
      const w = need();
      return { handle: keep(w, LatencyMeter.start(w.binding.session)) };
    }
    case 'latency': {
      const w = need();
      const summary = handle(w, op.meter, 'LatencyMeter', isMeter).summary();
      const n = (x: number | null) => (x === null || !Number.isFinite(x) ? null : x);
      return Object.fromEntries(Object.entries(summary).map(([name, p]) => [name, {
        kind: p.kind, ...(p.trigger ? { trigger: p.trigger } : {}), startupMs: n(p.startupMs), count: p.count,
        p50: n(p.p50), p95: n(p.p95), p99: n(p.p99), max: n(p.max), histogram: [...p.histogram],
      }]));
    }
    case 'awaits': {
      // Only awaits that started during that operation: earlier ones may be waiting for good reasons.
      const since = opStarts.get(op.request);
      const at = since === undefined || !awaits ? null : hangingAwait(awaits.pending(), since);
      return { at: at ? { file: at.file, line: at.line, column: at.column } : null };
    }
    case 'export':
      for (const m of op.models ?? []) provideSavedModel(m.name, m.model);
      return exportProgram(op.code, op.title, op.loopLimitMs);
  }
}

function load(op: Extract<CheckOp, { op: 'load' }>): { exports: string[] } {
  if (world) throw new Error('A check process loads one submission.');
  for (const m of op.models ?? []) provideSavedModel(m.name, m.model);
  const clock = new ManualClock(op.startMs);
  const sasl = op.sasl;
  // A lesson whose Kafka requires SASL: the learner's clients authenticate as a broker checks them.
  const cluster = new InMemoryKafkaCluster({
    clock,
    ...(sasl ? { security: { mechanisms: sasl.mechanisms, verify: (user: string, password: string) => Object.hasOwn(sasl.users, user) && sasl.users[user] === password } } : {}),
  });
  for (const [topic, partitions] of Object.entries(op.topics)) cluster.createTopic(topic, partitions);
  const printed: string[] = [];
  const binding = bindEngine({
    clock,
    // The check's own schema and role, never the runtime's database: the harness made both for this process.
    services: op.database ? { pg: op.database } : {},
    memoryKafka: cluster,
    ...(op.dataDir ? { dataDir: op.dataDir } : {}),
    observer: {
      onQueryStarted: () => {},
      onBatch: () => {},
      onQueryError: () => {},
      onOutput: (text) => printed.push(`${text}\n`),
    },
  });
  // Made after the learner's session, and never made active: `getOrCreate()` keeps returning theirs.
  const trusted = new SparkSession(new Map(), clock, () => {});
  const loopGuard = createLoopGuard(op.loopLimitMs);
  const kafkaSource = binding.session.formats.source('kafka');
  if (!lockedDown) {
    lockdown({ errorTaming: 'unsafe', overrideTaming: 'moderate', consoleTaming: 'unsafe', stackFiltering: 'verbose', domainTaming: 'unsafe' });
    lockedDown = true;
  }
  harden(binding.api);
  awaits = createAwaitTracker(PIPELINE_FILENAME);
  const realm = createSandboxRealm({
    print: (_level, args) => printed.push(`${format(...args)}\n`),
    write: (text) => printed.push(text),
    api: () => binding.api,
    loopGuard,
    awaits: awaits.track,
  });
  world = { clock, cluster, binding, trusted, kafkaSource, exports: {}, handles: new Map(), sinks: new Map(), printed, crashes: new Map() };
  world.exports = realm.evaluate(op.code);
  return { exports: Object.keys(world.exports) };
}

function argument(w: CheckWorld, a: CheckArg): unknown {
  if ('spark' in a) return w.binding.session;
  if ('context' in a) return handle(w, a.context, 'StreamingContext', isContext);
  if ('system' in a) return handle(w, a.system, 'ActorSystem', isSystem);
  return a.json;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v !== 'object') return `a ${typeof v}`;
  const proto = Object.getPrototypeOf(v) as { constructor?: { name?: unknown } } | null;
  const name = proto && typeof proto.constructor?.name === 'string' ? proto.constructor.name : '';
  return name && name !== 'Object' ? `an object of class ${name}` : 'a plain object';
}

async function call(w: CheckWorld, fn: string, args: CheckArg[], returns: string): Promise<unknown> {
  const f = Object.prototype.hasOwnProperty.call(w.exports, fn) ? w.exports[fn] : undefined;
  if (typeof f !== 'function') throw new SandboxError('missing-export', `Your file does not export a function named ${fn}: the check calls ${fn}(…).`);
  let result = (f as (...a: unknown[]) => unknown)(...args.map((a) => argument(w, a)));
  if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') result = await result;
  switch (returns) {
    case 'dataframe':
      // A DataFrame the engine built: the class is frozen, so an object with its prototype has its fields.
      if (!(result instanceof DataFrame) || Object.getPrototypeOf(result) !== DataFrame.prototype || !Object.prototype.hasOwnProperty.call(result, 'plan')) {
        throw new SandboxError('not-a-dataframe', `${fn}(…) returned ${describe(result)}, not a DataFrame built with the streamlab API.`);
      }
      return { kind: 'dataframe', handle: keep(w, result), columns: [...result.columns], types: result.schema.fields.map((f) => f.dataType.simpleString()), streaming: result.isStreaming };
    case 'query':
      if (!w.binding.started(result) || Object.getPrototypeOf(result) !== StreamingQuery.prototype) {
        throw new SandboxError('not-a-query', `${fn}(…) returned ${describe(result)}, not a StreamingQuery started with writeStream…start().`);
      }
      return { kind: 'query', handle: keep(w, result) };
    case 'control':
      if (!isDrainingControl(result)) {
        throw new SandboxError('not-a-control', `${fn}(…) returned ${describe(result)}, not the DrainingControl a flow's run() materializes (toMat(…, Consumer.DrainingControl.apply)).`);
      }
      return { kind: 'control', handle: keep(w, result) };
    case 'nothing':
      return { kind: 'value', value: null };
    default:
      return { kind: 'value', value: toJson(result) };
  }
}

/** The plan a query runs, read from the engine's own field (never through the learner's objects). */
function queryPlan(q: StreamingQuery): LogicalPlan | null {
  const opts = (q as unknown as { opts?: { plan?: LogicalPlan } }).opts;
  return opts?.plan ?? null;
}

function summarise(plan: LogicalPlan, w: CheckWorld): PlanSummary {
  const facts: PlanSummary['facts'] = {};
  let children: LogicalPlan[] = [];
  switch (plan.kind) {
    case 'StreamingRelation':
      facts.format = plan.format;
      facts.source = plan.provider === w.kafkaSource ? 'lesson-kafka' : 'other';
      if (plan.options.subscribe !== undefined) facts.topics = plan.options.subscribe.split(',').map((t) => t.trim());
      break;
    case 'LocalRelation':
      facts.rows = plan.rows.length;
      break;
    case 'Project':
      facts.exprs = plan.exprs.map(exprSql);
      children = [plan.child];
      break;
    case 'Filter':
      facts.condition = exprSql(plan.condition);
      children = [plan.child];
      break;
    case 'EventTimeWatermark':
      facts.column = plan.column;
      facts.delayMs = plan.delayMs;
      children = [plan.child];
      break;
    case 'Aggregate':
      facts.groupBy = plan.groupBy.map(exprSql);
      facts.aggregates = plan.aggregates.map(exprSql);
      children = [plan.child];
      break;
    case 'Union':
      children = [...plan.children];
      break;
    case 'Join':
      children = [plan.left, plan.right];
      break;
    default:
      children = 'child' in plan ? [(plan as { child: LogicalPlan }).child] : [];
  }
  return { kind: plan.kind, facts, children: children.map((c) => summarise(c, w)) };
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
