/**
 * The learner reaches PostgreSQL only as a role confined to the learner's schema: through `db.query`
 * (the Database panel) and through a run's own SQL (a flow's SlickSession), it cannot run programs,
 * read server files, import large objects from the server, create extensions, or read another
 * learner's schema. Two runtimes share the run's real PostgreSQL the way a classroom's do (each admin
 * URL names the student's schema in its search_path).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { resolveConfig } from '../../../runtime/src/config.js';
import { startRuntimeServer, type RuntimeServer } from '../../../runtime/src/server/runtime-server.js';
import { dropRestrictedRole, learnerDatabase } from '../../../runtime/src/connectors/postgres/restricted-role.js';
import { databaseUrl, freshName, kafkaBootstrap } from '../../services/inject.js';
import { TestClient } from './ws-client.js';
import { sqlProgram } from './learner-sql.js';

const TOKEN = 'database-privileges-token-0123456789';
const students = [freshName('ada'), freshName('grace')];
const servers: RuntimeServer[] = [];
const clients: TestClient[] = [];

/** The admin URL a classroom hands student `s`'s runtime. */
function studentAdminUrl(s: string): string {
  const url = databaseUrl();
  return `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${s}`)}`;
}

beforeAll(async () => {
  for (const s of students) {
    const server = await startRuntimeServer({ config: resolveConfig({ port: 0, token: TOKEN }), services: { kafka: kafkaBootstrap(), pg: studentAdminUrl(s) } });
    servers.push(server);
    const client = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws?token=${TOKEN}`);
    await client.hello(undefined, [6]);
    clients.push(client);
  }
});

afterAll(async () => {
  for (const c of clients) await c.close();
  for (const s of servers) await s.close();
  const admin = new pg.Client({ connectionString: databaseUrl() });
  await admin.connect();
  for (const s of students) await dropRestrictedRole(admin, learnerDatabase(studentAdminUrl(s)));
  await admin.end();
});

async function dbQuery(c: TestClient, sql: string): Promise<unknown> {
  const reply = await c.request({ kind: 'db.query', sql });
  return reply.kind === 'error' ? reply.message : reply.kind === 'db.query.ok' ? reply.rows : reply;
}

async function runToEnd(c: TestClient, content: string): Promise<{ state: string; errors: string[]; logs: string[] }> {
  const reply = await c.request({ kind: 'run.start', files: [{ path: 'pipeline.ts', content }], mode: 'system' });
  if (reply.kind !== 'run.start.ok') throw new Error(JSON.stringify(reply));
  const ended = await c.runEnded(reply.runId);
  const events = c.eventsOf(reply.runId);
  return {
    state: ended.state,
    errors: events.flatMap((e) => (e.kind === 'run.error' ? [e.message] : [])),
    logs: events.flatMap((e) => (e.kind === 'run.log' ? [e.text] : [])),
  };
}

describe('the learner role', () => {
  it('db.query cannot run programs, read server files or import them as large objects', async () => {
    const [ada] = clients as [TestClient];
    expect(await dbQuery(ada, "COPY (SELECT 1) TO PROGRAM 'id'")).toBe(
      'PostgreSQL: permission denied to COPY to or from an external program');
    expect(await dbQuery(ada, "SELECT pg_read_file('/etc/passwd')")).toBe('PostgreSQL: permission denied for function pg_read_file');
    expect(await dbQuery(ada, "SELECT lo_import('/etc/passwd')")).toBe('PostgreSQL: permission denied for function lo_import');
    expect(await dbQuery(ada, "COPY (SELECT 1) TO '/tmp/streamlab-escape'")).toBe(
      'PostgreSQL: permission denied to COPY to a file');
    expect(await dbQuery(ada, 'SELECT current_user, current_schemas(false)')).toEqual([[`streamlab_${students[0]}`, `{${students[0]}}`]]);
  });

  it("a run's own SQL cannot either, nor create an extension, and its tables land in the learner's schema", async () => {
    const [ada] = clients as [TestClient];
    const table = freshName('mine');
    const result = await runToEnd(ada, sqlProgram([
      "COPY (SELECT 1) TO PROGRAM 'id'",
      "SELECT lo_import('/etc/passwd')",
      'CREATE EXTENSION IF NOT EXISTS pgcrypto',
      'CREATE SCHEMA elsewhere',
      `CREATE TABLE ${table} (n integer)`,
    ]));
    expect(result.logs).toEqual([
      'refused: permission denied to COPY to or from an external program',
      'refused: permission denied for function lo_import',
      'refused: permission denied to create extension "pgcrypto"',
      'refused: permission denied for database postgres',
      `ran: CREATE TABLE ${table} (n integer)`,
    ]);
    expect(result.errors).toEqual([]);
    const admin = new pg.Client({ connectionString: databaseUrl() });
    await admin.connect();
    const where = await admin.query<{ schema: string; owner: string }>(
      'SELECT schemaname AS schema, tableowner AS owner FROM pg_tables WHERE tablename = $1', [table]);
    await admin.end();
    expect(where.rows).toEqual([{ schema: students[0], owner: `streamlab_${students[0]}` }]);
  });

  it("cannot read another learner's schema, and does not list its tables", async () => {
    const [ada, grace] = clients as [TestClient, TestClient];
    const table = freshName('secret');
    const made = await runToEnd(grace, sqlProgram([`CREATE TABLE ${table} (n integer)`, `INSERT INTO ${table} VALUES (42)`]));
    expect(made.logs).toEqual([`ran: CREATE TABLE ${table} (n integer)`, `ran: INSERT INTO ${table} VALUES (42)`]);
    expect(await dbQuery(grace, `SELECT n FROM ${table}`)).toEqual([[42]]);
    expect(await dbQuery(ada, `SELECT n FROM ${students[1]}.${table}`)).toBe(`PostgreSQL: permission denied for schema ${students[1]}`);
    const stolen = await runToEnd(ada, sqlProgram([`INSERT INTO ${students[1]}.${table} VALUES (1)`, `DROP TABLE ${students[1]}.${table}`]));
    expect(stolen.logs).toEqual([
      `refused: permission denied for schema ${students[1]}`,
      `refused: permission denied for schema ${students[1]}`,
    ]);
    const listed = await ada.request({ kind: 'db.tables' });
    if (listed.kind !== 'db.tables.ok') throw new Error(JSON.stringify(listed));
    expect(listed.tables.filter((t) => t.schema !== students[0])).toEqual([]);
  });
});
