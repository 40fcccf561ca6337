/**
 * `SparkSession`: the entry point. `SparkSession.builder.appName("x").getOrCreate()` as in PySpark;
 * Streamlab extensions on the builder inject what a pure engine cannot reach itself: the processing
 * clock (`clock`), where printed text goes (`output`), how `checkpointLocation` is stored
 * (`checkpointResolver`) and the `format(...)` names it knows (`formats`).
 */
import { ManualClock, type Clock } from '../clock.js';
import { InMemoryCheckpointStore, type CheckpointResolver, type CheckpointStore } from '../state/checkpoint-store.js';
import { AnalysisException, IllegalArgumentException } from '../errors.js';
import { node, transformExpr, type Expr } from '../expressions/expr.js';
import { FormatRegistry } from '../formats.js';
import { planNode } from '../plans/plan.js';
import { bytesOf, toInternalRow } from '../rows.js';
import type { OutputFn } from '../sinks/console-sink.js';
import { MemorySink } from '../sinks/memory-sink.js';
import type { SinkBatch, SinkSession } from '../sinks/sink.js';
import { BOOLEAN, BINARY, DOUBLE, LONG, STRING, StructField, StructType, TIMESTAMP, parseDataType, toSchema, type DataType } from '../types.js';
import { SparkContext } from '../dstream/spark-context.js';
import { SESSION_TIME_ZONE, sessionZoneOf, setActiveSessionZone, UTC_ZONE, withEvalScope, type Zone } from '../time-zone.js';
import { DataFrame } from './dataframe.js';
import { DataStreamReader } from './stream-reader.js';
import { DataFrameReader } from './reader.js';
import { runSql } from './sql.js';
import { StreamingQueryManager } from './streaming-query-manager.js';

/** PySpark's `spark.conf`. */
export class RuntimeConfig {
  constructor(private readonly values: Map<string, string>) {}
  get(key: string, defaultValue?: string): string | undefined {
    return this.values.get(key) ?? defaultValue;
  }
  set(key: string, value: string | number | boolean): void {
    // Spark checks the session time zone when it is set.
    if (key === SESSION_TIME_ZONE) sessionZoneOf(String(value));
    this.values.set(key, String(value));
  }
  unset(key: string): void {
    this.values.delete(key);
  }
  /** All settings as a plain object. */
  getAll(): Record<string, string> {
    return Object.fromEntries(this.values);
  }
}

/** A temporary view as `spark.catalog.listTables()` lists it (PySpark's `Table`). */
export interface Table {
  readonly name: string;
  readonly catalog: null;
  readonly namespace: readonly string[];
  readonly description: null;
  readonly tableType: 'TEMPORARY';
  readonly isTemporary: true;
}

/** PySpark's `spark.catalog`, over the session's temporary views. */
export class Catalog {
  constructor(private readonly views: Map<string, { name: string; df: DataFrame }>) {}
  /** The temporary views, by name. */
  listTables(): Table[] {
    return [...this.views.values()]
      .map((v) => ({ name: v.name, catalog: null, namespace: [], description: null, tableType: 'TEMPORARY' as const, isTemporary: true as const }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
  /** Whether a temporary view of that name exists. */
  tableExists(name: string): boolean {
    return this.views.has(name.toLowerCase());
  }
  /** Drops a temporary view; true when there was one. */
  dropTempView(name: string): boolean {
    return this.views.delete(name.toLowerCase());
  }
  /** Spark's current database (temporary views live outside it). */
  currentDatabase(): string {
    return 'default';
  }
}

/** A function registered for SQL text with `spark.udf.register`. */
export interface RegisteredUdf {
  readonly name: string;
  readonly fn: (...args: unknown[]) => unknown;
  readonly returnType: DataType;
}

/** PySpark's `spark.udf`: functions SQL text (`spark.sql`, `selectExpr`, `filter`/`where` and `orderBy` strings) may call by name. */
export class UDFRegistration {
  private readonly fns = new Map<string, RegisteredUdf>();
  /** Registers `f` under `name` with its return type (a DataType or DDL string, `string` by default); returns `f`. */
  register<F extends (...args: any[]) => unknown>(name: string, f: F, returnType: DataType | string = 'string'): F {
    const rt = typeof returnType === 'string' ? parseDataType(returnType) : returnType;
    this.fns.set(name.toLowerCase(), { name, fn: f as (...args: unknown[]) => unknown, returnType: rt });
    return f;
  }
  /** @internal The function registered under `name`, if any. */
  lookup(name: string): RegisteredUdf | undefined {
    return this.fns.get(name.toLowerCase());
  }
  /** @internal SQL text's calls of registered functions made calls of those functions. */
  resolve(e: Expr): Expr {
    if (this.fns.size === 0) return e;
    return transformExpr(e, (x) => {
      const u = x.kind === 'call' ? this.lookup(x.name) : undefined;
      return u && x.kind === 'call' ? node({ kind: 'udf', name: u.name, fn: u.fn, returnType: u.returnType, args: x.args }) : x;
    });
  }
}

/** Builder returned by `SparkSession.builder`. */
export class SparkSessionBuilder {
  private readonly confs = new Map<string, string>();
  private clockValue: Clock | undefined;
  private outputFn: OutputFn | undefined;
  private resolver: CheckpointResolver | undefined;
  private formatRegistry: FormatRegistry | undefined;

  appName(name: string): this {
    this.confs.set('spark.app.name', name);
    return this;
  }
  master(master: string): this {
    this.confs.set('spark.master', master);
    return this;
  }
  /** `config(key, value)` or `config({key: value, ...})`. */
  config(key: string | Record<string, string | number | boolean>, value?: string | number | boolean): this {
    if (typeof key === 'string') this.confs.set(key, String(value));
    else for (const [k, v] of Object.entries(key)) this.confs.set(k, String(v));
    return this;
  }
  enableHiveSupport(): this {
    return this;
  }
  /** Streamlab: the processing-time clock queries run on (default: a ManualClock at 0). */
  clock(clock: Clock): this {
    this.clockValue = clock;
    return this;
  }
  /** Streamlab: where `show()`, `printSchema()` and the console sink write their text. */
  output(fn: OutputFn): this {
    this.outputFn = fn;
    return this;
  }
  /** Streamlab: maps `checkpointLocation` paths to checkpoint stores (the runtime passes a file store). */
  checkpointResolver(resolver: CheckpointResolver): this {
    this.resolver = resolver;
    return this;
  }
  /** Streamlab: the `format(...)` names the session knows (default: the built-ins needing no I/O: `rate`; `noop`, `console`, `memory`, `foreach`, `foreachBatch`). */
  formats(formats: FormatRegistry): this {
    this.formatRegistry = formats;
    return this;
  }

  /** Returns the active session (applying these confs to it) or creates one. */
  getOrCreate(): SparkSession {
    const active = SparkSession.getActiveSession();
    if (active) {
      for (const [k, v] of this.confs) active.conf.set(k, v);
      return active;
    }
    return this.create();
  }

  /** Always creates a new session and makes it the active one. */
  create(): SparkSession {
    const s = new SparkSession(new Map(this.confs), this.clockValue ?? new ManualClock(0), this.outputFn, this.resolver, this.formatRegistry);
    SparkSession.setActive(s);
    return s;
  }
}

let activeSession: SparkSession | null = null;
setActiveSessionZone(() => activeSession?.timeZone ?? UTC_ZONE);

/** The entry point to the DataFrame and streaming APIs. */
export class SparkSession implements SinkSession {
  /** PySpark `SparkSession.builder`. */
  static get builder(): SparkSessionBuilder {
    return new SparkSessionBuilder();
  }

  /** The session `getOrCreate()` would return, if any. */
  static getActiveSession(): SparkSession | null {
    return activeSession;
  }

  /** @internal */
  static setActive(s: SparkSession | null): void {
    activeSession = s;
  }

  readonly conf: RuntimeConfig;
  readonly clock: Clock;
  readonly streams: StreamingQueryManager;
  /** Streamlab: the `format(...)` names this session's readers and writers find. */
  readonly formats: FormatRegistry;
  private outputFn: OutputFn;
  private readonly resolver: CheckpointResolver;
  private readonly checkpoints = new Map<string, CheckpointStore>();
  private readonly views = new Map<string, { name: string; df: DataFrame }>();
  /** PySpark's `spark.catalog`: the temporary views. */
  readonly catalog: Catalog = new Catalog(this.views);
  /** PySpark's `spark.udf`: functions registered for SQL text. */
  readonly udf: UDFRegistration = new UDFRegistration();
  /** Memory sinks by query name (`spark.table(name)`). */
  readonly memorySinks = new Map<string, MemorySink>();
  private sourceIds = 0;
  private context: SparkContext | null = null;

  constructor(confs: Map<string, string>, clock: Clock, output?: OutputFn, resolver?: CheckpointResolver, formats?: FormatRegistry) {
    this.conf = new RuntimeConfig(confs);
    this.clock = clock;
    this.formats = formats ?? FormatRegistry.withBuiltIns();
    this.streams = new StreamingQueryManager();
    this.outputFn = output ?? defaultOutput;
    this.resolver = resolver ?? ((location) => {
      let s = this.checkpoints.get(location);
      if (!s) this.checkpoints.set(location, (s = new InMemoryCheckpointStore()));
      return s;
    });
  }

  /** The session time zone (`spark.sql.session.timeZone`, UTC when unset). */
  get timeZone(): Zone {
    return sessionZoneOf(this.conf.get(SESSION_TIME_ZONE));
  }

  /** The SparkContext of the DStream API (PySpark `spark.sparkContext`). */
  get sparkContext(): SparkContext {
    if (!this.context) this.context = new SparkContext({ appName: this.conf.get('spark.app.name') ?? 'streamlab', master: this.conf.get('spark.master') ?? 'local[*]', conf: this.conf });
    return this.context;
  }

  /** Reader for streaming sources. */
  get readStream(): DataStreamReader {
    return new DataStreamReader(this);
  }

  /** Reader for static DataFrames. */
  get read(): DataFrameReader {
    return new DataFrameReader(this);
  }

  /** Application name. */
  get appName(): string {
    return this.conf.get('spark.app.name') ?? 'streamlab';
  }

  /** Writes text through the injected output function. */
  output(text: string): void {
    this.outputFn(text);
  }

  /** Replaces the output function (e.g. to capture console sink text). */
  setOutput(fn: OutputFn): void {
    this.outputFn = fn;
  }

  /** The current output function (sinks look it up per batch). */
  get outputFunction(): OutputFn {
    return this.outputFn;
  }

  /** The checkpoint store for a `checkpointLocation`. */
  checkpointStore(location: string): CheckpointStore {
    return this.resolver(location);
  }

  /** @internal A new id for a streaming relation. */
  nextSourceId(): number {
    return this.sourceIds++;
  }

  /**
   * A static DataFrame from rows (arrays, objects or scalars) and a schema (StructType, DDL string or
   * column names). Without types they are inferred from the first row, as PySpark does.
   */
  createDataFrame(data: readonly unknown[], schema?: StructType | string | string[]): DataFrame {
    let st: StructType;
    if (schema === undefined || Array.isArray(schema)) st = inferSchema(data, schema);
    else st = toSchema(schema);
    const rows = data.map((r) => toInternalRow(r, st));
    return new DataFrame(this, planNode({ kind: 'LocalRelation', rows, schema: st }));
  }

  /**
   * A DataFrame from a SQL query over the temporary views (`createOrReplaceTempView`), built into the
   * same plan as the DataFrame API's: over a streaming view it is a streaming DataFrame.
   * `CREATE [OR REPLACE] TEMP VIEW name AS query` registers the query and gives an empty DataFrame.
   */
  sql(sqlQuery: string): DataFrame {
    const views = { lookup: (name: string) => this.viewOrTable(name), exists: (name: string) => this.views.has(name.toLowerCase()), register: (name: string, df: DataFrame) => this.registerView(name, df) };
    return withEvalScope(this.timeZone, null, () => runSql(this, sqlQuery, views));
  }

  /** `range(end)` or `range(start, end, step=1)`: a column `id` of longs from start (inclusive) to end (exclusive). */
  range(start: number, end?: number, step = 1): DataFrame {
    const [from, to] = end === undefined ? [0, start] : [start, end];
    if (step === 0) throw new IllegalArgumentException('requirement failed: step (0) cannot be 0', { code: 'INVALID_STEP' });
    const rows: unknown[][] = [];
    for (let v = from; step > 0 ? v < to : v > to; v += step) rows.push([v]);
    return new DataFrame(this, planNode({ kind: 'LocalRelation', rows, schema: new StructType([new StructField('id', LONG, false)]) }));
  }

  private viewOrTable(name: string): DataFrame | undefined {
    const view = this.views.get(name.toLowerCase());
    if (view) return view.df;
    const sink = this.memorySinks.get(name);
    return sink?.schema ? new DataFrame(this, planNode({ kind: 'LocalRelation', rows: sink.allRows(), schema: sink.schema })) : undefined;
  }

  /** A memory-sink table (by query name) or a temp view. */
  table(name: string): DataFrame {
    const view = this.views.get(name.toLowerCase());
    if (view) return view.df;
    const sink = this.memorySinks.get(name);
    if (!sink || !sink.schema) throw new AnalysisException(`[TABLE_OR_VIEW_NOT_FOUND] The table or view \`${name}\` cannot be found.`, { code: 'TABLE_OR_VIEW_NOT_FOUND' });
    return new DataFrame(this, planNode({ kind: 'LocalRelation', rows: sink.allRows(), schema: sink.schema }));
  }

  /** The memory sink's table named `name`, made empty with `schema` if new (SinkSession). */
  memoryTable(name: string, schema: StructType): MemorySink {
    const sink = this.memorySinks.get(name) ?? new MemorySink();
    sink.schema ??= schema;
    this.memorySinks.set(name, sink);
    return sink;
  }

  /** A static DataFrame over one batch's rows, as `foreachBatch` passes it (SinkSession). */
  batchFrame(batch: SinkBatch): DataFrame {
    return new DataFrame(this, planNode({ kind: 'LocalRelation', rows: batch.rows, schema: batch.schema }));
  }

  /** @internal */
  registerView(name: string, df: DataFrame): void {
    this.views.set(name.toLowerCase(), { name, df });
  }

  /** Stops every active query and forgets this session. */
  async stop(): Promise<void> {
    for (const q of this.streams.active) await q.stop();
    if (activeSession === this) activeSession = null;
  }
}

function defaultOutput(text: string): void {
  // The default keeps the engine free of process I/O; runners inject a real writer.
  globalThis.console?.log(text.endsWith('\n') ? text.slice(0, -1) : text);
}

function inferType(v: unknown): DataType {
  if (typeof v === 'number') return Number.isInteger(v) ? LONG : DOUBLE;
  if (typeof v === 'boolean') return BOOLEAN;
  if (v instanceof Date) return TIMESTAMP;
  if (bytesOf(v)) return BINARY;
  return STRING;
}

function inferSchema(data: readonly unknown[], names?: string[]): StructType {
  const first = data.find((r) => r !== null && r !== undefined);
  if (Array.isArray(first)) {
    return new StructType(first.map((_, i) => {
      const sample = data.map((r) => (r as unknown[])[i]).find((v) => v !== null && v !== undefined);
      return new StructField(names?.[i] ?? `_${i + 1}`, inferType(sample));
    }));
  }
  if (first && typeof first === 'object') {
    const keys = names ?? Object.keys(first);
    return new StructType(keys.map((k) => new StructField(k, inferType(data.map((r) => (r as Record<string, unknown>)[k]).find((v) => v !== null && v !== undefined)))));
  }
  return new StructType([new StructField(names?.[0] ?? 'value', inferType(first))]);
}
