/**
 * Type-checks the learner's files before anything runs (typecheck-program.ts says how), in a worker
 * thread: the runtime's main thread serves the websocket and the embedded broker, and a learner's types
 * can make the compiler work for as long as they like.
 *
 *   typecheckLearnerFiles(files) → queued → posted to the worker (one request at a time)
 *     → the worker answers: the learner's type errors (empty when the files type-check)
 *     → the deadline passes first: the worker is ended (the next request starts a new one) and the
 *       answer is one error saying the check took too long, so the pipeline does not start
 *     → the worker fails or exits: the answer is one error saying so
 *
 * A cold worker parses the engine and TypeScript's library first (seconds; more on a busy machine), so
 * its first request gets a longer deadline than the later ones, which take a fraction of a second.
 *
 * esbuild only strips types, so without this a call such as `.withWatermark("ts", 30)` would run and fail
 * somewhere inside the engine with a message about the engine, not about the learner's line.
 */
import type { Worker } from 'node:worker_threads';
import type { LearnerError } from './learner-error.js';
import { besideModule, startModuleWorker } from './module-worker.js';
import type { TypecheckFile } from './typecheck-program.js';
import type { TypecheckRequest, TypecheckResponse } from './typecheck-worker.js';

export type { TypecheckFile } from './typecheck-program.js';

/** Deadlines of one request: on a worker that has answered before, and on a new one. */
export interface TypecheckDeadlines {
  warmMs: number;
  coldMs: number;
}

/** Default deadlines: a warm check takes well under a second; a cold one parses the engine first. */
export const DEFAULT_TYPECHECK_DEADLINES: TypecheckDeadlines = { warmMs: 30_000, coldMs: 180_000 };

interface Pending {
  files: TypecheckFile[];
  resolve(errors: LearnerError[]): void;
}

/** One error for the whole check, with no position (the check did not finish). */
function checkError(message: string): LearnerError {
  return { code: 'type-error', message, file: null, line: null, column: null, stack: message };
}

/** A queue of type-check requests served by one worker thread, restarted after a deadline or a failure. */
export class TypecheckService {
  private worker: Worker | null = null;
  private warm = false;
  private nextId = 1;
  private readonly queue: Pending[] = [];
  private current: { id: number; pending: Pending; timer: NodeJS.Timeout } | null = null;

  constructor(private readonly deadlines: TypecheckDeadlines = DEFAULT_TYPECHECK_DEADLINES) {}

  /** The learner's type errors, or one error saying why the check could not finish. */
  check(files: readonly TypecheckFile[]): Promise<LearnerError[]> {
    return new Promise((resolve) => {
      this.queue.push({ files: files.map((f) => ({ path: f.path, content: f.content })), resolve });
      this.pump();
    });
  }

  /** Ends the worker; queued and running checks answer that the runtime is stopping. */
  close(): void {
    const waiting = [...(this.current ? [this.current.pending] : []), ...this.queue.splice(0)];
    if (this.current) clearTimeout(this.current.timer);
    this.current = null;
    this.stopWorker();
    for (const p of waiting) p.resolve([checkError('The runtime is stopping; the files were not type-checked.')]);
  }

  private pump(): void {
    if (this.current) return;
    const pending = this.queue.shift();
    if (!pending) {
      this.worker?.unref();
      return;
    }
    const worker = this.ensureWorker();
    worker.ref();
    const id = this.nextId++;
    const deadlineMs = this.warm ? this.deadlines.warmMs : this.deadlines.coldMs;
    const timer = setTimeout(() => {
      this.stopWorker();
      this.finish(id, [checkError(`TypeScript did not finish checking your files within ${deadlineMs < 1000 ? `${deadlineMs} ms` : `${Math.round(deadlineMs / 1000)} s`}, so the pipeline did not start. Types that expand without end (deeply nested or recursive generic types) do this; simplify them.`)]);
    }, deadlineMs);
    this.current = { id, pending, timer };
    worker.postMessage({ id, files: pending.files } satisfies TypecheckRequest);
  }

  private finish(id: number, errors: LearnerError[]): void {
    if (!this.current || this.current.id !== id) return;
    clearTimeout(this.current.timer);
    const { pending } = this.current;
    this.current = null;
    pending.resolve(errors);
    this.pump();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = startModuleWorker(besideModule(import.meta.url, 'typecheck-worker'));
    worker.on('message', (m: TypecheckResponse) => {
      if ('errors' in m) this.warm = true;
      this.finish(m.id, 'errors' in m ? m.errors : [checkError(`The type checker failed: ${m.failure}`)]);
    });
    const lost = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.warm = false;
      if (this.current) this.finish(this.current.id, [checkError(`The type checker stopped (${why}); press Run again.`)]);
    };
    worker.on('error', (e) => lost(e.message));
    worker.on('exit', (code) => lost(`exit code ${code}`));
    this.worker = worker;
    return worker;
  }

  private stopWorker(): void {
    const worker = this.worker;
    this.worker = null;
    this.warm = false;
    if (worker) void worker.terminate();
  }
}

let shared: TypecheckService | null = null;

/**
 * The learner's type errors (empty when the files type-check), from the runtime's type-check worker.
 * @param files the learner's files, paths relative to the learner's folder
 */
export function typecheckLearnerFiles(files: readonly TypecheckFile[]): Promise<LearnerError[]> {
  shared ??= new TypecheckService();
  return shared.check(files);
}

/** Starts the worker and parses the engine, so the first Run does not wait for it. */
export function warmTypecheck(): Promise<void> {
  return typecheckLearnerFiles([{ path: 'warm.ts', content: 'import { SparkSession } from "streamlab";\nSparkSession.builder;\n' }]).then(() => undefined);
}

/** Ends the runtime's type-check worker (on shutdown). */
export function stopTypecheck(): void {
  shared?.close();
  shared = null;
}
