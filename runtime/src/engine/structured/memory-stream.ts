/**
 * `MemoryStream` (Spark's test source, also what lessons feed): rows added with `addData` become
 * one new offset each; `toDF()` is the streaming DataFrame reading them.
 */
import { planNode } from '../plans/plan.js';
import { MemoryStreamData } from '../sources/memory-stream.js';
import type { SourceProvider } from '../sources/source.js';
import { toSchema, type StructType } from '../types.js';
import { DataFrame } from './dataframe.js';
import { SparkSession } from './session.js';

/** An in-memory streaming source. */
export class MemoryStream {
  readonly schema: StructType;
  /** @internal */
  readonly data: MemoryStreamData;
  private readonly session: SparkSession;
  private readonly id: number;

  /** `new MemoryStream("value INT")` or with a StructType; uses the active session unless one is given. */
  constructor(schema: StructType | string, session?: SparkSession) {
    this.schema = toSchema(schema);
    this.data = new MemoryStreamData(this.schema);
    this.session = session ?? SparkSession.getActiveSession() ?? SparkSession.builder.create();
    this.id = this.session.nextSourceId();
  }

  /** Adds one batch of rows (arrays, objects, or bare values for a one-column schema); returns its offset. */
  addData(...rows: unknown[]): number {
    if (rows.length === 1 && Array.isArray(rows[0])) {
      const arr = rows[0] as unknown[];
      const t = this.schema.fields.length === 1 ? this.schema.fields[0].dataType.kind : 'struct';
      const scalarColumn = this.schema.fields.length === 1 && t !== 'array' && t !== 'struct';
      const isRowList = arr.length === 0 || arr.every((x) => Array.isArray(x) || (x !== null && typeof x === 'object' && !(x instanceof Date) && !(x instanceof Uint8Array)));
      if (scalarColumn || isRowList) return this.data.add(arr);
    }
    return this.data.add(rows);
  }

  /** The streaming DataFrame over this stream. */
  toDF(): DataFrame {
    const data = this.data;
    const provider: SourceProvider = { sourceSchema: () => this.schema, createSource: () => data };
    return new DataFrame(this.session, planNode({ kind: 'StreamingRelation', sourceId: this.id, format: 'memory', options: {}, schema: this.schema, provider }));
  }
}
