import type { Row } from '../compile.js';
import type { StructType } from '../types.js';
import type { BatchContext, PhysicalOperator } from './operator.js';

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
    let stats = ctx.eventTimeStats.get(this.watermarkId);
    if (!stats) {
      stats = { min: Infinity, max: -Infinity, sum: 0, count: 0 };
      ctx.eventTimeStats.set(this.watermarkId, stats);
    }
    const i = this.columnIndex;
    for (const row of rows) {
      const us = row[i] as number | null;
      if (us === null) continue;
      const ms = Math.floor(us / 1000);
      if (ms < stats.min) stats.min = ms;
      if (ms > stats.max) stats.max = ms;
      stats.sum += ms;
      stats.count++;
    }
    return rows;
  }
}
