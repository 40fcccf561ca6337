/**
 * The operations of check mode on a loaded world (see `../check-ipc.ts`): what the harness asks of the
 * learner's program once it is loaded, answered from the engine's own classes and fields, never through
 * objects the learner returned. Shared by the job process's check mode (check-mode.ts) and the browser's
 * check worker; loading the program (and how it is sandboxed) is each host's own. Pure: no `node:*`.
 */
import { exprStructure } from '../../engine/expressions/expr-names.js';
import { InMemoryKafkaCluster } from '../../engine/kafka-client/memory-kafka-cluster.js';
import { saslListener } from '../../engine/kafka/kafka-security.js';
import type { ManualClock } from '../../engine/clock.js';
import type { LogicalPlan } from '../../engine/plans/plan.js';
import type { SourceProvider } from '../../engine/sources/source.js';
import { DataFrame } from '../../engine/structured/dataframe.js';
import type { SparkSession } from '../../engine/structured/session.js';
import { StreamingQuery } from '../../engine/structured/streaming-query.js';
import type { StreamingContext, StreamingContextOptions } from '../../engine/dstream/streaming-context.js';
import { ActorSystem } from '../../engine/flow/actor-system.js';
import { controlFailure, drainControl, isDrainingControl } from '../../engine/flow/kafka/consumer.js';
import { LatencyMeter } from '../../engine/latency/latency-meter.js';
import { toRowObject } from '../../engine/rows.js';
import type { CheckArg, CheckBatch, CheckOp, PlanSummary } from '../check-ipc.js';
import { MAX_FLOW_FAILURE_CHARS, MAX_PRINTED_CHARS, MAX_PRINTED_NOTE_CHARS } from '../check-limits.js';
import { SandboxError } from '../sandbox-error.js';
import { toJson, type EngineBinding } from './engine-core.js';

/**
 * The check world's Kafka on the check's clock, with the load op's topics. A lesson whose Kafka requires
 * SASL gets a cluster that does too: the learner's clients authenticate as a broker checks them.
 */
export function checkCluster(op: Extract<CheckOp, { op: 'load' }>, clock: ManualClock): InMemoryKafkaCluster {
  const cluster = new InMemoryKafkaCluster({ clock, ...(op.sasl ? { security: saslListener(op.sasl.mechanisms, op.sasl.users) } : {}) });
  for (const [topic, partitions] of Object.entries(op.topics)) cluster.createTopic(topic, partitions);
  return cluster;
}

/** The world of one check process (or worker). */
export interface CheckWorld {
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
  /** Everything printed since the harness last read it (kept with {@link printInto}). */
  printed: string[];
  /** Queries armed to crash mid-batch, by handle: resolves with the query their checkpoint restarted. */
  crashes: Map<number, Promise<StreamingQuery>>;
}

/** The operations answered from a loaded world. */
export type WorldOp = Exclude<CheckOp, { op: 'load' | 'awaits' | 'export' }>;

let nextHandle = 1;

/** The event loop's next turn: `setImmediate` in Node, a zero timeout in a browser's worker. */
const nextTurn: (fn: () => void) => void = typeof setImmediate === 'function' ? (fn) => setImmediate(fn) : (fn) => setTimeout(fn, 0);

/** Bytes as base64, without Node's Buffer. */
function base64Of(b: Uint8Array): string {
  let text = '';
  for (let i = 0; i < b.length; i += 0x8000) text += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return btoa(text);
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

export async function runCheckOp(w: CheckWorld, op: WorldOp): Promise<unknown> {
  switch (op.op) {
    case 'call':
      return call(w, op.fn, op.args, op.returns);
    case 'startStream': {
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
      const df = handle(w, op.df, 'DataFrame', isDataFrame);
      if (df.isStreaming) throw new SandboxError('not-static', 'This DataFrame is a streaming one: the check reads the rows of a static DataFrame (spark.read).');
      // The engine's own method on the frozen class, never one the learner's object could bring.
      const rows = DataFrame.prototype.collectInternal.call(df);
      return { columns: df.schema.fieldNames(), rows: rows.map((r) => toJson(toRowObject(r, df.schema)) as Record<string, unknown>) };
    }
    case 'produce': {
      // One synchronous loop: no batch can start between these records.
      for (const r of op.records) w.cluster.produce(op.topic, r.value, { key: r.key, ...(r.partition !== undefined ? { partition: r.partition } : {}) });
      return { count: op.records.length };
    }
    case 'records': {
      const decoder = new TextDecoder();
      const text = (b: Uint8Array | null) => (b === null ? null : decoder.decode(b));
      const base64 = (b: Uint8Array | null) => (b === null ? null : base64Of(b));
      return w.cluster.records(op.topic).map((r) => ({ partition: r.partition, offset: r.offset, key: text(r.key), value: text(r.value), valueBase64: base64(r.value), timestamp: r.timestamp }));
    }
    case 'clock': {
      if (op.setMs !== undefined) w.clock.setTime(op.setMs);
      if (op.advanceMs !== undefined) w.clock.advance(op.advanceMs);
      // Let batches that became due run before answering.
      await new Promise<void>((r) => nextTurn(r));
      await w.binding.settle();
      for (const q of w.trusted.streams.active) await q.awaitIdle();
      return { nowMs: w.clock.now() };
    }
    case 'process': {
      const q = handle(w, op.query, 'query', isQuery);
      const before = q.lastProgress?.batchId ?? -1;
      await StreamingQuery.prototype.processAllAvailable.call(q);
      return { batches: (q.lastProgress?.batchId ?? -1) - before };
    }
    case 'context': {
      const Ctx = w.binding.api.StreamingContext as new (sc: unknown, seconds: number, options: StreamingContextOptions) => StreamingContext;
      return { handle: keep(w, new Ctx(w.binding.session.sparkContext, op.batchSeconds, { readInputsEveryBatch: op.readInputsEveryBatch === true })) };
    }
    case 'startContext': {
      handle(w, op.context, 'StreamingContext', isContext).start();
      return {};
    }
    case 'awaitBatch': {
      await handle(w, op.context, 'StreamingContext', isContext).awaitBatchCompleted(op.timeMs);
      return {};
    }
    case 'output': {
      const text = w.printed.join('');
      const dropped = printedChars.get(w.printed)?.dropped ?? 0;
      w.printed.length = 0;
      printedChars.delete(w.printed);
      if (dropped === 0) return { text };
      const note = `\n… (${dropped} more characters were printed: a check reads at most ${MAX_PRINTED_CHARS - MAX_PRINTED_NOTE_CHARS} at a time)\n`;
      return { text: text + note.slice(0, MAX_PRINTED_NOTE_CHARS) };
    }
    case 'batches': {
      const sink = w.sinks.get(op.query);
      if (!sink) throw new Error(`No harness query with handle ${op.query}.`);
      return { columns: sink.columns, batches: sink.batches };
    }
    case 'plan': {
      const v = w.handles.get(op.handle);
      const plan = isDataFrame(v) ? v.plan : isQuery(v) ? queryPlan(v) : null;
      if (!plan) throw new Error(`No DataFrame or query with handle ${op.handle}.`);
      return summarise(plan, w);
    }
    case 'stop': {
      await StreamingQuery.prototype.stop.call(handle(w, op.query, 'query', isQuery));
      return {};
    }
    case 'crash': {
      const q = handle(w, op.query, 'query', isQuery);
      const report = StreamingQuery.prototype.crashAfterNextSinkWrite.call(q);
      report.catch(() => undefined);
      w.crashes.set(op.query, report.then((r) => r.restarted));
      return {};
    }
    case 'restarted': {
      const restarted = w.crashes.get(op.query);
      if (!restarted) throw new Error(`No query armed to crash with handle ${op.query}.`);
      return { handle: keep(w, await restarted) };
    }
    case 'actorSystem': {
      return { handle: keep(w, ActorSystem.create(op.name, { clock: w.clock })) };
    }
    case 'drain': {
      const control = w.handles.get(op.control);
      if (!isDrainingControl(control)) throw new Error(`No DrainingControl with handle ${op.control}.`);
      await drainControl(control);
      return {};
    }
    case 'flowFailure': {
      const control = w.handles.get(op.control);
      if (!isDrainingControl(control)) throw new Error(`No DrainingControl with handle ${op.control}.`);
      const failed = controlFailure(control);
      return { error: failed === undefined ? null : failureText(failed.error) };
    }
    case 'meter': {
      return { handle: keep(w, LatencyMeter.start(w.binding.session)) };
    }
    case 'latency': {
      const summary = handle(w, op.meter, 'LatencyMeter', isMeter).summary();
      const n = (x: number | null) => (x === null || !Number.isFinite(x) ? null : x);
      return Object.fromEntries(Object.entries(summary).map(([name, p]) => [name, {
        kind: p.kind, ...(p.trigger ? { trigger: p.trigger } : {}), startupMs: n(p.startupMs), count: p.count,
        p50: n(p.p50), p95: n(p.p95), p99: n(p.p99), max: n(p.max), histogram: [...p.histogram],
      }]));
    }
  }
}

/** Characters kept and dropped since the last `output` read, per world's `printed` (see {@link printInto}). */
const printedChars = new WeakMap<string[], { kept: number; dropped: number }>();

/**
 * Keeps `text` the learner's code printed for the harness's next `output` read, up to what one read
 * holds; the rest is only counted, and the read says how much was dropped.
 */
export function printInto(printed: string[], text: string): void {
  const chars = printedChars.get(printed) ?? { kept: 0, dropped: 0 };
  printedChars.set(printed, chars);
  const room = MAX_PRINTED_CHARS - MAX_PRINTED_NOTE_CHARS - chars.kept;
  const kept = Math.min(room, text.length);
  if (kept > 0) printed.push(kept === text.length ? text : text.slice(0, kept));
  chars.kept += kept;
  chars.dropped += text.length - kept;
}

/**
 * An error's message as one line of text, whatever was thrown. The value is the learner's: its
 * `message` may be no string at all (an object whose own `split` answers anything), and its getters,
 * `toString` and `Symbol.toPrimitive` may throw. `String()` always gives a primitive string (or throws),
 * and a primitive's methods are the frozen built-ins, so what is sent is one line of at most
 * MAX_FLOW_FAILURE_CHARS characters.
 */
function failureText(e: unknown): string {
  try {
    const message: unknown = e instanceof Error ? e.message : e;
    const text = typeof message === 'string' ? message : String(message);
    return text.split('\n')[0]!.slice(0, MAX_FLOW_FAILURE_CHARS);
  } catch {
    return 'an error that cannot be shown';
  }
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
      facts.exprs = plan.exprs.map(exprStructure);
      children = [plan.child];
      break;
    case 'Filter':
      facts.condition = exprStructure(plan.condition);
      children = [plan.child];
      break;
    case 'EventTimeWatermark':
      facts.column = plan.column;
      facts.delayMs = plan.delayMs;
      children = [plan.child];
      break;
    case 'Aggregate':
      facts.groupBy = plan.groupBy.map(exprStructure);
      facts.aggregates = plan.aggregates.map(exprStructure);
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

