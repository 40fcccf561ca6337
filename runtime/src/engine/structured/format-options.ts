/**
 * The `format(...)`, `option(...)`, `options(...)` chain that PySpark's readers and writers share
 * (DataFrameReader, DataStreamReader, DataFrameWriter, DataStreamWriter). Values are kept as strings,
 * as Spark keeps them.
 */
import { toSchema, type StructType } from '../types.js';

export abstract class FormatOptions {
  /** The format name given to `format(...)`, or the class's default. */
  protected abstract fmt: string | null;
  protected readonly opts: Record<string, string> = {};

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
}

/** Readers also take the user's schema (a StructType or a DDL string). */
export abstract class ReaderOptions extends FormatOptions {
  protected userSchema: StructType | undefined;

  schema(schema: StructType | string): this {
    this.userSchema = toSchema(schema);
    return this;
  }
}
