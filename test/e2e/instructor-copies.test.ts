/**
 * Copies and comments in Chromium against `streamlab start` with a class roster: Ada checks lesson 03's
 * solution in her workbench, Grace checks the same code with other names and comments. The dashboard,
 * in a context of its own, puts them in one plan group flagged as possible copies and shows both codes
 * side by side; the instructor's comment to the group appears in both students' workbenches.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { databaseUrl, kafkaBootstrap } from '../services/inject.js';
import { buildWorkbench } from '../journey/build.js';
import { pasteCode } from '../journey/learner.js';
import { launchChromium, screenshot } from './browser.js';
import { startRuntime, type RuntimeProcess } from './runtime-process.js';

const INSTRUCTOR = 'instructor-token-3d7a9c1e5b20';
const ROSTER = { ada: 'ada-token-0c6e2b9f4a81', grace: 'grace-token-8f1a5d3c7e62' };
const rosterDir = mkdtempSync(join(tmpdir(), 'streamlab-roster-'));
const rosterFile = join(rosterDir, 'roster.csv');
writeFileSync(rosterFile, `# student,token\n${Object.entries(ROSTER).map(([s, t]) => `${s},${t}`).join('\n')}\n`);

let runtime: RuntimeProcess;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  buildWorkbench();
  runtime = await startRuntime({
    kafka: kafkaBootstrap(),
    pg: databaseUrl(),
    env: { ...process.env, STREAMLAB_ROSTER: rosterFile, STREAMLAB_INSTRUCTOR_TOKEN: INSTRUCTOR },
  });
  browser = await launchChromium();
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await runtime?.stop();
  rmSync(rosterDir, { recursive: true, force: true });
});

/** A student's workbench on lesson 03, in a browser context of their own. */
async function student(token: string, errors: string[]): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  contexts.push(context);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: runtime.origin });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${runtime.origin}/?token=${token}`);
  await page.getByText('Runtime: Connected').waitFor();
  await page.getByRole('link', { name: /Event-time windows with Structured Streaming/ }).click();
  await page.locator('sl-editor .monaco-editor .view-lines').waitFor();
  return page;
}

const solution = readFileSync(fileURLToPath(new URL('../../lessons/03-structured-windows/solution.ts', import.meta.url)), 'utf8');
/** The solution with other names, comments and layout: the same plan. */
const disguised = solution.replace(/(const|return) readings/g, '$1 rows').replace(/\/\*\*[\s\S]*?\*\//g, '// mine');

it('flags a copied pair in a plan group and sends one comment that both students see', { timeout: 600_000 }, async () => {
  const errors: string[] = [];
  const ada = await student(ROSTER.ada, errors);
  const grace = await student(ROSTER.grace, errors);
  for (const [page, code] of [[ada, solution], [grace, disguised]] as const) {
    await pasteCode(page, code);
    await page.getByRole('button', { name: 'Check', exact: true }).click();
  }
  const dashboard = await (await browser.newContext({ viewport: { width: 1500, height: 1000 } }).then((c) => (contexts.push(c), c))).newPage();
  dashboard.on('pageerror', (e) => errors.push(e.message));
  await dashboard.goto(`${runtime.origin}/instructor?token=${INSTRUCTOR}`);
  await dashboard.getByText('Live').waitFor();
  const group = dashboard.locator('section[data-lesson="03-structured-windows"] div.group').first();
  await expect.poll(() => group.getAttribute('data-size'), { timeout: 300_000 }).toBe('2');
  expect(await group.locator('.members').textContent()).toBe('ada, grace');
  expect(await group.locator('.copy-pair').textContent()).toBe('ada and grace, 100% alike Side by side');

  await group.getByRole('button', { name: 'Side by side' }).click();
  const pair = dashboard.getByRole('dialog', { name: 'Possible copies in lesson 03-structured-windows' });
  await expect.poll(() => pair.locator('#pair-b pre').count(), { timeout: 30_000 }).toBeGreaterThan(0);
  expect(await pair.locator('#pair-a h3').textContent()).toBe('ada');
  expect(await pair.locator('#pair-b pre').first().textContent()).toContain('// mine');
  await screenshot(dashboard, 'instructor-copies');
  await pair.getByRole('button', { name: 'Close' }).click();

  const text = 'Both of you: try 10-second windows next.';
  await group.getByRole('button', { name: 'Comment to this group' }).click();
  const dialog = dashboard.getByRole('dialog', { name: 'Comment to the group' });
  await dialog.getByRole('textbox', { name: 'Comment' }).fill(text);
  await dialog.getByRole('button', { name: 'Send to the group' }).click();
  await expect.poll(() => dialog.locator('#comment-result').textContent(), { timeout: 30_000 }).toBe('Sent to ada, grace.');
  for (const page of [ada, grace]) {
    const comment = page.getByRole('status', { name: 'Comment from your instructor' });
    await expect.poll(() => comment.textContent(), { timeout: 30_000 }).toContain(text);
  }
  await screenshot(ada, 'learner-comment');
  expect(errors).toEqual([]);
});
