/**
 * Runs a learner's program far enough to see what it would start, without starting anything:
 * `writeStream...start()` and `StreamingContext.start()` are intercepted while the program runs and
 * recorded as data (plan, sink, output mode, trigger, options; the DStream program), and an inert
 * query object is handed back so `awaitTermination()` and friends return at once.
 */
import { kafkaSourceProvider } from '../connectors/kafka/kafka-formats.js';
import { postgresSinkExport } from '../connectors/postgres/postgres-export.js';
import { ManualClock } from '../engine/clock.js';
import { AnalysisException } from '../engine/errors.js';
import type { FormatRegistry } from '../engine/formats.js';
import { registerFileFormats } from '../engine/files/index.js';
import { socketSourceProvider } from '../engine/sources/socket-source.js';
import { ActorSystem } from '../engine/flow/actor-system.js';
import { SlickSession } from '../engine/flow/slick/slick.js';
import type { Sink, SinkProvider } from '../engine/sinks/sink.js';
import { kafkaBatchSchema } from '../engine/kafka/kafka-batch-source.js';
import type { DStreamPlan } from '../engine/dstream/dstream-plan.js';
import { StreamingContext } from '../engine/dstream/streaming-context.js';
import type { LogicalPlan } from '../engine/plans/plan.js';
import { DataFrame } from '../engine/structured/dataframe.js';
import { SparkSession } from '../engine/structured/session.js';
import { DataStreamWriter } from '../engine/structured/stream-writer.js';
import { DataFrameWriter } from '../engine/structured/writer.js';
import type { Trigger } from '../engine/structured/streaming-query.js';
import * as streamlab from '../streamlab.js';

/** One `writeStream...start()` the program made. */
export interface QuerySpec {
  plan: LogicalPlan;
  /** Sink format as written (`console`, `kafka`, `memory`, `postgres`, `jdbc`, `foreachBatch`, `foreach`, ...). */
  format: string;
  outputMode: 'append' | 'update' | 'complete';
  options: Record<string, string>;
  queryName?: string;
  trigger: Trigger;
  /** `start(path)`'s path, if given. */
  path?: string;
  /** The `foreachBatch` function, or the `foreach` writer. */
  batchFunction?: (...args: never[]) => unknown;
  foreachWriter?: unknown;
  /**
   * When the `foreachBatch` function does nothing but write the batch with Spark's JDBC writer
   * (`batch.write.jdbc(url, table, mode, properties)` or `format("jdbc")…save()`), that write.
   */
  jdbcWrite?: JdbcWrite;
  /** How the sink's provider writes itself in PySpark when PySpark has no `format(name)` for it. */
  sinkExport?: SinkProvider['pyspark'];
}

/** One JDBC write of a whole micro-batch. */
export interface JdbcWrite {
  url: string;
  table: string;
  mode: string;
  /** `user`, `password`, `driver`, … as the code gave them. */
  properties: Record<string, string>;
}

/** One static `df.write…save()` (or `write.jdbc(…)`) the program made, in the order it made them: a batch layer. */
export interface StaticWrite {
  plan: LogicalPlan;
  format: string;
  /** Save mode: `append`, `overwrite`, `ignore`, `errorifexists`. */
  mode: string;
  /** Options as the code gave them (for JDBC: `url`, `dbtable`, the properties, `truncate`, …). */
  options: Record<string, string>;
  path?: string;
}

/** A DataFrame-returning function the program exports, called with the session. */
export interface NamedPipeline {
  name: string;
  plan: LogicalPlan;
}

/** What a program would run. */
export interface CapturedProgram {
  appName: string;
  queries: QuerySpec[];
  /** Static writes the program made before or beside its queries (a lambda architecture's batch layer). */
  writes: StaticWrite[];
  dstreams: DStreamPlan[];
  /** Exported `f(spark)` functions returning a streaming DataFrame, by their learner names. */
  pipelines: NamedPipeline[];
  /** Flows (Pekko Streams) the program would run: they are not part of a Spark export. */
  flows: number;
}

interface StaticWriterInternals {
  df: DataFrame;
  fmt: string;
  saveMode: string;
  opts: Record<string, string>;
}

interface WriterInternals {
  df: DataFrame;
  fmt: string | null;
  mode: QuerySpec['outputMode'];
  opts: Record<string, string>;
  name: string | undefined;
  trig: Trigger;
  batchFn: QuerySpec['batchFunction'] | null;
  foreachFn: unknown;
}

/** An object every method of which does nothing (and can be awaited). */
function inertQuery(name: string | undefined): unknown {
  const target = { name: name ?? null, id: 'exported', runId: 'exported', isActive: false };
  return new Proxy(target, {
    get(t, key) {
      if (key in t) return t[key as keyof typeof t];
      if (key === 'then') return undefined;
      return () => Promise.resolve(true);
    },
  });
}

/**
 * Records the queries and DStream programs `run` starts (and the contexts, built but not started).
 * The interception is in place only while `run` (and the promise it returns) is pending.
 */
export async function captureStarts(run: () => unknown): Promise<{ queries: QuerySpec[]; writes: StaticWrite[]; dstreams: DStreamPlan[]; contexts: StreamingContext[]; flows: number }> {
  const queries: QuerySpec[] = [];
  const writes: StaticWrite[] = [];
  // A static write is recorded, not made: the export writes it in Python, and the tables are the cluster's.
  const staticProto = DataFrameWriter.prototype as unknown as { save: (path?: string) => Promise<void> };
  const savedSave = staticProto.save;
  staticProto.save = function save(this: StaticWriterInternals, path?: string) {
    writes.push({ plan: this.df.plan, format: this.fmt, mode: this.saveMode, options: { ...this.opts }, ...(path === undefined ? {} : { path }) });
    return Promise.resolve();
  };
  let flows = 0;
  const systemProto = ActorSystem.prototype as unknown as { materialize: (module: unknown) => unknown };
  const savedMaterialize = systemProto.materialize;
  // A flow is not Spark: it does not run, and its materialized value (a Control, a promise) is inert.
  systemProto.materialize = () => {
    flows++;
    return inertQuery(undefined);
  };
  // Nor does a flow's database: statements (a CREATE TABLE before the flow starts) succeed and do nothing.
  const slickProto = SlickSession.prototype as unknown as { run: (action: unknown) => Promise<unknown> };
  const savedSlickRun = slickProto.run;
  slickProto.run = () => Promise.resolve(undefined);
  const dstreams: DStreamPlan[] = [];
  const contexts: StreamingContext[] = [];
  const writerProto = DataStreamWriter.prototype as unknown as { start: (path?: string) => unknown };
  const sscProto = StreamingContext.prototype as unknown as { start: () => void; awaitTermination: (t?: number) => Promise<void>; awaitTerminationOrTimeout: (t: number) => Promise<boolean> };
  const saved = { start: writerProto.start, sscStart: sscProto.start, sscAwait: sscProto.awaitTermination, sscAwaitOr: sscProto.awaitTerminationOrTimeout };
  writerProto.start = function start(this: WriterInternals, path?: string) {
    queries.push({
      plan: this.df.plan,
      format: this.fmt ?? 'parquet',
      outputMode: this.mode,
      options: { ...this.opts },
      queryName: this.name,
      trigger: this.trig,
      path,
      batchFunction: this.batchFn ?? undefined,
      foreachWriter: this.foreachFn ?? undefined,
    });
    return inertQuery(this.name);
  };
  sscProto.start = function start(this: StreamingContext) {
    dstreams.push(this.describe());
    contexts.push(this);
  };
  sscProto.awaitTermination = () => Promise.resolve();
  sscProto.awaitTerminationOrTimeout = () => Promise.resolve(true);
  try {
    await run();
    // What main() left running without awaiting (an async startFlow) gets to its start too.
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
  } finally {
    staticProto.save = savedSave;
    systemProto.materialize = savedMaterialize;
    slickProto.run = savedSlickRun;
    writerProto.start = saved.start;
    sscProto.start = saved.sscStart;
    sscProto.awaitTermination = saved.sscAwait;
    sscProto.awaitTerminationOrTimeout = saved.sscAwaitOr;
  }
  return { queries, writes, dstreams, contexts, flows };
}

/**
 * Calls a `foreachBatch` function once with an empty batch of the query's schema and sees what it does:
 * when its only use of the batch is one JDBC write, that write (with the options as the code gave them);
 * otherwise undefined, and the export leaves the function as a stub.
 */
export async function probeJdbcWrite(spark: SparkSession, q: QuerySpec): Promise<JdbcWrite | undefined> {
  const fn = q.batchFunction;
  if (typeof fn !== 'function') return undefined;
  // One write in the text, and the same single write whatever the batch id: nothing else is done.
  if ((String(fn).match(/\.write\b/g) ?? []).length !== 1) return undefined;
  const first = await probeOnce(spark, q.plan, fn, 0);
  const second = first && (await probeOnce(spark, q.plan, fn, 1));
  return first && second && JSON.stringify(first) === JSON.stringify(second) ? first : undefined;
}

async function probeOnce(spark: SparkSession, plan: LogicalPlan, fn: (...args: never[]) => unknown, batchId: number): Promise<JdbcWrite | undefined> {
  const schema = new DataFrame(spark, plan).schema;
  const batch = spark.createDataFrame([], schema);
  const used = new Set<string>();
  let writing = false;
  const probe = new Proxy(batch, {
    get(target, key, receiver) {
      if (typeof key === 'string' && !writing) used.add(key);
      if (key === 'write') writing = true;
      return Reflect.get(target, key, receiver);
    },
  });
  const writes: JdbcWrite[] = [];
  const previous = spark.formats.sink('jdbc');
  spark.formats.registerSink('jdbc', {
    createSink(ctx): Sink {
      const { url = '', dbtable = '', mode = 'errorifexists', ...properties } = ctx.options as Record<string, string>;
      writes.push({ url, table: dbtable, mode, properties });
      return { addBatch: async () => undefined };
    },
  } as SinkProvider);
  try {
    await (fn as (df: DataFrame, id: number) => unknown)(probe, batchId);
  } catch {
    return undefined;
  } finally {
    if (previous) spark.formats.registerSink('jdbc', previous);
  }
  return writes.length === 1 && [...used].every((k) => k === 'write') ? writes[0] : undefined;
}

/** Clears a timeout or an interval (one and the same in Node; not where timers are replaced). */
function clear(handle: NodeJS.Timeout): void {
  clearTimeout(handle);
  clearInterval(handle);
}

/**
 * The timers a program evaluated in this process schedules, so that they can all be cancelled: a
 * program is run here only to see what it would start, and a `main()` that prints a table every ten
 * seconds must not go on printing it (from queries and flows that never ran) in the process that
 * looked at it.
 */
export class ProgramTimers {
  private readonly pending = new Set<NodeJS.Timeout>();
  private cancelled = false;

  readonly setTimeout = (fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]): NodeJS.Timeout => {
    const handle = setTimeout(() => {
      this.pending.delete(handle);
      fn(...args);
    }, ms);
    return this.track(handle);
  };

  readonly setInterval = (fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]): NodeJS.Timeout =>
    this.track(setInterval(fn, ms, ...args));

  readonly clearTimeout = (handle: NodeJS.Timeout | undefined): void => {
    if (handle === undefined) return;
    this.pending.delete(handle);
    clear(handle);
  };

  readonly clearInterval = (handle: NodeJS.Timeout | undefined): void => this.clearTimeout(handle);

  /** Cancels every timer the program scheduled; later ones are never started. */
  cancelAll(): void {
    this.cancelled = true;
    for (const h of this.pending) clear(h);
    this.pending.clear();
  }

  private track(handle: NodeJS.Timeout): NodeJS.Timeout {
    if (this.cancelled) clear(handle);
    else this.pending.add(handle);
    return handle;
  }
}

/**
 * Evaluates compiled code with `require("streamlab")` bound to this runtime, in this realm: for trusted
 * programs only. Its timers are `timers`' (cancel them when done with the program).
 */
export function evaluateProgram(code: string, timers: ProgramTimers = new ProgramTimers()): Record<string, unknown> {
  const module = { exports: {} as Record<string, unknown> };
  const require = (name: string): unknown => {
    if (name === 'streamlab') return streamlab;
    throw new Error(`Cannot import "${name}" in a Streamlab program`);
  };
  const fn = new Function('require', 'module', 'exports', 'setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', code) as (...a: unknown[]) => void;
  fn(require, module, module.exports, timers.setTimeout, timers.setInterval, timers.clearTimeout, timers.clearInterval);
  return module.exports;
}

/**
 * `load()` asks the format for its schema, so the capturing session must know `format("kafka")` and
 * `format("csv")`, and the export asks a sink's provider how it writes in PySpark, so it knows
 * `format("postgres")` and `format("jdbc")` too; nothing connects and no file is read or written, since no query starts, static
 * reads are only validated and static writes go nowhere.
 */
function registerInertConnectors(formats: FormatRegistry): void {
  const inertSink = { createSink: () => ({ addBatch: async () => undefined }), pyspark: postgresSinkExport } as unknown as SinkProvider;
  formats
    .registerSource('kafka', kafkaSourceProvider(undefined))
    // A static read is checked with Spark's rules but reads nothing: export needs its plan, not its rows.
    .registerBatchSource('kafka', { read: (options, userSchema) => ({ schema: kafkaBatchSchema(options, userSchema).schema, rows: [] }) })
    // CSV files are not read either: the export writes the read with its schema, and the files are the cluster's.
    .registerBatchSource('csv', {
      read: (_options, userSchema) => {
        if (!userSchema) throw new AnalysisException('[UNABLE_TO_INFER_SCHEMA] Unable to infer schema for CSV. It must be specified manually: the export reads no files, so give spark.read.csv a schema.', { code: 'UNABLE_TO_INFER_SCHEMA' });
        return { schema: userSchema, rows: [] };
      },
    })
    // A static write in main() (a batch view into PostgreSQL) does not run when a program is exported;
    // the PostgreSQL sinks are known for how they export (`foreachBatch` with Spark's JDBC writer).
    .registerSink('jdbc', inertSink)
    .registerSink('postgres', inertSink);
  // File sources and sinks over a folder that holds every path and no file: their schemas and options
  // are checked, nothing is read or written.
  registerFileFormats(formats, { list: () => [], exists: () => true, read: () => '', names: () => [], write: (path) => ({ path, modificationTime: 0, size: 0 }) });
  // The socket source of Spark's word count: its options are checked, no connection is made (the server
  // is the cluster's).
  formats.registerSource('socket', socketSourceProvider(async () => ({ close() {} })));
}

/**
 * Runs a compiled program's `main()` (or its top level) against a fresh session on a manual clock
 * and records what it would start, plus the exported `f(spark)` pipelines it defines. `evaluate` runs
 * the module code: the job process's sandbox realm for learner code (see `isolated-export.ts`), or
 * {@link evaluateProgram} for the project's own programs in tests.
 */
export async function captureProgram(code: string, evaluate?: (code: string) => Record<string, unknown>): Promise<CapturedProgram> {
  // A program evaluated here keeps no timer running once it has been looked at.
  const timers = new ProgramTimers();
  const evaluateIt = evaluate ?? ((c: string) => evaluateProgram(c, timers));
  // The program's getOrCreate() must return this session; a running one (the workbench's) is set
  // aside, not stopped, and made active again afterwards.
  const previous = SparkSession.getActiveSession();
  const spark = SparkSession.builder.appName('streamlab-job').clock(new ManualClock(0)).create();
  registerInertConnectors(spark.formats);
  try {
    let exports: Record<string, unknown> = {};
    const started = await captureStarts(async () => {
      exports = evaluateIt(code);
      if (typeof exports.main === 'function') await (exports.main as () => unknown)();
    });
    const pipelines: NamedPipeline[] = [];
    // Calling the other exports may start queries of their own; those are not the program's.
    await captureStarts(async () => {
      for (const [name, value] of Object.entries(exports)) {
        if (name === 'main' || typeof value !== 'function' || value.length !== 1) continue;
        let result: unknown;
        try {
          result = await (value as (s: SparkSession) => unknown)(spark);
        } catch {
          continue;
        }
        if (result instanceof DataFrame && result.isStreaming) pipelines.push({ name, plan: result.plan });
      }
    });
    for (const q of started.queries) {
      if (q.format.toLowerCase() !== 'foreachbatch') continue;
      const write = await probeJdbcWrite(spark, q);
      if (write) q.jdbcWrite = write;
    }
    for (const q of started.queries) {
      const provider = spark.formats.sink(q.format);
      if (provider?.pyspark) q.sinkExport = provider.pyspark.bind(provider);
    }
    return { appName: spark.appName, queries: started.queries, writes: started.writes, dstreams: started.dstreams, pipelines, flows: started.flows };
  } finally {
    timers.cancelAll();
    await spark.stop();
    SparkSession.setActive(previous);
  }
}
