/**
 * Spark's MemoryStream for tests and lessons: `addData(rows)` appends one batch of rows as one new
 * offset (an empty `addData()` still creates an offset, so a zero-row data batch runs).
 * Offsets are the index of the last added batch (-1 = nothing yet).
 */
import type { Row } from '../expressions/compile.js';
import { toInternalRow } from '../rows.js';
import type { StructType } from '../types.js';
import type { Offset, ReadLimit, Source } from './source.js';

/** The data behind a MemoryStream, shared by every query run that reads it. */
export class MemoryStreamData implements Source {
  private readonly batches: Row[][] = [];
  private readonly listeners = new Set<() => void>();
  constructor(readonly schema: StructType) {}

  /** Appends one batch; returns its offset. */
  add(rows: readonly unknown[]): number {
    this.batches.push(rows.map((r) => toInternalRow(r, this.schema)));
    for (const l of [...this.listeners]) l();
    return this.batches.length - 1;
  }

  /** Appends rows already in engine form. */
  addInternal(rows: Row[]): number {
    this.batches.push(rows);
    for (const l of [...this.listeners]) l();
    return this.batches.length - 1;
  }

  async initialOffset(): Promise<Offset> {
    return -1;
  }

  defaultReadLimit(): ReadLimit {
    return { kind: 'allAvailable' };
  }

  async latestOffset(start: Offset, limit: ReadLimit): Promise<Offset> {
    const latest = this.batches.length - 1;
    if (limit.kind === 'maxRows') {
      // Admit whole added batches until the row budget is used (at least one batch).
      let end = start as number;
      let rows = 0;
      while (end < latest && (end === (start as number) || rows + this.batches[end + 1].length <= limit.maxRows)) {
        end++;
        rows += this.batches[end].length;
      }
      return end;
    }
    return latest;
  }

  async getBatch(start: Offset, end: Offset): Promise<Row[]> {
    // One added batch is handed over as is: operators never mutate their input arrays.
    if ((end as number) === (start as number) + 1) return this.batches[end as number];
    const out: Row[] = [];
    for (let i = (start as number) + 1; i <= (end as number); i++) for (const r of this.batches[i]) out.push(r);
    return out;
  }

  async commit(): Promise<void> {}

  async stop(): Promise<void> {}

  onNewData(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
