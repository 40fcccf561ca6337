/**
 * The runtime's administrator connection never resolves a name in the learner's schema. A classroom's
 * admin URL opens its sessions in the student's schema (`options=-c search_path=<student>`), and the
 * learner role owns that schema: a function the learner makes there with the name and an exact argument
 * type of a built-in the runtime calls (`pg_advisory_xact_lock(integer)`, when the next start repairs the
 * learner role) would otherwise be chosen over the built-in and run with the administrator's rights.
 */
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { resolveConfig } from '../../../runtime/src/config.js';
import { startRuntimeServer, type RuntimeServer } from '../../../runtime/src/server/runtime-server.js';
import { dropRestrictedRole, learnerDatabase } from '../../../runtime/src/connectors/postgres/restricted-role.js';
import { databaseUrl, freshName, kafkaBootstrap } from '../../services/inject.js';
import { TestClient } from './ws-client.js';
import { sqlProgram } from './learner-sql.js';

const TOKEN = 'admin-search-path-token-0123456789';
const student = freshName('ada');

/** The admin URL a classroom hands the student's runtime. */
function studentAdminUrl(): string {
  const url = databaseUrl();
  return `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${student}`)}`;
}

afterAll(async () => {
  const admin = new pg.Client({ connectionString: databaseUrl() });
  await admin.connect();
  await dropRestrictedRole(admin, learnerDatabase(studentAdminUrl()));
  await admin.end();
});

async function withRuntime<T>(fn: (c: TestClient) => Promise<T>): Promise<T> {
  const server: RuntimeServer = await startRuntimeServer({ config: resolveConfig({ port: 0, token: TOKEN }), services: { kafka: kafkaBootstrap(), pg: studentAdminUrl() } });
  const client = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws?token=${TOKEN}`);
  try {
    await client.hello(undefined, [6]);
    return await fn(client);
  } finally {
    await client.close();
    await server.close();
  }
}

async function dbQuery(c: TestClient, sql: string): Promise<unknown> {
  const reply = await c.request({ kind: 'db.query', sql });
  return reply.kind === 'error' ? reply.message : reply.kind === 'db.query.ok' ? reply.rows : reply;
}

describe('the administrator connection and the learner schema', () => {
  it('a learner function named like a built-in does not run when the next start repairs the learner role', async () => {
    const planted = await withRuntime(async (c) => {
      const reply = await c.request({
        kind: 'run.start',
        mode: 'system',
        files: [{
          path: 'pipeline.ts',
          content: sqlProgram([
            'CREATE TABLE evidence (who text, superuser boolean, secret text)',
            `CREATE FUNCTION pg_advisory_xact_lock(integer) RETURNS void LANGUAGE plpgsql AS $f$
               BEGIN
                 INSERT INTO ${student}.evidence
                   SELECT current_user::text, r.rolsuper, pg_catalog.pg_read_file('PG_VERSION')
                     FROM pg_catalog.pg_roles r WHERE r.rolname = current_user;
               END $f$`,
          ]),
        }],
      });
      if (reply.kind !== 'run.start.ok') throw new Error(JSON.stringify(reply));
      await c.runEnded(reply.runId);
      return c.eventsOf(reply.runId).flatMap((e) => (e.kind === 'run.log' ? [e.text.split(':')[0]] : []));
    });
    expect(planted).toEqual(['ran', 'ran']);
    // A restart of the runtime: the learner role is repaired with the administrator's connection.
    const evidence = await withRuntime(async (c) => dbQuery(c, 'SELECT who, superuser FROM evidence'));
    expect(evidence).toEqual([]);
  });
});
