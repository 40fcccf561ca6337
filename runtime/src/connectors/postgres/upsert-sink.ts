/**
 * The streaming PostgreSQL sink: `writeStream.format("postgres").option("url", …)
 * .option("table", …).option("primaryKey", "window_start,node_name")`.
 *
 * Exactly-once per batch id. For each micro-batch:
 *
 *   BEGIN
 *   INSERT INTO streamlab_commits (query_id, batch_id) VALUES ($q, $b) ON CONFLICT DO NOTHING
 *   if no row was inserted: ROLLBACK — this batch was already written by an earlier run
 *   INSERT … ON CONFLICT (primaryKey) DO UPDATE …   (multi-row; plain INSERT without a key)
 *   COMMIT
 *
 * The rows and the commit marker land together or not at all, so a batch that the engine replays
 * after a crash (same batch id, same rows) is skipped, and a batch that failed half-way is
 * written whole on replay. The marker is claimed first so that two runs of the same query racing
 * on one batch serialise on the marker's primary key.
 */
import type pg from 'pg';
import { createTableSql, parseKeyList, type SqlColumn } from './sql.js';
import { insertRows, tableExists } from './table-writer.js';
import { wrapPgError } from './pg-errors.js';

/** The table holding one row per written (query, batch). */
export const COMMITS_TABLE = 'streamlab_commits';

const CREATE_COMMITS = `CREATE TABLE IF NOT EXISTS ${COMMITS_TABLE} (
  query_id text NOT NULL,
  batch_id bigint NOT NULL,
  committed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (query_id, batch_id)
)`;

/** Options of {@link PostgresUpsertSink}. */
export interface UpsertSinkOptions {
  table: string;
  /** Key columns (`primaryKey` option, comma list or array); without a key rows are appended. */
  primaryKey?: string | readonly string[];
  /** The query's stable id (from its checkpoint), so batch ids of different queries never collide. */
  queryId: string;
  /** `host:port/db` for error messages. */
  where: string;
}

/** Outcome of one batch. */
export interface UpsertResult {
  /** False when the batch id was already committed (a replay), so nothing was written. */
  written: boolean;
  rows: number;
}

/** Writes micro-batches to PostgreSQL exactly once per (query id, batch id). */
export class PostgresUpsertSink {
  private readonly key: string[];
  private ready = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: UpsertSinkOptions,
  ) {
    this.key = typeof options.primaryKey === 'string' ? parseKeyList(options.primaryKey) : [...(options.primaryKey ?? [])];
  }

  /** Writes one batch (values in column order) unless its id is already committed. */
  async addBatch(batchId: number, columns: readonly SqlColumn[], rows: readonly (readonly unknown[])[]): Promise<UpsertResult> {
    const action = `writing batch ${batchId} to table ${this.options.table}`;
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw wrapPgError(e, action, this.options.where);
    }
    try {
      if (!this.ready) await this.prepare(client, columns);
      await client.query('BEGIN');
      const claimed = await client.query(
        `INSERT INTO ${COMMITS_TABLE} (query_id, batch_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
        [this.options.queryId, batchId],
      );
      if (claimed.rowCount === 0) {
        await client.query('ROLLBACK');
        return { written: false, rows: 0 };
      }
      const n = await insertRows(client, this.options.table, columns, rows, this.key.length > 0 ? this.key : undefined);
      await client.query('COMMIT');
      return { written: true, rows: n };
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw wrapPgError(e, action, this.options.where);
    } finally {
      client.release();
    }
  }

  /** The highest committed batch id of this query, or -1. */
  async lastCommittedBatch(): Promise<number> {
    try {
      const r = await this.pool.query(`SELECT max(batch_id) AS b FROM ${COMMITS_TABLE} WHERE query_id = $1`, [this.options.queryId]);
      const b = r.rows[0]?.b;
      return b === null || b === undefined ? -1 : Number(b);
    } catch (e) {
      if ((e as { code?: string }).code === '42P01') return -1; // no commits table yet
      throw wrapPgError(e, 'reading committed batches', this.options.where);
    }
  }

  /** Creates the commits table and, when missing, the target table with its primary key. */
  private async prepare(client: pg.PoolClient, columns: readonly SqlColumn[]): Promise<void> {
    await createIgnoringRace(client, CREATE_COMMITS);
    if (!(await tableExists(client, this.options.table))) {
      await createIgnoringRace(client, createTableSql(this.options.table, columns, { primaryKey: this.key.length > 0 ? this.key : undefined, ifNotExists: true }));
    }
    this.ready = true;
  }
}

/** `CREATE TABLE IF NOT EXISTS` can still fail when two sessions create the same table at once. */
async function createIgnoringRace(client: pg.PoolClient, sql: string): Promise<void> {
  try {
    await client.query(sql);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code !== '23505' && code !== '42P07') throw e;
  }
}
