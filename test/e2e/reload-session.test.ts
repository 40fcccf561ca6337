/**
 * A reload keeps the learner's session, in Chromium against `streamlab start --isolate-learners` (the
 * classroom runtime) from a fresh data directory: the learner runs lesson 03's solution, reloads the
 * page while it runs, and the page comes back on the same session (its id kept in the tab), showing the
 * run as running with Stop at hand; Stop stops it. Before, the reloaded page got a new session, knew
 * nothing of the run, and the old session (with the learner's topics and tables) ended 15 s later.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { databaseUrl, freshName } from '../services/inject.js';
import { launchChromium, screenshot } from './browser.js';
import { pasteCode } from '../journey/learner.js';
import { buildWorkbench } from '../journey/build.js';
import { repoRoot, startRuntime, type RuntimeProcess } from './runtime-process.js';

const LESSON = '03-structured-windows';
let runtime: RuntimeProcess;
let browser: Browser;

beforeAll(async () => {
  buildWorkbench();
  // A learner schema of the test's own: a runtime learners share clears its sessions' leftover schemas
  // when it starts, and must not see another test's runtime's as its own.
  const url = databaseUrl();
  const pg = `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${freshName('reload')}`)}`;
  runtime = await startRuntime({ pg, args: ['--isolate-learners'] });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

it('comes back on the same session after a reload, with its run still going and Stop at hand', { timeout: 600_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: runtime.origin });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(runtime.url);
  await page.getByText('Runtime: Connected').waitFor();
  await page.getByRole('link', { name: /Event-time windows with Structured Streaming/ }).click();
  await page.locator('sl-editor .monaco-editor .view-lines').waitFor();
  await pasteCode(page, readFileSync(join(repoRoot, 'lessons', LESSON, 'solution.ts'), 'utf8'));
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.getByRole('figure', { name: /^Batch \d+/ }).first().waitFor({ timeout: 120_000 });
  const session = await page.evaluate("sessionStorage.getItem('streamlab:session')");
  expect(session).toMatch(/^[0-9a-f-]{36}$/);
  const stop = page.getByRole('button', { name: 'Stop', exact: true });
  const status = page.locator('sl-run-controls .status');
  expect(await stop.isEnabled()).toBe(true);

  await page.reload();
  await page.getByText('Runtime: Connected').waitFor();
  expect(await page.evaluate("sessionStorage.getItem('streamlab:session')")).toBe(session);
  // The session's run goes on, and the page shows it.
  await expect.poll(() => status.textContent(), { timeout: 60_000 }).toBe('running');
  expect(await stop.isEnabled()).toBe(true);
  await screenshot(page, 'reload-01-run-kept');
  await stop.click();
  await expect.poll(() => status.textContent(), { timeout: 60_000 }).toBe('stopped');
  expect(await stop.isEnabled()).toBe(false);
  expect(errors).toEqual([]);
  await context.close();
});
