/**
 * `df.writeStream`: sink, output mode, trigger and options, then `start()`. Analysis errors (Spark's
 * UnsupportedOperationChecker and the sink's schema checks) are thrown by `start()` itself.
 */
import { checkStreamingPlan } from '../analysis.js';
import { InMemoryCheckpointStore } from '../checkpoint-store.js';
import { AnalysisException, IllegalArgumentException, ValueError } from '../errors.js';
import { dataSourceNotFound } from '../formats.js';
import type { OutputMode } from '../physical/operator.js';
import { planPhysical } from '../planner.js';
import { toRowObject, type RowObject } from '../rows.js';
import { consoleSinkProvider } from '../sinks/console-sink.js';
import { MemorySink } from '../sinks/memory-sink.js';
import type { Sink, SinkContext, SinkProvider } from '../sinks/sink.js';
import { triggerIntervalMillis } from '../time.js';
import { DataFrame } from './dataframe.js';
import { FormatOptions } from './format-options.js';
import { StreamingQuery, type Trigger } from './streaming-query.js';
import { planNode } from '../plan.js';
import type { StructType } from '../types.js';

/** What `trigger(...)` accepts (PySpark keyword arguments as an object). */
export interface TriggerOptions {
  processingTime?: string | number;
  once?: boolean;
  availableNow?: boolean;
  continuous?: string | number;
}

/** A `foreach` writer object (PySpark's ForeachWriter protocol). */
export interface ForeachWriter {
  open?(partitionId: number, epochId: number): boolean | void;
  process(row: RowObject): void;
  close?(error: unknown): void;
}

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

  private provider(schema: StructType): { provider: SinkProvider; description: string; memory?: MemorySink } {
    const session = this.df.sparkSession;
    const fmt = this.fmt ?? 'parquet';
    switch (fmt.toLowerCase()) {
      case 'memory': {
        if (!this.name) throw new AnalysisException('queryName must be specified for memory sink', { code: 'MEMORY_SINK_NEEDS_NAME' });
        const existing = session.memorySinks.get(this.name);
        const sink = existing ?? new MemorySink();
        // The table exists (empty) from start(), as Spark's memory table does.
        sink.schema ??= schema;
        session.memorySinks.set(this.name, sink);
        return { provider: { createSink: () => sink }, description: 'MemorySink', memory: sink };
      }
      case 'console':
        return { provider: consoleSinkProvider(() => session.outputFunction), description: 'org.apache.spark.sql.execution.streaming.ConsoleTable$' };
      case 'foreachbatch': {
        if (this.partitionColumns.length > 0) throw new AnalysisException("'foreachBatch' does not support partitioning", { code: 'FOREACH_BATCH_PARTITIONING' });
        const fn = this.batchFn!;
        return {
          provider: {
            createSink: (): Sink => ({
              addBatch: async (batch) => {
                await fn(new DataFrame(session, planNode({ kind: 'LocalRelation', rows: batch.rows, schema: batch.schema })), batch.batchId);
              },
            }),
          },
          description: 'ForeachBatchSink',
        };
      }
      case 'foreach': {
        const f = this.foreachFn!;
        return {
          provider: {
            createSink: (): Sink => ({
              addBatch: (batch) => {
                const w: ForeachWriter = typeof f === 'function' ? { process: f } : f;
                if (w.open && w.open(0, batch.batchId) === false) return;
                let err: unknown = null;
                try {
                  for (const r of batch.rows) w.process(toRowObject(r, batch.schema));
                } catch (e) {
                  err = e;
                }
                w.close?.(err);
                if (err) throw err;
              },
            }),
          },
          description: 'ForeachSink',
        };
      }
      default: {
        const p = session.formats.sink(fmt);
        if (!p) throw dataSourceNotFound(fmt);
        return { provider: p, description: fmt };
      }
    }
  }

  /** Starts the query; analysis errors are thrown here, synchronously. */
  start(path?: string): StreamingQuery {
    const session = this.df.sparkSession;
    const plan = this.df.plan;
    if (this.trig.kind === 'continuous') {
      if (this.fmt === 'foreachBatch') throw new AnalysisException("'foreachBatch' is not supported with continuous trigger", { code: 'FOREACH_BATCH_CONTINUOUS' });
      throw new AnalysisException('Continuous processing is not supported by Streamlab; use a processingTime trigger.', { code: 'CONTINUOUS_NOT_SUPPORTED' });
    }
    const physical = planPhysical(plan, { batchTimestampMs: 0 });
    checkStreamingPlan(plan, physical, this.mode, session.conf.getAll());
    const options: Record<string, string> = path === undefined ? { ...this.opts } : { ...this.opts, path };
    const { provider, description } = this.provider(physical.root.schema);
    if (provider.supportedModes && !provider.supportedModes.includes(this.mode)) {
      throw new AnalysisException(`Data source ${this.fmt} does not support ${this.mode[0].toUpperCase()}${this.mode.slice(1)} output mode.`, { code: 'UNSUPPORTED_OUTPUT_MODE' });
    }
    const sinkCtx: SinkContext = { options, schema: physical.root.schema, outputMode: this.mode, queryName: this.name };
    provider.validate?.(sinkCtx);
    if (this.name && session.streams.active.some((q) => q.name === this.name)) {
      throw new IllegalArgumentException(`Cannot start query with name ${this.name} as a query with that name is already active in this SparkSession`, { code: 'DUPLICATE_QUERY_NAME' });
    }
    const location = options.checkpointLocation ?? session.conf.get('spark.sql.streaming.checkpointLocation');
    const checkpoint = location ? session.checkpointStore(location) : new InMemoryCheckpointStore();
    const query = new StreamingQuery({
      session,
      plan,
      outputMode: this.mode,
      trigger: this.trig,
      name: this.name ?? null,
      checkpoint,
      sinkFactory: (queryId) => provider.createSink({ ...sinkCtx, queryId }),
      sinkDescription: description,
    });
    session.streams.register(query);
    query.begin();
    return query;
  }
}
