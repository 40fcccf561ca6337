import type { Row } from '../expressions/compile.js';
import type { StructType } from '../types.js';
import { compareValues } from '../values.js';
import type { BatchContext, PhysicalOperator } from './operator.js';

/** One sort key. */
/** Orders rows by `keys` as Spark's SortOrder does: each key ascending or descending, nulls first or last. */
export function compareBy(keys: readonly SortKey[]): (a: Row, b: Row) => number {
  return (a, b) => {
    for (const k of keys) {
      const x = k.eval(a);
      const y = k.eval(b);
      if (x === null || y === null) {
        if (x === y) continue;
        return (x === null) === k.nullsFirst ? -1 : 1;
      }
      const c = compareValues(x, y);
      if (c !== 0) return k.desc ? -c : c;
    }
    return 0;
  };
}

export interface SortKey {
  readonly eval: (row: Row) => unknown;
  readonly desc: boolean;
  readonly nullsFirst: boolean;
}

/** Stable sort of the whole batch output (allowed on streams only after aggregation in complete mode). */
export class SortExec implements PhysicalOperator {
  readonly children: readonly PhysicalOperator[];
  constructor(readonly schema: StructType, private readonly child: PhysicalOperator, private readonly keys: readonly SortKey[], private readonly label: string) {
    this.children = [child];
  }

  describe(): string {
    return `Sort [${this.label}]`;
  }

  execute(ctx: BatchContext): Row[] {
    const rows = this.child.execute(ctx).slice();
    rows.sort(compareBy(this.keys));
    return rows;
  }
}
