/** `spark.read` for static DataFrames: registered batch formats and memory-sink tables. */
import { planNode } from '../plans/plan.js';
import { DataFrame } from './dataframe.js';
import { ReaderOptions } from './format-options.js';
import type { SparkSession } from './session.js';
import type { StructType } from '../types.js';

/** PySpark's DataFrameReader. */
export class DataFrameReader extends ReaderOptions {
  protected fmt = 'parquet';

  constructor(private readonly session: SparkSession) {
    super();
  }

  /** Reads the format's rows now (synchronously, as PySpark's `load()` returns a DataFrame). */
  load(path?: string): DataFrame {
    const options = path === undefined ? { ...this.opts } : { ...this.opts, path };
    const { schema, rows } = this.session.formats.batchSource(this.fmt).read(options, this.userSchema);
    // The rows are read now; the source is kept so the plan can be exported as the read it was.
    const source = { format: this.fmt, options, ...(this.userSchema ? { userSchema: this.userSchema } : {}) };
    return new DataFrame(this.session, planNode({ kind: 'LocalRelation', rows, schema, source }));
  }

  /**
   * CSV files (`spark.read.csv(path, { schema, header: true })`): a file, a folder or a glob; the
   * options are PySpark's keyword arguments (`sep`, `quote`, `escape`, `nullValue`, …).
   */
  csv(path: string | readonly string[], options: { schema?: StructType | string; header?: boolean; sep?: string; quote?: string; escape?: string; nullValue?: string } = {}): DataFrame {
    const { schema, ...rest } = options;
    this.fmt = 'csv';
    if (schema !== undefined) this.schema(schema);
    for (const [k, v] of Object.entries(rest)) if (v !== undefined) this.option(k, v);
    return this.load(typeof path === 'string' ? path : path.join(','));
  }

  /** JSON Lines files (`spark.read.json(path, { schema })`); without a schema Spark's inferred one. */
  json(path: string | readonly string[], options: { schema?: StructType | string } = {}): DataFrame {
    this.fmt = 'json';
    if (options.schema !== undefined) this.schema(options.schema);
    return this.load(typeof path === 'string' ? path : path.join(','));
  }

  /** Text files (`spark.read.text(path)`): a row per line, in one column `value`. */
  text(path: string | readonly string[]): DataFrame {
    this.fmt = 'text';
    return this.load(typeof path === 'string' ? path : path.join(','));
  }

  /** A memory-sink table or temp view (`spark.table(name)`). */
  table(name: string): DataFrame {
    return this.session.table(name);
  }
}
