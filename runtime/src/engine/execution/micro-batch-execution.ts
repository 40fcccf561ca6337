/**
 * The micro-batch loop (Spark's MicroBatchExecution).
 *
 * Restart rules, run once when a query starts on a checkpoint:
 *
 *   meta := checkpoint.metadata, else write {id: new uuid}
 *   N := latest batch id in offsets/
 *   if N is none:                       -- fresh query
 *     start offsets := each source's initialOffset(); next batch := 0; watermark := 0
 *     conf := current session confs (frozen into every offset entry from now on)
 *   else if commits/N exists:           -- clean stop after batch N
 *     start offsets := offsets/N; next batch := N + 1
 *     watermark := commits/N.nextBatchWatermarkMs; late threshold := offsets/N.batchWatermarkMs
 *     state := snapshot version N + 1
 *   else:                               -- died during batch N: replay it exactly
 *     start offsets := offsets/(N-1) (or initial offsets when N = 0)
 *     replay := offsets/N (same end offsets, watermark and batch timestamp)
 *     state := snapshot version N; late threshold := offsets/(N-1).batchWatermarkMs
 *     conf := offsets/N.conf (e.g. the multiple-watermark policy stays as first chosen)
 *   per-operator watermarks start empty; the global watermark only rises from the restored value
 *
 * One trigger (`runOneBatch`):
 *   if replay pending: run it
 *   ends := source.latestOffset(start, readLimit) for each source
 *   data batch   := some end != start
 *   no-data batch := no data, no-data batches enabled, an eviction-capable stateful operator exists
 *                    (append/update), and the watermark moved past the previous batch's
 *   neither -> return false (no batch id consumed)
 *   write offsets/N {batchWatermarkMs, batchTimestampMs, conf, ends}     -- before running
 *   rows := source.getBatch(start, end); output := plan(rows); sink.addBatch(N, output)
 *   (a simulated crash, Streamlab's `crashAfterNextSinkWrite`, dies here: written, not committed)
 *   commit state version N + 1; update watermarks from this batch's event times
 *   write commits/N {nextBatchWatermarkMs}                              -- after the sink
 *   source.commit(end); start := ends; N := N + 1; report progress and trace
 */
import type { Clock } from '../clock.js';
import type { CheckpointStore, OffsetLogEntry } from '../state/checkpoint-store.js';
import type { EvalContext, Row } from '../expressions/compile.js';
import type { BatchContext, EventTimeStats, OutputMode, StateOperatorMetrics } from '../physical/operator.js';
import type { LogicalPlan } from '../plans/plan.js';
import { visitPlan } from '../plans/plan.js';
import { planPhysical, type PhysicalPlan } from '../plans/planner.js';
import { perSecond, stateOperatorProgress, type StreamingQueryProgress } from './progress.js';
import type { Sink } from '../sinks/sink.js';
import { sameOffset, type Offset, type ReadLimit, type Source } from '../sources/source.js';
import { StateStore } from '../state/state-store.js';
import { isoMillis, progressEventTime } from '../../format/spark-time.js';
import { TraceCollector, TRACE_SAMPLE_CAP, type BatchEventTime, type BatchTrace } from './trace.js';
import { prettyString } from '../values.js';
import { SESSION_TIME_ZONE, sessionZoneOf } from '../time-zone.js';
import type { StructType } from '../types.js';

/** Everything a finished batch reports to listeners. */
export interface BatchResult {
  readonly progress: StreamingQueryProgress;
  readonly trace: BatchTrace;
  readonly rows: readonly Row[];
  /** The schema of `rows`. */
  readonly schema: StructType;
  /**
   * Streamlab: for each input record read from Kafka, how long after its Kafka timestamp the sink had
   * written the batch (ms, on the query's clock): the record's latency from produce to sink.
   */
  readonly sinkLatencyMs: readonly number[];
}

/** Options of the loop. */
export interface MicroBatchOptions {
  readonly plan: LogicalPlan;
  readonly outputMode: OutputMode;
  readonly sink: Sink;
  readonly sinkDescription: string;
  readonly checkpoint: CheckpointStore;
  readonly clock: Clock;
  readonly conf: Readonly<Record<string, string>>;
  readonly queryId: () => string;
  readonly runId: string;
  readonly name: string | null;
  /**
   * Whether to build the per-row part of the trace (sampled rows, emitted rows). Counts are always
   * exact; the query turns detail on only while someone observes batches.
   */
  readonly traceDetail?: () => boolean;
  /** Streamlab: called after the sink wrote a batch, before its commit; a throw here dies in that window. */
  readonly afterSinkWrite?: (batchId: number) => void;
}

/** How one trigger may run. */
export interface TriggerMode {
  /** Ignore read limits (Trigger.Once). */
  readonly ignoreLimits?: boolean;
  /** Whether a no-data batch may run (not for Trigger.Once). */
  readonly allowNoData?: boolean;
}

interface SourceSlot {
  readonly sourceId: number;
  readonly description: string;
  source: Source;
  start: Offset;
}

/** Runs micro-batches of one query run. */
export class MicroBatchExecution {
  readonly physical: PhysicalPlan;
  private readonly evalCtx: EvalContext = { batchTimestampMs: 0, malformed: { count: 0, sample: [] } };
  private readonly slots: SourceSlot[] = [];
  private readonly sourceSchemas: StructType[] = [];
  private readonly stores = new Map<number, StateStore<unknown>>();
  private readonly opWatermarks = new Map<number, number>();
  private conf: Record<string, string>;
  private nextBatchId = 0;
  private globalWatermarkMs = 0;
  private prevBatchWatermarkMs = 0;
  private replay: OffsetLogEntry | null = null;
  private lastTriggerStartMs: number | null = null;
  private availableNowTargets: Offset[] | null = null;

  constructor(private readonly opts: MicroBatchOptions, private readonly createSource: (plan: Extract<LogicalPlan, { kind: 'StreamingRelation' }>, index: number) => Promise<Source>) {
    this.evalCtx.timeZone = sessionZoneOf(opts.conf[SESSION_TIME_ZONE]);
    this.physical = planPhysical(opts.plan, this.evalCtx);
    this.conf = { ...opts.conf };
  }

  /** Id of the next batch to run. */
  get currentBatchId(): number {
    return this.nextBatchId;
  }

  /** The watermark the next batch will use (ms). */
  get watermarkMs(): number {
    return this.globalWatermarkMs;
  }

  private store(id: number): StateStore<unknown> {
    let s = this.stores.get(id);
    if (!s) this.stores.set(id, (s = new StateStore<unknown>()));
    return s;
  }

  /** Restores from the checkpoint and creates the sources (see the rules at the top). */
  async initialize(): Promise<void> {
    const relations: Extract<LogicalPlan, { kind: 'StreamingRelation' }>[] = [];
    visitPlan(this.opts.plan, (p) => {
      if (p.kind === 'StreamingRelation' && !relations.some((r) => r.sourceId === p.sourceId)) relations.push(p);
    });
    for (const [i, r] of relations.entries()) {
      const source = await this.createSource(r, i);
      this.slots.push({ sourceId: r.sourceId, description: `${r.format}[${r.schema.fieldNames().join(', ')}]`, source, start: null });
      this.sourceSchemas.push(r.schema);
    }
    const cp = this.opts.checkpoint;
    const last = await cp.latestOffsetBatchId();
    if (last === null) {
      await this.initialOffsets();
      return;
    }
    const entry = (await cp.readOffsets(last))!;
    const commit = await cp.readCommit(last);
    this.conf = { ...this.conf, ...entry.conf };
    if (commit) {
      this.slots.forEach((s, i) => (s.start = entry.offsets[i] ?? null));
      this.nextBatchId = last + 1;
      this.globalWatermarkMs = commit.nextBatchWatermarkMs;
      this.prevBatchWatermarkMs = entry.batchWatermarkMs;
      await this.restoreState(last + 1);
    } else {
      const prev = last > 0 ? await cp.readOffsets(last - 1) : null;
      if (prev) this.slots.forEach((s, i) => (s.start = prev.offsets[i] ?? null));
      else await this.initialOffsets();
      this.nextBatchId = last;
      this.replay = entry;
      this.globalWatermarkMs = entry.batchWatermarkMs;
      this.prevBatchWatermarkMs = prev ? prev.batchWatermarkMs : 0;
      await this.restoreState(last);
    }
  }

  /**
   * Start offsets of a fresh query, kept in the checkpoint (`sources/<n>/0`) so that a crash during
   * batch 0 replays from the same place even for sources whose "latest" moves.
   */
  private async initialOffsets(): Promise<void> {
    const cp = this.opts.checkpoint;
    for (const [i, slot] of this.slots.entries()) {
      if (slot.source.keepsSourceLog) {
        slot.start = await slot.source.initialOffset();
        continue;
      }
      const saved = await cp.readSourceMetadata(i);
      if (saved !== null) slot.start = saved;
      else {
        slot.start = await slot.source.initialOffset();
        await cp.writeSourceMetadata(i, slot.start);
      }
    }
  }

  private async restoreState(version: number): Promise<void> {
    for (const op of this.physical.stateful) {
      const snap = version === 0 ? null : await this.opts.checkpoint.readState(op.id, version);
      if (snap) this.store(op.id).restore(snap);
    }
  }

  /** Snapshots the sources' available offsets; later triggers never read past them (Trigger.AvailableNow). */
  async prepareAvailableNow(): Promise<void> {
    this.availableNowTargets = await Promise.all(this.slots.map((s) => s.source.latestOffset(s.start, { kind: 'allAvailable' })));
  }

  private hasWatermark(): boolean {
    return this.physical.watermarks.length > 0;
  }

  private wantsNoDataBatch(): boolean {
    if (this.conf['spark.sql.streaming.noDataMicroBatches.enabled'] === 'false') return false;
    if (!this.hasWatermark()) return false;
    // As Spark's stateful operators decide (shouldRunAnotherBatch), whatever their keys: an
    // aggregation in append or update mode and a deduplication; a limit never.
    const complete = this.opts.outputMode === 'complete';
    if (!this.physical.stateful.some((s) => (s.kind === 'dedupe' || ((s.kind === 'aggregate' || s.kind === 'session') && !complete)))) return false;
    // Due when the watermark moved past the one the previous batch ran with.
    return this.globalWatermarkMs > this.prevBatchWatermarkMs;
  }

  /** Runs at most one batch; resolves to whether one ran. */
  async runOneBatch(mode: TriggerMode = {}): Promise<BatchResult | null> {
    const clock = this.opts.clock;
    const triggerStart = clock.now();
    let entry: OffsetLogEntry;
    let kind: 'data' | 'no-data';
    if (this.replay) {
      entry = this.replay;
      this.replay = null;
      kind = entry.offsets.some((o, i) => !sameOffset(o, this.slots[i].start)) ? 'data' : 'no-data';
    } else {
      const ends = await Promise.all(this.slots.map(async (s, i) => {
        const limit: ReadLimit = mode.ignoreLimits ? { kind: 'allAvailable' } : s.source.defaultReadLimit();
        let end = await s.source.latestOffset(s.start, limit);
        const target = this.availableNowTargets?.[i];
        if (target !== undefined) end = capOffset(end, target);
        return end;
      }));
      const hasData = ends.some((e, i) => !sameOffset(e, this.slots[i].start));
      if (!hasData && !(mode.allowNoData !== false && this.wantsNoDataBatch())) return null;
      kind = hasData ? 'data' : 'no-data';
      entry = {
        batchId: this.nextBatchId,
        batchWatermarkMs: this.globalWatermarkMs,
        batchTimestampMs: triggerStart,
        conf: this.frozenConf(),
        offsets: ends,
      };
      await this.opts.checkpoint.writeOffsets(entry);
    }
    return this.execute(entry, kind, triggerStart);
  }

  private frozenConf(): Record<string, string> {
    const keep = ['spark.sql.streaming.multipleWatermarkPolicy', 'spark.sql.shuffle.partitions', 'spark.sql.streaming.stateStore.providerClass'];
    const out: Record<string, string> = {};
    for (const k of keep) if (this.conf[k] !== undefined) out[k] = this.conf[k];
    if (out['spark.sql.streaming.multipleWatermarkPolicy'] === undefined) out['spark.sql.streaming.multipleWatermarkPolicy'] = 'min';
    return out;
  }

  private async execute(entry: OffsetLogEntry, kind: 'data' | 'no-data', triggerStart: number): Promise<BatchResult> {
    const clock = this.opts.clock;
    const batchId = entry.batchId;
    const inputs = new Map<number, Row[]>();
    const perSource: number[] = [];
    const t0 = clock.now();
    for (const [i, s] of this.slots.entries()) {
      const end = entry.offsets[i] ?? null;
      const rows = sameOffset(end, s.start) ? [] : await s.source.getBatch(s.start, end);
      inputs.set(s.sourceId, rows);
      perSource.push(rows.length);
    }
    const tGetBatch = clock.now();
    this.evalCtx.batchTimestampMs = entry.batchTimestampMs;
    const malformed = { count: 0, sample: [] as string[] };
    this.evalCtx.malformed = malformed;
    const eventTimeStats = new Map<number, EventTimeStats>();
    const stateMetrics = new Map<number, StateOperatorMetrics>();
    const detail = this.opts.traceDetail?.() ?? true;
    const trace = new TraceCollector(detail ? TRACE_SAMPLE_CAP : 0);
    const ctx: BatchContext = {
      batchId,
      inputs,
      eval: this.evalCtx,
      execution: 'streaming',
      outputMode: this.opts.outputMode,
      evictionWatermarkMs: entry.batchWatermarkMs,
      // Spark 3.4+ judges late rows by the previous batch's watermark; with
      // statefulOperator.allowMultiple=false it uses one watermark for both, as before 3.4.
      lateWatermarkMs: this.conf['spark.sql.streaming.statefulOperator.allowMultiple'] === 'false' ? entry.batchWatermarkMs : this.prevBatchWatermarkMs,
      hasWatermark: this.hasWatermark(),
      eventTimeStats,
      stateStore: <V>(id: number) => this.store(id) as StateStore<V>,
      stateMetrics,
      trace,
    };
    let output: Row[];
    try {
      output = this.physical.root.execute(ctx);
      await this.opts.sink.addBatch({ batchId, schema: this.physical.root.schema, rows: output, outputMode: this.opts.outputMode });
      this.opts.afterSinkWrite?.(batchId);
    } catch (e) {
      for (const s of this.stores.values()) s.abort();
      throw e;
    }
    const tAddBatch = clock.now();
    const sinkLatencyMs = this.kafkaLatencies(inputs, tAddBatch);
    for (const op of this.physical.stateful) {
      const s = this.store(op.id);
      s.commit(batchId + 1);
      await this.opts.checkpoint.writeState(op.id, batchId + 1, s.committedVersionForCheckpoint());
    }
    const watermarkBefore = entry.batchWatermarkMs;
    this.updateWatermark(eventTimeStats);
    await this.opts.checkpoint.writeCommit({ batchId, nextBatchWatermarkMs: this.globalWatermarkMs });
    for (const [i, s] of this.slots.entries()) {
      const end = entry.offsets[i] ?? null;
      if (!sameOffset(end, s.start)) await s.source.commit(end);
    }
    const starts = this.slots.map((s) => s.start);
    this.slots.forEach((s, i) => (s.start = entry.offsets[i] ?? null));
    this.prevBatchWatermarkMs = watermarkBefore;
    this.nextBatchId = batchId + 1;
    const tEnd = clock.now();
    const numInput = perSource.reduce((a, b) => a + b, 0);
    const sinceLast = this.lastTriggerStartMs === null ? 0 : triggerStart - this.lastTriggerStartMs;
    this.lastTriggerStartMs = triggerStart;
    const duration = tEnd - triggerStart;
    const watermark = this.hasWatermark() ? { beforeMs: watermarkBefore, afterMs: this.globalWatermarkMs, lateThresholdMs: ctx.lateWatermarkMs } : null;
    const eventTime = watermark ? eventTimeOf(eventTimeStats) : null;
    const progress: StreamingQueryProgress = {
      id: this.opts.queryId(),
      runId: this.opts.runId,
      name: this.opts.name,
      timestamp: isoMillis(entry.batchTimestampMs),
      batchId,
      batchDuration: duration,
      numInputRows: numInput,
      inputRowsPerSecond: perSecond(numInput, sinceLast),
      processedRowsPerSecond: perSecond(numInput, duration),
      durationMs: {
        addBatch: tAddBatch - tGetBatch,
        getBatch: tGetBatch - t0,
        latestOffset: t0 - triggerStart,
        queryPlanning: 0,
        triggerExecution: duration,
        walCommit: 0,
      },
      ...(watermark ? { eventTime: progressEventTime(eventTime, watermark.beforeMs) } : {}),
      // Spark lists stateful operators top-down (the one nearest the sink first).
      stateOperators: [...this.physical.stateful].reverse().map((op) => stateOperatorProgress(stateMetrics.get(op.id) ?? {
        operatorName: 'stateStoreSave', numRowsTotal: this.store(op.id).size, numRowsUpdated: 0, numRowsRemoved: 0, numRowsDroppedByWatermark: 0, memoryUsedBytes: 0,
      })),
      sources: this.slots.map((s, i) => ({
        description: s.description,
        startOffset: starts[i],
        endOffset: entry.offsets[i] ?? null,
        latestOffset: entry.offsets[i] ?? null,
        numInputRows: perSource[i],
        inputRowsPerSecond: perSecond(perSource[i], sinceLast),
        processedRowsPerSecond: perSecond(perSource[i], duration),
      })),
      sink: { description: this.opts.sinkDescription, numOutputRows: output.length },
    };
    const schema = this.physical.root.schema;
    if (this.physical.stateful.length === 0) {
      // Stateless queries: every input row simply passes through; show a sample of them.
      for (const [i, s] of this.slots.entries()) {
        const rows = inputs.get(s.sourceId) ?? [];
        const fields = this.sourceSchemas[i].fields;
        for (const r of rows) {
          if (!trace.wantsRow) break;
          trace.addRow({ values: r.map((v, j) => (j < fields.length ? prettyString(v, fields[j].dataType) : String(v))), eventTimeMs: null, outcome: 'passed' });
        }
      }
    }
    const batchTrace: BatchTrace = {
      api: 'structured',
      batchId,
      kind,
      batchTimestampMs: entry.batchTimestampMs,
      watermark,
      eventTime,
      columns: schema.fieldNames(),
      input: { total: numInput, sample: trace.rows },
      droppedLate: trace.droppedLate,
      emitted: { total: output.length, sample: output.slice(0, trace.cap).map((r) => r.map((v, i) => prettyString(v, schema.fields[i].dataType))) },
      evicted: { total: trace.evictedTotal, sample: trace.evictions },
      stateRowsTotal: [...stateMetrics.values()].reduce((a, m) => a + m.numRowsTotal, 0),
      malformed: { total: malformed.count, sample: malformed.sample },
    };
    return { progress, trace: batchTrace, rows: output, schema, sinkLatencyMs };
  }

  /** Sink time minus Kafka timestamp for every input record of the Kafka sources (their `timestamp` column, µs). */
  private kafkaLatencies(inputs: ReadonlyMap<number, readonly Row[]>, sinkMs: number): number[] {
    const out: number[] = [];
    for (const [i, s] of this.slots.entries()) {
      if (!s.description.startsWith('kafka[')) continue;
      const at = this.sourceSchemas[i]!.fieldNames().indexOf('timestamp');
      if (at < 0) continue;
      for (const r of inputs.get(s.sourceId) ?? []) {
        const micros = r[at];
        if (typeof micros === 'number') out.push(sinkMs - micros / 1000);
      }
    }
    return out;
  }

  /** Spark's WatermarkTracker: per-operator max(event time) - delay, combined with min (or max) policy. */
  private updateWatermark(stats: Map<number, EventTimeStats>): void {
    for (const wm of this.physical.watermarks) {
      const s = stats.get(wm.id);
      if (s && s.count > 0) {
        const candidate = s.max - wm.delayMs;
        const prev = this.opWatermarks.get(wm.id);
        if (prev === undefined || candidate > prev) this.opWatermarks.set(wm.id, candidate);
      } else if (!this.opWatermarks.has(wm.id)) {
        this.opWatermarks.set(wm.id, 0);
      }
    }
    if (this.opWatermarks.size === 0) return;
    const values = [...this.opWatermarks.values()];
    const policy = (this.conf['spark.sql.streaming.multipleWatermarkPolicy'] ?? 'min').toLowerCase();
    const chosen = policy === 'max' ? Math.max(...values) : Math.min(...values);
    if (chosen > this.globalWatermarkMs) this.globalWatermarkMs = chosen;
  }

  /** Stops every source. */
  async stop(): Promise<void> {
    for (const s of this.slots) await s.source.stop();
  }

  /** Whether every source announces new data (otherwise the default trigger polls). */
  get allSourcesNotify(): boolean {
    return this.slots.every((s) => typeof s.source.onNewData === 'function');
  }

  /** Subscribes to new-data notifications of every source. */
  onNewData(listener: () => void): () => void {
    const offs = this.slots.map((s) => s.source.onNewData?.(listener));
    return () => offs.forEach((o) => o?.());
  }

  /** Rows currently held by each stateful operator (for tests and the trace). */
  stateRowCount(operatorIndex = 0): number {
    // Same order as the progress report: the operator nearest the sink is index 0.
    const op = this.physical.stateful[this.physical.stateful.length - 1 - operatorIndex];
    if (!op) return 0;
    const s = this.store(op.id);
    let n = 0;
    for (const [, v] of s.entries()) n += v && typeof v === 'object' && 'sessions' in (v as object) ? (v as { sessions: unknown[] }).sessions.length : 1;
    return n;
  }
}

/**
 * Caps an offset at a target: numbers take the minimum, objects (Kafka-style per-partition maps)
 * are capped key by key; other shapes are left as they are.
 */
function capOffset(end: Offset, target: Offset): Offset {
  if (typeof end === 'number' && typeof target === 'number') return Math.min(end, target);
  if (end && target && typeof end === 'object' && typeof target === 'object' && !Array.isArray(end) && !Array.isArray(target)) {
    const out: Record<string, Offset> = {};
    for (const [k, v] of Object.entries(end as Record<string, Offset>)) {
      const t = (target as Record<string, Offset>)[k];
      out[k] = t === undefined ? v : capOffset(v, t);
    }
    return out;
  }
  return end;
}

/** The event times of one batch over every watermarked column, or null when no row had one. */
function eventTimeOf(stats: Map<number, EventTimeStats>): BatchEventTime | null {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let count = 0;
  for (const s of stats.values()) {
    if (s.count === 0) continue;
    min = Math.min(min, s.min);
    max = Math.max(max, s.max);
    sum += s.sum;
    count += s.count;
  }
  return count > 0 ? { minMs: min, maxMs: max, avgMs: Math.floor(sum / count) } : null;
}
