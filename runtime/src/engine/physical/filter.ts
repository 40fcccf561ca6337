import type { Compiled, Row } from '../expressions/compile.js';
import type { StructType } from '../types.js';
import { forEachRow, type BatchContext, type PhysicalOperator } from './operator.js';

/** Keeps rows whose condition is true (NULL and false both drop the row). */
export class FilterExec implements PhysicalOperator {
  readonly children: readonly PhysicalOperator[];
  constructor(readonly schema: StructType, private readonly child: PhysicalOperator, private readonly condition: Compiled) {
    this.children = [child];
  }

  describe(): string {
    return `Filter ${this.condition.name}`;
  }

  execute(ctx: BatchContext): Row[] {
    const f = this.condition.eval;
    const out: Row[] = [];
    for (const row of this.child.execute(ctx)) if (f(row) === true) out.push(row);
    return out;
  }

  forEachRow(ctx: BatchContext, f: (row: Row) => void, transient = false): void {
    const cond = this.condition.eval;
    forEachRow(this.child, ctx, (row) => {
      if (cond(row) === true) f(row);
    }, transient);
  }
}
