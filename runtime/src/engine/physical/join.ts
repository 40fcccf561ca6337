import type { Row } from '../expressions/compile.js';
import type { StructType } from '../types.js';
import { encodeKey } from '../values.js';
import type { BatchContext, PhysicalOperator } from './operator.js';

/** Join types supported between a stream and a static DataFrame (and between static ones). */
export type JoinType = 'inner' | 'left' | 'right' | 'full' | 'left_semi' | 'left_anti' | 'cross';

/**
 * Hash join on equality keys plus an optional residual condition over the concatenated row.
 * A stream joined with a static DataFrame re-reads the static side each batch and keeps no state.
 */
export class HashJoinExec implements PhysicalOperator {
  readonly children: readonly PhysicalOperator[];
  constructor(
    readonly schema: StructType,
    private readonly left: PhysicalOperator,
    private readonly right: PhysicalOperator,
    private readonly leftKeys: readonly ((row: Row) => unknown)[],
    private readonly rightKeys: readonly ((row: Row) => unknown)[],
    private readonly residual: ((row: Row) => unknown) | null,
    private readonly how: JoinType,
    /** Builds the output row from the left and right rows (either may be null for outer joins). */
    private readonly combine: (l: Row | null, r: Row | null) => Row,
  ) {
    this.children = [left, right];
  }

  describe(): string {
    return `BroadcastHashJoin ${this.how}`;
  }

  execute(ctx: BatchContext): Row[] {
    const lrows = this.left.execute(ctx);
    const rrows = this.right.execute(ctx);
    const table = new Map<string, Row[]>();
    const keyOf = (fns: readonly ((row: Row) => unknown)[], row: Row): string | null => {
      const vals = fns.map((f) => f(row));
      return vals.some((v) => v === null) ? null : encodeKey(vals);
    };
    for (const r of rrows) {
      const k = keyOf(this.rightKeys, r);
      if (k === null) continue;
      let list = table.get(k);
      if (!list) table.set(k, (list = []));
      list.push(r);
    }
    const out: Row[] = [];
    const matchedRight = new Set<Row>();
    for (const l of lrows) {
      const k = keyOf(this.leftKeys, l);
      const candidates = k === null ? [] : (table.get(k) ?? []);
      let matched = false;
      for (const r of candidates) {
        if (this.residual && this.residual([...l, ...r]) !== true) continue;
        matched = true;
        matchedRight.add(r);
        if (this.how === 'left_semi' || this.how === 'left_anti') break;
        out.push(this.combine(l, r));
      }
      if (this.how === 'left_semi' && matched) out.push(l);
      if (this.how === 'left_anti' && !matched) out.push(l);
      if ((this.how === 'left' || this.how === 'full') && !matched) out.push(this.combine(l, null));
    }
    if (this.how === 'right' || this.how === 'full') for (const r of rrows) if (!matchedRight.has(r)) out.push(this.combine(null, r));
    return out;
  }
}
