import type { Row } from '../expressions/compile.js';
import type { StructType } from '../types.js';
import type { BatchContext, PhysicalOperator } from './operator.js';

/** Concatenates its children's rows (by position, as Spark's `union`). */
export class UnionExec implements PhysicalOperator {
  constructor(readonly schema: StructType, readonly children: readonly PhysicalOperator[]) {}

  describe(): string {
    return 'Union';
  }

  execute(ctx: BatchContext): Row[] {
    const out: Row[] = [];
    for (const c of this.children) for (const r of c.execute(ctx)) out.push(r);
    return out;
  }
}
