/**
 * The engine's side of a run, wherever the run is hosted (a job process, or a Web Worker in the browser
 * build): the active SparkSession on the run's clock, PySpark's StreamingContext defaulting to the run's
 * clock, output and Kafka, the flow host, and the observation of queries, batches, failures and latency.
 * The host decides the connections: the formats it registered, the Kafka of the DStream direct stream,
 * where checkpoints live and what closes its connectors (engine-binding.ts for the job process).
 * Pure TypeScript: nothing here reaches Node.
 */
import { ManualClock, type Clock } from '../../engine/clock.js';
import { toRowObject } from '../../engine/rows.js';
import type { Row } from '../../engine/expressions/compile.js';
import type { StructType } from '../../engine/types.js';
import type { StreamingQuery, Trigger } from '../../engine/structured/streaming-query.js';
import type { PipelineLatencyInfo, TriggerInfo } from '../../protocol/index.js';
import { LatencyMeter } from '../../engine/latency/latency-meter.js';
import { LATENCY_BUCKETS_MS } from '../../engine/latency/latency-stats.js';
import type { ChildBatch } from '../ipc.js';
import type { StreamingContextOptions } from '../../engine/dstream/streaming-context.js';
import type { FormatRegistry } from '../../engine/formats.js';
import type { CheckpointResolver } from '../../engine/state/checkpoint-store.js';
import * as streamlab from '../../streamlab.js';
import { addStreamListener, setFlowHost, type ActorSystem } from '../../engine/flow/actor-system.js';

/** A finished batch as the job reports it (the output rows not yet capped). */
export type BatchReport = DistributiveOmit<ChildBatch, 'type'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A started query (or StreamingContext) as the job reports it. */
export interface QueryReport {
  queryName: string | null;
  queryId: string | null;
  trigger: TriggerInfo;
}

/** Callbacks from the engine into the job. */
export interface EngineObserver {
  onQueryStarted(report: QueryReport): void;
  onBatch(report: BatchReport): void;
  /** A query stopped with an error raised in the learner's code or by the engine. */
  onQueryError(error: unknown): void;
  /** Text the engine prints (console sink, `show()`, `pprint`). */
  onOutput(text: string): void;
}

/** What the job process needs from the engine for one run. */
export interface EngineBinding {
  /** The object the learner's `require("streamlab")` receives. */
  readonly api: Record<string, unknown>;
  /** The run's active SparkSession (the one the learner's `getOrCreate()` returns). */
  readonly session: streamlab.SparkSession;
  /** Whether `q` is a query the engine started in this run's session (not an object that looks like one). */
  started(q: unknown): q is StreamingQuery;
  /** Queries still running. */
  activeQueries(): number;
  /** Manual clock: runs up to `n` batches per query with the data available now; resolves with how many ran. */
  runBatches(n: number): Promise<number>;
  /** Waits until every query has nothing left to do at the current clock time. */
  settle(): Promise<void>;
  /** Runs every query until the data available now is processed (`processAllAvailable`). */
  drain(): Promise<number>;
  /** Stops every query and closes its connectors. */
  stopAll(): Promise<void>;
  /** Arms every active query to die after its next sink write, before the commit, and restart; returns how many. */
  crashQueries(): number;
  /** Each pipeline's latency so far, when it changed since the last call (else null). */
  latencyUpdate(): { bucketsMs: number[]; pipelines: PipelineLatencyInfo[] } | null;
}

/** What the host of a run gives the engine. */
export interface EngineCoreOptions {
  clock: Clock;
  observer: EngineObserver;
  /** The built-in formats plus the connectors the host registered for the run. */
  formats: FormatRegistry;
  /** The Kafka the DStream direct stream reads, when the run has one. */
  dstreamKafka?: StreamingContextOptions['kafka'];
  /** Where `checkpointLocation`s live; in memory without it. */
  checkpointResolver?: CheckpointResolver;
  /** When the run began, on the run's system clock: the Latency panel's start-up times count from there (else from now). */
  runStartedAtMs?: number;
  /**
   * Output rows a batch report carries at most (`totalRows` still counts them all): only these are
   * turned into JSON objects, so a batch of 5,000 rows shown 100 at a time does not convert the other
   * 4,900. Every row without it.
   */
  maxRows?: number;
  /** Closes the host's connectors after every query and flow stopped. */
  close?(): Promise<void>;
}

/** The first `max` rows of a batch's output as JSON objects (an index loop: the learner's code may have patched the array's methods). */
function reportedRows(rows: readonly Row[], schema: StructType, max = rows.length): Record<string, unknown>[] {
  const n = Math.min(rows.length, max);
  const out = new Array<Record<string, unknown>>(n);
  for (let i = 0; i < n; i++) out[i] = toJson(toRowObject(rows[i]!, schema)) as Record<string, unknown>;
  return out;
}

/** Binds the engine for one run, on the connections the host made. */
export function bindEngineCore(options: EngineCoreOptions): EngineBinding {
  const { observer, formats } = options;
  const printed = (text: string) => observer.onOutput(text.endsWith('\n') ? text.slice(0, -1) : text);
  const builder = streamlab.SparkSession.builder
    .appName('streamlab')
    .clock(options.clock)
    .output(printed)
    .formats(formats);
  if (options.checkpointResolver) builder.checkpointResolver(options.checkpointResolver);
  const session = builder.create();
  const watched = new Set<StreamingQuery>();
  const manager = session.streams;
  session.streams.addListener({
    onQueryStarted(event) {
      const query = session.streams.get(event.id);
      if (!query || watched.has(query)) return;
      watched.add(query);
      observer.onQueryStarted({ queryName: query.name, queryId: query.id, trigger: triggerInfo(query.triggerSettings) });
      query.onBatch((result) => {
        // The wire carries the watermark and event times once, in the trace (epoch ms), not as Spark's ISO `eventTime`.
        const { eventTime: _sparkEventTime, ...progress } = result.progress;
        observer.onBatch({
          api: 'structured',
          queryName: query.name,
          batchId: result.progress.batchId,
          progress,
          rows: reportedRows(result.rows, result.schema, options.maxRows),
          schema: result.schema.fields.map((f) => ({ name: f.name, type: f.dataType.simpleString() })),
          totalRows: result.rows.length,
          trace: result.trace,
        });
      });
    },
    onQueryTerminated(event) {
      if (event.exception === null) return;
      const query = [...watched].find((q) => q.id === event.id);
      observer.onQueryError(query?.exception() ?? new Error(event.exception));
    },
  });
  setFlowHost({ clock: options.clock, output: printed });
  const flowSystems = new Set<ActorSystem>();
  addStreamListener({
    onStreamStarted: (system) => void flowSystems.add(system),
    onStreamFailed: (_system, error) => observer.onQueryError(error),
  });
  const runningStreams = () => [...flowSystems].reduce((n, s) => n + s.runningStreams, 0);
  // Latency of every query and flow of the run, from the run's start, for the Latency panel.
  const meter = LatencyMeter.start(session, options.runStartedAtMs === undefined ? {} : { startedAtMs: options.runStartedAtMs });
  let lastLatency = '';
  const contexts = new Set<streamlab.StreamingContext>();
  const { dstreamKafka } = options;
  const Base = streamlab.StreamingContext;
  /** PySpark's StreamingContext, defaulting to this run's clock, output and Kafka. */
  class StreamingContext extends Base {
    constructor(sc: streamlab.SparkContext, batchDuration: ConstructorParameters<typeof Base>[1], opts: StreamingContextOptions = {}) {
      super(sc, batchDuration, { clock: options.clock, stdout: printed, ...(dstreamKafka ? { kafka: dstreamKafka } : {}), ...opts });
      contexts.add(this);
      let batchId = 0;
      this.addStreamingListener({
        onBatchCompleted: (trace) => observer.onBatch({ api: 'dstream', batchId: batchId++, trace }),
        onStreamingError: (e) => observer.onQueryError(e),
      });
    }

    override start(): void {
      super.start();
      observer.onQueryStarted({ queryName: null, queryId: null, trigger: { kind: 'batchDuration', intervalMs: this.batchDurationMs } });
    }
  }
  Object.defineProperty(StreamingContext, 'name', { value: 'StreamingContext' });
  const activeContexts = () => [...contexts].filter((c) => c.getState() !== 'STOPPED');
  const api: Record<string, unknown> = { ...streamlab, StreamingContext };
  return {
    api: Object.freeze(api),
    session,
    // The manager as it was before the learner's code ran: a replaced `spark.streams` changes nothing here.
    started: (q: unknown): q is StreamingQuery => watched.has(q as StreamingQuery) || manager.active.includes(q as StreamingQuery),
    activeQueries: () => session.streams.active.length + activeContexts().length + runningStreams(),
    async runBatches(n) {
      let ran = 0;
      for (const q of session.streams.active) {
        for (let i = 0; i < n; i++) {
          if (!(await q.runOnce())) break;
          ran++;
        }
      }
      return ran;
    },
    async settle() {
      for (const q of session.streams.active) await q.awaitIdle();
      for (const c of activeContexts()) await c.awaitDueBatches();
    },
    async drain() {
      const before = session.streams.active.reduce((n, q) => n + (q.lastProgress ? q.lastProgress.batchId + 1 : 0), 0);
      for (const q of session.streams.active) await q.processAllAvailable();
      // A DStream batch takes what arrived by its time: on the system clock, the next batch holds
      // everything that arrived by now (a manual clock's batches run on its steps).
      if (!(options.clock instanceof ManualClock)) await Promise.all(activeContexts().map((c) => c.awaitArrivedBatched()));
      return session.streams.active.reduce((n, q) => n + (q.lastProgress ? q.lastProgress.batchId + 1 : 0), 0) - before;
    },
    crashQueries() {
      const queries = session.streams.active;
      for (const q of queries) {
        const name = q.name ? `"${q.name}"` : `${q.id.slice(0, 8)}`;
        q.crashAfterNextSinkWrite().then(
          ({ batchId }) => printed(`Killed query ${name} after its sink wrote batch ${batchId} and before the batch was committed; `
            + `restarted it from its checkpoint: batch ${batchId} runs again.`),
          () => undefined,
        );
      }
      printed(queries.length === 0
        ? 'Crash mid-batch: no query is running.'
        : `Crash mid-batch: ${queries.length === 1 ? 'the query dies' : `${queries.length} queries die`} right after the next batch is written, before it is committed.`);
      return queries.length;
    },
    latencyUpdate() {
      const pipelines = Object.entries(meter.summary()).filter(([, p]) => p.count > 0).map(([name, p]) => ({
        name,
        kind: p.kind,
        ...(p.trigger ? { trigger: p.trigger } : {}),
        count: p.count,
        p50: p.p50,
        p95: p.p95,
        p99: p.p99,
        max: p.max,
        histogram: [...p.histogram],
        startupMs: p.startupMs,
      }));
      const text = JSON.stringify(pipelines);
      if (pipelines.length === 0 || text === lastLatency) return null;
      lastLatency = text;
      return { bucketsMs: [...LATENCY_BUCKETS_MS], pipelines };
    },
    async stopAll() {
      for (const c of activeContexts()) {
        try {
          c.stop(true, false);
        } catch {
          // Already stopping.
        }
      }
      await Promise.allSettled(session.streams.active.map((q) => q.stop()));
      await Promise.allSettled([...flowSystems].map((s) => s.terminate()));
      await options.close?.();
    },
  };
}

/**
 * The engine's trigger as the protocol reports it. Spark's default trigger is `ProcessingTime(0)`: no
 * interval, a batch whenever the previous one ended and there is data.
 */
export function triggerInfo(trigger: Trigger): TriggerInfo {
  switch (trigger.kind) {
    case 'processingTime':
    case 'continuous':
      return { kind: trigger.kind, intervalMs: trigger.intervalMs };
    default:
      return { kind: trigger.kind, intervalMs: 0 };
  }
}

/** Plain JSON: Dates as ISO strings, bigints as strings, Maps as objects, no functions or cycles. */
export function toJson(v: unknown, depth = 0): unknown {
  if (depth > 20) return null;
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), toJson(x, depth + 1)]));
  if (v instanceof Uint8Array) return Array.from(v);
  if (Array.isArray(v)) return v.map((x) => toJson(x, depth + 1));
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([, x]) => typeof x !== 'function').map(([k, x]) => [k, toJson(x, depth + 1)]));
  return null;
}
