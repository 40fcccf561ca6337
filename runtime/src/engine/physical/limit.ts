import type { Row } from '../expressions/compile.js';
import type { StructType } from '../types.js';
import type { BatchContext, PhysicalOperator, StateDeclaration } from './operator.js';

/**
 * Keeps the first `n` rows. On a stream in append mode the limit is global across batches, as
 * Spark's StreamingGlobalLimitExec: the number of rows already emitted lives in state. In complete
 * mode it applies to each batch's full result.
 */
export class LimitExec implements PhysicalOperator {
  readonly children: readonly PhysicalOperator[];
  constructor(readonly schema: StructType, private readonly child: PhysicalOperator, private readonly n: number, readonly state?: StateDeclaration) {
    this.children = [child];
  }

  describe(): string {
    return `${this.state === undefined ? 'GlobalLimit' : 'StreamingGlobalLimit'} ${this.n}`;
  }

  execute(ctx: BatchContext): Row[] {
    const rows = this.child.execute(ctx);
    if (ctx.execution !== 'streaming' || this.state === undefined || ctx.outputMode === 'complete') return rows.slice(0, this.n);
    const store = ctx.stateStore<number>(this.state.id);
    const done = store.get('') ?? 0;
    const out = rows.slice(0, Math.max(0, this.n - done));
    if (out.length > 0) store.put('', done + out.length);
    ctx.stateMetrics.set(this.state.id, { operatorName: 'globalLimit', numRowsTotal: store.size, numRowsUpdated: out.length > 0 ? 1 : 0, numRowsRemoved: 0, numRowsDroppedByWatermark: 0, memoryUsedBytes: 64 });
    return out;
  }
}
