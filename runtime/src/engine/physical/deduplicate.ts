import type { Row } from '../expressions/compile.js';
import type { StructType } from '../types.js';
import { encodeKey, prettyString } from '../values.js';
import { estimateBytes } from './aggregate.js';
import type { BatchContext, EvictingOperator, PhysicalOperator, StateDeclaration } from './operator.js';

/**
 * `dropDuplicates(cols)` and `dropDuplicatesWithinWatermark(cols)`: the first row of each key is
 * output, later ones are dropped. On a stream the seen keys live in state, and as Spark's
 * StreamingDeduplicateExec does:
 *
 *   for each input row:  drop it when the input has a watermarked event-time column and the row's
 *                        time is at or below the late threshold (whether or not that column is in
 *                        the key); drop it when its key is in state; else output it and keep its key
 *   then, by the batch's eviction watermark (onWatermark):
 *     dropDuplicates               forget keys whose event time (when it is in the key) is at or below it
 *     dropDuplicatesWithinWatermark forget keys whose first event time + the delay is at or below it
 */
export class DeduplicateExec implements EvictingOperator {
  readonly children: readonly PhysicalOperator[];
  constructor(
    readonly schema: StructType,
    private readonly child: PhysicalOperator,
    private readonly keyIndexes: readonly number[],
    readonly state: StateDeclaration,
    /** Position of the event-time column among the key indexes, or -1. */
    private readonly eventTimeKey: number,
    /** Index of the input's watermarked event-time column, or -1. */
    private readonly timeIndex: number = -1,
    /** For dropDuplicatesWithinWatermark: how long (µs) a key is kept after its event time. */
    private readonly expiryDelayUs: number | null = null,
  ) {
    this.children = [child];
  }

  describe(): string {
    const name = this.expiryDelayUs === null ? 'Deduplicate' : 'DeduplicateWithinWatermark';
    return `${name} [${this.keyIndexes.map((i) => this.schema.fields[i].name).join(', ')}]`;
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
    const store = ctx.stateStore<number | null>(this.state.id);
    const hasTime = this.timeIndex >= 0 && ctx.hasWatermark;
    const within = this.expiryDelayUs;
    const lateUs = ctx.lateWatermarkMs * 1000;
    let dropped = 0;
    let updated = 0;
    let duplicates = 0;
    const trace = ctx.trace;
    const fields = this.schema.fields;
    for (const row of rows) {
      const time = this.timeIndex >= 0 ? (row[this.timeIndex] as number | null) : null;
      if (hasTime && time !== null && time <= lateUs) {
        dropped++;
        trace.droppedLate++;
        if (trace.wantsRow) trace.addRow({ values: row.map((v, i) => prettyString(v, fields[i].dataType)), eventTimeMs: Math.floor(time / 1000), outcome: 'late', reason: `event time ${Math.floor(time / 1000)} <= watermark ${ctx.lateWatermarkMs}` });
        continue;
      }
      const k = encodeKey(idx.map((i) => row[i]));
      if (store.get(k) !== undefined) {
        duplicates++;
        continue;
      }
      // The state value is when the key may be forgotten: its event time, or (within the
      // watermark) its event time plus the delay.
      const keyTime = this.eventTimeKey >= 0 ? (row[idx[this.eventTimeKey]] as number | null) : null;
      store.put(k, within !== null ? (time === null ? null : time + within) : keyTime);
      updated++;
      out.push(row);
      if (trace.wantsRow) trace.addRow({ values: row.map((v, i) => prettyString(v, fields[i].dataType)), eventTimeMs: time === null ? null : Math.floor(time / 1000), outcome: 'updated' });
    }
    const removed = ctx.hasWatermark ? this.onWatermark(ctx) : 0;
    ctx.stateMetrics.set(this.state.id, {
      operatorName: within === null ? 'dedupe' : 'dedupeWithinWatermark',
      numRowsTotal: store.size,
      numRowsUpdated: updated,
      numRowsRemoved: removed,
      numRowsDroppedByWatermark: dropped,
      memoryUsedBytes: estimateBytes(store.size, idx.length),
      customMetrics: { numDroppedDuplicateRows: duplicates },
    });
    return out;
  }

  /** Forgets the keys whose expiry (event time, or first event time + the delay) is at or below the eviction watermark; writes nothing. */
  onWatermark(ctx: BatchContext): number {
    if (this.expiryDelayUs === null && this.eventTimeKey < 0) return 0;
    const store = ctx.stateStore<number | null>(this.state.id);
    const evictUs = ctx.evictionWatermarkMs * 1000;
    let removed = 0;
    for (const [k, t] of [...store.entries()]) {
      if (t !== null && t <= evictUs) {
        store.remove(k);
        removed++;
      }
    }
    return removed;
  }
}
