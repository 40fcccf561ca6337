/**
 * The instructor sees where each learner is and what they wrote, in Chromium against `streamlab start`
 * with a class roster: two students open lesson 03 in the workbench with their own tokens, each in a
 * browser context of their own; Ada moves to the third step and pastes code. The dashboard, in a third
 * context with the instructor's token, shows each one's step (number, title, and for how long) and time
 * spent, and "View code" opens Ada's code read-only, following her edit; Grace's view holds none of it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { databaseUrl, kafkaBootstrap } from '../services/inject.js';
import { buildWorkbench } from '../journey/build.js';
import { pasteCode } from '../journey/learner.js';
import { launchChromium, screenshot } from './browser.js';
import { startRuntime, type RuntimeProcess } from './runtime-process.js';

const INSTRUCTOR = 'instructor-token-3d7a9c1e5b20';
const ROSTER = { ada: 'ada-token-0c6e2b9f4a81', grace: 'grace-token-8f1a5d3c7e62' };
const ADA_MARK = 'ada-wrote-this-5e1b7c';
/** A duration as the dashboard writes it: "7 s", "2 min" or "1 h 3 min", however slow the machine. */
const SPAN = '(?:\\d+ s|\\d+ min|\\d+ h \\d+ min)';
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

it('shows each student\'s step and time spent, and a student\'s code read-only to the instructor', { timeout: 600_000 }, async () => {
  const errors: string[] = [];
  const ada = await student(ROSTER.ada, errors);
  const grace = await student(ROSTER.grace, errors);
  // Ada moves on twice: the third step.
  await ada.getByRole('button', { name: 'Next', exact: true }).click();
  await ada.getByRole('button', { name: 'Next', exact: true }).click();
  const adaTitle = (await ada.locator('article h2').first().textContent())!.trim();
  const graceTitle = (await grace.locator('article h2').first().textContent())!.trim();
  expect(adaTitle).not.toBe(graceTitle);

  const dashboard = await (await browser.newContext({ viewport: { width: 1500, height: 900 } }).then((c) => (contexts.push(c), c))).newPage();
  dashboard.on('pageerror', (e) => errors.push(e.message));
  await dashboard.goto(`${runtime.origin}/instructor?token=${INSTRUCTOR}`);
  await dashboard.getByText('Live').waitFor();
  const row = (learner: string) => dashboard.locator(`tr[data-learner="${learner}"]`);
  await expect.poll(() => row('ada').locator('td.step').textContent(), { timeout: 60_000 }).toMatch(new RegExp(`^3/\\d+ for ${SPAN}${escape(adaTitle)}$`));
  await expect.poll(() => row('grace').locator('td.step').textContent(), { timeout: 60_000 }).toMatch(new RegExp(`^1/\\d+ for ${SPAN}${escape(graceTitle)}$`));
  expect(await row('ada').locator('td.lesson').textContent()).toBe('03-structured-windows');
  expect(await row('ada').locator('td.spent').textContent()).toMatch(new RegExp(`^${SPAN}$`));
  expect(await row('ada').locator('td').nth(1).textContent()).toBe('● connected');

  // The code Ada's editor held when the lesson opened, then her own after she pastes it.
  await row('ada').getByRole('button', { name: 'View code' }).click();
  const dialog = dashboard.getByRole('dialog', { name: 'Code of ada' });
  await dialog.waitFor();
  await expect.poll(() => dialog.locator('#code-about').textContent(), { timeout: 30_000 }).toMatch(new RegExp(`^Lesson 03-structured-windows, from the editor, ${SPAN} ago\\. Read-only\\.$`));
  const pasted = `// ${ADA_MARK}\nexport const windowMinutes = 1;\n`;
  await pasteCode(ada, pasted);
  await expect.poll(() => dialog.locator('pre').first().textContent(), { timeout: 60_000 }).toBe(pasted);
  expect(await dialog.locator('.file-path').first().textContent()).toBe('starter.ts');
  expect(await dialog.locator('#code-check').textContent()).toBe('No check yet.');
  // Read-only: nothing in the view can be edited.
  expect(await dialog.locator('textarea, input, [contenteditable="true"]').count()).toBe(0);
  await screenshot(dashboard, 'instructor-code');
  await dialog.getByRole('button', { name: 'Close' }).click();

  // Grace's code is her own (the starter), with none of Ada's.
  await row('grace').getByRole('button', { name: 'View code' }).click();
  const graceDialog = dashboard.getByRole('dialog', { name: 'Code of grace' });
  await graceDialog.waitFor();
  await expect.poll(() => graceDialog.locator('#code-about').textContent(), { timeout: 30_000 }).toMatch(/^Lesson 03-structured-windows, from the editor/);
  expect(await graceDialog.locator('pre').allTextContents()).not.toContainEqual(expect.stringContaining(ADA_MARK));
  await graceDialog.getByRole('button', { name: 'Close' }).click();
  await screenshot(dashboard, 'instructor-steps');
  expect(errors).toEqual([]);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
