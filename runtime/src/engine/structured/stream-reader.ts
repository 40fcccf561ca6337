/** `spark.readStream`: `format(...).option(...).schema(...).load()` builds a streaming DataFrame. */
import { planNode } from '../plans/plan.js';
import { DataFrame } from './dataframe.js';
import { ReaderOptions } from './format-options.js';
import type { SparkSession } from './session.js';
import type { StructType } from '../types.js';

/** The keyword arguments of PySpark's `readStream.json/csv/text` that Streamlab reads. */
export interface FileStreamOptions {
  schema?: StructType | string;
  maxFilesPerTrigger?: number;
  latestFirst?: boolean;
  header?: boolean;
  sep?: string;
  quote?: string;
  escape?: string;
  nullValue?: string;
}

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
    const schema = provider.sourceSchema(options, this.userSchema, this.session.conf.getAll());
    return new DataFrame(this.session, planNode({
      kind: 'StreamingRelation', sourceId: this.session.nextSourceId(), format: this.fmt, options, userSchema: this.userSchema, schema, provider,
    }));
  }

  /** `readStream.json(path, { schema, maxFilesPerTrigger, latestFirst })`: new JSON Lines files of a folder. */
  json(path: string, options: FileStreamOptions = {}): DataFrame {
    return this.files('json', path, options);
  }

  /** `readStream.csv(path, { schema, header, sep, maxFilesPerTrigger, latestFirst })`: new CSV files of a folder. */
  csv(path: string, options: FileStreamOptions = {}): DataFrame {
    return this.files('csv', path, options);
  }

  /** `readStream.text(path)`: new files of a folder, a row (`value`) per line. */
  text(path: string, options: FileStreamOptions = {}): DataFrame {
    return this.files('text', path, options);
  }

  private files(format: string, path: string, options: FileStreamOptions): DataFrame {
    const { schema, ...rest } = options;
    this.fmt = format;
    if (schema !== undefined) this.schema(schema);
    for (const [k, v] of Object.entries(rest)) if (v !== undefined) this.option(k, v);
    return this.load(path);
  }
}
