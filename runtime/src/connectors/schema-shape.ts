/**
 * The parts of the engine's schema and batch types the connectors read, declared structurally so
 * the connectors accept the engine's `StructType` and `SinkBatch` without depending on their
 * classes (the engine never imports connectors; connectors only need these shapes).
 */

/** A data type: anything with Spark's `simpleString()`; nested types expose their parts. */
export interface DataTypeShape {
  simpleString(): string;
  readonly kind?: string;
  readonly fields?: readonly FieldShape[];
  readonly elementType?: DataTypeShape;
  readonly keyType?: DataTypeShape;
  readonly valueType?: DataTypeShape;
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

/** Column name, Spark type name and (for nested types) the value → JSON mapping, for the SQL builders. */
export function sqlColumns(schema: SchemaShape): Array<{ name: string; type: string; nullable?: boolean; toJson?: (v: unknown) => unknown }> {
  return schema.fields.map((f) => {
    const nested = f.dataType.kind === 'struct' || f.dataType.kind === 'array' || f.dataType.kind === 'map';
    return { name: f.name, type: f.dataType.simpleString(), nullable: f.nullable, ...(nested ? { toJson: jsonValue(f.dataType) } : {}) };
  });
}

/**
 * Engine values of a type → plain JSON values: structs (arrays of field values in the engine)
 * become objects keyed by field name, maps objects, timestamps ISO-8601 text, bytes base64.
 */
export function jsonValue(t: DataTypeShape): (v: unknown) => unknown {
  if (t.kind === 'struct' && t.fields) {
    const fields = t.fields.map((f) => [f.name, jsonValue(f.dataType)] as const);
    return (v) => (Array.isArray(v) ? Object.fromEntries(fields.map(([name, conv], i) => [name, conv(v[i])])) : v ?? null);
  }
  if (t.kind === 'array' && t.elementType) {
    const conv = jsonValue(t.elementType);
    return (v) => (Array.isArray(v) ? v.map(conv) : v ?? null);
  }
  if (t.kind === 'map' && t.keyType && t.valueType) {
    const k = jsonValue(t.keyType);
    const val = jsonValue(t.valueType);
    return (v) => (v instanceof Map ? Object.fromEntries([...v].map(([a, b]) => [String(k(a)), val(b)])) : v ?? null);
  }
  const name = t.simpleString();
  if (name === 'timestamp' || name === 'timestamp_ntz') {
    return (v) => (typeof v === 'number' ? new Date(Math.floor(v / 1000)).toISOString() : v ?? null);
  }
  if (name === 'binary') return (v) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v ?? null);
  return (v) => (typeof v === 'bigint' ? v.toString() : v ?? null);
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
