/** `spark.readStream`: `format(...).option(...).schema(...).load()` builds a streaming DataFrame. */
import { sourceProvider } from '../formats.js';
import { planNode } from '../plan.js';
import { toSchema, type StructType } from '../types.js';
import { DataFrame } from './dataframe.js';
import type { SparkSession } from './session.js';

/** PySpark's DataStreamReader. */
export class DataStreamReader {
  private fmt = 'unknown';
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

  /** Creates the streaming DataFrame; the source itself is created when a query starts. */
  load(path?: string): DataFrame {
    const options = path === undefined ? { ...this.opts } : { ...this.opts, path };
    const provider = sourceProvider(this.fmt);
    const schema = provider.sourceSchema(options, this.userSchema);
    return new DataFrame(this.session, planNode({
      kind: 'StreamingRelation', sourceId: this.session.nextSourceId(), format: this.fmt, options, userSchema: this.userSchema, schema, provider,
    }));
  }
}
