/**
 * `df.write.jdbc(url, table, mode, properties)` and `df.write.format("jdbc")…save()` for a batch
 * DataFrame (typically `batchDf` inside `foreachBatch`), with Spark's save modes:
 *
 *   append         create the table from the schema when missing, then insert
 *   overwrite      drop and re-create the table (Spark's default, `truncate=false`), then insert;
 *                  with `truncate=true` the table is truncated instead and its definition kept
 *   errorifexists  (Spark's default mode) fail when the table exists, else create and insert
 *   ignore         do nothing when the table exists, else create and insert
 *
 * Everything happens in one transaction, so a failed write leaves the table as it was. Rows go
 * in multi-row INSERT statements of up to 1000 rows (bounded by PostgreSQL's 65535 parameters).
 */
import type pg from 'pg';
import { createTableSql, insertSql, lastRowPerKey, rowsPerStatement, tableIdent, upsertSql, type SqlColumn } from './sql.js';
import { toPgRow } from './pg-values.js';
import { PostgresWriteError, wrapPgError } from './pg-errors.js';

/** Spark's save modes (case-insensitive names accepted by {@link parseSaveMode}). */
export type SaveMode = 'append' | 'overwrite' | 'errorifexists' | 'ignore';

/** Parses a mode as `DataFrameWriter.mode()` does. */
export function parseSaveMode(mode: string | undefined): SaveMode {
  const m = (mode ?? 'errorifexists').toLowerCase();
  if (m === 'append' || m === 'overwrite' || m === 'ignore') return m;
  if (m === 'error' || m === 'errorifexists' || m === 'default') return 'errorifexists';
  throw new PostgresWriteError(
    `Unknown save mode: ${mode}. Accepted save modes are 'overwrite', 'append', 'ignore', 'error', 'errorifexists', 'default'.`,
    undefined,
  );
}

/** A batch write request. */
export interface TableWrite {
  table: string;
  columns: readonly SqlColumn[];
  /** Values in column order. */
  rows: readonly (readonly unknown[])[];
  mode: SaveMode;
  /** Spark's `truncate` option for overwrite. */
  truncate?: boolean;
  /** When set, rows are upserted on this key (and the table is created with it as primary key). */
  primaryKey?: readonly string[];
}

/** Runs the statements of a write on one client inside the caller's transaction. */
export async function writeRowsInTransaction(client: pg.PoolClient | pg.Client, w: TableWrite): Promise<number> {
  const exists = await tableExists(client, w.table);
  if (exists && w.mode === 'ignore') return 0;
  if (exists && w.mode === 'errorifexists') {
    throw new PostgresWriteError(`Table or view '${w.table}' already exists. SaveMode: ErrorIfExists.`, '42P07');
  }
  if (exists && w.mode === 'overwrite') {
    if (w.truncate) await client.query(`TRUNCATE TABLE ${tableIdent(w.table)}`);
    else await client.query(`DROP TABLE ${tableIdent(w.table)}`);
  }
  if (!exists || (w.mode === 'overwrite' && !w.truncate)) {
    await client.query(createTableSql(w.table, w.columns, { primaryKey: w.primaryKey, ifNotExists: true }));
  }
  return insertRows(client, w.table, w.columns, w.rows, w.primaryKey);
}

/** Inserts (or upserts, with a key) rows in multi-row statements. */
export async function insertRows(
  client: pg.PoolClient | pg.Client,
  table: string,
  columns: readonly SqlColumn[],
  rows: readonly (readonly unknown[])[],
  primaryKey?: readonly string[],
): Promise<number> {
  const per = rowsPerStatement(columns.length);
  if (primaryKey && primaryKey.length > 0) {
    const idx = primaryKey.map((k) => columns.findIndex((c) => c.name === k));
    rows = lastRowPerKey(rows, (r) => keyText(idx.map((i) => r[i])));
  }
  let written = 0;
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    const sql = primaryKey && primaryKey.length > 0 ? upsertSql(table, columns, primaryKey, chunk.length) : insertSql(table, columns, chunk.length);
    const params: unknown[] = [];
    for (const r of chunk) params.push(...toPgRow(columns, r));
    await client.query(sql, params);
    written += chunk.length;
  }
  return written;
}

/** Writes a batch DataFrame to a table in one transaction; resolves to the number of rows written. */
export async function writeTable(pool: pg.Pool, w: TableWrite, where: string): Promise<number> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (e) {
    throw wrapPgError(e, `writing to table ${w.table}`, where);
  }
  try {
    await client.query('BEGIN');
    const n = await writeRowsInTransaction(client, w);
    await client.query('COMMIT');
    return n;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw wrapPgError(e, `writing to table ${w.table}`, where);
  } finally {
    client.release();
  }
}

/** True when the table (optionally schema-qualified) exists and is visible on the search path. */
export async function tableExists(client: pg.PoolClient | pg.Client, table: string): Promise<boolean> {
  const r = await client.query('SELECT to_regclass($1) IS NOT NULL AS present', [tableIdent(table)]);
  return r.rows[0]?.present === true;
}

/** A stable text form of key values (bigints, dates and bytes included) for de-duplication. */
function keyText(values: readonly unknown[]): string {
  return JSON.stringify(values, (_k, v: unknown) => {
    if (typeof v === 'bigint') return `${v}n`;
    if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
    return v;
  });
}
