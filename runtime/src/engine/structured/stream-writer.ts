/**
 * `df.writeStream`: sink, output mode, trigger and options, then `start()`. Analysis errors (Spark's
 * UnsupportedOperationChecker and the sink's schema checks) are thrown by `start()` itself.
 */
import { checkStreamingPlan } from '../plans/analysis.js';
import { InMemoryCheckpointStore } from '../state/checkpoint-store.js';
import { AnalysisException, IllegalArgumentException, ValueError } from '../errors.js';
import { dataSourceNotFound } from '../formats.js';
import type { OutputMode } from '../physical/operator.js';
import { planPhysical } from '../plans/planner.js';
import type { RowObject } from '../rows.js';
import type { SinkContext } from '../sinks/sink.js';
import type { ForeachWriter } from '../sinks/session-sinks.js';
import { triggerIntervalMillis } from '../time.js';
import { DataFrame } from './dataframe.js';
import { FormatOptions } from './format-options.js';
import { StreamingQuery, type Trigger } from './streaming-query.js';

/** What `trigger(...)` accepts (PySpark keyword arguments as an object). */
export interface TriggerOptions {
  processingTime?: string | number;
  once?: boolean;
  availableNow?: boolean;
  continuous?: string | number;
}

export type { ForeachWriter } from '../sinks/session-sinks.js';

/** PySpark's DataStreamWriter. */
export class DataStreamWriter extends FormatOptions {
  protected fmt: string | null = null;
  private mode: OutputMode = 'append';
  private name: string | undefined;
  private trig: Trigger = { kind: 'default' };
  private batchFn: ((df: DataFrame, batchId: number) => unknown) | null = null;
  private foreachFn: ForeachWriter | ((row: RowObject) => void) | null = null;
  private partitionColumns: string[] = [];

  constructor(private readonly df: DataFrame) {
    super();
  }

  /** `append` (default), `update` or `complete`. */
  outputMode(mode: string): this {
    const m = mode.toLowerCase();
    if (m !== 'append' && m !== 'update' && m !== 'complete') {
      throw new IllegalArgumentException(`Unknown output mode ${mode}. Accepted output modes are 'append', 'complete', 'update'`, { code: 'INVALID_OUTPUT_MODE' });
    }
    this.mode = m;
    return this;
  }

  queryName(name: string): this {
    this.name = name;
    return this;
  }

  partitionBy(...cols: string[]): this {
    this.partitionColumns = cols;
    return this;
  }

  /** `trigger({processingTime: "2 seconds"})`, `trigger({once: true})`, `trigger({availableNow: true})`. */
  trigger(t: TriggerOptions = {}): this {
    const given = Object.entries(t).filter(([, v]) => v !== undefined && v !== false);
    if (given.length > 1) throw new ValueError('Only one trigger can be set.');
    if (t.processingTime !== undefined) {
      const ms = triggerIntervalMillis(t.processingTime);
      this.trig = ms === 0 ? { kind: 'default' } : { kind: 'processingTime', intervalMs: ms };
    } else if (t.once) this.trig = { kind: 'once' };
    else if (t.availableNow) this.trig = { kind: 'availableNow' };
    else if (t.continuous !== undefined) this.trig = { kind: 'continuous', intervalMs: triggerIntervalMillis(t.continuous) };
    else throw new ValueError('No trigger provided');
    return this;
  }

  /** Calls `fn(batchDf, batchId)` for every micro-batch (may return a Promise). */
  foreachBatch(fn: (df: DataFrame, batchId: number) => unknown): this {
    if (typeof fn !== 'function') throw new IllegalArgumentException('foreachBatch function cannot be null', { code: 'INVALID_FOREACH_BATCH' });
    this.batchFn = fn;
    this.fmt = 'foreachBatch';
    return this;
  }

  /** Calls a function (or a ForeachWriter) for every output row. */
  foreach(f: ForeachWriter | ((row: RowObject) => void)): this {
    this.foreachFn = f;
    this.fmt = 'foreach';
    return this;
  }

  /** Starts the query; analysis errors are thrown here, synchronously. */
  start(path?: string): StreamingQuery {
    const session = this.df.sparkSession;
    const plan = this.df.plan;
    if (this.trig.kind === 'continuous') {
      if (this.fmt === 'foreachBatch') throw new AnalysisException("'foreachBatch' is not supported with continuous trigger", { code: 'FOREACH_BATCH_CONTINUOUS' });
      throw new AnalysisException('Continuous processing is not supported by Streamlab; use a processingTime trigger.', { code: 'CONTINUOUS_NOT_SUPPORTED' });
    }
    const physical = planPhysical(plan, { batchTimestampMs: 0, timeZone: session.timeZone });
    checkStreamingPlan(plan, physical, this.mode, session.conf.getAll());
    const options: Record<string, string> = path === undefined ? { ...this.opts } : { ...this.opts, path };
    const fmt = this.fmt ?? 'parquet';
    const provider = session.formats.sink(fmt);
    if (!provider) throw dataSourceNotFound(fmt);
    const sinkCtx: SinkContext = {
      options, schema: physical.root.schema, outputMode: this.mode, queryName: this.name, session,
      callback: fmt.toLowerCase() === 'foreachbatch' ? this.batchFn : this.foreachFn, partitionColumns: this.partitionColumns,
    };
    if (provider.supportedModes && !provider.supportedModes.includes(this.mode)) {
      throw new AnalysisException(`Data source ${this.fmt} does not support ${this.mode[0].toUpperCase()}${this.mode.slice(1)} output mode.`, { code: 'UNSUPPORTED_OUTPUT_MODE' });
    }
    provider.validate?.(sinkCtx);
    if (this.name && session.streams.active.some((q) => q.name === this.name)) {
      throw new IllegalArgumentException(`Cannot start query with name ${this.name} as a query with that name is already active in this SparkSession`, { code: 'DUPLICATE_QUERY_NAME' });
    }
    const location = options.checkpointLocation ?? session.conf.get('spark.sql.streaming.checkpointLocation');
    if (provider.requiresCheckpointLocation && !location) {
      throw new AnalysisException('checkpointLocation must be specified either through option("checkpointLocation", ...) or SparkSession.conf.set("spark.sql.streaming.checkpointLocation", ...).', { code: 'CHECKPOINT_LOCATION_REQUIRED' });
    }
    provider.prepare?.(sinkCtx);
    const checkpoint = location ? session.checkpointStore(location) : new InMemoryCheckpointStore();
    const query = new StreamingQuery({
      session,
      plan,
      outputMode: this.mode,
      trigger: this.trig,
      name: this.name ?? null,
      checkpoint,
      sinkFactory: (queryId) => provider.createSink({ ...sinkCtx, queryId }),
      sinkDescription: provider.description ?? fmt,
    });
    session.streams.register(query);
    query.begin();
    return query;
  }
}
