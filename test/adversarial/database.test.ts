/**
 * Lesson 05's database, attacked from inside the sandbox: a submission's SQL runs as the role its
 * check was given, which PostgreSQL itself stops from becoming superuser, reading or writing server
 * files, running programs, making schemas or roles, or reading another check's tables; the schema and
 * the role are gone once the check ends. The statements run through the flow API's SlickSession, as
 * any learner's SQL does.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_DATABASE_ENV, CHECKS_DATABASE } from '../../runtime/src/lessons/check-database.js';
import { Program } from '../../runtime/src/lessons/check-harness.js';
import { databaseUrl } from '../services/inject.js';
import { databaseAttacks } from './hostile-submissions.js';

const work = mkdtempSync(join(tmpdir(), 'streamlab-db-attacks-'));
const marker = join(work, 'marker');
mkdirSync(marker);
// Writable by anyone, so the PostgreSQL server (whatever OS user it runs as) could leave a file if it were allowed to.
chmodSync(work, 0o755);
chmodSync(marker, 0o777);

const ATTACKER = `import { SlickSession, sql } from "streamlab";
export async function attack(statements: string[]): Promise<string[]> {
  const session = SlickSession.forConfig("slick-postgres");
  const out: string[] = [];
  for (const text of statements) {
    try {
      await session.db.run(sql([text] as unknown as TemplateStringsArray));
      out.push("allowed");
    } catch (e) {
      out.push(String((e as Error).message));
    }
  }
  return out;
}
export async function whoami(): Promise<unknown> {
  const rows = await SlickSession.forConfig("slick-postgres").db.run(sql\`SELECT current_user AS role, current_database() AS db, current_schema() AS schema, rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user\`);
  return rows[0];
}
export async function write(): Promise<number> {
  const session = SlickSession.forConfig("slick-postgres");
  await session.db.run(sql\`CREATE TABLE locations (secret text)\`);
  await session.db.run(sql\`INSERT INTO locations VALUES ('another check')\`);
  return 1;
}
`;

const program = (label: string) => new Program(label, async () => ({ files: [{ path: 'attack.ts', content: ATTACKER }], entry: 'attack.ts' }));
const WORLD = { start: '2026-11-21T10:00:00Z', topics: {}, database: true };

beforeAll(() => {
  process.env[CHECK_DATABASE_ENV] = databaseUrl();
});

afterAll(() => {
  delete process.env[CHECK_DATABASE_ENV];
  rmSync(work, { recursive: true, force: true });
});

describe("a lesson-05 check's database role", () => {
  it('is an ordinary role of its own, in its own schema of the checks database', async () => {
    const who = await program('yours').run(WORLD, async (s) => ({ who: await s.call('whoami'), schema: s.db.schema })) as { who: Record<string, unknown>; schema: string };
    expect(who.who).toEqual({ role: who.schema, db: CHECKS_DATABASE, schema: who.schema, rolsuper: false, rolcreaterole: false, rolcreatedb: false });
  });

  it('is refused every privileged statement and another check\'s tables, and leaves nothing behind', async () => {
    const attacks = databaseAttacks(marker);
    let role = '';
    const outcomes = await program('victim').run(WORLD, async (victim) => {
      await victim.call('write');
      return program('yours').run(WORLD, async (s) => {
        role = s.db.schema;
        return s.call('attack', [...attacks.map(([, text]) => text), `SELECT * FROM ${victim.db.schema}.locations`]);
      });
    }) as string[];
    expect(Object.fromEntries(outcomes.map((o, i) => [attacks[i]?.[0] ?? "another check's table", o]))).toEqual({
      'become superuser': 'permission denied to alter role',
      'become the administrator': 'permission denied to set role "postgres"',
      'create a role': 'permission denied to create role',
      'read a server file': 'permission denied for function pg_read_file',
      'list a server folder': 'permission denied for function pg_ls_dir',
      'import a server file': 'permission denied for function lo_import',
      'COPY TO PROGRAM': 'permission denied to COPY to or from an external program',
      'COPY FROM PROGRAM': 'permission denied to COPY to or from an external program',
      'COPY TO a server file': 'permission denied to COPY to a file',
      'read password hashes': 'permission denied for table pg_authid',
      'read the server settings': 'permission denied to examine "data_directory"',
      'create a schema': `permission denied for database ${CHECKS_DATABASE}`,
      'write to public': 'permission denied for schema public',
      "another check's table": expect.stringMatching(/^permission denied for schema check_[0-9a-f]{12}$/),
    });
    expect(readdirSync(marker)).toEqual([]);
    const admin = new pg.Client({ connectionString: databaseUrl() });
    await admin.connect();
    try {
      const left = await admin.query('SELECT rolname FROM pg_roles WHERE rolname = $1', [role]);
      expect(left.rows).toEqual([]);
    } finally {
      await admin.end();
    }
  });
});
