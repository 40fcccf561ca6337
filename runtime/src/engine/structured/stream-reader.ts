/** `spark.readStream`: `format(...).option(...).schema(...).load()` builds a streaming DataFrame. */
import { planNode } from '../plans/plan.js';
import { DataFrame } from './dataframe.js';
import { ReaderOptions } from './format-options.js';
import type { SparkSession } from './session.js';

/** PySpark's DataStreamReader. */
export class DataStreamReader extends ReaderOptions {
  protected fmt = 'unknown';

  constructor(private readonly session: SparkSession) {
    super();
  }

  /** Creates the streaming DataFrame; the source itself is created when a query starts. */
  load(path?: string): DataFrame {
    const options = path === undefined ? { ...this.opts } : { ...this.opts, path };
    const provider = this.session.formats.source(this.fmt);
    const schema = provider.sourceSchema(options, this.userSchema);
    return new DataFrame(this.session, planNode({
      kind: 'StreamingRelation', sourceId: this.session.nextSourceId(), format: this.fmt, options, userSchema: this.userSchema, schema, provider,
    }));
  }
}
