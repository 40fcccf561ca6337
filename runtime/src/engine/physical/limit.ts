import type { Row } from '../compile.js';
import type { StructType } from '../types.js';
import type { BatchContext, PhysicalOperator } from './operator.js';

/** Keeps the first `n` rows of the batch output. */
export class LimitExec implements PhysicalOperator {
  readonly children: readonly PhysicalOperator[];
  constructor(readonly schema: StructType, private readonly child: PhysicalOperator, private readonly n: number) {
    this.children = [child];
  }

  describe(): string {
    return `GlobalLimit ${this.n}`;
  }

  execute(ctx: BatchContext): Row[] {
    return this.child.execute(ctx).slice(0, this.n);
  }
}
