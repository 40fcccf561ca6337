import type { Row } from '../compile.js';
import type { StructType } from '../types.js';
import { encodeKey, prettyString } from '../values.js';
import { estimateBytes } from './aggregate.js';
import type { BatchContext, PhysicalOperator } from './operator.js';

/**
 * `dropDuplicates(cols)`: the first row of each key is output, later ones are dropped. On a stream
 * the seen keys live in state; when the key includes the watermarked event-time column, rows at or
 * below the late threshold are dropped and keys at or below the eviction watermark are forgotten.
 */
export class DeduplicateExec implements PhysicalOperator {
  readonly children: readonly PhysicalOperator[];
  constructor(
    readonly schema: StructType,
    private readonly child: PhysicalOperator,
    private readonly keyIndexes: readonly number[],
    readonly operatorId: number,
    /** Position of the event-time column among the key indexes, or -1. */
    private readonly eventTimeKey: number,
  ) {
    this.children = [child];
  }

  describe(): string {
    return `Deduplicate [${this.keyIndexes.map((i) => this.schema.fields[i].name).join(', ')}]`;
  }

  execute(ctx: BatchContext): Row[] {
    const rows = this.child.execute(ctx);
    const idx = this.keyIndexes;
    const out: Row[] = [];
    if (ctx.execution === 'batch') {
      const seen = new Set<string>();
      for (const row of rows) {
        const k = encodeKey(idx.map((i) => row[i]));
        if (!seen.has(k)) {
          seen.add(k);
          out.push(row);
        }
      }
      return out;
    }
    const store = ctx.stateStore<number | null>(this.operatorId);
    const watermarked = this.eventTimeKey >= 0 && ctx.hasWatermark;
    const lateUs = ctx.lateWatermarkMs * 1000;
    let dropped = 0;
    let updated = 0;
    let duplicates = 0;
    const trace = ctx.trace;
    for (const row of rows) {
      const t = watermarked ? (row[idx[this.eventTimeKey]] as number | null) : null;
      if (watermarked && t !== null && t <= lateUs) {
        dropped++;
        trace.droppedLate++;
        if (trace.wantsRow) trace.addRow({ values: row.map((v, i) => prettyString(v, this.schema.fields[i].dataType)), eventTimeMs: Math.floor(t / 1000), outcome: 'late', reason: `event time ${Math.floor(t / 1000)} <= watermark ${ctx.lateWatermarkMs}` });
        continue;
      }
      const k = encodeKey(idx.map((i) => row[i]));
      if (store.get(k) !== undefined) {
        duplicates++;
        continue;
      }
      store.put(k, t);
      updated++;
      out.push(row);
      if (trace.wantsRow) trace.addRow({ values: row.map((v, i) => prettyString(v, this.schema.fields[i].dataType)), eventTimeMs: t === null ? null : Math.floor(t / 1000), outcome: 'updated' });
    }
    let removed = 0;
    if (watermarked) {
      const evictUs = ctx.evictionWatermarkMs * 1000;
      for (const [k, t] of [...store.entries()]) {
        if (t !== null && t <= evictUs) {
          store.remove(k);
          removed++;
        }
      }
    }
    ctx.stateMetrics.set(this.operatorId, {
      operatorName: 'dedupe',
      numRowsTotal: store.size,
      numRowsUpdated: updated,
      numRowsRemoved: removed,
      numRowsDroppedByWatermark: dropped,
      memoryUsedBytes: estimateBytes(store.size, idx.length),
      customMetrics: { numDroppedDuplicateRows: duplicates },
    });
    return out;
  }
}
