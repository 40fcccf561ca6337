/**
 * The seam between a job process and the engine: which module `require("streamlab")` returns, how the
 * run's clock, output and services reach the engine, and how batches, query failures and activity are
 * observed. Everything engine-specific the job process needs is here.
 *
 *   before the learner's code:  register the connectors with the runtime's services; create the active
 *                               SparkSession on the run's clock with output → run.log and checkpoints on
 *                               disk in the run's checkpoint folder, so the learner's
 *                               `SparkSession.builder.getOrCreate()` returns it
 *   each started query:         report its trigger; subscribe to its batches (progress, trace, output
 *                               rows and their schema)
 *   each StreamingContext:      defaults to the run's clock, output and Kafka; its batch duration is
 *                               reported when it starts, its batches (trace, no rows) after each batch, and
 *                               it counts as active until stopped
 *   a query failing:            report its exception (whose cause is the learner's error, with its stack)
 *   each flow (ActorSystem):     defaults to the run's clock and output; a running stream counts as active;
 *                               a stream that fails is reported like a failing query; Consumer sources read
 *                               the runtime's Kafka (the learner clients' factory), SlickSession writes to
 *                               its PostgreSQL
 */
import { ManualClock, type Clock } from '../../engine/clock.js';
import { toRowObject } from '../../engine/rows.js';
import type { StreamingQuery, Trigger } from '../../engine/structured/streaming-query.js';
import type { PipelineLatencyInfo, TriggerInfo } from '../../protocol/index.js';
import { LatencyMeter } from '../../engine/latency/latency-meter.js';
import { LATENCY_BUCKETS_MS } from '../../engine/latency/latency-stats.js';
import type { ChildBatch, JobServices } from '../ipc.js';
import { registerConnectors, type RegisteredConnectors } from '../../connectors/index.js';
import { kafkajsClientFactory } from '../../connectors/kafka/learner-clients.js';
import type { KafkaConnection } from '../../connectors/kafka/kafka-connection.js';
import type { StreamingContextOptions } from '../../engine/dstream/streaming-context.js';
import { setKafkaClientFactory } from '../../engine/kafka-client/client-factory.js';
import { FormatRegistry } from '../../engine/formats.js';
import type { InMemoryKafkaCluster } from '../../engine/kafka-client/memory-kafka-cluster.js';
import { registerMemoryKafka } from '../../engine/kafka-client/memory-kafka-format.js';
import * as streamlab from '../../streamlab.js';
import { csvSourceProvider } from '../../engine/csv-source.js';
import { dataFolderFiles } from '../../connectors/files/local-files.js';
import { addStreamListener, setFlowHost, type ActorSystem } from '../../engine/flow/actor-system.js';
import { consumersClosed } from '../../engine/flow/kafka/consumer-handle.js';
import { setSqlExecutorFactory } from '../../engine/flow/slick/sql-executor.js';
import { pgSqlExecutorFactory } from '../../connectors/postgres/flow-sql.js';
import { learnerCheckpointResolver } from '../../checkpoint/learner-checkpoints.js';

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

/** How long stopping a run waits for its flows' Kafka consumers to close (the host allows 1.5 s in all). */
const CONSUMER_CLOSE_MS = 1000;

/** Options of `bindEngine`. */
export interface BindOptions {
  clock: Clock;
  observer: EngineObserver;
  services: JobServices;
  /** Where `checkpointLocation`s live on disk; in memory without it. */
  checkpointDir?: string;
  /** The folder `spark.read.csv` reads from (relative paths resolve inside it); no CSV without it. */
  dataDir?: string;
  /**
   * An in-memory Kafka behind every layer instead of the services' broker (check mode): the learner's
   * KafkaProducer/KafkaConsumer, `format("kafka")` and the DStream direct stream all use it.
   */
  memoryKafka?: InMemoryKafkaCluster;
  /**
   * When the run began (Run pressed, on the run's system clock): the Latency panel's start-up times
   * count from there, so they include compiling the code and starting the job process, as the learner
   * waits for them. From the binding's creation without it.
   */
  runStartedAtMs?: number;
}

/** Binds the engine for one run. */
export function bindEngine(options: BindOptions): EngineBinding {
  const { observer } = options;
  let connectors: RegisteredConnectors | null = null;
  const { services } = options;
  const list = (s: string) => s.split(',').map((b) => b.trim());
  const kafka: KafkaConnection | undefined = services.kafka
    ? {
      brokers: list(services.kafka),
      clientId: 'streamlab-job',
      ...(services.topicPrefix ? { topicPrefix: services.topicPrefix } : {}),
      ...(services.kafkaSasl ? { saslBrokers: list(services.kafkaSasl) } : {}),
      ...(services.kafkaSaslRequired ? { learnerSasl: 'required' as const } : {}),
    }
    : undefined;
  // The run's session knows the built-in formats and the connectors wired to the run's services.
  const formats = FormatRegistry.withBuiltIns();
  if (kafka || options.services.pg) {
    connectors = registerConnectors(formats, {
      ...(kafka ? { kafka } : {}),
      ...(options.services.pg ? { postgres: { url: options.services.pg } } : {}),
    });
  }
  // The learner's KafkaProducer/KafkaConsumer talk to the runtime's Kafka, stamping records with the run's clock.
  if (kafka) setKafkaClientFactory(kafkajsClientFactory(kafka, { now: () => options.clock.now() }));
  const memory = options.memoryKafka;
  if (memory) {
    setKafkaClientFactory(memory);
    registerMemoryKafka(formats, memory);
  }
  if (options.dataDir) formats.registerBatchSource('csv', csvSourceProvider(dataFolderFiles(options.dataDir)));
  const printed = (text: string) => observer.onOutput(text.endsWith('\n') ? text.slice(0, -1) : text);
  const builder = streamlab.SparkSession.builder
    .appName('streamlab')
    .clock(options.clock)
    .output(printed)
    .formats(formats);
  // A checkpointLocation is a folder in the run's checkpoint folder, so a restarted run resumes where it stopped.
  if (options.checkpointDir) builder.checkpointResolver(learnerCheckpointResolver(options.checkpointDir));
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
          rows: result.rows.map((r) => toJson(toRowObject(r, result.schema)) as Record<string, unknown>),
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
  // SlickSession statements run on the runtime's PostgreSQL.
  if (options.services.pg) setSqlExecutorFactory(pgSqlExecutorFactory(options.services.pg));
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
  const dstreamKafka = memory ?? connectors?.dstreamKafka;
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
      // Their Kafka consumers leave their groups before the process ends (within the stop's grace):
      // a member that never left holds its partitions until its session times out, and the next
      // run's flow in the same group would wait that long for its first record.
      await Promise.race([consumersClosed(), new Promise((r) => setTimeout(r, CONSUMER_CLOSE_MS).unref())]);
      await connectors?.close();
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
