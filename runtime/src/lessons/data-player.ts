/**
 * Plays a lesson's data into Kafka for one run, on the run's clock.
 *
 *   start():          datasets with `play: start` → every record now, before the pipeline starts;
 *                     manual clock → the records whose arrival ≤ the clock's start;
 *                     system clock → each dataset at its `rate`, from now on
 *   advanceTo(T):     manual clock, before the clock moves to T → every record with arrival ≤ T not yet
 *                     produced, in arrival order, each stamped with its arrival (Kafka timestamp), so the
 *                     batch at T sees exactly the records that arrived by T
 *   stop():           no more records; a produce under way finishes
 *
 * The player never reads the wall clock itself: the system-clock schedule runs on injected timers.
 */
import type { LessonDataPlan, PlannedRecord } from './lesson-data.js';

/** A record as the player hands it to Kafka; `timestampMs` absent means "now" (the system clock). */
export interface OutgoingRecord {
  topic: string;
  key: string | null;
  value: string;
  timestampMs?: number;
}

/** Where records go: usually the runtime's Kafka producer. */
export type RecordSink = (records: OutgoingRecord[]) => Promise<void>;

/** How far the data has been played. */
export interface PlayProgress {
  produced: number;
  total: number;
  /** Arrival of the next record to play on the manual clock, epoch ms (null: none left, or system clock). */
  nextArrivalMs: number | null;
}

/** Timers the system-clock schedule uses (injected, so tests and the engine's rule hold). */
export interface PlayerTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Options of a player. */
export interface DataPlayerOptions {
  mode: 'manual' | 'system';
  sink: RecordSink;
  timers: PlayerTimers;
  /** Called after every produce, and once when a produce fails (with the error). */
  onProgress?(progress: PlayProgress, error?: Error): void;
}

interface Cursor {
  records: PlannedRecord[];
  next: number;
  rate: number;
  timer: unknown;
}

/** The data of one run. */
export class DataPlayer {
  private readonly cursors: Cursor[];
  private readonly startNow: PlannedRecord[];
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;
  private producedCount = 0;
  readonly total: number;

  constructor(readonly plan: LessonDataPlan, private readonly options: DataPlayerOptions) {
    this.startNow = plan.datasets.filter((d) => d.play === 'start').flatMap((d) => d.records);
    this.cursors = plan.datasets.filter((d) => d.play === 'arrival').map((d) => ({ records: d.records, next: 0, rate: d.rate, timer: null }));
    this.total = plan.datasets.reduce((n, d) => n + d.records.length, 0);
  }

  /** Where the run's manual clock starts. */
  get clockStartMs(): number | null {
    return this.plan.clockStartMs;
  }

  /** How far the data has been played. */
  progress(): PlayProgress {
    const pending = this.options.mode === 'manual'
      ? this.cursors.flatMap((c) => (c.next < c.records.length ? [c.records[c.next]!.arrivalMs] : []))
      : [];
    return { produced: this.producedCount, total: this.total, nextArrivalMs: pending.length ? Math.min(...pending) : null };
  }

  /** Plays what is due at the start; resolves once it is in Kafka. */
  start(): Promise<void> {
    return this.serial(async () => {
      const manual = this.options.mode === 'manual';
      if (this.startNow.length) await this.produce(this.startNow.map((r) => this.outgoing(r, manual)));
      if (manual) {
        if (this.plan.clockStartMs !== null) await this.produceDue(this.plan.clockStartMs);
        return;
      }
      for (const c of this.cursors) this.schedule(c);
    });
  }

  /** Manual clock: produces every record that has arrived by `clockMs`; resolves once they are in Kafka. */
  advanceTo(clockMs: number): Promise<void> {
    if (this.options.mode !== 'manual') return Promise.resolve();
    return this.serial(() => this.produceDue(clockMs));
  }

  /** Stops playing. */
  stop(): void {
    this.stopped = true;
    for (const c of this.cursors) {
      if (c.timer !== null) this.options.timers.clearTimeout(c.timer);
      c.timer = null;
    }
  }

  private serial(fn: () => Promise<void>): Promise<void> {
    const run = this.chain.then(() => (this.stopped ? undefined : fn()));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private outgoing(r: PlannedRecord, stamped: boolean): OutgoingRecord {
    return { topic: r.topic, key: r.key, value: r.value, ...(stamped ? { timestampMs: r.arrivalMs } : {}) };
  }

  private async produceDue(clockMs: number): Promise<void> {
    const due: PlannedRecord[] = [];
    for (const c of this.cursors) {
      while (c.next < c.records.length && c.records[c.next]!.arrivalMs <= clockMs) due.push(c.records[c.next++]!);
    }
    if (due.length === 0) return;
    due.sort((a, b) => a.arrivalMs - b.arrivalMs);
    await this.produce(due.map((r) => this.outgoing(r, true)));
  }

  private async produce(records: OutgoingRecord[]): Promise<void> {
    try {
      await this.options.sink(records);
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      this.options.onProgress?.(this.progress(), error);
      throw error;
    }
    this.producedCount += records.length;
    this.options.onProgress?.(this.progress());
  }

  /** System clock: the cursor's first record now, each next one 1/rate seconds later. */
  private schedule(c: Cursor): void {
    if (this.stopped || c.next >= c.records.length) return;
    c.timer = this.options.timers.setTimeout(() => {
      c.timer = null;
      const r = c.records[c.next++]!;
      this.serial(() => this.produce([this.outgoing(r, false)])).then(() => this.schedule(c), () => this.stop());
    }, c.next === 0 ? 0 : 1000 / c.rate);
  }
}
