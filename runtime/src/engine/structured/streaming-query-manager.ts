/** `spark.streams`: the active queries of a session and PySpark's StreamingQueryListener hooks. */
import type { StreamingQueryException } from '../errors.js';
import type { StreamingQueryProgress } from '../execution/progress.js';
import type { StreamingQuery } from './streaming-query.js';

/** PySpark's StreamingQueryListener (every method optional). */
export interface StreamingQueryListener {
  onQueryStarted?(event: { id: string; runId: string; name: string | null }): void;
  onQueryProgress?(event: { progress: StreamingQueryProgress }): void;
  onQueryTerminated?(event: { id: string; runId: string; exception: string | null }): void;
}

/** Manages the queries of one session. */
export class StreamingQueryManager {
  private readonly queries = new Set<StreamingQuery>();
  private readonly listeners = new Set<StreamingQueryListener>();
  private terminatedWaiters: (() => void)[] = [];

  /** Queries that are running. */
  get active(): StreamingQuery[] {
    return [...this.queries].filter((q) => q.isActive);
  }

  /** An active query by id. */
  get(id: string): StreamingQuery | null {
    return this.active.find((q) => q.id === id) ?? null;
  }

  addListener(l: StreamingQueryListener): void {
    this.listeners.add(l);
  }

  removeListener(l: StreamingQueryListener): void {
    this.listeners.delete(l);
  }

  /** Resolves when any query terminates. */
  awaitAnyTermination(): Promise<void> {
    return new Promise((r) => this.terminatedWaiters.push(r));
  }

  resetTerminated(): void {
    this.terminatedWaiters = [];
  }

  /** @internal */
  register(q: StreamingQuery): void {
    this.queries.add(q);
  }

  /** @internal */
  notifyStarted(q: StreamingQuery): void {
    for (const l of this.listeners) l.onQueryStarted?.({ id: q.id, runId: q.runId, name: q.name });
  }

  /** @internal */
  notifyProgress(_q: StreamingQuery, progress: StreamingQueryProgress): void {
    for (const l of this.listeners) l.onQueryProgress?.({ progress });
  }

  /** @internal */
  notifyTerminated(q: StreamingQuery, error: StreamingQueryException | null): void {
    this.queries.delete(q);
    for (const l of this.listeners) l.onQueryTerminated?.({ id: q.id, runId: q.runId, exception: error ? error.message : null });
    const ws = this.terminatedWaiters;
    this.terminatedWaiters = [];
    for (const w of ws) w();
  }
}
