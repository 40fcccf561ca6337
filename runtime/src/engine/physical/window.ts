/**
 * Spark's Window operator for static DataFrames: rows are split by the partition keys, each
 * partition is ordered (a stable sort, so rows that tie keep their input order, as in Spark's local
 * sort), and every window expression gives one value per row, appended as a column:
 *
 *   partition p, ordered rows r0..rn-1, row i:
 *     offset function (lag/lead)   value of r[i + offset] in p, else the default
 *     row_number                   i + 1
 *     aggregate over a frame       rows frame:  r[max(0, i + lower)] .. r[min(n - 1, i + upper)]
 *                                  range frame: bounds extend over the rows that tie with r[i]
 *                                  (unbounded bounds reach the partition's ends)
 */
import type { AggregateFn } from '../expressions/aggregates.js';
import type { Row } from '../expressions/compile.js';
import type { StructType } from '../types.js';
import { encodeKey } from '../values.js';
import type { BatchContext, PhysicalOperator } from './operator.js';
import { compareBy, type SortKey } from './sort.js';

/** How one window expression computes its value for each row of an ordered partition. */
export type WindowFunctionExec =
  | { readonly kind: 'offset'; readonly offset: number; readonly value: (row: Row) => unknown; readonly fallback: (row: Row) => unknown }
  | { readonly kind: 'row_number' }
  | { readonly kind: 'aggregate'; readonly fn: AggregateFn; readonly frame: { readonly type: 'rows' | 'range'; readonly lower: number | null; readonly upper: number | null } };

/** One window expression: its partitioning, ordering and function. */
export interface WindowExprExec {
  readonly partitionBy: readonly ((row: Row) => unknown)[];
  readonly orderBy: readonly SortKey[];
  readonly fn: WindowFunctionExec;
}


/** Values of one window expression for the rows of one ordered partition. */
function evaluatePartition(rows: readonly Row[], w: WindowExprExec, compare: (a: Row, b: Row) => number): unknown[] {
  const n = rows.length;
  const fn = w.fn;
  switch (fn.kind) {
    case 'row_number': return rows.map((_, i) => i + 1);
    case 'offset': return rows.map((row, i) => {
      const j = i + fn.offset;
      return j >= 0 && j < n ? fn.value(rows[j]) : fn.fallback(row);
    });
    case 'aggregate': {
      const { type, lower, upper } = fn.frame;
      // Peer groups (rows that tie on the ordering) for range frames.
      const first = new Array<number>(n);
      const last = new Array<number>(n);
      if (type === 'range') {
        let start = 0;
        for (let i = 1; i <= n; i++) {
          if (i === n || compare(rows[i - 1], rows[i]) !== 0) {
            for (let k = start; k < i; k++) {
              first[k] = start;
              last[k] = i - 1;
            }
            start = i;
          }
        }
      }
      return rows.map((_, i) => {
        const lo = lower === null ? 0 : type === 'range' ? first[i] : Math.max(0, i + lower);
        const hi = upper === null ? n - 1 : type === 'range' ? last[i] : Math.min(n - 1, i + upper);
        let buf = fn.fn.create();
        for (let k = lo; k <= hi; k++) buf = fn.fn.update(buf, rows[k]);
        return fn.fn.evaluate(buf);
      });
    }
  }
}

/** Appends one column per window expression to each input row. */
export class WindowExec implements PhysicalOperator {
  readonly children: readonly PhysicalOperator[];
  constructor(readonly schema: StructType, private readonly child: PhysicalOperator, private readonly exprs: readonly WindowExprExec[], private readonly label: string) {
    this.children = [child];
  }

  describe(): string {
    return `Window [${this.label}]`;
  }

  execute(ctx: BatchContext): Row[] {
    const input = this.child.execute(ctx);
    const out: Row[] = input.map((r) => r.slice());
    for (const w of this.exprs) {
      // Partitions hold row positions, so equal rows (or one row object seen twice) stay apart.
      const partitions = new Map<string, number[]>();
      input.forEach((row, i) => {
        const k = encodeKey(w.partitionBy.map((f) => f(row)));
        const p = partitions.get(k);
        if (p) p.push(i);
        else partitions.set(k, [i]);
      });
      const compare = compareBy(w.orderBy);
      for (const positions of partitions.values()) {
        // Array.prototype.sort is stable: ties keep their input order.
        if (w.orderBy.length > 0) positions.sort((a, b) => compare(input[a], input[b]));
        const values = evaluatePartition(positions.map((i) => input[i]), w, compare);
        positions.forEach((i, k) => out[i].push(values[k]));
      }
    }
    return out;
  }
}
