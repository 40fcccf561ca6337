/**
 * One learner run on the host side: spawns the job process, watches it, turns what it reports into
 * protocol events, and stops it.
 *
 *   start → compiling (stopped meanwhile → nothing more: no error, no process)
 *         → (compile error → run.error, failed)
 *         → spawn child (empty env, permission model, heap cap) → send start
 *   booting (spawned, learner code not started yet): no `running` within BOOT_TIMEOUT_MS → kill, "did not start"
 *   running: every message refreshes the watchdog, which measures the process's own CPU time, not the wall clock,
 *            so a job that waits for a busy machine is never taken for a loop:
 *              silent while it burned `unresponsiveMs` of CPU → kill, "did not return" (a loop the guard cannot see)
 *              silent for `blockedMs` of wall time with next to no CPU → kill, "stopped responding" (blocked)
 *            rss above the cap → kill, "used more than N MB"
 *   child exit: classify (finished, stopped, out of memory, crashed, ended by the pipeline) → run.status
 *   stop: ask the child to stop, SIGKILL after STOP_GRACE_MS. Stopped before the child said its learner code
 *         runs (compiling, or its process loading): the run never ran as far as anyone hears, so nothing the
 *         child says after that is passed on (it may have begun, and even run a batch, before it read the stop)
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import type { ClockMode, RunState, ServerEvent } from '../protocol/index.js';
import type { RunLimits } from '../config.js';
import { compileLearnerFiles, type LearnerFile } from './compile.js';
import { cutText } from './cut-text.js';
import { jobChildBundle } from './child-bundle.js';
import { childToHost, type HostToChild, type JobModel, type JobServices } from './ipc.js';
import { learnerError, type LearnerError } from './learner-error.js';
import { remapError } from './stack-remap.js';
import { spawnSandbox } from './sandbox-process.js';
import { bytesUnder } from '../connectors/files/workspace.js';

/** Most characters of one console call the runtime passes on (the child cuts at 10,000 and says how much more there was). */
const HOST_LOG_CHARS = 10_100;
/** Most characters of a query's name the runtime passes on. */
const HOST_NAME_CHARS = 200;

/** How long a stopping child may take to close its clients before it is killed. */
const STOP_GRACE_MS = 1500;
/** Memory a run's process may use beyond its heap cap (code, buffers) before it is stopped. */
const RSS_OVERHEAD_MB = 160;
/** CPU time below which a silent run counts as blocked (it is not even waiting for a core). */
const BLOCKED_CPU_MS = 200;
/** How long a job process may take to load before the learner's code starts, however busy the machine. */
const BOOT_TIMEOUT_MS = 60_000;

/** Options of a run. */
export interface JobRunOptions {
  runId: string;
  files: readonly LearnerFile[];
  entry?: string;
  mode: ClockMode;
  maxRows: number;
  limits: RunLimits;
  services: JobServices;
  /** Receives every event of the run, in order. */
  onEvent(event: ServerEvent): void;
  /** Start of the manual clock (epoch ms). */
  manualStartMs?: number;
  /**
   * The lesson's saved models, decoded here: they reach the job over IPC, so the job process reads no
   * lesson files (its permission model allows only its own bundle and its checkpoint folder).
   */
  models?: readonly JobModel[];
  /**
   * Where the run's queries keep their checkpoints (each `checkpointLocation` becomes a folder inside it);
   * the job process may read and write this folder and nothing else. Without it checkpoints stay in memory.
   */
  checkpointDir?: string;
  /**
   * The learner's folder that holds `checkpointDir` and the learner's other lessons' folders: their
   * files and checkpoints all count against `limits.workspaceMb`. `checkpointDir` alone without it.
   */
  learnerDir?: string;
  /**
   * A folder the job may read and never write: `spark.read.csv` paths are resolved inside it (a
   * lesson's data lake). Without it the job reads no files.
   */
  dataDir?: string;
  /**
   * Manual clock: called with the time the clock is about to move to, before the job is told to move
   * it (a lesson's data player produces the records that arrive by then, so the batch sees them).
   */
  beforeAdvance?(clockMs: number): Promise<void>;
}

type StepWaiter = { resolve(v: { batchesRun: number; clockMs: number }): void; reject(e: Error): void };

/** One run of a learner pipeline in its own process. */
export class JobRun {
  readonly runId: string;
  readonly mode: ClockMode;
  /** Where the run's checkpoints live, when on disk. */
  readonly checkpointDir: string | undefined;
  private child: ChildProcess | null = null;
  private state: RunState = 'starting';
  private lastSeen = 0;
  /** The process's CPU time (ms) when it last answered; null where /proc is not available. */
  private cpuAtLastSeen: number | null = null;
  /** Set once the child reports that the learner's code runs: from then on the watchdog counts. */
  private learnerStarted = false;
  /** Resident memory when the child last answered. */
  private rssAtLastSeen = 0;
  private watchdog: NodeJS.Timeout | null = null;
  private stderrTail = '';
  private reported: LearnerError | null = null;
  private stopping = false;
  /** Stopped before the learner's code ran: what the child says from then on is not passed on. */
  private stoppedBeforeRunning = false;
  private map = '';
  private nextStep = 1;
  private steps = new Map<number, StepWaiter>();
  /** The last step asked for; the next one waits for it. */
  private stepQueue: Promise<void> = Promise.resolve();
  private exited: Promise<void> = Promise.resolve();
  /** The manual clock as the job last reported it (its start until the first step). */
  private manualClockMs: number;

  constructor(private readonly options: JobRunOptions) {
    this.runId = options.runId;
    this.mode = options.mode;
    this.checkpointDir = options.checkpointDir;
    this.manualClockMs = options.manualStartMs ?? 0;
  }

  /** The run's clock: the manual clock's reading, or the wall clock. */
  /**
   * The job's share of `limits.workspaceMb`: the job reads only its lesson's folder, so the bytes of the
   * learner's other folders are counted here, as the run starts.
   */
  private workspaceLimit(checkpointDir: string): { bytes: number; elsewhere: number } {
    const { learnerDir } = this.options;
    const elsewhere = learnerDir ? Math.max(0, bytesUnder(learnerDir) - bytesUnder(checkpointDir)) : 0;
    return { bytes: Math.floor(this.options.limits.workspaceMb * 1024 * 1024), elsewhere };
  }

  clockMs(): number {
    return this.mode === 'manual' ? this.manualClockMs : Date.now();
  }

  /** Current state. */
  get status(): RunState {
    return this.state;
  }

  /** Compiles and starts the pipeline; resolves once the process is started (or the run has failed). */
  async start(): Promise<void> {
    if (this.stopping) return;
    // On the system clock, the Latency panel's start-up times count from here (Run), not from the job's boot.
    const runStartedAtMs = Date.now();
    this.setState('compiling');
    const compiled = await compileLearnerFiles(this.options.files, this.options.entry, { guardLoops: true, typecheck: true });
    // Stopped while compiling: the run has ended `stopped`, and what its compile found is no longer news.
    if (this.stopping) return;
    if (!compiled.ok) {
      // Every type error, each with its line, so the editor can mark them all.
      for (const error of compiled.errors) this.options.onEvent({ kind: 'run.error', runId: this.runId, ...error });
      this.reported = compiled.error;
      this.setState('failed');
      return;
    }
    this.map = compiled.pipeline.map;
    const bundle = await jobChildBundle();
    if (this.stopping) return;
    this.setState('starting');
    const { checkpointDir } = this.options;
    if (checkpointDir) {
      // The permission flags take comma-separated lists: a comma in the path would widen the grant.
      if (checkpointDir.includes(',')) throw new Error(`the checkpoint folder ${checkpointDir} has a comma in its path`);
      mkdirSync(checkpointDir, { recursive: true });
    }
    const { dataDir } = this.options;
    if (dataDir?.includes(',')) throw new Error(`the data folder ${dataDir} has a comma in its path`);
    const child = spawnSandbox(bundle, { memoryMb: this.options.limits.memoryMb, ...(checkpointDir ? { checkpointDir } : {}), ...(dataDir ? { dataDir } : {}) });
    this.child = child;
    this.lastSeen = Date.now();
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (d: string) => {
      this.stderrTail = (this.stderrTail + d).slice(-4096);
    });
    child.on('message', (m: unknown) => this.onChildMessage(m));
    child.on('error', () => {});
    // 'close' (not 'exit'): stderr is fully read by then, so an out-of-memory crash is recognised.
    this.exited = new Promise((resolve) => child.once('close', (code, signal) => {
      this.onExit(code, signal);
      resolve();
    }));
    this.watchdog = setInterval(() => this.checkAlive(), 100);
    this.send({ type: 'start', code: compiled.pipeline.code, mode: this.mode, maxRows: this.options.maxRows, services: this.options.services, startMs: this.options.manualStartMs ?? 0, loopLimitMs: loopLimitMs(this.options.limits.unresponsiveMs), models: [...(this.options.models ?? [])], ...(checkpointDir ? { checkpointDir, workspaceLimit: this.workspaceLimit(checkpointDir) } : {}), ...(dataDir ? { dataDir } : {}), ...(this.mode === 'system' ? { runStartedAtMs } : {}) });
  }

  /** Kills each query after its next sink write, before the commit, and restarts it (see StreamingQuery.crashAfterNextSinkWrite). */
  crash(): void {
    if (this.state !== 'running' && this.state !== 'idle') throw new Error(`run.crash needs a running run; this one is ${this.state}.`);
    this.send({ type: 'crash' });
  }

  /**
   * Manual clock: runs batches or advances the clock. Steps run one after another: an advance first has
   * the records due by its new time produced (`beforeAdvance`), counted from where the previous step left
   * the clock, so a batch never runs before the records that arrived in its interval however fast the
   * steps come.
   */
  step(request: { batches?: number; advanceMs?: number }): Promise<{ batchesRun: number; clockMs: number }> {
    const result = this.stepQueue.then(() => this.stepNow(request));
    this.stepQueue = result.then(() => undefined, () => undefined);
    return result;
  }

  private async stepNow(request: { batches?: number; advanceMs?: number }): Promise<{ batchesRun: number; clockMs: number }> {
    if (this.mode !== 'manual') throw new Error('run.step needs a run started with mode "manual".');
    if (!this.child || this.isOver()) throw new Error(`The run is ${this.state}.`);
    if (request.advanceMs !== undefined && this.options.beforeAdvance) await this.options.beforeAdvance(this.manualClockMs + request.advanceMs);
    if (!this.child || this.isOver()) throw new Error(`The run is ${this.state}.`);
    const stepId = this.nextStep++;
    return new Promise((resolve, reject) => {
      this.steps.set(stepId, { resolve, reject });
      this.send({ type: 'step', stepId, ...request });
    });
  }

  /** Processes everything the sources have now (any clock mode); resolves with the batches run. */
  drain(): Promise<{ batchesRun: number; clockMs: number }> {
    if (!this.child || this.isOver()) return Promise.reject(new Error(`The run is ${this.state}.`));
    const stepId = this.nextStep++;
    return new Promise((resolve, reject) => {
      this.steps.set(stepId, { resolve, reject });
      this.send({ type: 'step', stepId, drain: true });
    });
  }

  /** Stops the run and frees its process; resolves once the process is gone. */
  async stop(): Promise<void> {
    if (this.stopping) return this.exited;
    this.stopping = true;
    this.stoppedBeforeRunning = !this.learnerStarted;
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) {
      this.cleanup();
      if (!this.isOver()) this.setState('stopped');
      return;
    }
    this.setState('stopping');
    this.send({ type: 'stop' });
    const kill = setTimeout(() => this.child?.kill('SIGKILL'), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(kill);
  }

  /** True once the run has ended one way or another. */
  isOver(): boolean {
    return this.state === 'stopped' || this.state === 'finished' || this.state === 'failed';
  }

  private send(message: HostToChild): void {
    try {
      this.child?.send(message);
    } catch {
      // The child is gone; its exit handler reports why.
    }
  }

  private onChildMessage(raw: unknown): void {
    this.lastSeen = Date.now();
    this.cpuAtLastSeen = processCpuMs(this.child?.pid);
    const parsed = childToHost.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      this.killFor(learnerError('internal', `The pipeline's process sent a message the runtime does not accept (${issue?.path.join('.') || 'message'}: ${issue?.message ?? 'invalid'}), so the run was stopped.`));
      return;
    }
    const m = parsed.data;
    this.rssAtLastSeen = processRssBytes(this.child?.pid) ?? 0;
    if (m.type === 'status' && m.state === 'running') this.learnerStarted = true;
    if (this.stoppedBeforeRunning && m.type !== 'heartbeat' && m.type !== 'step-done') return;
    switch (m.type) {
      case 'heartbeat':
        if (m.rssBytes > (this.options.limits.memoryMb + RSS_OVERHEAD_MB) * 1024 * 1024) this.killFor(this.outOfMemory());
        break;
      // The child cuts what it sends, but its learner code can patch the built-ins of the child's own
      // realm through objects the engine hands it (an engine array's Array.prototype.slice), so the
      // limits are applied again here.
      case 'log':
        this.options.onEvent({ kind: 'run.log', runId: this.runId, level: m.level, text: cutText(m.text, HOST_LOG_CHARS) });
        break;
      case 'query':
        this.options.onEvent({ kind: 'run.query', runId: this.runId, queryName: m.queryName === null ? null : cutText(m.queryName, HOST_NAME_CHARS), queryId: m.queryId, trigger: m.trigger });
        break;
      case 'batch': {
        const { type: _type, ...batch } = m;
        if (batch.api === 'structured') {
          const rows = batch.rows.slice(0, this.options.maxRows);
          this.options.onEvent({ kind: 'run.batch', runId: this.runId, ...batch, rows, truncated: rows.length < batch.totalRows });
        } else {
          this.options.onEvent({ kind: 'run.batch', runId: this.runId, ...batch });
        }
        break;
      }
      case 'status':
        if (m.state === 'finished') this.setState('finished');
        else this.setState(m.state, m.message);
        break;
      case 'error':
        this.report(remapError(m.error, this.map, this.options.files.map((f) => f.content)));
        break;
      case 'latency':
        this.options.onEvent({ kind: 'run.latency', runId: this.runId, bucketsMs: m.bucketsMs, pipelines: m.pipelines });
        break;
      case 'step-done': {
        const waiter = this.steps.get(m.stepId);
        this.steps.delete(m.stepId);
        if (this.mode === 'manual') this.manualClockMs = m.clockMs;
        if (m.error) waiter?.reject(new Error(m.error));
        else waiter?.resolve({ batchesRun: m.batchesRun, clockMs: m.clockMs });
        break;
      }
    }
  }

  private checkAlive(): void {
    if (!this.child || this.stopping || this.isOver()) return;
    // Measured from outside, so a run busy allocating in a loop is still seen (Linux; elsewhere the heartbeat's figure).
    const rss = processRssBytes(this.child.pid);
    const capBytes = this.options.limits.memoryMb * 1024 * 1024;
    if (rss !== null && rss > capBytes + RSS_OVERHEAD_MB * 1024 * 1024) {
      this.killFor(this.outOfMemory());
      return;
    }
    const silentMs = Date.now() - this.lastSeen;
    if (!this.learnerStarted) {
      if (silentMs > BOOT_TIMEOUT_MS) {
        this.killFor(learnerError('crashed', `The pipeline's process did not start within ${BOOT_TIMEOUT_MS / 1000} s and was stopped.`));
      }
      return;
    }
    const { unresponsiveMs, blockedMs } = this.options.limits;
    // CPU time the process used while silent; where it cannot be measured, the wall clock stands in.
    const cpu = this.cpuAtLastSeen === null ? null : processCpuMs(this.child.pid);
    const busyMs = cpu === null || this.cpuAtLastSeen === null ? silentMs : cpu - this.cpuAtLastSeen;
    if (busyMs > unresponsiveMs) {
      // A heap close to its cap means the run is stuck collecting garbage, not looping.
      if (rss !== null && rss > capBytes * 0.8) {
        this.killFor(this.outOfMemory());
        return;
      }
      // Memory climbing, or high enough that V8 may be collecting garbage near its cap: wait a little longer
      // (up to three times the limit) so the heap cap, not the clock, decides what the learner is told.
      const climbing = rss !== null && (rss - this.rssAtLastSeen > 64 * 1024 * 1024 || rss > capBytes * 0.5);
      if (climbing && busyMs < 3 * unresponsiveMs) return;
      const s = unresponsiveMs / 1000;
      this.killFor(learnerError('unresponsive', `Your pipeline did not return within ${s} s and was stopped: look for a loop that never ends.`));
      return;
    }
    // A run that gets a little CPU now and then is waiting its turn on a busy machine, not blocked.
    if (silentMs > blockedMs && busyMs < BLOCKED_CPU_MS) {
      const s = blockedMs / 1000;
      this.killFor(learnerError('unresponsive', `Your pipeline stopped responding for ${s} s without using the CPU and was stopped: look for a wait that never ends.`));
    }
  }

  private outOfMemory(): LearnerError {
    return learnerError('out-of-memory', `Your pipeline used more than ${this.options.limits.memoryMb} MB and was stopped.`);
  }

  private killFor(error: LearnerError): void {
    this.report(error);
    this.child?.kill('SIGKILL');
  }

  private report(error: LearnerError): void {
    if (this.reported) return;
    this.reported = error;
    this.options.onEvent({ kind: 'run.error', runId: this.runId, ...error });
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.cleanup();
    if (this.state === 'finished') return;
    if (this.reported) {
      this.setState('failed');
      return;
    }
    if (this.stopping) {
      this.setState('stopped');
      return;
    }
    if (/heap out of memory|Reached heap limit|Allocation failed/i.test(this.stderrTail)) {
      this.report(this.outOfMemory());
    } else if (code === 0) {
      this.report(learnerError('process-exit', 'Your pipeline ended its own process; stop the query instead (query.stop() or the Stop button).'));
    } else {
      this.report(learnerError('crashed', `The pipeline's process stopped unexpectedly (${signal ?? `exit code ${code}`}).`));
    }
    this.setState('failed');
  }

  private cleanup(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
    for (const w of this.steps.values()) w.reject(new Error('The run ended before the step finished.'));
    this.steps.clear();
  }

  private setState(state: RunState, message?: string): void {
    if (this.state === state && message === undefined) return;
    if (this.isOver()) return;
    this.state = state;
    this.options.onEvent({ kind: 'run.status', runId: this.runId, state, ...(message ? { message } : {}) });
  }
}

/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ, 100 on every Linux Node supports). */
const USER_HZ = 100;

/**
 * CPU time (user + system, every thread) a process has used, in ms, from /proc (Linux), or null where
 * that is not available.
 */
export function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined || process.platform !== 'linux') return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces), starting with field 3 (state): utime is 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / USER_HZ : null;
  } catch {
    return null;
  }
}

/** Resident memory of a process from /proc (Linux), or null where that is not available. */
function processRssBytes(pid: number | undefined): number | null {
  if (pid === undefined || process.platform !== 'linux') return null;
  try {
    const pages = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
    return Number.isFinite(pages) ? pages * 4096 : null;
  } catch {
    return null;
  }
}

/**
 * How long one loop may keep the pipeline busy before the loop guard stops it with its line
 * number: a little under the watchdog's limit, so the guard speaks first and the watchdog stays the
 * backstop for code the guard cannot see (a long call into a library, say).
 */
export function loopLimitMs(unresponsiveMs: number): number {
  return Math.max(100, Math.floor(unresponsiveMs * 0.75));
}
