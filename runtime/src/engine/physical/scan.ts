import type { Row } from '../expressions/compile.js';
import type { StructType } from '../types.js';
import type { BatchContext, PhysicalOperator } from './operator.js';

/** Reads the rows a source delivered for this batch (streaming) or a fixed list (static data). */
export class ScanExec implements PhysicalOperator {
  readonly children: readonly PhysicalOperator[] = [];
  constructor(
    readonly schema: StructType,
    private readonly sourceId: number | null,
    private readonly label: string,
    private readonly staticRows: readonly Row[] = [],
  ) {}

  describe(): string {
    return `${this.sourceId === null ? 'LocalTableScan' : 'MicroBatchScan'} [${this.schema.fieldNames().join(', ')}] ${this.label}`;
  }

  execute(ctx: BatchContext): Row[] {
    if (this.sourceId === null) return this.staticRows as Row[];
    return ctx.inputs.get(this.sourceId) ?? [];
  }

  forEachRow(ctx: BatchContext, f: (row: Row) => void): void {
    const rows = this.execute(ctx);
    for (let i = 0; i < rows.length; i++) f(rows[i]);
  }
}
