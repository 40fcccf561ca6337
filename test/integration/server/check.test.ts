/**
 * `check.run` grades the learner's files with the lesson's autograder and sends `check.result`:
 * the lesson's solution passes every check and its starter fails every one.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { resolveConfig } from '../../../runtime/src/config.js';
import type { ServerMessageOf } from '../../../runtime/src/protocol/index.js';
import { startRuntimeServer, type RuntimeServer } from '../../../runtime/src/server/runtime-server.js';
import { databaseUrl, kafkaBootstrap } from '../../services/inject.js';
import { TestClient } from './ws-client.js';

const TOKEN = 'check-test-token-0123456789';
const LESSONS = fileURLToPath(new URL('../../../lessons/', import.meta.url));
const LESSON = '03-structured-windows';
let server: RuntimeServer;
let client: TestClient;

beforeAll(async () => {
  server = await startRuntimeServer({ config: resolveConfig({ port: 0, token: TOKEN, lessonsDir: LESSONS }), services: { kafka: kafkaBootstrap(), pg: databaseUrl() } });
  client = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws?token=${TOKEN}`);
  await client.hello();
});

afterAll(async () => {
  await client?.close();
  await server?.close();
});

async function check(file: 'solution.ts' | 'starter.ts'): Promise<ServerMessageOf<'check.result'>> {
  const content = readFileSync(`${LESSONS}${LESSON}/${file}`, 'utf8');
  const reply = await client.request({ kind: 'check.run', lessonId: LESSON, files: [{ path: 'solution.ts', content }] });
  if (reply.kind !== 'check.run.ok') throw new Error(JSON.stringify(reply));
  return client.waitFor((m) => m.kind === 'check.result' && m.checkId === reply.checkId) as Promise<ServerMessageOf<'check.result'>>;
}

it('passes the solution and fails the starter', async () => {
  const solved = await check('solution.ts');
  expect(solved.lessonId).toBe(LESSON);
  expect(solved.tests.map((t) => [t.name, t.status, t.message])).toEqual(solved.tests.map((t) => [t.name, 'passed', null]));
  const started = await check('starter.ts');
  expect(started.tests.map((t) => t.name)).toEqual(solved.tests.map((t) => t.name));
  // Every check of a lesson fails on its starter, with a reason.
  expect(started.tests.map((t) => [t.name, t.status, typeof t.message])).toEqual(solved.tests.map((t) => [t.name, 'failed', 'string']));
});

it('lists and serves lessons', async () => {
  const list = await client.request({ kind: 'lessons.list' });
  expect(list.kind === 'lessons.list.ok' && list.lessons.map((l) => l.id)).toEqual([
    '01-kafka-basics', '02-dstream-temperature', '03-structured-windows', '04-report-topic-and-output-modes', '06-stream-inference',
  ]);
  const lesson = await client.request({ kind: 'lessons.get', lessonId: '3' });
  expect(lesson.kind === 'lessons.get.ok' && [lesson.lesson.id, lesson.lesson.api, lesson.lesson.files.map((f) => f.path)]).toEqual([LESSON, 'structured', ['starter.ts']]);
  // Hints come from the front matter, revealed one by one; the solution stays behind a confirmation in the workbench.
  expect(lesson.kind === 'lessons.get.ok' && [lesson.lesson.hints?.length, lesson.lesson.hints?.[1], lesson.lesson.solution?.map((f) => f.path)])
    .toEqual([4, 'Declare `withWatermark("ts", "30 seconds")` before the `groupBy`, on the same event-time column the window uses.', ['solution.ts']]);
  expect(await client.request({ kind: 'lessons.get', lessonId: '99-nope' })).toMatchObject({ kind: 'error', code: 'not-found', message: 'No lesson "99-nope".' });
});
