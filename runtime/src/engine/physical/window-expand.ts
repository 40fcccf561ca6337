import type { Row } from '../expressions/compile.js';
import type { StructType } from '../types.js';
import { lastWindowStart, windowsFor, type WindowSpec } from '../windows.js';
import type { BatchContext, PhysicalOperator } from './operator.js';

/**
 * Appends a `window` struct `[start, end]` computed from a time value. Tumbling windows give one row
 * per input row; sliding windows up to ceil(window / slide) rows. Rows whose time is NULL get no
 * window and are dropped, as in Spark.
 */
export class WindowExpandExec implements PhysicalOperator {
  readonly children: readonly PhysicalOperator[];
  constructor(
    readonly schema: StructType,
    private readonly child: PhysicalOperator,
    private readonly time: (row: Row) => unknown,
    private readonly spec: WindowSpec,
  ) {
    this.children = [child];
  }

  describe(): string {
    return `Expand window(${this.spec.windowUs} us, ${this.spec.slideUs} us, ${this.spec.startUs} us)`;
  }

  execute(ctx: BatchContext): Row[] {
    const rows = this.child.execute(ctx);
    const out: Row[] = [];
    const time = this.time;
    const spec = this.spec;
    const tumbling = spec.slideUs === spec.windowUs;
    for (const row of rows) {
      const t = time(row) as number | null;
      if (t === null) continue;
      if (tumbling) {
        const start = lastWindowStart(t, spec);
        const o = row.slice();
        o.push([start, start + spec.windowUs]);
        out.push(o);
      } else {
        for (const w of windowsFor(t, spec)) {
          const o = row.slice();
          o.push(w);
          out.push(o);
        }
      }
    }
    return out;
  }
}
