/**
 * The check harness of the static build: what a lesson's `check.test.ts` imports in place of the job
 * process's harness (runtime/src/lessons/check-harness.ts; build/lessons-plugin.ts swaps it in). The
 * API is the same, and so is the part that needs no host (check-core.ts: comparisons, failures, the
 * sandbox's operations, the seeded random source). What differs is where a program runs: compiled by
 * esbuild-wasm with the loop guard, in a Web Worker of its own (check-worker.ts), watched from here.
 *
 * The checks run in the page and never evaluate learner code: they read what the workers answer, and
 * only from the worker they started, carrying the nonce they gave it. A check file draws its random
 * cases when it is evaluated, from the seed `lessonChecks` draws then; the page evaluates it afresh
 * for each Check (browser-client.ts), so each Check has a seed of its own, fresh memos, and the
 * learner's files compiled again.
 */
import {
  asFailure, hash, LearnerCodeError, ms, opTimeoutMessage, ProgramBase, Sandbox, seededRandom,
  type CheckChannel, type CheckOp, type LearnerFile, type LessonChecks, type ReportedCheck, type World,
} from '@streamlab/runtime/in-browser';
import { compileInBrowser } from './compile-in-browser.js';
import type { CheckToPage, PageToCheck } from './check-messages.js';

export {
  CheckFailure, expectLines, expectRows, fail, faultLines, Sandbox, seededRandom,
  type CheckRecord, type CheckSasl, type Fault, type PlanSummary, type Random, type RowDiff, type World,
} from '@streamlab/runtime/in-browser';

/** The limits of one check worker, as the job process's defaults (check-sandbox.ts), counted on the page's clock. */
export const CHECK_LIMITS = { loopLimitMs: 3000, silenceMs: 10_000, opTimeoutMs: 20_000 };

type Pending = { resolve(v: unknown): void; reject(e: Error): void; startedAt: number; what: string; ask?: true };

/** One check worker, driven one operation at a time. */
class WorkerChannel implements CheckChannel {
  private readonly worker = new Worker(new URL('./check-worker.ts', import.meta.url), { type: 'module', name: 'streamlab check' });
  /** What every message of this worker carries; no other code knows it. */
  private readonly nonce = crypto.randomUUID();
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private lastSeen = Date.now();
  private fatal: LearnerCodeError | null = null;
  private timingOut = false;
  private readonly watchdog: ReturnType<typeof setInterval>;

  constructor(private readonly label: string) {
    this.worker.postMessage({ type: 'hello', nonce: this.nonce } satisfies PageToCheck);
    this.worker.addEventListener('message', (ev: MessageEvent<CheckToPage>) => this.onMessage(ev.data));
    this.worker.addEventListener('error', (ev) => {
      ev.preventDefault();
      this.kill(`The check's worker failed: ${ev.message}`, 'crashed');
    });
    this.watchdog = setInterval(() => {
      const now = Date.now();
      if (now - this.lastSeen > CHECK_LIMITS.silenceMs) {
        this.kill(`Your code did not answer for ${CHECK_LIMITS.silenceMs / 1000} s and was stopped: look for a loop that never ends.`, 'unresponsive');
        return;
      }
      for (const [id, p] of this.pending) {
        if (!p.ask && !this.timingOut && now - p.startedAt > CHECK_LIMITS.opTimeoutMs) {
          void this.timedOut(id, p.what);
          return;
        }
      }
    }, 250);
  }

  request<K extends CheckOp['op']>(op: Extract<CheckOp, { op: K }>, what: string = op.op): Promise<never> {
    if (this.fatal) return Promise.reject(this.fatal);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, startedAt: Date.now(), what });
      this.worker.postMessage({ type: 'op', id, op } satisfies PageToCheck);
    });
  }

  private onMessage(m: CheckToPage): void {
    if (typeof m !== 'object' || m === null || m.nonce !== this.nonce) {
      this.kill('Your code sent the check a message of its own, and was stopped: a check reads only what it asks your code for.', 'sandbox-violation');
      return;
    }
    this.lastSeen = Date.now();
    if (m.type !== 'reply') return;
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.ok) p.resolve(m.value);
    else p.reject(new LearnerCodeError(m.error, this.label));
  }

  /**
   * An operation ran out of time: asks the worker where the learner's code waits (its event loop is
   * free when an await never resolves), then stops it with that line, or with the general advice.
   */
  private async timedOut(id: number, what: string): Promise<void> {
    this.timingOut = true;
    const askId = this.nextId++;
    const where = await new Promise<{ file: string; line: number; column: number } | null>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(askId);
        resolve(null);
      }, 2000);
      const done = (v: unknown) => {
        clearTimeout(timer);
        resolve((v as { at?: { file: string; line: number; column: number } | null } | undefined)?.at ?? null);
      };
      this.pending.set(askId, { resolve: done, reject: () => done(null), startedAt: Date.now(), what: 'awaits', ask: true });
      this.worker.postMessage({ type: 'op', id: askId, op: { op: 'awaits', request: id } } satisfies PageToCheck);
    });
    if (this.fatal) return;
    this.kill(opTimeoutMessage(what, CHECK_LIMITS.opTimeoutMs / 1000, where), 'unresponsive', where);
  }

  /** Terminates the worker; what is pending fails with `message`. */
  private kill(message: string, code: string, where: { file: string; line: number; column: number } | null = null): void {
    this.fatal ??= new LearnerCodeError({ message, code, file: where?.file ?? null, line: where?.line ?? null, column: where?.column ?? null, stack: message }, this.label);
    this.close();
    for (const p of this.pending.values()) p.reject(this.fatal);
    this.pending.clear();
  }

  close(): void {
    clearInterval(this.watchdog);
    this.worker.terminate();
  }
}

/** The submission or the lesson's solution, compiled in the page and run in check workers. */
export class Program extends ProgramBase {
  private compiled: Promise<{ files: LearnerFile[]; entry: string; code: string }> | null = null;

  constructor(label: string, private readonly source: () => { files: LearnerFile[]; entry: string }) {
    super(label);
  }

  /** Forgets the compiled program (the files changed). */
  reset(): void {
    this.compiled = null;
    this.lastCalled = null;
  }

  private program(): Promise<{ files: LearnerFile[]; entry: string; code: string }> {
    this.compiled ??= (async () => {
      const { files, entry } = this.source();
      const result = await compileInBrowser(files, entry);
      if (!result.ok) throw new LearnerCodeError({ ...result.error, message: `Your code does not compile: ${result.error.message}` }, this.label);
      return { files, entry, code: result.pipeline.code };
    })();
    return this.compiled;
  }

  protected compiledFiles(): Promise<{ files: readonly LearnerFile[]; entry: string } | null> {
    return this.program();
  }

  async run<T>(world: World, body: (s: Sandbox) => Promise<T>): Promise<T> {
    if (world.database || world.lake || world.models?.length) throw new Error('This check needs the Streamlab runtime (PostgreSQL, saved models or files).');
    const program = await this.program();
    const channel = new WorkerChannel(this.label);
    try {
      await channel.request({ op: 'load', code: program.code, startMs: ms(world.start), loopLimitMs: CHECK_LIMITS.loopLimitMs, topics: world.topics, ...(world.sasl ? { sasl: world.sasl } : {}) }, 'loading your file');
      return await body(new Sandbox(channel, this));
    } finally {
      channel.close();
    }
  }
}

type Declared = { id: string; title: string; body: () => Promise<void> };

/** A lesson's checks as its check file declared them, with the programs they run. */
interface LessonRegistry {
  checks: Declared[];
  submission: Program;
  solution: Program;
  seed: number;
  memos: Map<string, Promise<unknown>>;
  files: { submission: { files: LearnerFile[]; entry: string } | null; solution: { files: LearnerFile[]; entry: string } | null };
}

const registries = new Map<string, LessonRegistry>();
/** Sets up a lesson's checks with seeds of their own (the random cases', the hidden checks' as in the grader: nothing is hidden from a page's owner); a check file calls it once with its lesson's folder name, each time it is evaluated. */
export function lessonChecks(lessonId: string): LessonChecks<Program> {
  const files: LessonRegistry['files'] = { submission: null, solution: null };
  const need = (which: 'submission' | 'solution') => () => {
    const f = files[which];
    if (!f) throw new Error(`No ${which} files were given to the checks.`);
    return f;
  };
  const hiddenSeed = crypto.getRandomValues(new Uint32Array(1))[0]! >>> 1;
  const registry: LessonRegistry = {
    checks: [],
    submission: new Program('yours', need('submission')),
    solution: new Program('the solution', need('solution')),
    seed: crypto.getRandomValues(new Uint32Array(1))[0]! >>> 1,
    memos: new Map(),
    files,
  };
  registries.set(lessonId, registry);
  return {
    submission: registry.submission,
    solution: registry.solution,
    seed: registry.seed,
    random: (label) => seededRandom(registry.seed ^ hash(label)),
    hiddenRandom: (label) => seededRandom(hiddenSeed ^ hash(label)),
    memo<T>(key: string, fn: () => Promise<T>): Promise<T> {
      let p = registry.memos.get(key) as Promise<T> | undefined;
      if (!p) registry.memos.set(key, (p = fn()));
      return p;
    },
    check(id, title, body) {
      registry.checks.push({ id, title, body });
    },
  };
}

/**
 * Runs the checks a lesson's check file declared (`lessonChecks`) against the learner's files, one
 * after another, as vitest runs them for the grader; what each reported, as the grader's reporter has it.
 */
export async function runDeclaredChecks(
  lessonId: string,
  submission: { files: LearnerFile[]; entry: string },
  solution: { files: LearnerFile[]; entry: string },
  onCheck?: (done: number, total: number) => void,
): Promise<{ seed: number; checks: ReportedCheck[] }> {
  const registry = registries.get(lessonId);
  if (!registry) throw new Error(`The checks of lesson ${lessonId} are not loaded.`);
  registry.files.submission = submission;
  registry.files.solution = solution;
  registry.memos.clear();
  registry.submission.reset();
  registry.solution.reset();
  const checks: ReportedCheck[] = [];
  for (const c of registry.checks) {
    const started = performance.now();
    registry.submission.lastCalled = null;
    try {
      await c.body();
      checks.push({ id: c.id, title: c.title, status: 'passed', durationMs: Math.round(performance.now() - started), failure: null });
    } catch (e) {
      const failure = await asFailure(e, registry.submission, registry.solution);
      checks.push({ id: c.id, title: c.title, status: 'failed', durationMs: Math.round(performance.now() - started), failure: failure.check });
    }
    onCheck?.(checks.length, registry.checks.length);
  }
  return { seed: registry.seed, checks };
}
