import type { Row } from '../expressions/compile.js';
import type { StructType } from '../types.js';
import type { BatchContext, EventTimeStats, PhysicalOperator } from './operator.js';
import { forEachRow } from './operator.js';

/**
 * Spark's EventTimeWatermarkExec: passes rows through unchanged and records the min/max/avg event
 * time (ms) of this batch, from which the next batch's watermark is computed.
 */
export class EventTimeWatermarkExec implements PhysicalOperator {
  readonly children: readonly PhysicalOperator[];
  constructor(
    readonly schema: StructType,
    private readonly child: PhysicalOperator,
    readonly watermarkId: number,
    private readonly columnIndex: number,
    readonly delayMs: number,
  ) {
    this.children = [child];
  }

  describe(): string {
    return `EventTimeWatermark ${this.schema.fields[this.columnIndex].name}, ${this.delayMs} ms`;
  }

  execute(ctx: BatchContext): Row[] {
    const rows = this.child.execute(ctx);
    if (ctx.execution !== 'streaming') return rows;
    const stats = this.stats(ctx);
    for (const row of rows) this.observe(stats, row);
    return rows;
  }

  forEachRow(ctx: BatchContext, f: (row: Row) => void, transient = false): void {
    if (ctx.execution !== 'streaming') {
      forEachRow(this.child, ctx, f, transient);
      return;
    }
    const stats = this.stats(ctx);
    forEachRow(this.child, ctx, (row) => {
      this.observe(stats, row);
      f(row);
    }, transient);
  }

  private stats(ctx: BatchContext): EventTimeStats {
    let stats = ctx.eventTimeStats.get(this.watermarkId);
    if (!stats) {
      stats = { min: Infinity, max: -Infinity, sum: 0, count: 0 };
      ctx.eventTimeStats.set(this.watermarkId, stats);
    }
    return stats;
  }

  private observe(stats: EventTimeStats, row: Row): void {
    const us = row[this.columnIndex] as number | null;
    if (us === null) return;
    const ms = Math.floor(us / 1000);
    if (ms < stats.min) stats.min = ms;
    if (ms > stats.max) stats.max = ms;
    stats.sum += ms;
    stats.count++;
  }
}
