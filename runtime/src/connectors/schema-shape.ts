/**
 * The parts of the engine's schema and batch types the connectors read, declared structurally so
 * the connectors accept the engine's `StructType` and `SinkBatch` without depending on their
 * classes (the engine never imports connectors; connectors only need these shapes).
 */

/** A data type: anything with Spark's `simpleString()`. */
export interface DataTypeShape {
  simpleString(): string;
}

/** A struct field. */
export interface FieldShape {
  readonly name: string;
  readonly dataType: DataTypeShape;
  readonly nullable?: boolean;
}

/** A schema: a struct type's fields in order. */
export interface SchemaShape {
  readonly fields: readonly FieldShape[];
}

/** One micro-batch of output rows (values in schema order). */
export interface BatchShape {
  readonly batchId: number;
  readonly schema: SchemaShape;
  readonly rows: readonly (readonly unknown[])[];
}

/** What a sink provider is given at start. */
export interface SinkContextShape {
  readonly options: Readonly<Record<string, string>>;
  readonly schema: SchemaShape;
  readonly queryName?: string | undefined;
  /** The query's stable id (kept in its checkpoint), when the engine provides it. */
  readonly queryId?: string | undefined;
}

/** Column name and Spark type name for the SQL builders. */
export function sqlColumns(schema: SchemaShape): Array<{ name: string; type: string; nullable?: boolean }> {
  return schema.fields.map((f) => ({ name: f.name, type: f.dataType.simpleString(), nullable: f.nullable }));
}

/** Case-insensitive option lookup (Spark's options are case-insensitive). */
export function option(options: Readonly<Record<string, string>>, key: string): string | undefined {
  const k = key.toLowerCase();
  for (const [name, value] of Object.entries(options)) if (name.toLowerCase() === k) return value;
  return undefined;
}

/** An analysis-time error with Spark's class name. */
export class ConnectorAnalysisError extends Error {
  readonly code: string;
  constructor(message: string, code = 'CONNECTOR_ANALYSIS') {
    super(message);
    this.name = 'AnalysisException';
    this.code = code;
  }
}
