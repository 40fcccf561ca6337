/**
 * The instructor's dashboard in Chromium, on a runtime given a class roster (`student,token` lines, as
 * the Kubernetes overlay's): the roster's students have rows by name before they connect; learners
 * connect over the websocket protocol with their own tokens (and one with the shared token); one runs a
 * program that fails the same way three times and shows as stuck, alone under "Only stuck"; three check
 * lesson 03 (the solution, the same plan in other words, a query fitted to the visible checks' day) and
 * the page groups them by plan, 2 and 1, with the seeds that reproduce each check. A learner's or a
 * student's token opens neither the page nor its socket, and another site's page cannot open the socket.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** The class: the roster file the Kubernetes overlay reads, one token per student. */
const ROSTER = { ada: 'ada-token-4d1c7e0b9a2f', grace: 'grace-token-9b2e5f8a1c3d', linus: 'linus-token-c07a3e9d5b1f' };
const rosterDir = mkdtempSync(join(tmpdir(), 'streamlab-roster-'));
const rosterFile = join(rosterDir, 'roster.csv');
writeFileSync(rosterFile, `# student,token\n${Object.entries(ROSTER).map(([s, t]) => `${s},${t}`).join('\n')}\n`);

beforeAll(async () => {
  server = await startRuntimeServer({ config: resolveConfig({ port: 0, token: TOKEN, instructorToken: INSTRUCTOR, roster: rosterFile, lessonsDir: LESSONS }), services: { kafka: kafkaBootstrap(), pg: databaseUrl() } });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(rosterDir, { recursive: true, force: true });
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
  // A student's token from the roster opens the workbench and its socket, never the dashboard.
  expect((await fetch(`${own}/?token=${ROSTER.ada}`)).status).not.toBe(401);
  expect(await upgradeStatus(`/ws?token=${ROSTER.ada}`, own)).toBe(101);
  expect((await fetch(`${own}/instructor?token=${ROSTER.ada}`)).status).toBe(401);
  expect(await upgradeStatus(`/instructor/ws?token=${ROSTER.ada}`, own)).toBe(401);
  expect(await upgradeStatus(`/ws?token=${ROSTER.ada}x`, own)).toBe(401);
});

/** A learner's socket on `token`, after hello. */
async function learner(token: string): Promise<{ client: TestClient; session: string }> {
  const client = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws?token=${token}`);
  const hello = (await client.hello(token, [3])) as ServerMessageOf<'hello.ok'>;
  return { client, session: hello.session! };
}

/** Checks `content` as lesson 03's solution and waits for the result. */
async function check(c: TestClient, content: string): Promise<ServerMessageOf<'check.result'>> {
  const reply = await c.request({ kind: 'check.run', lessonId: '03-structured-windows', files: [{ path: 'solution.ts', content }] });
  if (reply.kind !== 'check.run.ok') throw new Error(JSON.stringify(reply));
  return c.waitFor((m) => m.kind === 'check.result' && m.checkId === reply.checkId) as Promise<ServerMessageOf<'check.result'>>;
}

it('shows the class by roster name, live: connected, lesson, last run and error, last check with its seeds, progress, stuck, and groups by plan', { timeout: 1_200_000 }, async () => {
  const page = await browser.newPage();
  await page.goto(server.instructorUrl);
  await page.getByText('Live').waitFor();
  // The roster's students have rows before anyone connects, in name order.
  const row = (learnerId: string) => page.locator(`tr[data-learner="${learnerId}"]`);
  await expect.poll(() => page.locator('tbody tr td.learner').allTextContents(), { timeout: 30_000 }).toEqual(['ada', 'grace', 'linus']);
  expect(await row('linus').locator('td').allTextContents()).toEqual(['linus', '○ not yet', '—', '—', '—', '—', '—', '0', '—', '—', '—', '']);

  // Ada, on her own token, opens lesson 01: her row, by name, says so.
  const ada = await learner(ROSTER.ada);
  await ada.client.request({ kind: 'lessons.get', lessonId: '01-kafka-basics' });
  await expect.poll(() => row('ada').locator('td').allTextContents(), { timeout: 30_000 }).toEqual(['ada', '● connected', '01-kafka-basics', '—', '—', '—', '—', '0', expect.stringMatching(/^\d+ (s|min)$/), expect.stringMatching(/^\d+ s$/), '—', '']);
  // A learner on the shared token is a row of their own, named by session.
  const guest = await learner(TOKEN);
  await guest.client.request({ kind: 'lessons.get', lessonId: '03-structured-windows' });
  await expect.poll(() => row(guest.session).locator('td').nth(0).textContent(), { timeout: 30_000 }).toBe(guest.session.slice(0, 8));

  // Grace runs a program that fails the same way three times: stuck, whatever the time.
  const grace = await learner(ROSTER.grace);
  const failing = 'export function main(): void {\n  throw new Error("the schema is missing");\n}\n';
  for (let i = 0; i < 3; i++) {
    const run = await grace.client.request({ kind: 'run.start', lessonId: '03-structured-windows', files: [{ path: 'solution.ts', content: failing }], mode: 'manual' });
    if (run.kind !== 'run.start.ok') throw new Error(JSON.stringify(run));
    await grace.client.waitFor((m) => m.kind === 'run.error' && m.runId === run.runId);
    await grace.client.waitFor((m) => m.kind === 'run.status' && m.runId === run.runId && (m.state === 'failed' || m.state === 'stopped' || m.state === 'finished'));
  }
  await expect.poll(() => row('grace').locator('td.last-error').textContent(), { timeout: 30_000 }).toMatch(/^.*the schema is missing.* ×3 \d+ s ago$/);
  expect(await row('grace').locator('td.stuck-cell').textContent()).toBe('stuck: the same error 3 times');
  expect(await row('ada').locator('td.stuck-cell').textContent()).toBe('');
  // Only stuck: Grace alone.
  await page.getByLabel('Only stuck').check();
  await expect.poll(() => page.locator('tbody tr td.learner').allTextContents()).toEqual(['grace']);
  await screenshot(page, 'instructor-stuck');
  await page.getByLabel('Only stuck').uncheck();

  // Ada checks the solution; the guest the same plan in other words; Grace a query fitted to the
  // visible checks' day, another plan.
  const solution = readFileSync(`${LESSONS}03-structured-windows/solution.ts`, 'utf8');
  const reworded = solution.replace(/\bschema\b/g, 'readingSchema');
  const fitted = solution.replace('.select("data.*");', `.select("data.*")
    .filter("ts >= TIMESTAMP'2026-11-21 00:00:00' AND ts < TIMESTAMP'2026-11-22 00:00:00'");`);
  const [a, g, f] = await Promise.all([check(ada.client, solution), check(guest.client, reworded), check(grace.client, fitted)]);
  expect([a.score, g.score, f.score]).toEqual([20, 20, 18]);
  await expect.poll(() => row('ada').locator('td.check span').first().textContent(), { timeout: 30_000 }).toBe('20/20 points, 9 of 9 checks');
  // The seeds that reproduce Ada's check; the hidden one never reached her socket.
  const seeds = await row('ada').locator('td.check .seeds').textContent();
  const hidden = /^--lesson 03-structured-windows --seed (\d+) --hidden-seed (\d+)$/.exec(seeds ?? '');
  expect(hidden?.[1]).toBe(a.seed);
  expect(JSON.stringify(ada.client.messages)).not.toContain(hidden![2]!);
  expect(await row('ada').locator('td.checks').textContent()).toBe('1');
  // Grace's fitted check passed 8 checks, her best yet: progress, so no longer stuck.
  await expect.poll(() => row('grace').locator('td.stuck-cell').textContent(), { timeout: 30_000 }).toBe('');

  // Groups by plan: the solution and its rewording together, the fitted query alone.
  const section = page.locator('section.lesson-groups[data-lesson="03-structured-windows"]');
  await expect.poll(() => section.locator('h3').textContent(), { timeout: 30_000 }).toBe('03-structured-windows: 2 groups of 3');
  expect(await section.locator('div.group .members').allTextContents()).toEqual([['ada', guest.session.slice(0, 8)].sort().join(', '), 'grace']);
  expect(await section.locator('div.group').evaluateAll((els) => els.map((e) => e.getAttribute('data-size')))).toEqual(['2', '1']);

  // Ada leaves: her row stays, as left.
  await ada.client.close();
  await expect.poll(() => row('ada').locator('td').nth(1).textContent(), { timeout: 30_000 }).toBe('○ left');
  expect(await page.locator('tbody tr').count()).toBe(4);
  await screenshot(page, 'instructor-dashboard');
  await guest.client.close();
  await grace.client.close();
  await page.close();
});

it('refuses a runtime whose roster is unusable, naming the line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'streamlab-roster-'));
  try {
    const bad = join(dir, 'roster.csv');
    writeFileSync(bad, '# student,token\nada,4d1c7e0b9a2f46d1\nAda Lovelace,9b2e5f8a1c3d47e0\n');
    await expect(startRuntimeServer({ config: resolveConfig({ port: 0, token: TOKEN, roster: bad, lessonsDir: LESSONS }), services: {} }))
      .rejects.toThrow(`${bad}: roster line 3: "Ada Lovelace" is not a student name`);
    writeFileSync(bad, `ada,${INSTRUCTOR}\n`);
    await expect(startRuntimeServer({ config: resolveConfig({ port: 0, token: TOKEN, instructorToken: INSTRUCTOR, roster: bad, lessonsDir: LESSONS }), services: {} }))
      .rejects.toThrow('The instructor\'s token must differ from every student\'s token on the roster.');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
