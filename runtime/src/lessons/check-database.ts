/**
 * PostgreSQL for a check whose lesson writes tables. The harness (trusted, outside the sandbox) holds an
 * administrator's URL; the learner's code never sees it. For each sandbox it makes, in a database kept
 * for checks (`streamlab_checks`, where PUBLIC may neither connect nor use `public`):
 *
 *   a schema            check_<random>, owned by the administrator
 *   a role of its own   LOGIN with a random password; no superuser, no CREATEDB/CREATEROLE/REPLICATION/
 *                       BYPASSRLS, no membership (so no pg_read_server_files, pg_execute_server_program:
 *                       `COPY … TO PROGRAM`, `pg_read_file` and `lo_import` are refused); CONNECT on the
 *                       checks database, USAGE and CREATE on its schema and nothing else, so it reads no
 *                       other check's tables; a few connections; statements time out
 *
 * The sandbox gets only that role's URL, scoped to the schema (`currentSchema`). The harness reads the
 * tables through a connection of its own logged in as that same role, never as the administrator: what
 * it reads is whatever the learner's code made of those names, and a view over a function of the
 * learner's would run that function with the rights of whoever reads it (`SET ROLE` would not do, since
 * the function could `RESET ROLE`). The administrator's connection only creates and drops; its search
 * path never includes the learner's schema. `close()` ends the role's sessions and drops the schema and
 * the role.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connectAdmin } from '../connectors/postgres/restricted-role.js';
import { checkNamespaceFrom, checkSchemaName, checkSchemaPrefix } from './check-namespace.js';

/** Env variable of the check process naming the administrator's URL (the grader sets it). */
export const CHECK_DATABASE_ENV = 'STREAMLAB_CHECK_DATABASE';

/** The database checks write in, on the administrator's server. */
export const CHECKS_DATABASE = 'streamlab_checks';

/**
 * Connections a sandbox's role may hold at once. A flow's SlickSession and each JDBC writer keep a pool
 * of up to 4 that stay open for 10 s after their last statement, so a check that starts a flow again
 * has two sessions' pools at once, next to a Spark job's writer and the check's own reading connection.
 * The cap is there so that one submission cannot take the server's connections from the others.
 */
const CHECK_ROLE_CONNECTIONS = 16;

/** One sandbox's database. */
export interface CheckDatabase {
  /** The schema the sandbox writes into. */
  readonly schema: string;
  /** The least-privilege role's URL, scoped to the schema: what the sandbox gets. */
  readonly sandboxUrl: string;
  /** Runs SQL (as the administrator) with the schema first on the search path. */
  query<R extends Record<string, unknown> = Record<string, unknown>>(sql: string, values?: unknown[]): Promise<R[]>;
  /** A table's columns and their PostgreSQL types (`integer`, `real`, `timestamp without time zone`, ...), in order; none when it does not exist. */
  columns(table: string): Promise<{ name: string; type: string }[]>;
  /** Ends the role's sessions, drops the schema and the role, closes the connection. */
  close(): Promise<void>;
}

/** A connection URL without a `jdbc:` prefix, as `pg` reads it. */
function plainUrl(url: string): URL {
  const u = new URL(url.replace(/^jdbc:/, ''));
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') throw new Error(`Not a PostgreSQL URL: ${u.protocol}//…`);
  return u;
}

let prepared: Promise<void> | null = null;

/** Creates the checks database once, closed to PUBLIC. */
async function prepareChecksDatabase(admin: URL): Promise<void> {
  const server = await connectAdmin(admin.href);
  try {
    const exists = await server.query('SELECT 1 FROM pg_database WHERE datname = $1', [CHECKS_DATABASE]);
    if (exists.rowCount === 0) {
      try {
        await server.query(`CREATE DATABASE ${CHECKS_DATABASE}`);
      } catch (e) {
        // Another grading run created it at the same moment.
        if ((e as { code?: string }).code !== '42P04' && (e as { code?: string }).code !== '23505') throw e;
      }
    }
    await server.query(`REVOKE ALL ON DATABASE ${CHECKS_DATABASE} FROM PUBLIC`);
  } finally {
    await server.end();
  }
  const checks = await connectAdmin(withDatabase(admin, CHECKS_DATABASE).href);
  try {
    await checks.query('REVOKE ALL ON SCHEMA public FROM PUBLIC');
  } finally {
    await checks.end();
  }
}

function withDatabase(u: URL, database: string): URL {
  const copy = new URL(u.href);
  copy.pathname = `/${database}`;
  return copy;
}

/** Opens a schema and a role for one sandbox; throws a sentence the learner reads when no database was given. */
export async function openCheckDatabase(env: Readonly<Record<string, string | undefined>> = process.env): Promise<CheckDatabase> {
  const url = env[CHECK_DATABASE_ENV];
  if (!url) throw new Error('This lesson\'s checks write to PostgreSQL, and none was given: press Check in the workbench, or grade with --pg postgres://…');
  const admin = plainUrl(url);
  prepared ??= prepareChecksDatabase(admin).catch((e: unknown) => {
    prepared = null;
    throw e;
  });
  await prepared;
  // In the grading run's namespace, so the grader can drop what a killed run leaves.
  const schema = checkSchemaName(checkNamespaceFrom(env));
  const role = schema;
  const password = randomBytes(18).toString('base64url');
  const client = await connectAdmin(withDatabase(admin, CHECKS_DATABASE).href);
  try {
    await client.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}' NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS CONNECTION LIMIT ${CHECK_ROLE_CONNECTIONS}`);
    await client.query(`ALTER ROLE ${role} SET search_path = ${schema}`);
    await client.query(`ALTER ROLE ${role} SET statement_timeout = '20s'`);
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(`GRANT CONNECT ON DATABASE ${CHECKS_DATABASE} TO ${role}`);
    await client.query(`GRANT USAGE, CREATE ON SCHEMA ${schema} TO ${role}`);
  } catch (e) {
    await client.end().catch(() => undefined);
    throw e;
  }
  const sandbox = withDatabase(admin, CHECKS_DATABASE);
  sandbox.username = role;
  sandbox.password = password;
  // The administrator's session options (a classroom URL's search_path) are not the role's.
  sandbox.search = '';
  // The harness's reads: the role's own session (its search_path and statement timeout apply).
  const reader = new pg.Client({ connectionString: sandbox.href });
  reader.on('error', () => {});
  try {
    await reader.connect();
  } catch (e) {
    await dropRole(client, schema, role).catch(() => undefined);
    await client.end().catch(() => undefined);
    throw e;
  }
  sandbox.search = `?currentSchema=${schema}`;
  return {
    schema,
    sandboxUrl: sandbox.href,
    async query<R extends Record<string, unknown>>(sql: string, values: unknown[] = []) {
      return (await reader.query(sql, values)).rows as R[];
    },
    async columns(table: string) {
      const r = await reader.query(
        'SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position',
        [schema, table],
      );
      return r.rows as { name: string; type: string }[];
    },
    async close() {
      await reader.end().catch(() => undefined);
      try {
        await dropRole(client, schema, role);
      } finally {
        await client.end();
      }
    },
  };
}

/** Ends the role's sessions, drops its schema with everything in it, then the role. */
async function dropRole(client: pg.Client, schema: string, role: string): Promise<void> {
  await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [role]);
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.query(`DROP OWNED BY ${role}`);
  await client.query(`DROP ROLE IF EXISTS ${role}`);
}

/**
 * Drops every schema and role of a grading run's namespace that is still there (a run that was killed
 * did not close its sandboxes); resolves with the schemas dropped. Nothing to do when the checks
 * database was never made.
 */
export async function removeCheckNamespace(url: string, namespace: string): Promise<string[]> {
  const prefix = checkSchemaPrefix(namespace);
  const admin = plainUrl(url);
  const server = await connectAdmin(admin.href, 5000);
  try {
    const exists = await server.query('SELECT 1 FROM pg_database WHERE datname = $1', [CHECKS_DATABASE]);
    if (exists.rowCount === 0) return [];
  } finally {
    await server.end().catch(() => undefined);
  }
  const client = await connectAdmin(withDatabase(admin, CHECKS_DATABASE).href, 5000);
  try {
    // Names come from the catalogues and carry the namespace's prefix (letters, digits, "_"): safe as identifiers.
    const safe = (n: string) => /^check_[0-9a-f]+_[0-9a-f]+$/.test(n);
    const schemas = (await client.query<{ name: string }>('SELECT nspname AS name FROM pg_namespace WHERE starts_with(nspname, $1)', [prefix])).rows.map((r) => r.name).filter(safe);
    const roles = (await client.query<{ name: string }>('SELECT rolname AS name FROM pg_roles WHERE starts_with(rolname, $1)', [prefix])).rows.map((r) => r.name).filter(safe);
    for (const role of roles) await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [role]);
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    for (const role of roles) {
      await client.query(`DROP OWNED BY ${role}`);
      await client.query(`DROP ROLE IF EXISTS ${role}`);
    }
    return schemas;
  } finally {
    await client.end().catch(() => undefined);
  }
}
