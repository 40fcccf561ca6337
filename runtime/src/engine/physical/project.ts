import type { Compiled, Row } from '../expressions/compile.js';
import type { StructType } from '../types.js';
import { forEachRow, type BatchContext, type PhysicalOperator } from './operator.js';

/**
 * Evaluates a list of compiled expressions per row. At most one expression may be a generator
 * (`explode`): it yields one output row per element (none for NULL or empty arrays unless outer),
 * filling `width` columns from its index: the element of an array, or a map entry's key and value,
 * after the element's position for `posexplode`.
 */
export class ProjectExec implements PhysicalOperator {
  readonly children: readonly PhysicalOperator[];
  private readonly fns: ((row: Row) => unknown)[];
  constructor(
    readonly schema: StructType,
    private readonly child: PhysicalOperator,
    private readonly exprs: readonly Compiled[],
    private readonly generator: { index: number; outer: boolean; position: boolean; width: number } | null = null,
  ) {
    this.children = [child];
    this.fns = exprs.map((e) => e.eval);
  }

  describe(): string {
    return `${this.generator ? 'Generate+Project' : 'Project'} [${this.exprs.map((e) => e.name).join(', ')}]`;
  }

  forEachRow(ctx: BatchContext, f: (row: Row) => void, transient = false): void {
    if (this.generator) {
      // A generator multiplies rows; collect them as execute does.
      const rows = this.execute(ctx);
      for (let i = 0; i < rows.length; i++) f(rows[i]);
      return;
    }
    const fns = this.fns;
    const n = fns.length;
    const scratch = transient ? new Array(n) : null;
    // Compiled expressions read the input row while they run and keep only values: the child may reuse it.
    forEachRow(this.child, ctx, (row) => {
      const o = scratch ?? new Array(n);
      for (let i = 0; i < n; i++) o[i] = fns[i](row);
      f(o);
    }, true);
  }

  execute(ctx: BatchContext): Row[] {
    const input = this.child.execute(ctx);
    const fns = this.fns;
    const n = fns.length;
    const out: Row[] = new Array(this.generator ? 0 : input.length);
    if (!this.generator) {
      for (let r = 0; r < input.length; r++) {
        const row = input[r];
        const o = new Array(n);
        for (let i = 0; i < n; i++) o[i] = fns[i](row);
        out[r] = o;
      }
      return out;
    }
    const g = this.generator;
    for (const row of input) {
      const base = new Array(n);
      const end = g.index + g.width;
      for (let i = 0; i < n; i++) if (i < g.index || i >= end) base[i] = fns[i](row);
      const arr = fns[g.index](row) as unknown[] | Map<unknown, unknown> | null;
      const isMap = arr instanceof Map;
      const items: unknown[] = arr === null ? [] : isMap ? [...arr] : arr;
      if (items.length === 0) {
        if (g.outer) {
          const o = base.slice();
          for (let i = g.index; i < end; i++) o[i] = null;
          out.push(o);
        }
        continue;
      }
      items.forEach((item, pos) => {
        const o = base.slice();
        let k = g.index;
        if (g.position) o[k++] = pos;
        if (isMap) {
          o[k++] = (item as unknown[])[0];
          o[k] = (item as unknown[])[1];
        } else o[k] = item;
        out.push(o);
      });
    }
    return out;
  }
}
