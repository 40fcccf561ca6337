/**
 * A schema and a least-privilege role for each learner of a runtime several learners share
 * (`--isolate-learners`), with the rights of {@link ensureRestrictedRole}: the learner's queries,
 * Database panel, pipelines and serving answers all run as it, so no learner sees, reads or drops
 * another's tables.
 *
 *   names:   schema `<learner schema>_<session tag>` (e.g. `learner_3f9c0a12b7d4`), role `streamlab_<schema>`,
 *            a random password; the schema's comment names the runtime (its topic prefix), so a restarted
 *            runtime finds the schemas a killed one left and leaves those of other runtimes alone
 *   provisionSessionSchema → the session's connection URL        (when the session's database is first needed)
 *   dropSessionSchema      → connections, schema (cascade), role (when the session ends)
 *   removeLeftoverSessionSchemas → every schema and role of this runtime's sessions (at start, before any session)
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { dropRestrictedRole, ensureRestrictedRole, learnerSchemaOf } from './restricted-role.js';

/** Where a session's own database lives and how it connects. */
export interface SessionSchema {
  schema: string;
  role: string;
  /** Connection URL as the session's role (host, port and database of the admin URL). */
  url: string;
}

const TAG = /^[0-9a-f]{12}$/;

/** The schema comment that marks a session schema of the runtime with this topic prefix. */
export function sessionSchemaMarker(topicPrefix: string): string {
  return `streamlab learner session of the runtime with topic prefix "${topicPrefix}"`;
}

/** Schema and role names of the session `tag` (12 hex digits) for this admin URL. */
export function sessionSchemaNames(adminUrl: string, tag: string): { schema: string; role: string } {
  if (!TAG.test(tag)) throw new Error(`Not a session tag: ${JSON.stringify(tag)}`);
  const schema = `${learnerSchemaOf(adminUrl).slice(0, 40)}_${tag}`;
  return { schema, role: `streamlab_${schema}` };
}

async function asAdmin<T>(adminUrl: string, fn: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: adminUrl.replace(/^jdbc:/, ''), connectionTimeoutMillis: 10_000 });
  admin.on('error', () => undefined);
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end().catch(() => undefined);
  }
}

/** Creates the session's schema and role. */
export async function provisionSessionSchema(adminUrl: string, tag: string, topicPrefix: string): Promise<SessionSchema> {
  const { schema, role } = sessionSchemaNames(adminUrl, tag);
  const password = randomBytes(24).toString('base64url');
  await asAdmin(adminUrl, (admin) => ensureRestrictedRole(admin, { role, schema, password, comment: sessionSchemaMarker(topicPrefix) }));
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
  await asAdmin(adminUrl, (admin) => dropRestrictedRole(admin, names));
}

/**
 * Drops the schemas (and their roles) of this runtime's sessions that are still in the database: left
 * by a runtime that was killed before its sessions ended. Resolves with how many were dropped.
 */
export async function removeLeftoverSessionSchemas(adminUrl: string, topicPrefix: string): Promise<number> {
  const base = learnerSchemaOf(adminUrl).slice(0, 40);
  return asAdmin(adminUrl, async (admin) => {
    const found = await admin.query<{ schema: string }>(
      `SELECT nspname AS schema FROM pg_namespace
        WHERE left(nspname, length($1) + 1) = $1 || '_' AND substr(nspname, length($1) + 2) ~ '^[0-9a-f]{12}$'
          AND obj_description(oid, 'pg_namespace') = $2`,
      [base, sessionSchemaMarker(topicPrefix)],
    );
    for (const { schema } of found.rows) await dropRestrictedRole(admin, { schema, role: `streamlab_${schema}` });
    return found.rows.length;
  });
}
