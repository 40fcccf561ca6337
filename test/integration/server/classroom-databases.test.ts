/**
 * PostgreSQL on a runtime learners share (`streamlab start --isolate-learners`), through the real CLI,
 * Apache Kafka and PostgreSQL, over the websocket as the workbench speaks it: every session gets a
 * schema and a least-privilege role of its own. Learner A runs lesson 05's solution and makes a serving
 * view; its pipeline's rows land in A's schema, A's Database panel lists them, `/api/serving` answers
 * A's view for A's session only; learner B lists none of A's tables, cannot read them by their
 * qualified name, and B's own pipeline cannot drop them. A session that ends takes its schema and role
 * along. A runtime killed with SIGKILL leaves its learners' topics, schemas and roles behind; started
 * again on the same configuration, it removes them (and only them) and says how many in one line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSessionSchema, provisionSessionSchema, sessionSchemaNames } from '../../../runtime/src/connectors/postgres/session-schemas.js';
import { PROTOCOL_VERSION } from '../../../runtime/src/protocol/index.js';
import { repoRoot } from '../../e2e/runtime-process.js';
import { databaseUrl, freshName, kafkaBootstrap } from '../../services/inject.js';
import { TestClient } from './ws-client.js';

const TOKEN = 'classroom-databases-token-0123456789';
const LESSON_05 = '05-locations-micro-batch-vs-flow';
const SOLUTION_05 = readFileSync(join(repoRoot, 'lessons', LESSON_05, 'solution.ts'), 'utf8');
/** The runtime's learner schema, of this test's own: a restarted runtime clears only its own sessions' schemas. */
const BASE = freshName('classdb');
const adminUrl = (() => {
  const url = databaseUrl();
  return `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${BASE}`)}`;
})();
const TOPIC_PREFIX = `${freshName('classdb')}.`;
const dataDir = mkdtempSync(join(tmpdir(), 'streamlab-classdb-'));
const configDir = mkdtempSync(join(tmpdir(), 'streamlab-classdb-config-'));
const children: ChildProcess[] = [];
const clients: TestClient[] = [];
let admin: pg.Client;

interface Runtime {
  child: ChildProcess;
  port: number;
  output: () => string;
}

/** `streamlab start --isolate-learners` on the run's Kafka and PostgreSQL, until its ready line. */
async function startRuntime(): Promise<Runtime> {
  const child = spawn(process.execPath, [
    join(repoRoot, 'runtime/bin/streamlab.js'), 'start', '--no-open', '--isolate-learners', '--kafka', kafkaBootstrap(), '--pg', adminUrl,
    '--port', '0', '--data-dir', dataDir, '--lessons', join(repoRoot, 'lessons'), '--token', TOKEN,
  ], {
    cwd: repoRoot,
    env: {
      ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('STREAMLAB_'))),
      STREAMLAB_TOPIC_PREFIX: TOPIC_PREFIX,
      STREAMLAB_CONFIG: join(configDir, 'streamlab.config.json'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', () => {
      const m = /Streamlab ready: (http:\/\/\S+)/.exec(output);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code, signal) => reject(new Error(`streamlab start exited (${code ?? signal}) before it was ready:\n${output}`)));
  });
  return { child, port: Number(new URL(url).port), output: () => output };
}

/** Polls `read` until `done` holds. */
async function until<T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Learner {
  client: TestClient;
  session: string;
  schema: string;
  user: string;
}

/** A learner's page: a websocket session, and the schema and user its Database panel runs as. */
async function learner(runtime: Runtime): Promise<Learner> {
  const client = await TestClient.connect(`ws://127.0.0.1:${runtime.port}/ws?token=${TOKEN}`);
  clients.push(client);
  const hello = await client.hello(undefined, [PROTOCOL_VERSION]);
  if (hello.kind !== 'hello.ok') throw new Error(JSON.stringify(hello));
  const [[schema, user]] = await rows(client, 'select current_schema(), current_user') as [[string, string]];
  return { client, session: hello.session!, schema, user };
}

/** `db.query`'s rows; throws its error. */
async function rows(client: TestClient, sql: string): Promise<unknown[][]> {
  const reply = await client.request({ kind: 'db.query', sql });
  if (reply.kind !== 'db.query.ok') throw new Error(reply.kind === 'error' ? reply.message : JSON.stringify(reply));
  return reply.rows;
}

/** `db.query`'s error message (a query that must fail). */
async function refusal(client: TestClient, sql: string): Promise<string> {
  const reply = await client.request({ kind: 'db.query', sql });
  return reply.kind === 'error' ? reply.message : `answered: ${JSON.stringify(reply)}`;
}

async function tables(client: TestClient): Promise<string[]> {
  const reply = await client.request({ kind: 'db.tables' });
  if (reply.kind !== 'db.tables.ok') throw new Error(JSON.stringify(reply));
  return reply.tables.map((t) => `${t.schema}.${t.name}`);
}

/** Starts a run of `content` (a lesson's, with `lessonId`) and resolves with its id. */
async function run(client: TestClient, content: string, lessonId?: string): Promise<string> {
  const reply = await client.request({ kind: 'run.start', files: [{ path: 'solution.ts', content }], mode: 'system', ...(lessonId ? { lessonId } : {}) });
  if (reply.kind !== 'run.start.ok') throw new Error(JSON.stringify(reply));
  return reply.runId;
}

/** Runs `sql` as the learner's pipeline would (its own role, read-write), and waits until it did. */
async function learnerSql(client: TestClient, sql: string): Promise<void> {
  const runId = await run(client, `import { SlickSession, sqlu } from "streamlab";

export async function main(): Promise<void> {
  const session = SlickSession.forConfig("slick-postgres");
  await session.db.run(sqlu\`${sql.replace(/[`\\$]/g, (ch) => `\\${ch}`)}\`);
  console.log("sql done");
}
`);
  expect(await printed(client, runId, 'sql done')).toBe('sql done');
}

/** The first line a run printed that starts with `prefix`. */
async function printed(client: TestClient, runId: string, prefix: string): Promise<string> {
  const m = await client.waitFor((e) => (e.kind === 'run.log' && e.runId === runId && e.text.startsWith(prefix)) || (e.kind === 'run.error' && e.runId === runId));
  if (m.kind !== 'run.log') throw new Error(JSON.stringify(m));
  return m.text;
}

async function serving(runtime: Runtime, session?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${runtime.port}/api/serving?lesson=07-lambda-architecture${session ? `&session=${session}` : ''}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return { status: res.status, body: await res.json() as Record<string, unknown> };
}

/**
 * Session schemas of this test's runtime, roles of them, and the runtime's record of them
 * (`streamlab_runtime.session_schemas`, whose row goes last), as the administrator sees them.
 */
async function leftInDatabase(): Promise<{ schemas: string[]; roles: string[]; recorded: string[] }> {
  const schemas = await admin.query<{ n: string }>('select nspname as n from pg_namespace where nspname like $1 order by 1', [`${BASE}\\_%`]);
  const roles = await admin.query<{ n: string }>('select rolname as n from pg_roles where rolname like $1 order by 1', [`streamlab\\_${BASE}\\_%`]);
  const registered = (await admin.query<{ p: boolean }>("select to_regclass('streamlab_runtime.session_schemas') is not null as p")).rows[0]!.p;
  const recorded = registered
    ? await admin.query<{ n: string }>('select schema_name as n from streamlab_runtime.session_schemas where schema_name like $1 order by 1', [`${BASE}\\_%`])
    : { rows: [] };
  return { schemas: schemas.rows.map((r) => r.n), roles: roles.rows.map((r) => r.n), recorded: recorded.rows.map((r) => r.n) };
}

async function learnerTopics(): Promise<string[]> {
  const kafka = new Kafka({ clientId: 'classroom-databases-test', brokers: [kafkaBootstrap()], logLevel: logLevel.NOTHING }).admin();
  await kafka.connect();
  try {
    return (await kafka.listTopics()).filter((t) => t.startsWith(`${TOPIC_PREFIX}learner-`)).sort();
  } finally {
    await kafka.disconnect();
  }
}

async function kill(runtime: Runtime, signal: NodeJS.Signals): Promise<void> {
  if (runtime.child.exitCode !== null || runtime.child.signalCode !== null) return;
  const exited = new Promise((resolve) => runtime.child.once('exit', resolve));
  runtime.child.kill(signal);
  await exited;
}

beforeAll(async () => {
  // A session ends 200 ms after its page closes, so the test sees its end without waiting long.
  writeFileSync(join(configDir, 'streamlab.config.json'), JSON.stringify({ limits: { socketGraceMs: 200 } }));
  admin = new pg.Client({ connectionString: databaseUrl() });
  await admin.connect();
});

afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.close()));
  for (const child of children) await kill({ child, port: 0, output: () => '' }, 'SIGKILL');
  const { schemas } = await leftInDatabase();
  for (const schema of schemas) await dropSessionSchema(databaseUrl(), { schema, role: `streamlab_${schema}` }).catch(() => undefined);
  await admin.query(`drop schema if exists "${BASE}" cascade`).catch(() => undefined);
  await admin.query(`drop role if exists "streamlab_${BASE}"`).catch(() => undefined);
  await admin?.end();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(configDir, { recursive: true, force: true });
});

describe('PostgreSQL on a runtime learners share', () => {
  let runtime: Runtime;
  let a: Learner;
  let b: Learner;

  it('gives each learner a schema and role of their own: A\'s pipelines write there, B can neither see, read nor drop them', async () => {
    runtime = await startRuntime();
    [a, b] = await Promise.all([learner(runtime), learner(runtime)]);
    expect(a.schema).toMatch(new RegExp(`^${BASE}_[0-9a-f]{12}$`));
    expect(b.schema).toMatch(new RegExp(`^${BASE}_[0-9a-f]{12}$`));
    expect(a.schema).not.toBe(b.schema);
    expect([a.user, b.user]).toEqual([`streamlab_${a.schema}`, `streamlab_${b.schema}`]);
    // Every session has a role of its own, so the role and schema learners share on a laptop are not made.
    const shared = await admin.query('select rolname from pg_roles where rolname = $1 union all select nspname from pg_namespace where nspname = $2', [`streamlab_${BASE}`, BASE]);
    expect(shared.rows).toEqual([]);

    // A's lesson 05: its foreachBatch job appends to `locations`, its flow inserts into `locations_flow`.
    const lessonRun = await run(a.client, SOLUTION_05, LESSON_05);
    const count = (table: string) => async () => Number((await rows(a.client, `select count(*) from ${table}`).catch(() => [[0]]))[0]![0]);
    await until(count('locations'), (n) => n > 0);
    await until(count('locations_flow'), (n) => n > 0);
    // And a serving view, as lesson 07's code makes one.
    const viewRun = await run(a.client, `import { SlickSession, sqlu } from "streamlab";

export async function main(): Promise<void> {
  const session = SlickSession.forConfig("slick-postgres");
  await session.db.run(sqlu\`CREATE VIEW serving AS SELECT DATE '2020-03-02' AS week, 'Germany'::text AS country, 150::float8 AS cases, 2::float8 AS deaths, 'batch'::text AS layer\`);
  console.log("view made");
}
`);
    expect(await printed(a.client, viewRun, 'view made')).toBe('view made');

    // The pipeline's rows are in A's schema, and nowhere else of this runtime's.
    const written = await admin.query<{ s: string; t: string }>(
      "select table_schema as s, table_name as t from information_schema.tables where table_schema like $1 and table_name in ('locations', 'locations_flow', 'serving') order by 1, 2",
      [`${BASE}%`],
    );
    expect(written.rows).toEqual([{ s: a.schema, t: 'locations' }, { s: a.schema, t: 'locations_flow' }, { s: a.schema, t: 'serving' }]);
    expect(Number((await admin.query(`select count(*) as n from "${a.schema}".locations`)).rows[0].n)).toBeGreaterThan(0);

    // A's Database panel lists A's tables; B's lists none of them.
    expect(await tables(a.client)).toEqual([`${a.schema}.locations`, `${a.schema}.locations_flow`, `${a.schema}.serving`]);
    expect(await tables(b.client)).toEqual([]);
    expect(await rows(b.client, `select table_name from information_schema.tables where table_schema = '${a.schema}'`)).toEqual([]);
    expect(await refusal(b.client, 'select count(*) from locations')).toBe('PostgreSQL: relation "locations" does not exist');
    expect(await refusal(b.client, `select count(*) from "${a.schema}".locations`)).toBe(`PostgreSQL: permission denied for schema ${a.schema}`);

    // B's pipeline runs as B's role: A's table and schema are not B's to drop.
    const dropRun = await run(b.client, `import { SlickSession, sqlu } from "streamlab";

export async function main(): Promise<void> {
  const session = SlickSession.forConfig("slick-postgres");
  for (const statement of [sqlu\`DROP TABLE "${a.schema}".locations\`, sqlu\`DROP SCHEMA "${a.schema}" CASCADE\`]) {
    try {
      await session.db.run(statement);
      console.log("dropped");
    } catch (e) {
      console.log("refused: " + (e as Error).message);
    }
  }
  console.log("done");
}
`);
    await printed(b.client, dropRun, 'done');
    expect(b.client.eventsOf(dropRun).filter((e) => e.kind === 'run.log' && /^(refused|dropped)/.test(e.text)).map((e) => (e as { text: string }).text)).toEqual([
      `refused: permission denied for schema ${a.schema}`,
      `refused: must be owner of schema ${a.schema}`,
    ]);
    expect(Number((await admin.query(`select count(*) as n from "${a.schema}".locations`)).rows[0].n)).toBeGreaterThan(0);

    // The serving endpoint answers from the session's own view: A's for A; B has none yet.
    const forA = await serving(runtime, a.session);
    expect(forA.status).toBe(200);
    expect((forA.body.rows as Record<string, unknown>[]).map((r) => [r.week, r.country, r.cases, r.layer])).toEqual([['2020-03-02', 'Germany', 150, 'batch']]);
    const forB = await serving(runtime, b.session);
    expect(forB.status).toBe(409);
    expect(forB.body.error).toMatch(/^The serving view "serving" cannot answer yet \(PostgreSQL: relation "serving" does not exist\)/);
    expect(await serving(runtime)).toEqual({ status: 400, body: { error: 'This runtime serves several learners: name your session, /api/serving?lesson=<id>&session=<the session id hello answered>.' } });
    expect(await serving(runtime, 'no-such-session')).toEqual({ status: 409, body: { error: 'That session has ended: reload the page to start a new one.' } });

    expect(await a.client.request({ kind: 'run.stop', runId: lessonRun })).toMatchObject({ kind: 'run.stop.ok' });
    expect((await a.client.runEnded(lessonRun)).state).toBe('stopped');
  }, 600_000);

  it('drops a session\'s schema and role when the session ends', async () => {
    expect(await leftInDatabase()).toEqual({ schemas: [a.schema, b.schema].sort(), roles: [a.user, b.user].sort(), recorded: [a.schema, b.schema].sort() });
    await b.client.close();
    // The record of a session goes after its schema and role: once it has, nothing of B is left.
    await until(leftInDatabase, (left) => !left.recorded.includes(b.schema));
    expect(await leftInDatabase()).toEqual({ schemas: [a.schema], roles: [a.user], recorded: [a.schema] });
    await a.client.close();
    expect(await until(leftInDatabase, (left) => left.recorded.length === 0)).toEqual({ schemas: [], roles: [], recorded: [] });
    await kill(runtime, 'SIGTERM');
  }, 600_000);

  it('removes what the learners of a runtime killed with SIGKILL left, and only that, when it starts again', async () => {
    // Another runtime's session schema on the same database (another topic prefix) is not this one's to remove.
    const other = await provisionSessionSchema(adminUrl, 'abcdef012345', `${TOPIC_PREFIX}other.`);
    try {
      runtime = await startRuntime();
      const [c, d] = await Promise.all([learner(runtime), learner(runtime)]);
      // Opening lesson 03 makes the session's copies of its two topics.
      for (const l of [c, d]) expect(await l.client.request({ kind: 'lessons.get', lessonId: '03-structured-windows' })).toMatchObject({ kind: 'lessons.get.ok' });
      const tagOf = (l: Learner) => l.schema.slice(-12);
      const topics = [c, d].flatMap((l) => [`${TOPIC_PREFIX}learner-${tagOf(l)}.report`, `${TOPIC_PREFIX}learner-${tagOf(l)}.sensors.temperature`]).sort();
      expect(await learnerTopics()).toEqual(topics);
      // A learner owns its schema, so it may rewrite the schema's comment: one clears it, the other makes it
      // say another runtime's prefix. What the runtime made is recorded where no learner reaches.
      await learnerSql(c.client, `COMMENT ON SCHEMA "${c.schema}" IS NULL`);
      await learnerSql(d.client, `COMMENT ON SCHEMA "${d.schema}" IS 'streamlab learner session of the runtime with topic prefix "${TOPIC_PREFIX}other."'`);
      const comments = await admin.query<{ c: string | null }>('select obj_description(oid, \'pg_namespace\') as c from pg_namespace where nspname = any($1) order by nspname', [[c.schema, d.schema]]);
      expect(comments.rows.map((r) => r.c).sort()).toEqual([null, `streamlab learner session of the runtime with topic prefix "${TOPIC_PREFIX}other."`].sort());
      expect(await refusal(c.client, 'select * from streamlab_runtime.session_schemas')).toMatch(/permission denied for schema streamlab_runtime/);
      await kill(runtime, 'SIGKILL');

      const left = { schemas: [c.schema, d.schema, other.schema].sort(), roles: [c.user, d.user, other.role].sort(), recorded: [c.schema, d.schema, other.schema].sort() };
      expect(await leftInDatabase()).toEqual(left);
      expect(await learnerTopics()).toEqual(topics);

      runtime = await startRuntime();
      await until(async () => runtime.output(), (out) => out.includes('earlier run'));
      expect(runtime.output().split('\n').filter((line) => line.includes('earlier run'))).toEqual([
        'streamlab: removed what learner sessions of an earlier run left: 4 topics, 2 PostgreSQL schemas with their roles.',
      ]);
      expect(await leftInDatabase()).toEqual({ schemas: [other.schema], roles: [other.role], recorded: [other.schema] });
      expect(await until(learnerTopics, (t) => t.length === 0)).toEqual([]);
      // A new session works on the cleaned runtime.
      const e = await learner(runtime);
      expect(e.schema).toMatch(new RegExp(`^${BASE}_[0-9a-f]{12}$`));
      expect(sessionSchemaNames(adminUrl, e.schema.slice(-12))).toEqual({ schema: e.schema, role: e.user });
      await kill(runtime, 'SIGTERM');
      expect(await leftInDatabase()).toEqual({ schemas: [other.schema], roles: [other.role], recorded: [other.schema] });
    } finally {
      await dropSessionSchema(databaseUrl(), other);
    }
  }, 600_000);
});
