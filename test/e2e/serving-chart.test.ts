/**
 * Lesson 07's serving layer in Chromium, from a fresh data directory: open the lesson, see the Serving
 * panel say that there is no serving view before Run, paste the solution and press Run, and watch the
 * panel's charts (the DAX close against each country's weekly cases, the rolling correlation) and its
 * table fill from the runtime's serving endpoint: the batch view's four weeks of history, then the speed
 * view's weeks as the announced days arrive, each new day changing the answer the cache had. The run is
 * on the manual clock, so each day arrives when the test moves the clock and not before: on the system
 * clock a busy machine could start the job after a whole week had been announced.
 * Screenshot: test-results/e2e/serving-01-chart.png.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { databaseUrl } from '../services/inject.js';
import { launchChromium, screenshot } from './browser.js';
import { pasteCode } from '../journey/learner.js';
import { buildWorkbench } from '../journey/build.js';
import { repoRoot, startRuntime, type RuntimeProcess } from './runtime-process.js';

const LESSON = '07-lambda-architecture';
let runtime: RuntimeProcess;
let browser: Browser;

beforeAll(async () => {
  buildWorkbench();
  // The embedded broker of a fresh data directory, and the test run's PostgreSQL.
  runtime = await startRuntime({ pg: databaseUrl() });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

/** The Serving panel's table: [week, country, layer, cases, deaths, DAX, correlation] per row. */
async function servingRows(page: Page): Promise<string[][]> {
  const table = page.getByRole('table', { name: 'Serving view' });
  if ((await table.count()) === 0) return [];
  return table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())));
}

const weeksOf = (rows: string[][], layer: string) => [...new Set(rows.filter((r) => r[2] === layer).map((r) => r[0]))];

it('draws the serving answer and follows it as the announced days arrive', { timeout: 600_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1100 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: runtime.origin });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(runtime.url);
  await page.getByText('Runtime: Connected').waitFor();
  await page.getByRole('link', { name: /The lambda architecture/ }).click();
  await page.locator('sl-editor .monaco-editor .view-lines').waitFor();

  // Before Run the learner's code has made no serving view: the panel says so.
  const servingTab = page.getByRole('tablist', { name: 'Panels' }).getByRole('tab', { name: 'Serving' });
  await servingTab.click();
  const panel = page.getByRole('tabpanel', { name: 'Serving' });
  await expect.poll(() => panel.getByRole('alert').textContent(), { timeout: 30_000 })
    .toBe('The serving view "serving" cannot answer yet (PostgreSQL: relation "serving" does not exist): run the lesson, whose code makes it.');

  // Pasted as a learner pastes code written elsewhere (typed text would be re-indented by the editor).
  await pasteCode(page, readFileSync(join(repoRoot, 'lessons', LESSON, 'solution.ts'), 'utf8'));
  // On the manual clock each announced day arrives 10 s of lesson time after the one before it, the
  // first (2020-03-30) 10 s after the clock's start, and nothing arrives until the clock is moved.
  await page.getByRole('radio', { name: 'Manual' }).check();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const step = page.getByRole('button', { name: 'Step', exact: true });
  await expect.poll(() => step.isEnabled(), { timeout: 120_000 }).toBe(true);
  const advance = page.getByRole('button', { name: /^\+\d+ s/ }).first();
  const stepMs = Number(/^\+(\d+) s/.exec((await advance.textContent())!.trim())![1]) * 1000;
  /** Moves the manual clock on by `ms` of lesson time, one advance step at a time. */
  const moveClock = async (ms: number) => {
    for (let i = 0; i < Math.ceil(ms / stepMs); i++) await advance.click();
  };
  // The first day arrives and a micro-batch reads it; Run opened Output, the learner goes back to Serving.
  await moveClock(10_000);
  await page.getByRole('figure', { name: /^Batch \d+/ }).first().waitFor({ timeout: 120_000 });
  await servingTab.click();

  // The batch view's history and the first announced week from the speed view.
  await expect.poll(async () => weeksOf(await servingRows(page), 'speed'), { timeout: 120_000 }).toEqual(['2020-03-30']).catch(async (e) => {
    await screenshot(page, 'serving-debug');
    throw new Error(`${e}\n${await panel.textContent()}\n${await page.getByRole('log', { name: 'Console' }).textContent().catch(() => '')}`);
  });
  const first = await servingRows(page);
  expect(weeksOf(first, 'batch')).toEqual(['2020-03-02', '2020-03-09', '2020-03-16', '2020-03-23']);
  expect(first.filter((r) => r[2] === 'batch').map((r) => r[1])).toEqual(Array.from({ length: 4 }, () => ['Germany', 'Italy', 'Spain']).flat());
  // Every week of the history traded: each row has its DAX close.
  expect(first.filter((r) => r[2] === 'batch').every((r) => /^\d{1,2},\d{3}\.\d{2}$/.test(r[5]!))).toBe(true);

  // As the next day of the week arrives the speed view's sums grow, and the panel follows.
  const speedCases = (rows: string[][]) => rows.filter((r) => r[0] === '2020-03-30').map((r) => Number(r[3]!.replace(/,/g, '')));
  const before = speedCases(first);
  expect(before).toHaveLength(3);
  await moveClock(10_000);
  await expect.poll(async () => speedCases(await servingRows(page)).some((c, i) => c > before[i]!), { timeout: 120_000 }).toBe(true);
  // The rest of the week and the first day of the next: the second announced week.
  await moveClock(60_000);
  await expect.poll(async () => weeksOf(await servingRows(page), 'speed'), { timeout: 180_000 }).toEqual(['2020-03-30', '2020-04-06']);

  // Both charts are drawn, and the status line counts the cache's misses and invalidations.
  expect(await panel.locator('.chart canvas').count()).toBe(2);
  const status = (await panel.getByRole('status', { name: 'Serving answer' }).textContent())!.replace(/\s+/g, ' ').trim();
  const m = /^Weeks 2020-03-02 to 2020-04-06: 4 from the batch view, 2 from the speed view \(shaded\)\. Cache: (hit|miss) \((\d+) hits?, (\d+) miss(?:es)?, (\d+) invalidations?\)\.$/.exec(status);
  expect(m, status).not.toBeNull();
  expect(Number(m![4])).toBeGreaterThan(0);
  await screenshot(page, 'serving-01-chart');
  expect(errors).toEqual([]);
  await context.close();
});
