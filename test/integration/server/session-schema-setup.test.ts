/**
 * A session's PostgreSQL set-up that fails after the runtime recorded it (`streamlab start
 * --isolate-learners`, through the real CLI and the websocket): the learner's Database panel gets the
 * error, and neither the record in `streamlab_runtime.session_schemas` nor a schema or role of the
 * session stays behind while the runtime runs. The set-up is made to fail by an event trigger that
 * refuses the session's CREATE SCHEMA, in a database of this test's own so no other test meets it.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../../runtime/src/protocol/index.js';
import { startRuntime, type RuntimeProcess } from '../../e2e/runtime-process.js';
import { databaseUrl, freshName, kafkaBootstrap } from '../../services/inject.js';
import { TestClient } from './ws-client.js';

const TOKEN = 'session-schema-setup-token-0123456789';
/** The runtime's learner schema: every session schema of this runtime starts with `${BASE}_`. */
const BASE = freshName('setupfail');
const DB = freshName('setupfail_db');
const REFUSAL = 'session schemas are refused in this database';

/** `url` on the database `db`, with `options` when given. */
function onDatabase(url: string, db: string, options?: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  if (options !== undefined) u.searchParams.set('options', options);
  return u.toString();
}

let server: pg.Client;
let admin: pg.Client;
let runtime: RuntimeProcess | undefined;
let client: TestClient | undefined;

beforeAll(async () => {
  server = new pg.Client({ connectionString: databaseUrl() });
  await server.connect();
  await server.query(`CREATE DATABASE "${DB}"`);
  admin = new pg.Client({ connectionString: onDatabase(databaseUrl(), DB) });
  await admin.connect();
  await admin.query(`CREATE FUNCTION refuse_session_schema() RETURNS event_trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM pg_event_trigger_ddl_commands() WHERE object_type = 'schema' AND object_identity LIKE '${BASE}\\_%') THEN
        RAISE EXCEPTION '${REFUSAL}';
      END IF;
    END $$`);
  await admin.query("CREATE EVENT TRIGGER refuse_session_schema ON ddl_command_end WHEN TAG IN ('CREATE SCHEMA') EXECUTE FUNCTION refuse_session_schema()");
});

afterAll(async () => {
  await client?.close();
  await runtime?.stop();
  // Roles are the cluster's: drop any this test's sessions made, in case the set-up left one.
  const roles = await admin.query<{ n: string }>('SELECT rolname AS n FROM pg_roles WHERE rolname LIKE $1', [`streamlab\\_${BASE}\\_%`]);
  await admin.end();
  for (const { n } of roles.rows) await server.query(`DROP ROLE IF EXISTS "${n}"`).catch(() => undefined);
  await server.query(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);
  await server.end();
});

describe('a session whose PostgreSQL set-up fails', () => {
  it('answers the error and leaves no record, schema or role of the session', async () => {
    runtime = await startRuntime({
      kafka: kafkaBootstrap(),
      pg: onDatabase(databaseUrl(), DB, `-c search_path=${BASE}`),
      token: TOKEN,
      args: ['--isolate-learners'],
      env: {
        ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('STREAMLAB_'))),
        STREAMLAB_TOPIC_PREFIX: `${freshName('setupfail')}.`,
      },
    });
    client = await TestClient.connect(`ws://127.0.0.1:${new URL(runtime.url).port}/ws?token=${TOKEN}`);
    const hello = await client.hello(undefined, [PROTOCOL_VERSION]);
    expect(hello.kind).toBe('hello.ok');
    const reply = await client.request({ kind: 'db.query', sql: 'select 1' });
    expect(reply).toMatchObject({ kind: 'error', code: 'unavailable' });
    expect(reply.kind === 'error' ? reply.message : '').toContain(`Your PostgreSQL schema could not be made: ${REFUSAL}`);
    // The set-up got as far as its record (the refusal comes at CREATE SCHEMA, after the INSERT).
    expect((await admin.query("SELECT to_regclass('streamlab_runtime.session_schemas') IS NOT NULL AS p")).rows[0]).toEqual({ p: true });
    const recorded = await admin.query('SELECT schema_name FROM streamlab_runtime.session_schemas');
    const schemas = await admin.query('SELECT nspname FROM pg_namespace WHERE nspname LIKE $1', [`${BASE}\\_%`]);
    const roles = await admin.query('SELECT rolname FROM pg_roles WHERE rolname LIKE $1', [`streamlab\\_${BASE}\\_%`]);
    expect({ recorded: recorded.rows, schemas: schemas.rows, roles: roles.rows }).toEqual({ recorded: [], schemas: [], roles: [] });
  }, 240_000);
});
