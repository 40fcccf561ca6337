/**
 * The DStream scheduler (Spark's StreamingContext + JobGenerator), on an injected clock.
 *
 *   start():  validate (an output exists; stateful streams have a checkpoint directory)
 *             zero = floor(now / batch) · batch;  first batch time = zero + batch
 *             (with a checkpoint in the store: zero and the state come from it and the first batch is
 *              the one after the checkpointed batch, so batches missed while down run first)
 *   loop:     for t = first, first + batch, …:
 *               wait until clock ≥ t
 *               every input prepares t                       (may be async: broker fetches)
 *               every output operation, in registration order, runs on its stream's RDD at t;
 *               an input computes its RDD for a time when an operation first needs it (as in Spark)
 *               save the checkpoint (stateful RDDs, input positions), drop RDDs no window needs
 *               report the batch trace to listeners
 *   failure:  an exception in any step stops the context; awaitTermination rejects with it.
 */
import type { Clock } from '../clock.js';
import { defaultCheckpointStore, type CheckpointStore, type DStreamCheckpoint } from './checkpoint-store.js';
import type { DirectInput } from './direct-input.js';
import { DStream } from './dstream.js';
import { DStreamGraph, type DStreamSemantics, type StreamingContextState } from './dstream-graph.js';
import { toMillis, type DurationLike } from './duration.js';
import { IllegalArgumentException, IllegalStateException, ValueError } from './errors.js';
import { directSource, queueSource, type InputSource } from './input-source.js';
import { formatBatchTime, pyStr } from './python-format.js';
import { RDD } from './rdd.js';
import type { SparkContext } from './spark-context.js';
import { INPUT_SAMPLE_SIZE, type DStreamBatchTrace, type DStreamListener, type DStreamRecordSample, type DStreamWindowTrace } from './trace.js';
import type { DirectInputFactory, SocketInputFactory } from './direct-input.js';
import type { DStreamPlan } from './dstream-plan.js';

/** Options PySpark does not have: the injected clock and the hooks the runtime plugs in. */
export interface StreamingContextOptions {
  /** Processing-time clock; tests and lessons pass a ManualClock. Required to start. */
  clock?: Clock;
  /**
   * Time zone for pprint's `Time:` line (IANA name); by default the SparkContext's
   * `spark.sql.session.timeZone`, else UTC like our Spark sessions.
   */
  timeZone?: string;
  /** Where pprint writes; receives whole blocks of text ending in a newline. Defaults to the console. */
  stdout?: (text: string) => void;
  /** Where checkpoints go; a process-wide in-memory store by default. */
  checkpointStore?: CheckpointStore;
  /** Creates the inputs of `KafkaUtils.createDirectStream`; in-memory topics by default. */
  kafka?: DirectInputFactory;
  /** Creates the inputs of `socketTextStream`; the runtime provides a TCP one. */
  socket?: SocketInputFactory;
  /** Follow PySpark (default) or the JVM API where they differ. */
  semantics?: DStreamSemantics;
  /**
   * Computes every input's RDD at every batch time, as Spark does when each input also has an output
   * that reads it every batch (`input.foreachRDD(() => {})`). Without it, as in Spark, an input
   * computes only when an operation needs it, so a window reported once a minute gets the minute's
   * records in one RDD; with it, each batch's RDD holds what arrived in that batch. Lesson checks use
   * it to tell a sum over the window from an average of per-batch averages.
   */
  readInputsEveryBatch?: boolean;
}

interface InputEntry {
  stream: DStream<unknown>;
  source: InputSource<unknown>;
}

interface BatchWaiter {
  timeMs: number;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/** The entry point of the DStream API (PySpark `StreamingContext`). */
export class StreamingContext {
  /** The SparkContext batches run on. */
  readonly sparkContext: SparkContext;
  /** Batch interval in milliseconds. */
  readonly batchDurationMs: number;
  /** @internal */
  readonly graph: DStreamGraph;
  /** @internal Kafka input factory, if configured. */
  readonly kafkaFactory: DirectInputFactory | undefined;
  private readonly socketFactory: SocketInputFactory | undefined;
  private readonly clock: Clock | undefined;
  private readonly inputs: InputEntry[] = [];
  private readonly readInputsEveryBatch: boolean;
  private readonly listeners: DStreamListener[] = [];
  private currentWait: AbortController | null = null;
  private batchWaiters: BatchWaiter[] = [];
  private lastCompletedMs: number | null = null;
  private failure: { error: unknown } | null = null;
  private readonly terminated: Promise<void>;
  private resolveTerminated!: () => void;
  private rejectTerminated!: (e: unknown) => void;

  /**
   * @param sparkContext the SparkContext (or `spark.sparkContext`)
   * @param batchDuration batch interval: PySpark seconds (0.5 allowed) or a Duration
   */
  constructor(sparkContext: SparkContext, batchDuration: DurationLike, options: StreamingContextOptions = {}) {
    this.sparkContext = sparkContext;
    this.batchDurationMs = toMillis(batchDuration);
    if (!(this.batchDurationMs > 0)) throw new IllegalArgumentException(`requirement failed: Batch duration must be positive, got ${this.batchDurationMs} ms`);
    this.clock = options.clock;
    this.kafkaFactory = options.kafka;
    this.socketFactory = options.socket;
    this.readInputsEveryBatch = options.readInputsEveryBatch === true;
    this.graph = new DStreamGraph(
      sparkContext,
      this.batchDurationMs,
      options.semantics ?? 'pyspark',
      options.timeZone ?? sparkContext.getConf().get('spark.sql.session.timeZone') ?? 'UTC',
      options.stdout ?? ((text) => globalThis.console.log(text.endsWith('\n') ? text.slice(0, -1) : text)),
      options.checkpointStore ?? defaultCheckpointStore(),
    );
    this.graph.owner = this;
    this.terminated = new Promise<void>((resolve, reject) => {
      this.resolveTerminated = resolve;
      this.rejectTerminated = reject;
    });
    // A failure nobody awaits must not become an unhandled rejection; awaitTermination still sees it.
    this.terminated.catch(() => undefined);
  }

  /**
   * PySpark's `StreamingContext.getOrCreate(checkpointPath, setupFunc)`. Functions cannot be read
   * back from a checkpoint, so the program always builds its graph with `setupFunc`; on start the
   * context then resumes from the checkpoint stored under `checkpointPath`, if there is one.
   */
  static getOrCreate(checkpointPath: string, setupFunc: () => StreamingContext): StreamingContext {
    const ssc = setupFunc();
    if (ssc.graph.checkpointDir === null) ssc.checkpoint(checkpointPath);
    return ssc;
  }

  /** Enables checkpointing into `directory` (required by updateStateByKey and inverse window reductions). */
  checkpoint(directory: string): void {
    if (this.graph.state !== 'INITIALIZED') throw new IllegalStateException('Cannot set the checkpoint directory once the context has started');
    this.graph.checkpointDir = directory;
  }

  /** The context's state: INITIALIZED, ACTIVE or STOPPED. */
  getState(): StreamingContextState {
    return this.graph.state;
  }

  /** Registers a listener for batch traces (PySpark `addStreamingListener`). */
  addStreamingListener(listener: DStreamListener): void {
    this.listeners.push(listener);
  }

  /** Remembers RDDs for at least `duration` (PySpark `remember`). */
  remember(duration: DurationLike): void {
    this.rememberMs = toMillis(duration);
  }

  private rememberMs = 0;
  /** Time of the batch being run: inputs compute RDDs for times up to it, never ahead of it. */
  private currentBatchMs = Number.NEGATIVE_INFINITY;

  // ---------------------------------------------------------------- inputs

  /**
   * The extension point for inputs (connectors): a stream fed by `source` once per batch.
   */
  inputStream<T>(source: InputSource<T>): DStream<T> {
    return this.graph.record('inputStream', 'input', [], { name: source.name }, {}, () => {
      const stream = new DStream<T>(this.graph, {
        op: source.name,
        parents: [],
        slideDurationMs: this.batchDurationMs,
        input: true,
        // A time before this run (after a restart) has only what the checkpoint restored.
        compute: (_self, t) => (this.graph.startTimeMs !== null && t >= this.graph.startTimeMs && t <= this.currentBatchMs ? source.compute(t, this.sparkContext) : null),
      });
      this.inputs.push({ stream: stream as DStream<unknown>, source: source as InputSource<unknown> });
      return stream;
    });
  }

  /**
   * A stream served from a queue of RDDs (or plain arrays, parallelized): one per batch when
   * `oneAtATime` (default), else all at the first batch. After the queue empties, `defaultRDD` is
   * served if given, else an empty RDD.
   */
  queueStream<T>(rdds: Array<RDD<T> | T[]>, oneAtATime = true, defaultRDD?: RDD<T> | T[] | null): DStream<T> {
    const toRdd = (x: RDD<T> | T[]): RDD<T> => (x instanceof RDD ? x : this.sparkContext.parallelize(x));
    const queue = rdds.map(toRdd);
    const defaultRdd = defaultRDD == null ? null : toRdd(defaultRDD);
    const args = { rdds: queue.map((r) => r.collect()), partitions: queue.map((r) => r.getNumPartitions()), oneAtATime, default: defaultRdd?.collect() ?? null };
    return this.graph.record('queueStream', 'input', [], args, {}, () => this.inputStream(queueSource(queue, oneAtATime, defaultRdd)));
  }

  /**
   * Lines of text from a TCP source (PySpark `socketTextStream`): each batch holds the lines that
   * arrived since the previous one. Needs the `socket` input factory the runtime passes in.
   */
  socketTextStream(hostname: string, port: number): DStream<string> {
    const factory = this.socketFactory;
    if (!factory) {
      throw new IllegalStateException(`socketTextStream(${hostname}, ${port}) needs a socket input: create the StreamingContext with { socket }`);
    }
    return this.graph.record('socketTextStream', 'input', [], { hostname, port }, {}, () =>
      this.directStream(factory.createSocketInput(hostname, port)),
    );
  }

  /** @internal A direct (receiver-less) input, used by KafkaUtils. */
  directStream<T>(input: DirectInput<T>): DStream<T> {
    return this.inputStream(directSource(input));
  }

  /** The union of several streams with the same slide. */
  union<T>(...dstreams: DStream<T>[]): DStream<T> {
    if (dstreams.length === 0) throw new ValueError('should have at least one DStream to union');
    if (new Set(dstreams.map((d) => d.slideDurationMs)).size > 1) throw new ValueError('All DStreams should have same slide duration');
    return this.graph.record('union', 'transformation', dstreams, {}, {}, () =>
      dstreams.slice(1).reduce((acc, d) => acc.union(d), dstreams[0] as DStream<T>),
    );
  }

  // ---------------------------------------------------------------- life cycle

  /**
   * Starts the batches. Throws at once for what Spark rejects at start: no output operation, a
   * stateful operation without a checkpoint directory, a stopped context, or no clock.
   */
  start(): void {
    if (this.graph.state === 'ACTIVE') return;
    if (this.graph.state === 'STOPPED') throw new IllegalStateException('StreamingContext has already been stopped');
    if (this.graph.outputs.length === 0) throw new IllegalArgumentException('requirement failed: No output operations registered, so nothing to execute');
    const clock = this.clock;
    if (!clock) throw new IllegalArgumentException('requirement failed: StreamingContext needs a clock to start: new StreamingContext(sc, batch, { clock })');
    for (const out of this.graph.outputs) out.stream.remember(Math.max(this.rememberMs, out.stream.slideDurationMs));
    for (const s of this.graph.streams) {
      if (s.spec.stateful && s.isReachable && this.graph.checkpointDir === null) {
        throw new IllegalArgumentException('requirement failed: The checkpoint directory has not been set. Please set it by StreamingContext.checkpoint().');
      }
    }
    const batch = this.batchDurationMs;
    const first = (Math.floor(clock.now() / batch) + 1) * batch;
    this.graph.zeroTimeMs = first - batch;
    this.graph.startTimeMs = first;
    this.graph.state = 'ACTIVE';
    void this.run(clock, first);
  }

  /**
   * Stops the batches (PySpark `stop(stopSparkContext=True, stopGraceFully=False)`). A batch already
   * running finishes its current step; no new batch starts. Batches run one at a time and inputs
   * are pulled at batch time, so nothing is left received-but-unprocessed: `stopGracefully` is
   * accepted for PySpark's signature and changes nothing.
   */
  stop(stopSparkContext = true, stopGracefully = false): void {
    void stopGracefully;
    if (this.graph.state === 'STOPPED') return;
    this.shutdown(null);
    if (stopSparkContext) this.sparkContext.stop();
  }

  /**
   * Resolves when the context stops; rejects with the exception that stopped it. With `timeout`
   * (seconds, measured on the context's clock) it also resolves once that time has passed.
   */
  async awaitTermination(timeout?: number): Promise<void> {
    if (timeout === undefined || timeout === null) return this.terminated;
    await this.awaitTerminationOrTimeout(timeout);
  }

  /** Resolves true when the context stopped within `timeout` seconds (on its clock), false otherwise. */
  async awaitTerminationOrTimeout(timeout: number): Promise<boolean> {
    const clock = this.clock;
    if (!clock) return this.terminated.then(() => true);
    const timer = new AbortController();
    const timedOut = clock.waitUntil(clock.now() + Math.round(timeout * 1000), timer.signal).then(() => false, () => false);
    try {
      return await Promise.race([this.terminated.then(() => true), timedOut]);
    } finally {
      timer.abort();
    }
  }

  /**
   * Resolves once every batch up to `timeMs` has completed (a test and lesson helper: advance a
   * ManualClock, then await this). Rejects if the context stops first.
   */
  awaitBatchCompleted(timeMs: number): Promise<void> {
    if (this.lastCompletedMs !== null && this.lastCompletedMs >= timeMs) return Promise.resolve();
    if (this.failure) return Promise.reject(this.failure.error);
    if (this.graph.state === 'STOPPED') return Promise.reject(new IllegalStateException(`StreamingContext stopped before batch ${timeMs} ms`));
    return new Promise((resolve, reject) => this.batchWaiters.push({ timeMs, resolve, reject }));
  }

  /**
   * Resolves once every batch due at the clock's current time has completed (at once before the first
   * batch is due, or when the context is not running): what a manual step waits for.
   */
  awaitDueBatches(): Promise<void> {
    const start = this.graph.startTimeMs;
    if (!this.clock || this.graph.state !== 'ACTIVE' || start === null) return Promise.resolve();
    const now = this.clock.now();
    if (now < start) return Promise.resolve();
    const due = start + Math.floor((now - start) / this.batchDurationMs) * this.batchDurationMs;
    return this.awaitBatchCompleted(due).catch(() => undefined);
  }

  /**
   * Resolves once the first batch at or after the clock's current time has completed, so every record
   * that arrived by now is in a completed batch (at once when the context is not running). On a clock
   * nobody moves this waits for whoever moves it.
   */
  awaitArrivedBatched(): Promise<void> {
    const start = this.graph.startTimeMs;
    if (!this.clock || this.graph.state !== 'ACTIVE' || start === null) return Promise.resolve();
    const now = this.clock.now();
    const next = now <= start ? start : start + Math.ceil((now - start) / this.batchDurationMs) * this.batchDurationMs;
    return this.awaitBatchCompleted(next).catch(() => undefined);
  }

  /** The program so far as data: one node per API call (for export and explain views). */
  describe(): DStreamPlan {
    return structuredClone({ batchDurationMs: this.batchDurationMs, checkpointDir: this.graph.checkpointDir, nodes: this.graph.planNodes });
  }

  /** Time of the last completed batch (epoch ms), or null before the first. */
  get lastBatchTimeMs(): number | null {
    return this.lastCompletedMs;
  }

  private shutdown(error: { error: unknown } | null): void {
    if (this.graph.state === 'STOPPED') return;
    this.graph.state = 'STOPPED';
    this.failure = error;
    this.currentWait?.abort(new IllegalStateException('StreamingContext stopped'));
    for (const { source } of this.inputs) {
      Promise.resolve()
        .then(() => source.stop?.())
        .catch(() => undefined);
    }
    const waiters = this.batchWaiters;
    this.batchWaiters = [];
    const reason = error ? error.error : new IllegalStateException('StreamingContext stopped before the batch completed');
    for (const w of waiters) w.reject(reason);
    if (error) {
      for (const l of this.listeners) {
        try {
          l.onStreamingError?.(error.error);
        } catch {
          // A failing listener must not hide the original error.
        }
      }
      this.rejectTerminated(error.error);
    } else {
      this.resolveTerminated();
    }
  }

  private async run(clock: Clock, first: number): Promise<void> {
    try {
      let next = first;
      const dir = this.graph.checkpointDir;
      let restored: DStreamCheckpoint | undefined;
      if (dir !== null) {
        restored = await this.graph.checkpointStore.load(dir);
        if (restored && restored.batchDurationMs === this.batchDurationMs) {
          next = this.restore(restored);
        } else {
          restored = undefined;
        }
      }
      // Without a checkpoint nothing above awaited, so inputs start synchronously inside start():
      // a Kafka "latest" position is taken at the moment the context starts.
      await Promise.all(this.inputs.map(({ stream, source }) => source.start?.(restored?.inputs[String(stream.id)])));
      while (this.graph.state === 'ACTIVE') {
        // One controller per wait: a clock may keep a listener on the signal until it fires, and a
        // context-wide signal would collect one per batch.
        const wait = new AbortController();
        this.currentWait = wait;
        await clock.waitUntil(next, wait.signal);
        this.currentWait = null;
        if (this.graph.state !== 'ACTIVE') break;
        await this.runBatch(next);
        next += this.batchDurationMs;
      }
    } catch (e) {
      if (this.graph.state === 'ACTIVE') this.shutdown({ error: e });
    }
  }

  private restore(cp: DStreamCheckpoint): number {
    this.graph.zeroTimeMs = cp.zeroTimeMs;
    const first = cp.lastBatchTimeMs + this.batchDurationMs;
    this.graph.startTimeMs = first;
    for (const [id, saved] of Object.entries(cp.streams)) {
      const stream = this.graph.streams[Number(id)];
      if (stream && stream.spec.stateful && stream.op === saved.op) {
        stream.setGenerated(saved.timeMs, new RDD(this.sparkContext, saved.partitions));
      }
    }
    for (const { stream } of this.inputs) {
      for (const saved of cp.inputRdds?.[String(stream.id)] ?? []) {
        stream.setGenerated(saved.timeMs, new RDD(this.sparkContext, saved.partitions));
      }
    }
    return first;
  }

  private async runBatch(t: number): Promise<void> {
    for (const { source } of this.inputs) {
      await source.prepare?.(t, this.sparkContext);
      if (this.graph.state !== 'ACTIVE') return;
    }
    this.currentBatchMs = t;
    if (this.readInputsEveryBatch) for (const { stream } of this.inputs) stream.getOrCompute(t);
    let outputs = 0;
    for (const out of this.graph.outputs) {
      const rdd = out.stream.getOrCompute(t);
      if (rdd === null) continue;
      out.run(t, rdd);
      outputs++;
    }
    // An input no operation needed at t has no RDD for t: what arrived waits for the next one needed.
    const inputTraces: DStreamBatchTrace['inputs'] = this.inputs.map(({ stream, source }) => {
      const rdd = stream.generatedAt(t);
      return { streamId: stream.id, name: source.name, records: rdd?.count() ?? 0, hasRdd: rdd !== null, sample: (rdd?.take(INPUT_SAMPLE_SIZE) ?? []).map(recordSample) };
    });
    const trace = this.traceOf(t, inputTraces, outputs);
    const dir = this.graph.checkpointDir;
    if (dir !== null) await this.graph.checkpointStore.save(dir, this.checkpointOf(t));
    for (const s of this.graph.streams) s.clearOldRdds(t);
    this.lastCompletedMs = t;
    for (const l of this.listeners) {
      try {
        l.onBatchCompleted?.(trace);
      } catch {
        // Like Spark's listener bus: a failing listener is not the pipeline's failure.
      }
    }
    const due = this.batchWaiters.filter((w) => w.timeMs <= t);
    this.batchWaiters = this.batchWaiters.filter((w) => w.timeMs > t);
    for (const w of due) w.resolve();
  }

  private checkpointOf(t: number): DStreamCheckpoint {
    const streams: DStreamCheckpoint['streams'] = {};
    for (const s of this.graph.streams) {
      if (!s.spec.stateful || !s.isReachable) continue;
      const latest = s.latestGenerated(t);
      if (latest) streams[String(s.id)] = { op: s.op, timeMs: latest[0], partitions: latest[1].partitions() };
    }
    const inputs: DStreamCheckpoint['inputs'] = {};
    const inputRdds: NonNullable<DStreamCheckpoint['inputRdds']> = {};
    for (const { stream, source } of this.inputs) {
      if (source.positions) inputs[String(stream.id)] = source.positions();
      if (stream.keepsHistory) {
        inputRdds[String(stream.id)] = stream.generatedUpTo(t).map(([timeMs, rdd]) => ({ timeMs, partitions: rdd.partitions() }));
      }
    }
    return { version: 1, batchDurationMs: this.batchDurationMs, zeroTimeMs: this.graph.zeroTimeMs ?? 0, lastBatchTimeMs: t, streams, inputs, inputRdds };
  }

  private traceOf(t: number, inputs: DStreamBatchTrace['inputs'], outputs: number): DStreamBatchTrace {
    const zero = this.graph.zeroTimeMs ?? 0;
    const windows: DStreamWindowTrace[] = [];
    const state: DStreamBatchTrace['state'] = [];
    for (const s of this.graph.streams) {
      if (!s.isReachable) continue;
      const w = s.spec.window;
      if (w) {
        const containing = [];
        const k0 = Math.ceil((t - zero) / w.slideMs);
        for (let end = zero + k0 * w.slideMs; end < t + w.windowMs; end += w.slideMs) {
          if (end - w.windowMs < t) containing.push({ startMs: end - w.windowMs, endMs: end });
        }
        const emittedInfo = s.isTimeValid(t) ? w.lastEmitted.get(t) : undefined;
        windows.push({
          streamId: s.id,
          op: w.op,
          windowMs: w.windowMs,
          slideMs: w.slideMs,
          containing,
          emitted: emittedInfo ? { startMs: t - w.windowMs, endMs: t, ...emittedInfo } : null,
        });
      }
      if (s.spec.stateful) {
        const latest = s.latestGenerated(t);
        state.push({ streamId: s.id, op: s.op, keys: latest ? latest[1].count() : 0 });
      }
    }
    return {
      api: 'dstream',
      batchTimeMs: t,
      batchTime: formatBatchTime(t, this.graph.timeZone),
      intervalStartMs: t - this.batchDurationMs,
      inputs,
      windows,
      state,
      stateSize: state.reduce((n, s) => n + s.keys, 0),
      outputs,
    };
  }
}

/** The longest record preview a trace carries. */
const PREVIEW_CHARS = 200;

/** An input record as a trace lists it: a pair's key (Kafka's `[key, value]`, a tuple's first element) and its `pprint` text. */
function recordSample(record: unknown): DStreamRecordSample {
  const key = Array.isArray(record) && record.length === 2 && record[0] !== null && record[0] !== undefined ? pyStr(record[0]) : null;
  const text = pyStr(record);
  return { key, preview: text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS - 1)}…` : text };
}
