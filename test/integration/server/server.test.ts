/**
 * The runtime server over real HTTP and websockets: health, token, Origin, frame cap, hello, and the
 * Kafka and PostgreSQL helpers against the run's real services.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { resolveConfig } from '../../../runtime/src/config.js';
import { startRuntimeServer, type RuntimeServer } from '../../../runtime/src/server/runtime-server.js';
import { databaseUrl, freshTopic, kafkaBootstrap } from '../../services/inject.js';
import { TestClient } from './ws-client.js';
import { learnerDatabase } from '../../../runtime/src/connectors/postgres/restricted-role.js';
import { PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from '../../../runtime/src/protocol/version.js';

const SPOKEN = SUPPORTED_PROTOCOL_VERSIONS.join(', ');

const TOKEN = 'server-test-token-0123456789';
let server: RuntimeServer;
let base: string;
let wsUrl: string;

beforeAll(async () => {
  server = await startRuntimeServer({
    config: resolveConfig({ port: 0, token: TOKEN, maxFrameBytes: 64 * 1024, allowedOrigins: ['http://localhost:5173'] }),
    services: { kafka: kafkaBootstrap(), pg: databaseUrl() },
  });
  base = `http://127.0.0.1:${server.port}`;
  wsUrl = `ws://127.0.0.1:${server.port}/ws`;
});

afterAll(async () => {
  await server?.close();
});

describe('http', () => {
  it('prints a URL with the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${TOKEN}`);
  });

  it('answers /healthz without a token', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('refuses API endpoints without the token, with a wrong one, and from a foreign origin', async () => {
    expect((await fetch(`${base}/api/info`)).status).toBe(401);
    expect((await fetch(`${base}/api/info?token=nope`)).status).toBe(401);
    expect((await fetch(`${base}/api/info?token=${TOKEN}`, { headers: { origin: 'https://evil.example' } })).status).toBe(403);
    const ok = await fetch(`${base}/api/info`, { headers: { authorization: `Bearer ${TOKEN}`, origin: base } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ name: 'streamlab', version: '0.1.0', protocol: PROTOCOL_VERSION, features: ['kafka', 'postgres', 'export.pyspark'] });
  });

  it('shows a page that says where the link is when the token is missing', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(401);
    const body = await res.text();
    expect(body).toContain('Open the URL printed by <code>streamlab start</code>');
  });
});

describe('websocket admission', () => {
  it('refuses a socket with a wrong token in the URL', async () => {
    await expect(TestClient.connect(`${wsUrl}?token=wrong`)).rejects.toThrow('HTTP 401');
  });

  it('refuses a socket from a foreign origin even with the token', async () => {
    await expect(TestClient.connect(`${wsUrl}?token=${TOKEN}`, { origin: 'https://evil.example' })).rejects.toThrow('HTTP 403');
  });

  it('accepts the own origin and configured origins', async () => {
    for (const origin of [base, `http://localhost:${server.port}`, 'http://localhost:5173']) {
      const c = await TestClient.connect(`${wsUrl}?token=${TOKEN}`, { origin });
      const reply = await c.hello();
      expect(reply).toMatchObject({ kind: 'hello.ok', version: 1, server: { name: 'streamlab' }, features: ['kafka', 'postgres', 'export.pyspark'] });
      await c.close();
    }
  });

  it('closes a socket whose first hello has no valid token', async () => {
    const c = await TestClient.connect(wsUrl);
    const reply = await c.hello('not-the-token');
    expect(reply).toEqual({ kind: 'error', id: '1', code: 'unauthorized', message: 'A valid token is required: open the URL printed by `streamlab start`.' });
    await c.closed;
    expect(c.closeCode).toBe(4401);
  });

  it('accepts the token in the first message', async () => {
    const c = await TestClient.connect(wsUrl);
    const before = await c.request({ kind: 'topics.list' });
    expect(before).toEqual({ kind: 'error', id: '1', code: 'hello-required', message: 'Send hello first.' });
    expect(await c.hello(TOKEN)).toMatchObject({ kind: 'hello.ok', id: '2', version: 1 });
    await c.close();
  });

  it('refuses unknown versions with an error and stays open', async () => {
    const c = await TestClient.connect(`${wsUrl}?token=${TOKEN}`);
    const reply = await c.request({ kind: 'hello', versions: [99] });
    expect(reply).toEqual({ kind: 'error', id: '1', code: 'version-mismatch', message: `This runtime speaks protocol versions ${SPOKEN}; the client offered 99. Update the older side.` });
    expect(await c.hello()).toMatchObject({ kind: 'hello.ok', version: 1 });
    await c.close();
  });

  it('closes with 1009 when a frame is over the size cap', async () => {
    const c = await TestClient.connect(`${wsUrl}?token=${TOKEN}`);
    await c.hello();
    c.sendRaw(JSON.stringify({ kind: 'db.query', id: 'big', sql: 'x'.repeat(70 * 1024) }));
    await c.closed;
    expect(c.closeCode).toBe(1009);
    expect(c.closeReason).toBe('Frame over the 65536-byte limit');
  });
});

describe('topics', () => {
  it('creates, lists, produces, tails and deletes a topic', async () => {
    const c = await TestClient.connect(`${wsUrl}?token=${TOKEN}`);
    await c.hello();
    const topic = freshTopic('server-topics');
    expect(await c.request({ kind: 'topics.create', topic, partitions: 1 })).toEqual({ kind: 'topics.create.ok', id: '2', topic });
    const again = await c.request({ kind: 'topics.create', topic, partitions: 1 });
    expect(again).toEqual({ kind: 'error', id: '3', code: 'invalid-request', message: `Topic "${topic}" already exists.` });
    const list = await c.request({ kind: 'topics.list' });
    expect(list.kind === 'topics.list.ok' && list.topics.find((t) => t.name === topic)).toEqual({ name: topic, partitions: 1, endOffsets: ['0'] });
    const produced = await c.request({ kind: 'topics.produce', topic, key: 's1', value: '{"temp":21.5}', headers: { h: 'v' }, timestamp: 1_700_000_000_000 });
    expect(produced).toEqual({ kind: 'topics.produce.ok', id: '5', topic, partition: 0, offset: '0' });
    const tail = await c.request({ kind: 'topics.tail', topic, from: 'earliest' });
    if (tail.kind !== 'topics.tail.ok') throw new Error(JSON.stringify(tail));
    const record = await c.waitFor((m) => m.kind === 'topics.record' && m.tailId === tail.tailId);
    expect(record).toEqual({
      kind: 'topics.record', tailId: tail.tailId, topic, partition: 0, offset: '0', key: 's1', value: '{"temp":21.5}',
      timestamp: '1700000000000', headers: { h: 'v' },
    });
    expect(await c.request({ kind: 'topics.untail', tailId: tail.tailId })).toEqual({ kind: 'topics.untail.ok', id: '7', tailId: tail.tailId });
    expect(await c.request({ kind: 'topics.delete', topic })).toEqual({ kind: 'topics.delete.ok', id: '8', topic });
    expect(await c.request({ kind: 'topics.produce', topic, value: 'x' })).toEqual({
      kind: 'error', id: '9', code: 'not-found', message: `Topic "${topic}" does not exist; create it first.`,
    });
    expect(c.invalid).toEqual([]);
    await c.close();
  });
});

describe('database', () => {
  it('lists tables and runs read-only queries with a row cap', async () => {
    const table = `server_db_${Date.now().toString(36)}`;
    const c = await TestClient.connect(`${wsUrl}?token=${TOKEN}`);
    // hello answers once the services are ready, the learner role among them.
    await c.hello();
    // Made as the learner's pipelines make tables: as the learner role, in the learner's schema.
    const learner = learnerDatabase(databaseUrl());
    const admin = new pg.Client({ connectionString: learner.url });
    await admin.connect();
    await admin.query(`CREATE TABLE ${table} (sensor text, avg_temp double precision)`);
    await admin.query(`INSERT INTO ${table} VALUES ('s1', 21.5), ('s2', 19)`);
    const tables = await c.request({ kind: 'db.tables' });
    expect(tables.kind === 'db.tables.ok' && tables.tables.find((t) => t.name === table)).toEqual({
      schema: learner.schema, name: table, columns: [{ name: 'sensor', type: 'text' }, { name: 'avg_temp', type: 'double precision' }],
    });
    expect(await c.request({ kind: 'db.query', sql: `SELECT sensor, avg_temp FROM ${table} ORDER BY sensor` })).toEqual({
      kind: 'db.query.ok', id: '3', columns: [{ name: 'sensor', type: 'text' }, { name: 'avg_temp', type: 'float8' }],
      rows: [['s1', 21.5], ['s2', 19]], rowCount: 2, truncated: false,
    });
    const write = await c.request({ kind: 'db.query', sql: `DELETE FROM ${table}` });
    expect(write).toEqual({ kind: 'error', id: '4', code: 'invalid-request', message: 'PostgreSQL: cannot execute DELETE in a read-only transaction' });
    const sneaky = await c.request({ kind: 'db.query', sql: `COMMIT; DELETE FROM ${table}` });
    expect(sneaky).toEqual({ kind: 'error', id: '5', code: 'invalid-request', message: 'PostgreSQL: cannot insert multiple commands into a prepared statement' });
    const many = await c.request({ kind: 'db.query', sql: 'SELECT g FROM generate_series(1, 1500) g' });
    expect(many.kind === 'db.query.ok' && [many.rowCount, many.truncated, many.rows[999]]).toEqual([1000, true, [1000]]);
    expect((await admin.query(`SELECT count(*)::int AS n FROM ${table}`)).rows).toEqual([{ n: 2 }]);
    await admin.query(`DROP TABLE ${table}`);
    await admin.end();
    await c.close();
  });
});
