/**
 * Least-privilege PostgreSQL roles for code the runtime does not trust: the learner's queries
 * (`db.query`, the Database panel), the learner's pipelines (JDBC writes, the upsert sink, a flow's
 * `SlickSession`) and a lesson check's sandbox.
 *
 * Such a role logs in and owns exactly one schema, which is its search_path. It is not a superuser and
 * has no CREATEDB, CREATEROLE, REPLICATION or BYPASSRLS, is a member of no role (so neither
 * `pg_read_server_files`, `pg_write_server_files` nor `pg_execute_server_program`: no `COPY … TO
 * PROGRAM`, no `COPY … FROM 'file'`, no server-side `lo_import`), gets no EXECUTE on the file functions
 * (`pg_read_file` and the like are revoked from PUBLIC by PostgreSQL itself), and has no CREATE on the
 * database (so not even a trusted extension can be created). Another role's schema is not reachable:
 * a schema is usable only by its owner unless granted.
 *
 *   ensureRestrictedRole(admin, { role, schema, password })   create or repair; idempotent; safe to run
 *                                                              from several processes at once
 *   dropRestrictedRole(admin, { role, schema })               its connections, the schema (cascade), then the role
 *   learnerDatabase(adminUrl)                                 the runtime's learner role on that database
 *   connectAdmin(adminUrl)                                    an administrator's connection that resolves
 *                                                              names in pg_catalog only
 *
 * The administrator's connections never look names up in a schema a learner may create in: a classroom's
 * admin URL opens its sessions in the student's schema (`-c search_path=<student>`), which the learner
 * role owns, and a function made there with a built-in's name and an exact argument type (say
 * `pg_advisory_xact_lock(integer)`) would be chosen over the built-in and run with the administrator's
 * rights.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';

/** A role confined to one schema. */
export interface RestrictedRole {
  role: string;
  schema: string;
  password: string;
  /** Set as the schema's comment in the same transaction (how a runtime later recognises schemas it made). */
  comment?: string;
}

/** The learner's way into the runtime's database. */
export interface LearnerDatabase {
  /** Connection URL as the learner role (same host, port and database as the admin URL). */
  url: string;
  role: string;
  schema: string;
}

/** Schema of the learner when the admin URL names none. */
export const DEFAULT_LEARNER_SCHEMA = 'learner';

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;

/** Quotes an identifier; only plain lower-case names are accepted, so quoting never changes the name. */
export function ident(name: string): string {
  if (!IDENT.test(name)) throw new Error(`Not a plain PostgreSQL name: ${JSON.stringify(name)} (lower-case letters, digits and _, at most 63)`);
  return `"${name}"`;
}

function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** search_path of every administrator connection: built-ins only (pg_temp, named last, holds no functions it looks up). */
export const ADMIN_SEARCH_PATH = 'pg_catalog, pg_temp';

/** An administrator's connection, connected, whose search_path is {@link ADMIN_SEARCH_PATH} whatever the URL's options say. */
export async function connectAdmin(adminUrl: string, timeoutMs = 10_000): Promise<pg.Client> {
  const admin = new pg.Client({ connectionString: adminUrl.replace(/^jdbc:/, ''), connectionTimeoutMillis: timeoutMs });
  admin.on('error', () => undefined);
  await admin.connect();
  try {
    await admin.query(`SET search_path = ${ADMIN_SEARCH_PATH}`);
  } catch (e) {
    await admin.end().catch(() => undefined);
    throw e;
  }
  return admin;
}

/** A client that calls `fn` with an admin connection, in one transaction serialised across processes. */
async function serialised<T>(admin: pg.ClientBase, fn: () => Promise<T>): Promise<T> {
  await admin.query('BEGIN');
  try {
    // Whoever opened the connection, nothing in this transaction resolves to a learner's function.
    await admin.query(`SET LOCAL search_path = ${ADMIN_SEARCH_PATH}`);
    // CREATE ROLE is cluster-wide: two runtimes on one database must not race on the same name.
    await admin.query("SELECT pg_advisory_xact_lock(hashtext('streamlab.restricted-role'))");
    const result = await fn();
    await admin.query('COMMIT');
    return result;
  } catch (e) {
    await admin.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

/**
 * Creates the role and its schema, or brings an existing one back to exactly these rights: attributes,
 * password, no memberships, ownership of the schema and of everything already in it, search_path.
 * `admin` must be a superuser (or have CREATEROLE and own the database).
 */
export async function ensureRestrictedRole(admin: pg.ClientBase, spec: RestrictedRole): Promise<void> {
  const role = ident(spec.role);
  const schema = ident(spec.schema);
  const attributes = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT CONNECTION LIMIT 64 PASSWORD ${literal(spec.password)}`;
  await serialised(admin, async () => {
    const exists = (await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [spec.role])).rowCount! > 0;
    await admin.query(`${exists ? 'ALTER' : 'CREATE'} ROLE ${role} WITH ${attributes}`);
    // Memberships would lend it another role's rights (pg_execute_server_program among them).
    const granted = await admin.query<{ rolname: string }>(
      'SELECT r.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = $1',
      [spec.role],
    );
    for (const g of granted.rows) await admin.query(`REVOKE ${quoteAny(g.rolname)} FROM ${role}`);
    const db = (await admin.query<{ db: string }>('SELECT current_database() AS db')).rows[0]!.db;
    await admin.query(`REVOKE CREATE ON DATABASE ${quoteAny(db)} FROM ${role}`);
    await admin.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${quoteAny(db)} TO ${role}`);
    await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema} AUTHORIZATION ${role}`);
    await admin.query(`ALTER SCHEMA ${schema} OWNER TO ${role}`);
    // Tables made in the schema before it had this owner (by an admin, or an earlier version) become the learner's.
    const foreign = await admin.query<{ kind: string; name: string }>(
      `SELECT c.relkind::text AS kind, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND pg_get_userbyid(c.relowner) <> $2
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i') AND d.classid = 'pg_class'::regclass)`,
      [spec.schema, spec.role],
    );
    for (const f of foreign.rows) {
      const what = f.kind === 'v' ? 'VIEW' : f.kind === 'm' ? 'MATERIALIZED VIEW' : f.kind === 'S' ? 'SEQUENCE' : f.kind === 'f' ? 'FOREIGN TABLE' : 'TABLE';
      await admin.query(`ALTER ${what} ${schema}.${quoteAny(f.name)} OWNER TO ${role}`);
    }
    await admin.query(`ALTER ROLE ${role} SET search_path = ${schema}`);
    if (spec.comment !== undefined) await admin.query(`COMMENT ON SCHEMA ${schema} IS ${literal(spec.comment)}`);
  });
}

/**
 * Drops the schema with everything in it, then the role, ending the role's open connections first (a
 * pipeline's pool may outlive its run by a moment). Missing ones are fine.
 */
export async function dropRestrictedRole(admin: pg.ClientBase, spec: Pick<RestrictedRole, 'role' | 'schema'>): Promise<void> {
  const role = ident(spec.role);
  const schema = ident(spec.schema);
  await admin.query('SELECT pg_catalog.pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity WHERE usename OPERATOR(pg_catalog.=) $1 AND pid OPERATOR(pg_catalog.<>) pg_catalog.pg_backend_pid()', [spec.role])
    // An administrator without the right to signal them still drops what it can.
    .catch(() => undefined);
  await serialised(admin, async () => {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    if ((await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [spec.role])).rowCount! > 0) {
      await admin.query(`DROP OWNED BY ${role}`);
      await admin.query(`DROP ROLE ${role}`);
    }
  });
}

function quoteAny(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * The schema the learner works in for this admin URL: the first schema of a `search_path` set in the
 * URL's `options` (what a classroom hands each student's runtime) or its `currentSchema`, else `learner`.
 */
export function learnerSchemaOf(adminUrl: string): string {
  const url = new URL(adminUrl.replace(/^jdbc:/, ''));
  const options = url.searchParams.get('options') ?? '';
  const fromOptions = /(?:^|\s)-c\s*search_path\s*=\s*"?([^",\s]+)/.exec(options)?.[1];
  const schema = (fromOptions ?? url.searchParams.get('currentSchema') ?? DEFAULT_LEARNER_SCHEMA).toLowerCase();
  return IDENT.test(schema) ? schema : DEFAULT_LEARNER_SCHEMA;
}

/**
 * The learner role for an admin URL: `streamlab_<schema>`, with a password derived from the admin URL
 * (stable across restarts and across runtimes sharing the database, unknown to anyone without the
 * admin's credentials). Nothing is created; see {@link provisionLearnerDatabase}.
 */
export function learnerDatabase(adminUrl: string): LearnerDatabase & { password: string } {
  const schema = learnerSchemaOf(adminUrl);
  const role = `streamlab_${schema}`.slice(0, 63);
  const password = createHash('sha256').update(`streamlab learner role\0${role}\0${adminUrl}`).digest('base64url');
  const url = new URL(adminUrl.replace(/^jdbc:/, ''));
  url.username = role;
  url.password = password;
  // The role's own search_path applies; the admin's session options must not.
  url.searchParams.delete('options');
  url.searchParams.delete('currentSchema');
  return { url: url.toString(), role, schema, password };
}

/** Creates (or repairs) the learner role for an admin URL and returns how the learner connects. */
export async function provisionLearnerDatabase(adminUrl: string): Promise<LearnerDatabase> {
  const learner = learnerDatabase(adminUrl);
  const admin = await connectAdmin(adminUrl);
  try {
    await ensureRestrictedRole(admin, learner);
  } finally {
    await admin.end().catch(() => undefined);
  }
  return { url: learner.url, role: learner.role, schema: learner.schema };
}

/**
 * The URL learner code uses: the learner role's, created or repaired on the configured database. A
 * database whose configured user may not create roles is used as configured (its operator chose that
 * user's rights); one that cannot be reached is not used at all, so no request runs as the admin.
 */
export async function learnerUrl(adminUrl: string, log: (line: string) => void): Promise<string | undefined> {
  try {
    return (await provisionLearnerDatabase(adminUrl)).url;
  } catch (e) {
    const err = e as { code?: string; message?: string };
    if (err.code === '42501') {
      log(`streamlab: the configured PostgreSQL user may not create roles, so learner queries use it as configured (${err.message ?? ''}).`);
      return adminUrl;
    }
    log(`streamlab: PostgreSQL could not be prepared for learner queries: ${err.message ?? String(e)}`);
    return undefined;
  }
}
