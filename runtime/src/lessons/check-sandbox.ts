/**
 * The harness's end of a check: one sandboxed job process (the same bundle, flags and `vm` realm as
 * Run; see `jobs/sandbox-process.ts`) in check mode, driven one operation at a time.
 *
 *   open(program, world) → spawn → load (compiled code, clock start, topics) → request(op)* → close
 *
 * Every reply is validated against its operation's schema. The process is watched: a silence longer
 * than `silenceMs` (a loop the guard could not see), an operation running longer than `opTimeoutMs`
 * (an await that never resolves), both counted on the process's active clock (time spent waiting for
 * the CPU does not count: jobs/process-time.ts), or memory beyond the cap kills it, and the pending operation fails
 * with a learner-facing message. Errors from the learner's code come back with their line in the
 * learner's file (through the source map).
 */
import type { ChildProcess } from 'node:child_process';
import { jobChildBundle } from '../jobs/child-bundle.js';
import { checkReplyEnvelope, checkValues, type CheckOp, type CheckSasl, type CheckValue } from '../jobs/check-ipc.js';
import { compileLearnerFiles, type LearnerFile } from '../jobs/compile.js';
import type { JobModel } from '../jobs/ipc.js';
import { activeClock } from '../jobs/process-time.js';
import { spawnSandbox } from '../jobs/sandbox-process.js';
import { remapError } from '../jobs/stack-remap.js';
import { LearnerCodeError, opTimeoutMessage } from './check-core.js';

export { LearnerCodeError } from './check-core.js';

/** Learner files compiled for a sandbox, with what is needed to point at their lines. */
export interface CompiledProgram {
  /** `yours` (the submission) or `the solution`. */
  label: string;
  entry: string;
  files: readonly LearnerFile[];
  code: string;
  map: string;
}

/** Limits of one check process. */
export interface SandboxLimits {
  /** Heap cap, MB (default 256). */
  memoryMb: number;
  /** A loop of the learner's running this long is stopped with its line (default 3 s). */
  loopLimitMs: number;
  /** No heartbeat for this long: the process is killed (default 10 s). */
  silenceMs: number;
  /** One operation taking this long: the process is killed (default 20 s). */
  opTimeoutMs: number;
}

/**
 * Default limits; `STREAMLAB_CHECK_OP_TIMEOUT_MS` and `STREAMLAB_CHECK_LOOP_LIMIT_MS` may set the
 * operation and loop limits (the grader passes them on from its own environment, so a run that feeds
 * hanging or looping submissions on purpose need not wait the full limits for each).
 */
export function defaultLimits(env: Readonly<Record<string, string | undefined>> = process.env): SandboxLimits {
  const given = (name: string, otherwise: number) => {
    const ms = Number(env[name]);
    return Number.isFinite(ms) && ms > 0 ? ms : otherwise;
  };
  return { memoryMb: 256, loopLimitMs: given('STREAMLAB_CHECK_LOOP_LIMIT_MS', 3000), silenceMs: 10_000, opTimeoutMs: given('STREAMLAB_CHECK_OP_TIMEOUT_MS', 20_000) };
}

/** Compiles learner files with the loop guard; a compile error becomes a {@link LearnerCodeError}. */
export async function compileProgram(label: string, files: readonly LearnerFile[], entry: string): Promise<CompiledProgram> {
  // No type check here: the grader runs each check file in a fresh process, where parsing the engine for
  // it would eat the first check's time limit. Run reports type errors before anything starts.
  const result = await compileLearnerFiles(files, entry, { guardLoops: true });
  if (!result.ok) throw new LearnerCodeError({ ...result.error, message: `Your code does not compile: ${result.error.message}` }, label);
  return { label, entry, files, code: result.pipeline.code, map: result.pipeline.map };
}

const open = new Set<ChildProcess>();

/** Kills every check process this process started (they are gone with it, whatever ends it). */
export function killAllSandboxes(): void {
  for (const c of open) c.kill('SIGKILL');
}

process.once('exit', killAllSandboxes);

/**
 * A request in flight. `startedAt` (on the process's active clock) is set for operations that have the
 * operation deadline; `timer` for questions that give up on their own.
 */
type Pending = { op: CheckOp['op']; resolve(v: unknown): void; reject(e: Error): void; timer?: NodeJS.Timeout; startedAt?: number; what: string };

/** One check process. */
export class CheckSandbox {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** The process's clock, which does not run while the machine keeps it off the CPU (process-time.ts). */
  private readonly active: () => number;
  private lastSeen: number;
  private fatal: LearnerCodeError | null = null;
  private stderr = '';
  private readonly watchdog: NodeJS.Timeout;
  private readonly exited: Promise<void>;
  /** The learner's sources, whose `streamlab` imports name what the bundle renamed in messages. */
  private readonly sources: readonly string[];

  private constructor(private readonly child: ChildProcess, readonly program: CompiledProgram, private readonly limits: SandboxLimits) {
    open.add(child);
    this.active = activeClock(child.pid);
    this.lastSeen = this.active();
    this.sources = program.files.map((f) => f.content);
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (d: string) => {
      this.stderr = (this.stderr + d).slice(-4096);
    });
    child.on('message', (m: unknown) => this.onMessage(m));
    child.on('error', () => {});
    this.exited = new Promise((resolve) => child.once('close', (code, signal) => {
      open.delete(child);
      clearInterval(this.watchdog);
      this.onExit(code, signal);
      resolve();
    }));
    // Silence and operation deadlines count the process's active time: on a busy machine a check waits
    // for the CPU, and that must not read as a loop that never ends or an await that never resolves.
    this.watchdog = setInterval(() => {
      const now = this.active();
      if (now - this.lastSeen > limits.silenceMs) {
        this.kill(this.stuck(`did not answer for ${limits.silenceMs / 1000} s and was stopped: look for a loop that never ends.`, 'unresponsive'));
        return;
      }
      for (const [id, p] of this.pending) {
        if (p.startedAt !== undefined && now - p.startedAt > limits.opTimeoutMs) {
          p.startedAt = undefined;
          void this.timedOut(id, p.what);
        }
      }
    }, 250);
  }

  /** Starts a check process for `program` without loading it (for an operation that replaces `load`, like `export`). */
  static async spawn(program: CompiledProgram, limits: SandboxLimits = defaultLimits(), dataDir?: string): Promise<CheckSandbox> {
    const bundle = await jobChildBundle();
    return new CheckSandbox(spawnSandbox(bundle, { memoryMb: limits.memoryMb, ...(dataDir ? { dataDir } : {}) }), program, limits);
  }

  /** Starts a check process and loads `program` into it. */
  static async open(program: CompiledProgram, world: { startMs: number; topics: Record<string, number>; models?: JobModel[]; database?: string; sasl?: CheckSasl; dataDir?: string }, limits: SandboxLimits = defaultLimits()): Promise<CheckSandbox> {
    const sandbox = await CheckSandbox.spawn(program, limits, world.dataDir);
    try {
      await sandbox.request({ op: 'load', code: program.code, startMs: world.startMs, loopLimitMs: limits.loopLimitMs, topics: world.topics, ...(world.models ? { models: world.models } : {}), ...(world.database ? { database: world.database } : {}), ...(world.sasl ? { sasl: world.sasl } : {}), ...(world.dataDir ? { dataDir: world.dataDir } : {}) }, 'loading your file');
    } catch (e) {
      await sandbox.close();
      throw e;
    }
    return sandbox;
  }

  /** Sends one operation; resolves with its validated reply. `what` names it in a timeout message. */
  request<K extends CheckOp['op']>(op: Extract<CheckOp, { op: K }>, what: string = op.op): Promise<CheckValue<K>> {
    if (this.fatal) return Promise.reject(this.fatal);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { op: op.op, resolve: resolve as (v: unknown) => void, reject, startedAt: this.active(), what });
      try {
        this.child.send({ type: 'check', id, op });
      } catch {
        // The exit handler rejects what is pending.
      }
    });
  }

  /**
   * An operation ran out of time: asks the process where the learner's code waits (its event loop is
   * free when an await never resolves), then kills it with that line, or with the general advice.
   */
  private async timedOut(id: number, what: string): Promise<void> {
    if (this.fatal) return;
    const s = this.limits.opTimeoutMs / 1000;
    const at = await this.ask({ op: 'awaits', request: id }, 2000);
    if (this.fatal) return;
    const where = at?.at ?? null;
    const message = opTimeoutMessage(what, s, where);
    this.kill(new LearnerCodeError({ message, code: 'unresponsive', file: where?.file ?? null, line: where?.line ?? null, column: where?.column ?? null, stack: message }, this.program.label));
  }

  /** A request that gives up (null) after `ms` instead of stopping the process. */
  private ask<K extends CheckOp['op']>(op: Extract<CheckOp, { op: K }>, ms: number): Promise<CheckValue<K> | null> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(null);
      }, ms);
      this.pending.set(id, { op: op.op, resolve: resolve as (v: unknown) => void, reject: () => resolve(null), timer, what: op.op });
      try {
        this.child.send({ type: 'check', id, op });
      } catch {
        clearTimeout(timer);
        this.pending.delete(id);
        resolve(null);
      }
    });
  }

  /** Kills the process (if it still runs) and waits until it is gone. */
  async close(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }

  private stuck(text: string, code: string, glued = false): LearnerCodeError {
    const message = glued ? `Your code${text}` : `Your code ${text}`;
    return new LearnerCodeError({ message, code, file: null, line: null, column: null, stack: message }, this.program.label);
  }

  private kill(error: LearnerCodeError): void {
    this.fatal ??= error;
    this.child.kill('SIGKILL');
  }

  private onMessage(raw: unknown): void {
    this.lastSeen = this.active();
    const m = raw as { type?: unknown };
    if (m?.type === 'heartbeat' || m?.type === 'log') return;
    if (m?.type === 'error') {
      // The job process reports a failure it cannot survive (an uncaught error in a timer, say), then exits.
      const parsed = checkReplyEnvelope.options[1].shape.error.safeParse((raw as { error?: unknown }).error);
      if (parsed.success) this.fatal ??= new LearnerCodeError(remapError(parsed.data, this.program.map, this.sources), this.program.label);
      return;
    }
    const envelope = checkReplyEnvelope.safeParse(raw);
    if (!envelope.success) {
      this.kill(this.stuck('sent the check something it does not understand, so it was stopped.', 'sandbox-violation'));
      return;
    }
    const reply = envelope.data;
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    clearTimeout(p.timer);
    if (!reply.ok) {
      p.reject(new LearnerCodeError(remapError(reply.error, this.program.map, this.sources), this.program.label));
      return;
    }
    const value = checkValues[p.op].safeParse(reply.value);
    if (value.success) p.resolve(value.data);
    else p.reject(new Error(`The check process answered ${p.op} with data of the wrong shape: ${value.error.issues[0]?.message ?? ''}`));
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (!this.fatal) {
      if (/heap out of memory|Reached heap limit|Allocation failed/i.test(this.stderr)) {
        this.fatal = this.stuck(`used more than ${this.limits.memoryMb} MB and was stopped.`, 'out-of-memory');
      } else {
        this.fatal = this.stuck(`ended its process (${signal ?? `exit code ${code}`}) before the check finished.`, 'crashed');
      }
    }
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(this.fatal);
    }
    this.pending.clear();
  }
}
