/**
 * The `memory` sink: keeps every batch's rows by batch id (a replayed batch id is ignored, which
 * makes it exactly-once). In complete mode the table is the latest batch; otherwise all rows so far.
 */
import type { Row } from '../expressions/compile.js';
import type { OutputMode } from '../physical/operator.js';
import type { StructType } from '../types.js';
import type { Sink, SinkBatch } from './sink.js';

/** A memory sink; also the table `spark.table(queryName)` reads. */
export class MemorySink implements Sink {
  private readonly batches = new Map<number, readonly Row[]>();
  private lastBatchId = -1;
  schema: StructType | null = null;
  outputMode: OutputMode = 'append';

  addBatch(batch: SinkBatch): void {
    this.schema = batch.schema;
    this.outputMode = batch.outputMode;
    if (this.batches.has(batch.batchId)) return;
    this.batches.set(batch.batchId, batch.rows.slice());
    this.lastBatchId = Math.max(this.lastBatchId, batch.batchId);
  }

  /** The table as Spark's memory sink exposes it. */
  allRows(): Row[] {
    if (this.outputMode === 'complete') return [...(this.batches.get(this.lastBatchId) ?? [])];
    const ids = [...this.batches.keys()].sort((a, b) => a - b);
    return ids.flatMap((id) => [...this.batches.get(id)!]);
  }

  /** Rows of one batch (empty if it did not reach the sink). */
  batchRows(batchId: number): Row[] {
    return [...(this.batches.get(batchId) ?? [])];
  }

  /** Batch ids received, ascending. */
  batchIds(): number[] {
    return [...this.batches.keys()].sort((a, b) => a - b);
  }

  /** Empties the table (Spark tests do this between restarts). */
  clear(): void {
    this.batches.clear();
    this.lastBatchId = -1;
  }
}
