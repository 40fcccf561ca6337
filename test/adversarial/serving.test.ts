/**
 * Lesson 07's serving endpoint against a hostile learner view, through `streamlab start` on a fresh
 * data directory and `GET /api/serving` with the token. The learner's own run makes the view
 * `serving` (as the lesson's code does), and the endpoint reads it as the learner's database role:
 * a view that sleeps is stopped by the statement timeout and answered with a clear error, a view of
 * 200 000 rows is answered capped at the runtime's row limit (PostgreSQL sends no more), and a view that reads a server file
 * or another schema is refused by PostgreSQL, its secret never in the answer. After each, a plain
 * view answers again: nothing was left broken.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ROWS } from '../../runtime/src/server/database-service.js';
import { PROTOCOL_VERSION, servingAnswer } from '../../runtime/src/protocol/index.js';
import { startRuntime, type RuntimeProcess } from '../e2e/runtime-process.js';
import { TestClient } from '../integration/server/ws-client.js';
import { databaseUrl, freshName } from '../services/inject.js';

const TOKEN = 'serving-attacks-test-token-0123456789';
const LESSON = '07-lambda-architecture';
const SECRET = 'another-learners-secret-7f3a';
let runtime: RuntimeProcess;
let client: TestClient;
/** A schema that is not the learner's, holding a row the learner must not read. */
let other: string;

beforeAll(async () => {
  const url = databaseUrl();
  other = freshName('other_learner');
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${other}`);
    await admin.query(`CREATE TABLE ${other}.secrets (secret text)`);
    await admin.query(`INSERT INTO ${other}.secrets VALUES ($1)`, [SECRET]);
  } finally {
    await admin.end();
  }
  const pgUrl = `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${freshName('serving_attacks')}`)}`;
  runtime = await startRuntime({ pg: pgUrl, token: TOKEN });
  client = await TestClient.connect(`ws://127.0.0.1:${new URL(runtime.url).port}/ws?token=${TOKEN}`);
  expect(await client.hello(undefined, [PROTOCOL_VERSION])).toMatchObject({ kind: 'hello.ok' });
  // The runtime starts its own broker, which can take a minute on a busy machine.
}, 180_000);

afterAll(async () => {
  await client?.close();
  await runtime?.stop();
  const admin = new pg.Client({ connectionString: databaseUrl() });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${other} CASCADE`).finally(() => admin.end());
});

/** Runs a learner program whose main() replaces the view `serving` with `select`; the run's end state. */
async function makeView(select: string): Promise<string> {
  const code = `import { SlickSession, sqlu } from "streamlab";
export async function main(): Promise<void> {
  const db = SlickSession.forConfig("slick-postgres").db;
  await db.run(sqlu\`DROP VIEW IF EXISTS serving\`);
  await db.run(sqlu\`CREATE VIEW serving AS ${select}\`);
}
`;
  await client.request({ kind: 'lessons.get', lessonId: LESSON });
  const reply = await client.request({ kind: 'run.start', lessonId: LESSON, files: [{ path: 'solution.ts', content: code }], mode: 'manual' });
  if (reply.kind !== 'run.start.ok') throw new Error(JSON.stringify(reply));
  const end = await client.runEnded(reply.runId);
  return end.state === 'finished' ? 'finished' : `${end.state}: ${JSON.stringify(client.eventsOf(reply.runId))}`;
}

/** GET /api/serving for the lesson with the token: status and body. */
async function serving(): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${runtime.origin}/api/serving?lesson=${LESSON}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return { status: res.status, body: await res.json() };
}

/** One row of the lesson's shape; `country` is an SQL expression. */
const rowOf = (country: string, from = '') =>
  `SELECT DATE '2020-03-02' AS week, ${country} AS country, 1::bigint AS cases, 0::bigint AS deaths, 'batch'::text AS layer${from}`;

/** A plain view answers: the attack before it left the endpoint and the pool working. */
async function expectPlainViewAnswers(): Promise<void> {
  expect(await makeView(rowOf("'Germany'::text"))).toBe('finished');
  const res = await serving();
  expect(res.status).toBe(200);
  expect(servingAnswer.parse(res.body).rows.map((r) => [r.week, r.country, r.cases, r.layer])).toEqual([['2020-03-02', 'Germany', 1, 'batch']]);
}

describe('the serving endpoint on a hostile learner view', () => {
  it('stops a view that sleeps with the statement timeout and says so', async () => {
    expect(await makeView(rowOf("'Germany'::text", ' FROM pg_sleep(600)'))).toBe('finished');
    const res = await serving();
    expect(res).toEqual({
      status: 409,
      body: { error: 'The serving view "serving" did not answer within 5 s and was stopped (PostgreSQL: canceling statement due to statement timeout): make it cheaper to read.' },
    });
    await expectPlainViewAnswers();
  });

  it(`answers a view of 200 000 rows with its first ${MAX_ROWS}, in the endpoint's order`, async () => {
    expect(await makeView(`SELECT DATE '2020-03-02' + (g % 500) * 7 AS week, 'c' || lpad((g % 4000)::text, 4, '0') AS country, g::bigint AS cases, 0::bigint AS deaths, 'speed'::text AS layer FROM generate_series(1, 200000) g`)).toBe('finished');
    const res = await serving();
    expect(res.status).toBe(200);
    const rows = servingAnswer.parse(res.body).rows.map((r) => `${r.week} ${r.country}`);
    expect(rows).toHaveLength(MAX_ROWS);
    expect(rows).toEqual([...rows].sort());
    expect(rows[0]).toBe('2020-03-02 c0000');
    await expectPlainViewAnswers();
  });

  it('refuses a view that reads a server file, and one that reads another schema', async () => {
    expect(await makeView(rowOf("pg_read_file('/etc/passwd')"))).toBe('finished');
    expect(await serving()).toEqual({ status: 409, body: { error: 'PostgreSQL: permission denied for function pg_read_file' } });

    // Named directly, the other schema is refused when the view is made: the run fails and says why.
    const direct = await makeView(rowOf('secret', ` FROM ${other}.secrets`));
    expect(direct).toMatch(/^failed: .*permission denied for schema/);
    expect(direct).not.toContain(SECRET);
    // Read through a query built at answer time, it is refused when the endpoint reads the view.
    expect(await makeView(rowOf(`query_to_xml('SELECT secret FROM ${other}.secrets', true, false, '')::text`))).toBe('finished');
    const res = await serving();
    expect(res).toEqual({ status: 409, body: { error: `PostgreSQL: permission denied for schema ${other}` } });
    expect(JSON.stringify(res.body)).not.toContain(SECRET);
    await expectPlainViewAnswers();
  });
});
