/**
 * A schema and a least-privilege role for each learner of a runtime several learners share
 * (`--isolate-learners`), with the rights of {@link ensureRestrictedRole}: the learner's queries,
 * Database panel, pipelines and serving answers all run as it, so no learner sees, reads or drops
 * another's tables.
 *
 *   names:   schema `<learner schema>_<session tag>` (e.g. `learner_3f9c0a12b7d4`), role `streamlab_<schema>`,
 *            a random password
 *   record:  each schema and role made is a row of `streamlab_runtime.session_schemas` with the runtime's
 *            topic prefix, written before they are made and deleted after they are dropped; the schema
 *            `streamlab_runtime` belongs to the administrator and no learner role may use it, so a learner
 *            cannot hide its schema from the cleanup or make it look like another runtime's (a schema's
 *            comment, which its owner may change, would not do)
 *   provisionSessionSchema → the session's connection URL        (when the session's database is first needed;
 *                            a set-up that fails deletes its record)
 *   dropSessionSchema      → connections, schema (cascade), role (when the session ends)
 *   removeLeftoverSessionSchemas → every schema and role of this runtime's sessions (at start, before any session)
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { connectAdmin, dropRestrictedRole, ensureRestrictedRole, learnerSchemaOf } from './restricted-role.js';

/** The administrator's record of the session schemas and roles each runtime made. */
export const SESSION_REGISTRY = 'streamlab_runtime.session_schemas';

/** Where a session's own database lives and how it connects. */
export interface SessionSchema {
  schema: string;
  role: string;
  /** Connection URL as the session's role (host, port and database of the admin URL). */
  url: string;
}

const TAG = /^[0-9a-f]{12}$/;

/** Schema and role names of the session `tag` (12 hex digits) for this admin URL. */
export function sessionSchemaNames(adminUrl: string, tag: string): { schema: string; role: string } {
  if (!TAG.test(tag)) throw new Error(`Not a session tag: ${JSON.stringify(tag)}`);
  const schema = `${learnerSchemaOf(adminUrl).slice(0, 40)}_${tag}`;
  return { schema, role: `streamlab_${schema}` };
}

async function asAdmin<T>(adminUrl: string, fn: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = await connectAdmin(adminUrl);
  try {
    return await fn(admin);
  } finally {
    await admin.end().catch(() => undefined);
  }
}

/**
 * Whether the admin URL's user may make the sessions' roles: `'yes'`, `'no'` (its operator chose a user
 * without CREATEROLE; sessions then use it as configured), or `'unreachable'` with why.
 */
export async function sessionRolesAllowed(adminUrl: string): Promise<{ allowed: 'yes' | 'no' } | { allowed: 'unreachable'; message: string }> {
  try {
    return await asAdmin(adminUrl, async (admin) => {
      const r = await admin.query<{ ok: boolean }>('SELECT rolsuper OR rolcreaterole AS ok FROM pg_roles WHERE rolname = current_user');
      return { allowed: r.rows[0]?.ok ? 'yes' : 'no' };
    });
  } catch (e) {
    return { allowed: 'unreachable', message: e instanceof Error ? e.message : String(e) };
  }
}

/** Makes the record's schema and table when they are missing; only the administrator may use them. */
async function ensureRegistry(admin: pg.Client): Promise<void> {
  await admin.query('BEGIN');
  try {
    // Two runtimes starting on one database must not race on CREATE SCHEMA.
    await admin.query("SELECT pg_advisory_xact_lock(hashtext('streamlab.session-registry'))");
    await admin.query('CREATE SCHEMA IF NOT EXISTS streamlab_runtime');
    await admin.query('REVOKE ALL ON SCHEMA streamlab_runtime FROM PUBLIC');
    await admin.query(`CREATE TABLE IF NOT EXISTS ${SESSION_REGISTRY} (schema_name text PRIMARY KEY, role_name text NOT NULL, topic_prefix text NOT NULL)`);
    await admin.query(`REVOKE ALL ON ${SESSION_REGISTRY} FROM PUBLIC`);
    await admin.query('COMMIT');
  } catch (e) {
    await admin.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

/** Creates the session's schema and role, recorded first as this runtime's (`topicPrefix`). */
export async function provisionSessionSchema(adminUrl: string, tag: string, topicPrefix: string): Promise<SessionSchema> {
  const { schema, role } = sessionSchemaNames(adminUrl, tag);
  const password = randomBytes(24).toString('base64url');
  await asAdmin(adminUrl, async (admin) => {
    await ensureRegistry(admin);
    await admin.query(
      `INSERT INTO ${SESSION_REGISTRY} (schema_name, role_name, topic_prefix) VALUES ($1, $2, $3)
        ON CONFLICT (schema_name) DO UPDATE SET role_name = EXCLUDED.role_name, topic_prefix = EXCLUDED.topic_prefix`,
      [schema, role, topicPrefix],
    );
    try {
      await ensureRestrictedRole(admin, { role, schema, password });
    } catch (e) {
      // The role and schema are made in one transaction, rolled back on failure: only the record is left
      // to undo. If the connection is gone, the record stays and the next start removes it.
      await admin.query(`DELETE FROM ${SESSION_REGISTRY} WHERE schema_name = $1`, [schema]).catch(() => undefined);
      throw e;
    }
  });
  const url = new URL(adminUrl.replace(/^jdbc:/, ''));
  url.username = role;
  url.password = password;
  // The role's own search_path applies; the admin's session options must not.
  url.searchParams.delete('options');
  url.searchParams.delete('currentSchema');
  return { schema, role, url: url.toString() };
}

/** Drops the session's schema with everything in it, and its role. */
export async function dropSessionSchema(adminUrl: string, names: { schema: string; role: string }): Promise<void> {
  await asAdmin(adminUrl, async (admin) => {
    await dropRestrictedRole(admin, names);
    if ((await admin.query("SELECT to_regclass('streamlab_runtime.session_schemas') IS NOT NULL AS present")).rows[0]?.present) {
      await admin.query(`DELETE FROM ${SESSION_REGISTRY} WHERE schema_name = $1`, [names.schema]);
    }
  });
}

/**
 * Drops the schemas (and their roles) of this runtime's sessions that are still in the database: left
 * by a runtime that was killed before its sessions ended. Resolves with how many were dropped.
 */
export async function removeLeftoverSessionSchemas(adminUrl: string, topicPrefix: string): Promise<number> {
  const base = learnerSchemaOf(adminUrl).slice(0, 40);
  return asAdmin(adminUrl, async (admin) => {
    if (!(await admin.query("SELECT to_regclass('streamlab_runtime.session_schemas') IS NOT NULL AS present")).rows[0]?.present) return 0;
    const found = await admin.query<{ schema: string; role: string }>(
      `SELECT schema_name AS schema, role_name AS role FROM ${SESSION_REGISTRY}
        WHERE topic_prefix = $2 AND left(schema_name, length($1) + 1) = $1 || '_' AND substr(schema_name, length($1) + 2) ~ '^[0-9a-f]{12}$'`,
      [base, topicPrefix],
    );
    let dropped = 0;
    for (const { schema, role } of found.rows) {
      const present = (await admin.query('SELECT 1 FROM pg_namespace WHERE nspname = $1 UNION ALL SELECT 1 FROM pg_roles WHERE rolname = $2', [schema, role])).rowCount! > 0;
      await dropRestrictedRole(admin, { schema, role });
      await admin.query(`DELETE FROM ${SESSION_REGISTRY} WHERE schema_name = $1`, [schema]);
      if (present) dropped++;
    }
    return dropped;
  });
}
