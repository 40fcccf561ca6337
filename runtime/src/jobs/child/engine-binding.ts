/**
 * The seam between a job process and the engine: which module `require("streamlab")` returns, how the
 * run's clock reaches the engine, and how batches, query failures and activity are observed.
 * Everything engine-specific the job process needs is here, so the rest of the job code does not change
 * as the engine grows.
 */
import type { Clock } from '../../engine/clock.js';
import * as streamlab from '../../streamlab.js';

/** A finished micro-batch as the job reports it. */
export interface BatchReport {
  queryName: string | null;
  batchId: number;
  progress: Record<string, unknown>;
  rows: Record<string, unknown>[];
  trace: unknown;
}

/** Callbacks from the engine into the job. */
export interface EngineObserver {
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
  /** Queries (or streaming contexts) still running. */
  activeQueries(): number;
  /** Manual clock: runs up to `n` batches with the data available now; resolves with how many ran. */
  runBatches(n: number): Promise<number>;
  /** Stops every query and closes its connectors. */
  stopAll(): Promise<void>;
}

/** Options of `bindEngine`. */
export interface BindOptions {
  clock: Clock;
  observer: EngineObserver;
  services: { kafka?: string; pg?: string };
}

/**
 * Binds the engine for one run. Until the engine offers query listeners, batches are not observed and a
 * pipeline counts as active only while it has timers or sockets open.
 */
export function bindEngine(_options: BindOptions): EngineBinding {
  const api: Record<string, unknown> = { ...streamlab };
  return {
    api: Object.freeze(api),
    activeQueries: () => 0,
    runBatches: async () => 0,
    stopAll: async () => {},
  };
}
