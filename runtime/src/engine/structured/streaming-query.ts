/**
 * A running streaming query (PySpark `StreamingQuery`). A driver loop runs triggers on the injected
 * clock: the default trigger runs a batch whenever there is work (woken by sources), a
 * processing-time trigger at interval boundaries (`floor(now / interval) * interval + interval`),
 * `once` one batch with everything available and no no-data batch, `availableNow` everything
 * available at start (honouring read limits) then stops. Batches never overlap: every trigger,
 * including `processAllAvailable()`, runs under one lock.
 */
import type { CheckpointStore } from '../state/checkpoint-store.js';
import { StreamingQueryException, StreamlabError } from '../errors.js';
import { explainTree, type OutputMode } from '../physical/operator.js';
import type { LogicalPlan } from '../plans/plan.js';
import type { StreamingQueryProgress } from '../execution/progress.js';
import type { Sink } from '../sinks/sink.js';
import { MicroBatchExecution, type BatchResult, type TriggerMode } from '../execution/micro-batch-execution.js';
import type { SparkSession } from './session.js';

/** Trigger settings. */
export type Trigger =
  | { readonly kind: 'default' }
  | { readonly kind: 'processingTime'; readonly intervalMs: number }
  | { readonly kind: 'once' }
  | { readonly kind: 'availableNow' }
  | { readonly kind: 'continuous'; readonly intervalMs: number };

/** Called after every batch with its progress, trace and output rows. */
export type BatchListener = (result: BatchResult) => void;

/** What `start()` hands the query. */
export interface StreamingQueryOptions {
  readonly session: SparkSession;
  readonly plan: LogicalPlan;
  readonly outputMode: OutputMode;
  readonly trigger: Trigger;
  readonly name: string | null;
  readonly checkpoint: CheckpointStore;
  /** Creates the sink once the query id is known (read from, or written to, the checkpoint). */
  readonly sinkFactory: (queryId: string) => Sink | Promise<Sink>;
  readonly sinkDescription: string;
}

/** PySpark's `query.status`. */
export interface StreamingQueryStatus {
  readonly message: string;
  readonly isDataAvailable: boolean;
  readonly isTriggerActive: boolean;
}

function uuid(): string {
  return globalThis.crypto.randomUUID();
}

/** What a simulated crash reports: the batch written but not committed, and the query that replays it. */
export interface CrashReport {
  readonly batchId: number;
  readonly restarted: StreamingQuery;
}

/** Thrown inside the batch loop between the sink's write and the commit. */
class SimulatedCrash extends Error {
  constructor(readonly batchId: number) {
    super(`killed after the sink wrote batch ${batchId}, before the batch was committed`);
  }
}

/** A handle to a running (or finished) streaming query. */
export class StreamingQuery {
  private queryId = uuid();
  /** Changes on every start. */
  readonly runId = uuid();
  readonly name: string | null;
  private readonly opts: StreamingQueryOptions;
  private exec: MicroBatchExecution | null = null;
  private sink: Sink | null = null;
  private lock: Promise<unknown> = Promise.resolve();
  private ready!: Promise<void>;
  private stopped = false;
  private error: StreamingQueryException | null = null;
  private readonly progress: StreamingQueryProgress[] = [];
  private readonly listeners = new Set<BatchListener>();
  private terminate!: () => void;
  private readonly terminated: Promise<void>;
  private abort = new AbortController();
  private signalPending = false;
  private wake: (() => void) | null = null;
  private waitingUntil: number | null = null;
  private waitingForData = false;
  private pollUntil: number | null = null;
  private running = false;
  private stateWaiters: (() => void)[] = [];
  private unsubscribe: (() => void) | null = null;
  private statusMessage = 'Initializing sources';
  private crash: ((r: CrashReport) => void) | null = null;

  constructor(opts: StreamingQueryOptions) {
    this.opts = opts;
    this.name = opts.name;
    this.terminated = new Promise<void>((resolve) => (this.terminate = resolve));
  }

  /** Query id, stable across restarts from the same checkpoint. */
  get id(): string {
    return this.queryId;
  }

  /** @internal Starts initialisation and the driver loop. */
  begin(): void {
    this.ready = this.initialize();
    // The driver reports failures through fail(); nothing may escape as an unhandled rejection.
    this.ready.then(() => this.drive()).catch((e: unknown) => this.fail(e));
  }

  private async initialize(): Promise<void> {
    try {
      const cp = this.opts.checkpoint;
      const meta = await cp.readMetadata();
      if (meta) this.queryId = meta.id;
      else await cp.writeMetadata({ id: this.queryId });
      this.sink = await this.opts.sinkFactory(this.queryId);
      const exec = new MicroBatchExecution({
        plan: this.opts.plan,
        outputMode: this.opts.outputMode,
        sink: this.sink,
        sinkDescription: this.opts.sinkDescription,
        checkpoint: cp,
        clock: this.opts.session.clock,
        conf: this.opts.session.conf.getAll(),
        queryId: () => this.queryId,
        runId: this.runId,
        name: this.name,
        traceDetail: () => this.listeners.size > 0,
        afterSinkWrite: (batchId) => {
          if (this.crash) throw new SimulatedCrash(batchId);
        },
      }, async (rel, index) => rel.provider.createSource({
        options: rel.options, userSchema: rel.userSchema, clock: this.opts.session.clock, sourceIndex: index, log: (line) => this.opts.session.output(line),
        conf: this.opts.session.conf.getAll(),
        sourceLog: { latest: () => cp.latestSourceLog(index), get: (b) => cp.readSourceLog(index, b), add: (b, lines) => cp.writeSourceLog(index, b, lines) },
      }));
      await exec.initialize();
      this.exec = exec;
      this.unsubscribe = exec.onNewData(() => this.signal());
      this.statusMessage = 'Waiting for data to arrive';
      this.opts.session.streams.notifyStarted(this);
    } catch (e) {
      this.fail(e);
      throw this.error;
    }
  }

  private signal(): void {
    this.signalPending = true;
    const w = this.wake;
    this.wake = null;
    w?.();
    this.stateChanged();
  }

  private stateChanged(): void {
    const ws = this.stateWaiters;
    this.stateWaiters = [];
    for (const w of ws) w();
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  private async trigger(mode: TriggerMode): Promise<boolean> {
    if (this.stopped || !this.exec) return false;
    this.running = true;
    this.stateChanged();
    try {
      const result = await this.exec.runOneBatch(mode);
      if (!result) return false;
      this.progress.push(result.progress);
      if (this.progress.length > 100) this.progress.shift();
      for (const l of this.listeners) l(result);
      this.opts.session.streams.notifyProgress(this, result.progress);
      return true;
    } catch (e) {
      if (e instanceof SimulatedCrash) {
        // Restart outside the trigger: shutting down waits for the running trigger to end.
        void Promise.resolve().then(() => this.restartAfterCrash(e.batchId));
        this.stopped = true;
        return false;
      }
      this.fail(e);
      return false;
    } finally {
      this.running = false;
      this.stateChanged();
    }
  }

  /**
   * Streamlab: kills the query right after its sink has written the next batch and before that batch
   * is committed to the checkpoint — the window where a real crash makes a sink see a batch twice —
   * then starts it again from its checkpoint, as a cluster manager restarts a crashed driver. The
   * restarted query (same id, new runId) replays the batch. Resolves once it has been started.
   */
  crashAfterNextSinkWrite(): Promise<CrashReport> {
    if (this.stopped) return Promise.reject(new Error(`Query ${this.name ?? this.queryId} is not running`));
    return new Promise<CrashReport>((resolve) => (this.crash = resolve));
  }

  private async restartAfterCrash(batchId: number): Promise<void> {
    const report = this.crash;
    this.crash = null;
    await this.shutdown(true);
    const restarted = new StreamingQuery(this.opts);
    this.opts.session.streams.register(restarted);
    restarted.begin();
    await restarted.ready.catch(() => undefined);
    report?.({ batchId, restarted });
  }

  private fail(e: unknown): void {
    if (this.error) return;
    const cause = e instanceof StreamingQueryException ? e.cause : e;
    const msg = cause instanceof Error ? cause.message : String(cause);
    this.error = new StreamingQueryException(`Query ${this.name === null || this.name === undefined ? '' : `${this.name} `}[id = ${this.queryId}, runId = ${this.runId}] terminated with exception: ${msg}`, {
      code: cause instanceof StreamlabError ? cause.code : 'STREAM_FAILED',
      cause,
    });
    void this.shutdown();
  }

  private async drive(): Promise<void> {
    const t = this.opts.trigger;
    const clock = this.opts.session.clock;
    try {
      if (t.kind === 'once') {
        await this.exclusive(() => this.trigger({ ignoreLimits: true, allowNoData: false }));
        await this.shutdown();
        return;
      }
      if (t.kind === 'availableNow') {
        await this.exclusive(async () => this.exec!.prepareAvailableNow());
        while (!this.stopped && (await this.exclusive(() => this.trigger({})))) { /* keep going */ }
        await this.shutdown();
        return;
      }
      if (t.kind === 'processingTime') {
        let next = clock.now();
        while (!this.stopped) {
          this.waitingUntil = next;
          this.stateChanged();
          try {
            await clock.waitUntil(next, this.abort.signal);
          } catch {
            break;
          }
          this.waitingUntil = null;
          const now = clock.now();
          await this.exclusive(() => this.trigger({}));
          next = Math.floor(now / t.intervalMs) * t.intervalMs + t.intervalMs;
        }
        return;
      }
      while (!this.stopped) {
        this.signalPending = false;
        const ran = await this.exclusive(() => this.trigger({}));
        if (ran || this.stopped) continue;
        if (this.signalPending) continue;
        this.waitingForData = true;
        this.stateChanged();
        const woken = new Promise<void>((resolve) => (this.wake = resolve));
        if (this.exec?.allSourcesNotify) await woken;
        else {
          // A source that cannot announce new data is polled, as Spark's default trigger does
          // (spark.sql.streaming.pollingDelay, 10 ms), on the query's clock.
          const delay = Number((this.opts.session.conf.get('spark.sql.streaming.pollingDelay') ?? '10').replace(/ms$/, ''));
          const timer = new AbortController();
          this.pollUntil = clock.now() + delay;
          await Promise.race([woken, clock.waitUntil(this.pollUntil, timer.signal).catch(() => undefined)]);
          this.pollUntil = null;
          timer.abort(new Error('woken'));
        }
        this.waitingForData = false;
      }
    } finally {
      this.waitingUntil = null;
      this.waitingForData = false;
      this.stateChanged();
    }
  }

  /** Whether the driver is waiting (for the clock or for data) with no batch running. */
  private get idle(): boolean {
    if (this.stopped) return true;
    if (this.running) return false;
    if (this.waitingUntil !== null) return this.opts.session.clock.now() < this.waitingUntil;
    if (this.pollUntil !== null && this.opts.session.clock.now() >= this.pollUntil) return false;
    return this.waitingForData && !this.signalPending;
  }

  /**
   * Resolves once the trigger loop has nothing to do until the clock moves or data arrives
   * (used with a manual clock: advance it, then await this to let the due batch finish).
   */
  async awaitIdle(): Promise<void> {
    await this.ready.catch(() => undefined);
    while (!this.idle) await new Promise<void>((r) => this.stateWaiters.push(r));
    if (this.error) throw this.error;
  }

  /**
   * Runs batches until every source's available data is processed and no no-data batch is due
   * (read limits still apply, so this may run several batches). Rejects if the query failed.
   */
  async processAllAvailable(): Promise<void> {
    await this.ready.catch(() => undefined);
    if (this.error) throw this.error;
    while (!this.stopped && (await this.exclusive(() => this.trigger({})))) { /* next batch */ }
    if (this.error) throw this.error;
  }

  /** @internal Runs exactly one trigger now if a batch is due; resolves to whether one ran. */
  async runOnce(mode: TriggerMode = {}): Promise<boolean> {
    await this.ready.catch(() => undefined);
    if (this.error) throw this.error;
    const ran = await this.exclusive(() => this.trigger(mode));
    if (this.error) throw this.error;
    return ran;
  }

  /**
   * Waits until the query stops (by `stop()`, by its trigger, or by failing; then it rejects).
   * `timeout` is in seconds of elapsed time (the clock's `sleep`), as in PySpark; resolves false if it elapses first.
   */
  async awaitTermination(timeout?: number): Promise<boolean> {
    if (timeout === undefined) {
      await this.terminated;
    } else {
      const timer = new AbortController();
      const done = await Promise.race([
        this.terminated.then(() => true),
        this.opts.session.clock.sleep(timeout * 1000, timer.signal).then(() => false, () => false),
      ]);
      timer.abort();
      if (!done) return false;
    }
    if (this.error) throw this.error;
    return true;
  }

  private async shutdown(afterCrash = false): Promise<void> {
    if (this.stopped && !afterCrash) return;
    this.stopped = true;
    this.abort.abort(new Error('query stopped'));
    this.signal();
    this.unsubscribe?.();
    await this.lock.catch(() => undefined);
    try {
      await this.exec?.stop();
      await this.sink?.stop?.();
    } finally {
      this.statusMessage = 'Stopped';
      this.opts.session.streams.notifyTerminated(this, this.error);
      this.stateChanged();
      this.terminate();
    }
  }

  /** Stops the query after the running batch (if any) finishes. */
  async stop(): Promise<void> {
    await this.ready.catch(() => undefined);
    await this.shutdown();
  }

  /** The trigger the query was started with (`{ kind: 'default' }` when `trigger()` was not called). */
  get triggerSettings(): Trigger {
    return this.opts.trigger;
  }

  /** Whether the query is running. */
  get isActive(): boolean {
    return !this.stopped;
  }

  /** The failure, if the query died. */
  exception(): StreamingQueryException | null {
    return this.error;
  }

  /** The most recent progress, or null before the first batch. */
  get lastProgress(): StreamingQueryProgress | null {
    return this.progress[this.progress.length - 1] ?? null;
  }

  /** Up to the last 100 progress reports. */
  get recentProgress(): StreamingQueryProgress[] {
    return [...this.progress];
  }

  get status(): StreamingQueryStatus {
    return { message: this.stopped ? 'Stopped' : this.running ? 'Processing new data' : this.statusMessage, isDataAvailable: this.signalPending, isTriggerActive: this.running };
  }

  /** The physical plan text (printed through the session output and returned). */
  explain(_extended = false): string {
    const exec = this.exec;
    const text = exec ? `== Physical Plan ==\n${explainTree(exec.physical.root)}\n` : 'No physical plan. Waiting for data.\n';
    this.opts.session.output(text);
    return text;
  }

  /** Streamlab: observe every batch (progress, explain trace, output rows). Returns an unsubscribe function. */
  onBatch(listener: BatchListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** @internal Rows held by the n-th stateful operator. */
  stateRowCount(operatorIndex = 0): number {
    return this.exec?.stateRowCount(operatorIndex) ?? 0;
  }

  /** @internal The session this query belongs to. */
  get sparkSession(): SparkSession {
    return this.opts.session;
  }
}
