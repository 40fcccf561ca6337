/**
 * PostgreSQL helpers behind `db.*`. Every query runs in its own read-only transaction with a statement
 * timeout, over the extended protocol (one statement only), and is rolled back afterwards; results are
 * capped at MAX_ROWS rows.
 */
import type pg from 'pg';
import { RequestError } from './request-error.js';

/** Rows returned at most by `db.query`. */
export const MAX_ROWS = 1000;
/** Statement timeout of `db.query`. */
export const STATEMENT_TIMEOUT_MS = 5000;

/** A query result as the protocol carries it. */
export interface QueryResult {
  columns: { name: string; type: string }[];
  rows: unknown[][];
  rowCount: number;
  truncated: boolean;
}

/** Read-only access to the runtime's database. */
export class DatabaseService {
  private pool: Promise<pg.Pool | null>;
  private typeNames: Map<number, string> | null = null;

  /** @param url PostgreSQL URL, or undefined when none is configured; a rejection (a RequestError) answers every request */
  constructor(url: string | undefined | Promise<string | undefined>) {
    // pg loads on first use, so starting the runtime does not pay for it.
    this.pool = Promise.resolve(url).then(async (u) => {
      if (!u) return null;
      const { default: pgModule } = await import('pg');
      const pool = new pgModule.Pool({ connectionString: u, max: 3, connectionTimeoutMillis: 5000, idleTimeoutMillis: 10_000 });
      pool.on('error', () => {});
      return pool;
    });
    // A URL that could not be had (a learner's schema that could not be made) is each request's error.
    this.pool.catch(() => undefined);
  }

  private async getPool(): Promise<pg.Pool> {
    const pool = await this.pool;
    if (!pool) throw new RequestError('unavailable', 'No PostgreSQL is configured: start the runtime with --pg postgres://... (or STREAMLAB_PG).');
    return pool;
  }

  private async connect(): Promise<pg.PoolClient> {
    try {
      const client = await (await this.getPool()).connect();
      // A server-side termination must not become an unhandled 'error' event.
      if (client.listenerCount('error') === 0) client.on('error', () => {});
      return client;
    } catch (e) {
      if (e instanceof RequestError) throw e;
      throw new RequestError('unavailable', `PostgreSQL is not reachable: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** User tables with their columns. */
  async tables(): Promise<{ schema: string; name: string; columns: { name: string; type: string }[] }[]> {
    const client = await this.connect();
    try {
      const res = await client.query<{ table_schema: string; table_name: string; column_name: string; data_type: string }>(
        `SELECT c.table_schema, c.table_name, c.column_name, c.data_type
           FROM information_schema.columns c
           JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
          WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema') AND t.table_type IN ('BASE TABLE', 'VIEW')
          ORDER BY c.table_schema, c.table_name, c.ordinal_position`);
      const tables = new Map<string, { schema: string; name: string; columns: { name: string; type: string }[] }>();
      for (const r of res.rows) {
        const key = `${r.table_schema}.${r.table_name}`;
        let t = tables.get(key);
        if (!t) tables.set(key, (t = { schema: r.table_schema, name: r.table_name, columns: [] }));
        t.columns.push({ name: r.column_name, type: r.data_type });
      }
      return [...tables.values()];
    } finally {
      client.release();
    }
  }

  /** Runs one statement read-only. */
  async query(sql: string): Promise<QueryResult> {
    return this.readOnly('BEGIN READ ONLY', async (client) => {
      let res: pg.QueryArrayResult;
      try {
        // The extended protocol refuses several statements in one string, so nothing runs after a COMMIT.
        res = await client.query({ text: sql, rowMode: 'array', queryMode: 'extended' } as pg.QueryArrayConfig);
      } catch (e) {
        throw new RequestError('invalid-request', `PostgreSQL: ${e instanceof Error ? e.message : String(e)}`);
      }
      const types = await this.types(client);
      const rows = (res.rows ?? []).slice(0, MAX_ROWS).map((r) => r.map(toJson));
      return {
        columns: (res.fields ?? []).map((f) => ({ name: f.name, type: types.get(f.dataTypeID) ?? String(f.dataTypeID) })),
        rows,
        rowCount: rows.length,
        truncated: (res.rows ?? []).length > MAX_ROWS,
      };
    });
  }

  /**
   * Reads under one snapshot, read-only and repeatable: first PostgreSQL's current snapshot
   * (`pg_current_snapshot()`: the transactions committed so far), then `sql` with `params` unless
   * `known(version)` says the caller already holds the answer for exactly that snapshot. Two
   * snapshots are equal only when no transaction committed between them, so an answer kept under its
   * snapshot is never served after new data.
   */
  async snapshotRead(known: (version: string) => boolean, sql: string, params: unknown[]): Promise<{ version: string; rows: Record<string, unknown>[] | null; truncated: boolean }> {
    return this.readOnly('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', async (client) => {
      const version = (await client.query<{ v: string }>('SELECT pg_current_snapshot()::text AS v')).rows[0]!.v;
      if (known(version)) return { version, rows: null, truncated: false };
      try {
        const res = await client.query<Record<string, unknown>>({ text: sql, values: params });
        return { version, rows: res.rows.slice(0, MAX_ROWS), truncated: res.rows.length > MAX_ROWS };
      } catch (e) {
        throw new RequestError('invalid-request', `PostgreSQL: ${e instanceof Error ? e.message : String(e)}`);
      }
    });
  }

  /**
   * `fn` on a pooled connection inside a transaction opened with `begin`, with the statement timeout,
   * always rolled back. A connection that failed other than by the learner's statement is not reused.
   */
  private async readOnly<T>(begin: string, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.connect();
    let broken = false;
    try {
      await client.query(begin);
      await client.query(`SET LOCAL statement_timeout = ${STATEMENT_TIMEOUT_MS}`);
      return await fn(client);
    } catch (e) {
      broken = !(e instanceof RequestError);
      throw e;
    } finally {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      client.release(broken);
    }
  }

  private async types(client: pg.PoolClient): Promise<Map<number, string>> {
    if (!this.typeNames) {
      const res = await client.query<{ oid: number; typname: string }>('SELECT oid::int AS oid, typname FROM pg_type');
      this.typeNames = new Map(res.rows.map((r) => [r.oid, r.typname]));
    }
    return this.typeNames;
  }

  /** Closes the pool. */
  async close(): Promise<void> {
    const pool = await this.pool.catch(() => null);
    this.pool = Promise.resolve(null);
    await pool?.end().catch(() => {});
  }
}

function toJson(v: unknown): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? String(v) : v.toISOString();
  if (Buffer.isBuffer(v)) return `\\x${v.toString('hex')}`;
  if (Array.isArray(v)) return v.map(toJson);
  if (typeof v === 'object') return JSON.parse(JSON.stringify(v)) as unknown;
  return String(v);
}
