/** `spark.read` for static DataFrames: registered batch formats and memory-sink tables. */
import { batchSourceProvider } from '../formats.js';
import { planNode } from '../plan.js';
import { toSchema, type StructType } from '../types.js';
import { DataFrame } from './dataframe.js';
import type { SparkSession } from './session.js';

/** PySpark's DataFrameReader. */
export class DataFrameReader {
  private fmt = 'parquet';
  private readonly opts: Record<string, string> = {};
  private userSchema: StructType | undefined;

  constructor(private readonly session: SparkSession) {}

  format(source: string): this {
    this.fmt = source;
    return this;
  }
  option(key: string, value: string | number | boolean): this {
    this.opts[key] = String(value);
    return this;
  }
  options(options: Record<string, string | number | boolean>): this {
    for (const [k, v] of Object.entries(options)) this.option(k, v);
    return this;
  }
  schema(schema: StructType | string): this {
    this.userSchema = toSchema(schema);
    return this;
  }

  /** Reads the format's rows now. */
  load(path?: string): DataFrame {
    const { schema, rows } = batchSourceProvider(this.fmt).read(path === undefined ? this.opts : { ...this.opts, path }, this.userSchema);
    return new DataFrame(this.session, planNode({ kind: 'LocalRelation', rows, schema }));
  }

  /** A memory-sink table or temp view (`spark.table(name)`). */
  table(name: string): DataFrame {
    return this.session.table(name);
  }
}
