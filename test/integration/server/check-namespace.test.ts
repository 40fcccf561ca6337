/**
 * A Check works in a namespace of its own: the schemas and roles its sandboxes make in the checks
 * database carry the Check's id, the learner's Topics and Database panels never list anything of it,
 * and nothing of it is left once the Check ends, whether it finished or was killed.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { resolveConfig } from '../../../runtime/src/config.js';
import { CHECKS_DATABASE } from '../../../runtime/src/lessons/check-database.js';
import { newCheckNamespace } from '../../../runtime/src/lessons/check-namespace.js';
import { gradeSubmission } from '../../../runtime/src/lessons/grade-submission.js';
import { findLesson, loadLessons } from '../../../runtime/src/lessons/load-lessons.js';
import type { ServerMessageOf } from '../../../runtime/src/protocol/index.js';
import { PROTOCOL_VERSION } from '../../../runtime/src/protocol/index.js';
import { startRuntimeServer, type RuntimeServer } from '../../../runtime/src/server/runtime-server.js';
import { databaseUrl, kafkaBootstrap } from '../../services/inject.js';
import { TestClient } from './ws-client.js';

const TOKEN = 'check-namespace-token-0123456789';
const LESSONS = fileURLToPath(new URL('../../../lessons/', import.meta.url));
const LESSON = '05-locations-micro-batch-vs-flow';
let server: RuntimeServer;
let client: TestClient;

beforeAll(async () => {
  server = await startRuntimeServer({ config: resolveConfig({ port: 0, token: TOKEN, lessonsDir: LESSONS }), services: { kafka: kafkaBootstrap(), pg: databaseUrl() } });
  client = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws?token=${TOKEN}`);
  await client.hello(undefined, [PROTOCOL_VERSION]);
});

afterAll(async () => {
  await client?.close();
  await server?.close();
});

/** Schemas and roles in the checks database whose names start with `prefix`. */
async function leftovers(prefix: string): Promise<string[]> {
  const u = new URL(databaseUrl());
  u.pathname = `/${CHECKS_DATABASE}`;
  const c = new pg.Client({ connectionString: u.href });
  c.on('error', () => {});
  try {
    await c.connect();
    const r = await c.query<{ name: string }>(
      `SELECT nspname AS name FROM pg_namespace WHERE starts_with(nspname, $1)
       UNION ALL SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1)`, [prefix]);
    return r.rows.map((x) => x.name).sort();
  } catch (e) {
    // Before any check made it, there is no checks database: nothing is left in it either.
    if ((e as { code?: string }).code === '3D000') return [];
    throw e;
  } finally {
    await c.end().catch(() => undefined);
  }
}

const prefixOf = (namespace: string) => `check_${namespace.slice('check-'.length)}_`;

it('a Check through the websocket leaves no schema, role or topic, and the panels never list them', async () => {
  const content = readFileSync(`${LESSONS}${LESSON}/starter.ts`, 'utf8');
  const reply = await client.request({ kind: 'check.run', lessonId: LESSON, files: [{ path: 'starter.ts', content }] });
  if (reply.kind !== 'check.run.ok') throw new Error(JSON.stringify(reply));
  expect(reply.checkId).toMatch(/^check-[0-9a-f]{8}$/);
  // While it runs, its sandboxes' schemas appear in the checks database, named after the Check, and the
  // learner's panels list none of them.
  let seen: string[] = [];
  let result: ServerMessageOf<'check.result'> | undefined;
  void client.waitFor((m) => m.kind === 'check.result' && m.checkId === reply.checkId).then((m) => (result = m as ServerMessageOf<'check.result'>));
  while (!result) {
    const now = await leftovers(prefixOf(reply.checkId));
    if (now.length > 0 && seen.length === 0) {
      seen = now;
      const tables = await client.request({ kind: 'db.tables' });
      expect(tables.kind === 'db.tables.ok' && tables.tables.filter((t) => t.schema.startsWith('check_'))).toEqual([]);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(seen.length).toBeGreaterThan(0);
  expect(result.tests.every((t) => t.status === 'failed')).toBe(true);
  expect(await leftovers(prefixOf(reply.checkId))).toEqual([]);
  const topics = await client.request({ kind: 'topics.list' });
  expect(topics.kind === 'topics.list.ok' && topics.topics.filter((t) => t.name.startsWith('check-'))).toEqual([]);
});

it('a Check killed at its deadline while a sandbox holds its schema leaves nothing either', async () => {
  const lesson = findLesson(await loadLessons(LESSONS), LESSON)!;
  const namespace = newCheckNamespace();
  // Every function the checks call never answers: the first check's sandbox keeps its schema until the
  // grading run is killed.
  const hanging = ['fixes', 'startAppend', 'startExactlyOnce', 'startFlow', 'comparisonTable']
    .map((f) => `export function ${f}(): Promise<never> { return new Promise(() => {}); }\n`).join('');
  let seen: string[] = [];
  let done = false;
  const graded = gradeSubmission({ lesson, files: [{ path: 'starter.ts', content: hanging }], database: databaseUrl(), namespace, timeoutMs: 45_000, opTimeoutMs: 600_000 })
    .finally(() => (done = true));
  while (!done) {
    const now = await leftovers(prefixOf(namespace));
    if (now.length > 0) seen = now;
    await new Promise((r) => setTimeout(r, 100));
  }
  const result = await graded;
  expect(result.reason).toBe('The checks did not finish within 45 s and were stopped.');
  expect(seen.length).toBeGreaterThan(0);
  expect(await leftovers(prefixOf(namespace))).toEqual([]);
});
