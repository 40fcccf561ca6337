/**
 * The instructor's dashboard in Chromium: two learners connect to one runtime over the websocket
 * protocol; one opens lesson 03, runs the solution and checks it, the other opens lesson 01. The page
 * at /instructor (its own token) shows both rows as they change, and a learner leaving. A learner's
 * token opens neither the page nor its socket, and another site's page cannot open the socket.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { resolveConfig } from '../../runtime/src/config.js';
import type { ServerMessageOf } from '../../runtime/src/protocol/index.js';
import { startRuntimeServer, type RuntimeServer } from '../../runtime/src/server/runtime-server.js';
import { TestClient } from '../integration/server/ws-client.js';
import { databaseUrl, kafkaBootstrap } from '../services/inject.js';
import { launchChromium, screenshot } from './browser.js';

const LESSONS = fileURLToPath(new URL('../../lessons/', import.meta.url));
const TOKEN = 'learners-token-0123456789';
const INSTRUCTOR = 'instructor-token-0123456789';
let server: RuntimeServer;
let browser: Browser;

beforeAll(async () => {
  server = await startRuntimeServer({ config: resolveConfig({ port: 0, token: TOKEN, instructorToken: INSTRUCTOR, lessonsDir: LESSONS }), services: { kafka: kafkaBootstrap(), pg: databaseUrl() } });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The HTTP status an upgrade to `path` gets, or 101 when the socket opens. */
function upgradeStatus(path: string, origin: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${path}`, { headers: { origin } });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => {});
  });
}

it('refuses a learner\'s token and another site\'s page', async () => {
  const own = `http://127.0.0.1:${server.port}`;
  expect(server.instructorUrl).toBe(`${own}/instructor?token=${INSTRUCTOR}`);
  expect((await fetch(`${own}/instructor?token=${TOKEN}`)).status).toBe(401);
  expect((await fetch(`${own}/instructor`)).status).toBe(401);
  expect((await fetch(server.instructorUrl)).status).toBe(200);
  expect(await upgradeStatus(`/instructor/ws?token=${TOKEN}`, own)).toBe(401);
  expect(await upgradeStatus(`/instructor/ws?token=${INSTRUCTOR}`, 'http://evil.example')).toBe(403);
  expect(await upgradeStatus(`/instructor/ws?token=${INSTRUCTOR}`, own)).toBe(101);
  // Nor does the instructor's token open a learner's socket.
  expect(await upgradeStatus(`/ws?token=${INSTRUCTOR}`, own)).toBe(401);
});

it('shows each learner live: connected, lesson, last run, last check', { timeout: 600_000 }, async () => {
  const page = await browser.newPage();
  await page.goto(server.instructorUrl);
  await page.getByText('Live').waitFor();
  await page.getByText('No learner has connected yet.').waitFor();

  const ada = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws?token=${TOKEN}`);
  const adaSession = (await ada.hello(TOKEN, [3])) as ServerMessageOf<'hello.ok'>;
  const bob = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws?token=${TOKEN}`);
  const bobSession = (await bob.hello(TOKEN, [3])) as ServerMessageOf<'hello.ok'>;
  await bob.request({ kind: 'lessons.get', lessonId: '01-kafka-basics' });
  const row = (s: ServerMessageOf<'hello.ok'>) => page.locator(`tr[data-session="${s.session}"]`);
  await expect.poll(() => row(bobSession).locator('td').allTextContents(), { timeout: 30_000 })
    .toEqual([bobSession.session!.slice(0, 8), '● connected', '01-kafka-basics', '—', '—']);
  await expect.poll(() => row(adaSession).locator('td').nth(1).textContent(), { timeout: 30_000 }).toBe('● connected');

  // Ada runs the solution of lesson 03, then checks it.
  const solution = readFileSync(`${LESSONS}03-structured-windows/solution.ts`, 'utf8');
  const run = await ada.request({ kind: 'run.start', lessonId: '03-structured-windows', files: [{ path: 'solution.ts', content: solution }], mode: 'manual' });
  if (run.kind !== 'run.start.ok') throw new Error(JSON.stringify(run));
  const running = await ada.waitFor((m) => m.kind === 'run.status' && m.runId === run.runId && (m.state === 'running' || m.state === 'idle' || m.state === 'failed')) as ServerMessageOf<'run.status'>;
  await expect.poll(() => row(adaSession).locator('td.run span').first().textContent(), { timeout: 30_000 }).toBe(running.state);
  expect(await row(adaSession).locator('td').nth(2).textContent()).toBe('03-structured-windows');
  const check = await ada.request({ kind: 'check.run', lessonId: '03-structured-windows', files: [{ path: 'solution.ts', content: solution }] });
  if (check.kind !== 'check.run.ok') throw new Error(JSON.stringify(check));
  const result = await ada.waitFor((m) => m.kind === 'check.result' && m.checkId === check.checkId) as ServerMessageOf<'check.result'>;
  expect([result.score, result.maxScore]).toEqual([20, 20]);
  await expect.poll(() => row(adaSession).locator('td.check span').first().textContent(), { timeout: 30_000 }).toBe('20/20 points, 9 of 9 checks');

  // Bob leaves: his row stays, not connected.
  await bob.close();
  await expect.poll(() => row(bobSession).locator('td').nth(1).textContent(), { timeout: 30_000 }).toBe('○ left');
  expect(await page.locator('tbody tr').count()).toBe(2);
  await screenshot(page, 'instructor-dashboard');
  await ada.request({ kind: 'run.stop', runId: run.runId });
  await ada.close();
  await page.close();
});
