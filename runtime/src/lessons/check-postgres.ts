/**
 * PostgreSQL for a lesson check: a schema of its own on the database named by `STREAMLAB_PG` (the
 * runtime's, or the one `streamlab grade --pg` names), so the learner's `locations` table of one check
 * never meets another's or the learner's own. Every way a pipeline writes — `df.write.jdbc`,
 * `format("jdbc")`, the `postgres` upsert sink, a flow's `SlickSession` — lands in that schema; `close()`
 * drops it.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { registerSinkProvider } from '../engine/formats.js';
import type { SinkProvider } from '../engine/sinks/sink.js';
import { setSqlExecutorFactory } from '../engine/flow/slick/sql-executor.js';
import { pgSqlExecutorFactory } from '../connectors/postgres/flow-sql.js';
import { postgresConnectors } from '../connectors/postgres/postgres-sinks.js';

/** Env variable naming the PostgreSQL URL checks run on. */
export const CHECK_PG_ENV = 'STREAMLAB_PG';

/** A check's database. */
export interface CheckPostgres {
  /** The schema this check writes into. */
  readonly schema: string;
  /** Runs SQL in the check's schema. */
  query<R extends Record<string, unknown> = Record<string, unknown>>(sql: string, values?: unknown[]): Promise<R[]>;
  /** A table's columns and their PostgreSQL types (`integer`, `real`, `timestamp without time zone`, ...), in order. */
  columns(table: string): Promise<{ name: string; type: string }[]>;
  /** Drops the schema and closes the connections. */
  close(): Promise<void>;
}

/** Opens the check's schema; throws a sentence the learner reads when no database was given. */
export async function createCheckPostgres(env: Readonly<Record<string, string | undefined>> = process.env): Promise<CheckPostgres> {
  const url = env[CHECK_PG_ENV];
  if (!url) throw new Error('This lesson\'s checks write to PostgreSQL, and none was given: press Check in the workbench, or grade with --pg postgres://…');
  const schema = `check_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url.replace(/^jdbc:/, '') });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.query(`SET search_path TO ${schema}`);
  const scoped = `${url}${url.includes('?') ? '&' : '?'}currentSchema=${schema}`;
  const pgc = postgresConnectors({ url: scoped });
  registerSinkProvider('postgres', pgc.sinkProvider as SinkProvider);
  registerSinkProvider('jdbc', pgc.jdbcSinkProvider as SinkProvider);
  setSqlExecutorFactory(pgSqlExecutorFactory(scoped));
  return {
    schema,
    async query<R extends Record<string, unknown>>(sql: string, values: unknown[] = []) {
      return (await admin.query(sql, values)).rows as R[];
    },
    async columns(table: string) {
      const r = await admin.query(
        'SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position',
        [schema, table],
      );
      return r.rows as { name: string; type: string }[];
    },
    async close() {
      setSqlExecutorFactory(null);
      await pgc.pools.close();
      try {
        await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      } finally {
        await admin.end();
      }
    },
  };
}
