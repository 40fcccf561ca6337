/**
 * `df.write` for static DataFrames (PySpark's DataFrameWriter): `format(...).option(...).mode(...)
 * .save()` hands the rows to the sink registered for the format as one batch. `save()` returns a
 * Promise because sinks (JDBC, Kafka) do I/O.
 */
import { IllegalArgumentException } from '../errors.js';
import { dataSourceNotFound } from '../formats.js';
import type { SinkContext } from '../sinks/sink.js';
import type { DataFrame } from './dataframe.js';
import { FormatOptions } from './format-options.js';

/** PySpark's DataFrameWriter. */
export class DataFrameWriter extends FormatOptions {
  protected fmt = 'parquet';
  private saveMode = 'errorifexists';

  constructor(private readonly df: DataFrame) {
    super();
  }

  /** `append`, `overwrite`, `ignore` or `error`/`errorifexists` (passed to the sink as option `mode`). */
  mode(saveMode: string): this {
    const m = saveMode.toLowerCase();
    if (!['append', 'overwrite', 'ignore', 'error', 'errorifexists', 'default'].includes(m)) {
      throw new IllegalArgumentException(`Unknown save mode: ${saveMode}. Accepted save modes are 'overwrite', 'append', 'ignore', 'error', 'errorifexists', 'default'.`, { code: 'INVALID_SAVE_MODE' });
    }
    this.saveMode = m;
    return this;
  }

  /**
   * PySpark's `write.jdbc(url, table, mode=None, properties=None)`: a `jdbc` save of the rows to
   * `table`, with `properties` (user, password, driver, ...) as options.
   */
  jdbc(url: string, table: string, mode?: string, properties: Record<string, string | number | boolean> = {}): Promise<void> {
    if (mode !== undefined) this.mode(mode);
    return this.format('jdbc').option('url', url).option('dbtable', table).options(properties).save();
  }

  /** `df.write.json(path)`: the rows as JSON Lines in a new part file of the folder (awaitable, as `save()`). */
  json(path: string, mode?: string): Promise<void> {
    return this.files('json', path, mode, {});
  }

  /** `df.write.csv(path, { header: true })`: the rows as CSV in a new part file of the folder. */
  csv(path: string, options: { mode?: string; header?: boolean; sep?: string; quote?: string; escape?: string; nullValue?: string } = {}): Promise<void> {
    const { mode, ...rest } = options;
    return this.files('csv', path, mode, rest);
  }

  /** `df.write.text(path)`: one string column, a line per row. */
  text(path: string, mode?: string): Promise<void> {
    return this.files('text', path, mode, {});
  }

  private files(format: string, path: string, mode: string | undefined, options: Record<string, string | boolean | undefined>): Promise<void> {
    this.fmt = format;
    if (mode !== undefined) this.mode(mode);
    for (const [k, v] of Object.entries(options)) if (v !== undefined) this.option(k, v);
    return this.save(path);
  }

  /** Writes every row through the format's sink. */
  async save(path?: string): Promise<void> {
    const session = this.df.sparkSession;
    const provider = session.formats.sink(this.fmt);
    if (!provider || provider.streamingOnly) throw dataSourceNotFound(this.fmt);
    const options: Record<string, string> = { ...this.opts, mode: this.saveMode, ...(path === undefined ? {} : { path }) };
    const ctx: SinkContext = { options, schema: this.df.schema, outputMode: 'append', queryName: undefined, session };
    provider.validate?.(ctx);
    const sink = await provider.createSink(ctx);
    await sink.addBatch({ batchId: 0, schema: this.df.schema, rows: this.df.collectInternal(), outputMode: 'append' });
    await sink.stop?.();
  }
}
