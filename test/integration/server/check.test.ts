/**
 * `check.run` grades the learner's files with the lesson's autograder and sends `check.result`:
 * the lesson's solution passes every check and its starter fails every one, each check with its id,
 * points, line and rows; `check.status` says when a check waits for one of the runtime's grading
 * slots and when it runs.
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
  await client.hello(undefined, [1, 2, 3]);
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

const IDS = ['update-averages', 'event-time-windows', 'late-kept', 'late-dropped', 'append-starts', 'append-waits', 'append-final', 'report-topic', 'unseen-day'];
const POINTS = [3, 2, 2, 2, 1, 2, 3, 3, 2];

it('passes the solution and fails the starter, each check with its id, points, line and rows', async () => {
  const solved = await check('solution.ts');
  expect(solved.lessonId).toBe(LESSON);
  expect(solved.tests.map((t) => [t.id, t.status, t.message, t.points, t.maxPoints])).toEqual(IDS.map((id, i) => [id, 'passed', null, POINTS[i], POINTS[i]]));
  expect([solved.score, solved.maxScore, solved.seed]).toEqual([20, 20, expect.stringMatching(/^\d+$/)]);
  const started = await check('starter.ts');
  // Every check of a lesson fails on its starter, with a reason.
  expect(started.tests.map((t) => [t.id, t.status, typeof t.message, t.points])).toEqual(IDS.map((id) => [id, 'failed', 'string', 0]));
  expect(started.score).toBe(0);
  // Rows come as rows: the windows the starter wrote against the expected ones, and the learner's line.
  const first = started.tests[0]!;
  expect(first.diff?.columns).toEqual(['window', 'node_name', 'avg_temp', 'readings']);
  expect(first.diff?.missing).toContainEqual(['10:00–10:01', 'sensor-2', 33.333333, 3]);
  expect([first.file, first.line]).toEqual(['solution.ts', 13]);
  // Append mode without a watermark: Spark's own message, at the learner's function.
  expect(started.tests[4]!.message).toBe('Append output mode not supported when there are streaming aggregations on streaming DataFrames/DataSets without watermark');
});

it('queues checks beyond the runtime\'s grading slots and says where each one stands', async () => {
  const one = await startRuntimeServer({ config: resolveConfig({ port: 0, token: TOKEN, lessonsDir: LESSONS, limits: { maxConcurrentChecks: 1 } }), services: {} });
  const c = await TestClient.connect(`ws://127.0.0.1:${one.port}/ws?token=${TOKEN}`);
  try {
    await c.hello(undefined, [3]);
    const content = readFileSync(`${LESSONS}${LESSON}/solution.ts`, 'utf8');
    const replies = await Promise.all([1, 2].map(() => c.request({ kind: 'check.run', lessonId: LESSON, files: [{ path: 'solution.ts', content }] })));
    const ids = replies.map((r) => (r.kind === 'check.run.ok' ? r.checkId : ''));
    await Promise.all(ids.map((id) => c.waitFor((m) => m.kind === 'check.result' && m.checkId === id)));
    const statuses = (id: string) => c.messages.filter((m) => m.kind === 'check.status' && m.checkId === id).map((m) => (m.kind === 'check.status' ? [m.state, m.position ?? null] : []));
    // Whichever reached the runtime first runs at once; the other waits first in line, then runs.
    expect(ids.map(statuses).sort((a, b) => a.length - b.length)).toEqual([[['running', null]], [['queued', 1], ['running', null]]]);
  } finally {
    await c.close();
    await one.close();
  }
});

it('lists and serves lessons', async () => {
  const list = await client.request({ kind: 'lessons.list' });
  expect(list.kind === 'lessons.list.ok' && list.lessons.map((l) => l.id)).toEqual([
    '01-kafka-basics', '02-dstream-temperature', '03-structured-windows', '04-report-topic-and-output-modes', '05-locations-micro-batch-vs-flow', '06-stream-inference', '07-lambda-architecture',
  ]);
  const lesson = await client.request({ kind: 'lessons.get', lessonId: '3' });
  expect(lesson.kind === 'lessons.get.ok' && [lesson.lesson.id, lesson.lesson.api, lesson.lesson.files.map((f) => f.path)]).toEqual([LESSON, 'structured', ['starter.ts']]);
  // Hints come from the front matter, revealed one by one; the solution stays behind a confirmation in the workbench.
  expect(lesson.kind === 'lessons.get.ok' && [lesson.lesson.hints?.length, lesson.lesson.hints?.[1], lesson.lesson.solution?.map((f) => f.path)])
    .toEqual([5, 'Declare `withWatermark("ts", "30 seconds")` before the `groupBy`, on the same event-time column the window uses.', ['solution.ts']]);
  expect(await client.request({ kind: 'lessons.get', lessonId: '99-nope' })).toMatchObject({ kind: 'error', code: 'not-found', message: 'No lesson "99-nope".' });
});
