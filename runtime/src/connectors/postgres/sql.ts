/**
 * SQL text for the PostgreSQL writers, built from a DataFrame schema. Pure: no connection.
 *
 * Column names are always double-quoted (Spark's PostgresDialect does the same, so `nodeName`
 * keeps its case); a table name is used as written when it is a plain `name` or `schema.name`
 * (PostgreSQL folds it to lower case, as with Spark's JDBC writer) and rejected otherwise.
 */

/** A column of the DataFrame being written: its name and Spark type (`simpleString`). */
export interface SqlColumn {
  name: string;
  /** Spark type name: `string`, `bigint`/`long`, `int`/`integer`, `double`, `timestamp`, `decimal(10,2)`, … */
  type: string;
  nullable?: boolean;
  /** For struct/array/map columns: the engine value → JSON value mapping (stored as jsonb). */
  toJson?: (v: unknown) => unknown;
}

/** PostgreSQL's limit on bind parameters per statement. */
export const MAX_BIND_PARAMETERS = 65535;

/** Thrown for a table or column the writer cannot name safely. */
export class SqlNameError extends Error {
  readonly code = 'JDBC_NAME';
  constructor(message: string) {
    super(message);
    this.name = 'AnalysisException';
  }
}

/** A double-quoted identifier. */
export function quoteIdent(name: string): string {
  if (name.length === 0) throw new SqlNameError('Empty column name');
  if (name.includes('\u0000')) throw new SqlNameError(`Column name contains NUL: ${JSON.stringify(name)}`);
  return `"${name.replace(/"/g, '""')}"`;
}

/** The table name as SQL: `name` or `schema.name`, unquoted, or an already quoted form. */
export function tableIdent(table: string): string {
  const t = table.trim();
  const part = String.raw`(?:[A-Za-z_][A-Za-z0-9_$]*|"(?:[^"]|"")+")`;
  if (new RegExp(`^${part}(?:\\.${part})?$`).test(t)) return t;
  throw new SqlNameError(`Invalid table name ${JSON.stringify(table)}: use name or schema.name`);
}

/** The PostgreSQL column type for a Spark type. */
export function pgType(sparkType: string): string {
  const t = sparkType.trim().toLowerCase();
  const decimal = /^decimal\((\d+),\s*(\d+)\)$/.exec(t);
  if (decimal) return `numeric(${decimal[1]},${decimal[2]})`;
  switch (t) {
    case 'string':
      return 'text';
    case 'long':
    case 'bigint':
      return 'bigint';
    case 'int':
    case 'integer':
      return 'integer';
    case 'short':
    case 'smallint':
    case 'byte':
    case 'tinyint':
      return 'smallint';
    case 'double':
      return 'double precision';
    case 'float':
    case 'real':
      return 'real';
    case 'boolean':
      return 'boolean';
    // Spark's JDBC writer creates TIMESTAMP (without time zone) for both; values are written as UTC.
    case 'timestamp':
    case 'timestamp_ntz':
      return 'timestamp';
    case 'date':
      return 'date';
    case 'binary':
      return 'bytea';
    case 'decimal':
      return 'numeric(10,0)';
    default:
      // Structs, arrays and maps (e.g. a `window` struct) are stored as JSON.
      if (/^(struct|array|map)</.test(t)) return 'jsonb';
      throw new SqlNameError(`Can't get JDBC type for ${sparkType}`);
  }
}

/** `CREATE TABLE [IF NOT EXISTS] t ("a" text, …[, PRIMARY KEY ("k")])`. */
export function createTableSql(table: string, columns: readonly SqlColumn[], options: { primaryKey?: readonly string[]; ifNotExists?: boolean } = {}): string {
  if (columns.length === 0) throw new SqlNameError('Cannot create a table with no columns');
  const defs = columns.map((c) => {
    const notNull = options.primaryKey?.includes(c.name) || c.nullable === false ? ' NOT NULL' : '';
    return `${quoteIdent(c.name)} ${pgType(c.type)}${notNull}`;
  });
  if (options.primaryKey && options.primaryKey.length > 0) {
    checkKey(columns, options.primaryKey);
    defs.push(`PRIMARY KEY (${options.primaryKey.map(quoteIdent).join(', ')})`);
  }
  return `CREATE TABLE ${options.ifNotExists ? 'IF NOT EXISTS ' : ''}${tableIdent(table)} (${defs.join(', ')})`;
}

/** Rows per statement so that `columns × rows` stays within PostgreSQL's bind-parameter limit. */
export function rowsPerStatement(columnCount: number, wanted = 1000): number {
  return Math.max(1, Math.min(wanted, Math.floor(MAX_BIND_PARAMETERS / Math.max(1, columnCount))));
}

/** `INSERT INTO t ("a","b") VALUES ($1,$2),($3,$4)…` for `rowCount` rows. */
export function insertSql(table: string, columns: readonly SqlColumn[], rowCount: number): string {
  const n = columns.length;
  const tuples: string[] = [];
  for (let r = 0; r < rowCount; r++) {
    const ps: string[] = [];
    for (let c = 1; c <= n; c++) ps.push(`$${r * n + c}`);
    tuples.push(`(${ps.join(', ')})`);
  }
  return `INSERT INTO ${tableIdent(table)} (${columns.map((c) => quoteIdent(c.name)).join(', ')}) VALUES ${tuples.join(', ')}`;
}

/** The multi-row insert, plus `ON CONFLICT (key) DO UPDATE SET` every non-key column. */
export function upsertSql(table: string, columns: readonly SqlColumn[], primaryKey: readonly string[], rowCount: number): string {
  checkKey(columns, primaryKey);
  const others = columns.filter((c) => !primaryKey.includes(c.name));
  const action =
    others.length === 0
      ? 'DO NOTHING'
      : `DO UPDATE SET ${others.map((c) => `${quoteIdent(c.name)} = EXCLUDED.${quoteIdent(c.name)}`).join(', ')}`;
  return `${insertSql(table, columns, rowCount)} ON CONFLICT (${primaryKey.map(quoteIdent).join(', ')}) ${action}`;
}

/**
 * Keeps the last row per key: one INSERT … ON CONFLICT may not touch a key twice, and within a
 * batch the later row is the newer value (Update mode emits each key once anyway).
 */
export function lastRowPerKey<R>(rows: readonly R[], key: (row: R) => string): R[] {
  const byKey = new Map<string, R>();
  for (const r of rows) {
    const k = key(r);
    byKey.delete(k);
    byKey.set(k, r);
  }
  return [...byKey.values()];
}

/** Parses Spark-style `primaryKey` option text: `"window_start, node_name"`. */
export function parseKeyList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function checkKey(columns: readonly SqlColumn[], key: readonly string[]): void {
  if (key.length === 0) throw new SqlNameError('primaryKey must name at least one column');
  for (const k of key) {
    if (!columns.some((c) => c.name === k)) {
      throw new SqlNameError(`primaryKey column '${k}' is not in the output schema (${columns.map((c) => c.name).join(', ')})`);
    }
  }
}
