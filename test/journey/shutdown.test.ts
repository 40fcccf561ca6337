/**
 * Stopping `streamlab start` after a learner has used it: started as `npm start` starts it (no data
 * directory, so its PostgreSQL and checkpoints live in temporary directories; job processes run the
 * runtime's build), the page open in Chromium, lesson 03's starter running on the system clock with its data played, a topic
 * tailed. Then SIGTERM, the browser still open and the query still running: the process exits with 0
 * by itself, its temporary directory is empty, and its web and Kafka ports are free again.
 *
 * The shutdown's duration is measured and printed, not asserted; a hang fails the test (no SIGKILL
 * until well past the test's own patience). The page is the workbench as built last (`streamlab start`
 * builds it when there is none).
 */
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../e2e/browser.js';
import { batchFigures, lessonOutline, runButton, snap, tab } from './learner.js';
import { startStreamlab, type Streamlab } from './streamlab.js';

const VIEWPORT = { name: 'shutdown', width: 1440, height: 900 };

let browser: Browser;
let tmp: string;
let streamlab: Streamlab | null = null;

beforeAll(async () => {
  browser = await launchChromium();
  tmp = mkdtempSync(join(tmpdir(), 'streamlab-shutdown-'));
  // Like /tmp: PostgreSQL runs as its own OS user and must reach its data directory in here.
  chmodSync(tmp, 0o1777);
});

/**
 * What the runtime left in its temporary directory. Kept on purpose, so not counted: the per-user
 * directory of the runtime's state file (the file itself must be gone), the one-time copy of the
 * PostgreSQL binaries for a checkout PostgreSQL's user cannot reach, and tsx's compile cache (the
 * runtime runs from its TypeScript sources).
 */
function leftBehind(): string[] {
  const left: string[] = [];
  for (const entry of readdirSync(tmp)) {
    if (entry.startsWith('streamlab-embedded-postgres-') || /^tsx-\d+$/.test(entry)) continue;
    if (/^streamlab-(\d+|user)$/.test(entry)) left.push(...readdirSync(join(tmp, entry)).map((f) => join(entry, f)));
    else left.push(entry);
  }
  return left;
}

afterAll(async () => {
  await streamlab?.stop(5_000);
  await browser?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** True when nothing listens on 127.0.0.1:port. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

it('stops within the test\'s patience after a run with an open page, a running query and a tail, and leaves no temporary directory or port behind', async () => {
  streamlab = await startStreamlab({ dataDir: false, tmpDir: tmp });
  const kafkaPort = Number(/Kafka is the embedded broker at [\d.]+:(\d+)/.exec(streamlab.output())?.[1]);
  const webPort = Number(new URL(streamlab.url).port);
  expect(kafkaPort > 0 && webPort > 0).toBe(true);
  // While it runs, its PostgreSQL and checkpoints are in the temporary directory it was given.
  expect(readdirSync(tmp).filter((d) => d.startsWith('streamlab-pg-')).length).toBe(1);
  expect(leftBehind().length).toBeGreaterThan(1);

  const context = await browser.newContext({ viewport: { width: VIEWPORT.width, height: VIEWPORT.height } });
  const page = await context.newPage();
  await page.goto(streamlab.url);
  await page.getByText('Runtime: Connected').waitFor({ timeout: 60_000 });
  const { title } = lessonOutline('03-structured-windows');
  await page.getByRole('link', { name: title }).click();
  await page.locator('sl-editor .monaco-editor .view-lines').waitFor({ timeout: 60_000 });
  await page.getByRole('radio', { name: 'System' }).check();
  await runButton(page).click();
  // The query runs and the lesson's data is played in full (48 records at 4 a second) before the stop.
  await batchFigures(page).first().waitFor({ timeout: 120_000 });
  await tab(page, 'Topics').click();
  const topics = page.getByRole('region', { name: 'Topics' });
  await topics.getByRole('button', { name: 'Tail sensors.temperature' }).click();
  await page.getByRole('heading', { name: 'Tailing sensors.temperature (48 records)' }).waitFor({ timeout: 120_000 });
  await tab(page, 'Output').click();
  expect(await page.getByRole('status').filter({ hasText: /^running$/ }).count()).toBe(1);
  await snap(page, VIEWPORT, 'before-sigterm');

  const stopped = await streamlab.stop(120_000);
  streamlab = null;
  console.log(`shutdown: SIGTERM to exit ${Math.round(stopped.ms)} ms`);
  expect({ code: stopped.code, killed: stopped.killed }).toEqual({ code: 0, killed: false });
  expect(leftBehind()).toEqual([]);
  expect(await portFree(webPort)).toBe(true);
  expect(await portFree(kafkaPort)).toBe(true);
  // The page notices: it lost the runtime and says so.
  await page.getByText('Runtime: Reconnecting…').waitFor({ timeout: 30_000 });
  await snap(page, VIEWPORT, 'after-sigterm');
  await context.close();
});
