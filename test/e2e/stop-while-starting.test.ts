/**
 * Stop stops the run the learner sees starting, in Chromium against `streamlab start` from a fresh data
 * directory: Run again and Stop while the new run is still starting (before the runtime has even named
 * it, or while it compiles) leaves nothing running, the status line says stopped, and no batch of that
 * run ever comes. Before, Stop went to the run before, and the new one started anyway.
 *
 * Output belongs to the current run: Run empties it at once and says the run is starting, as a new
 * Spark query's console starts empty.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { databaseUrl } from '../services/inject.js';
import { jobProcesses } from '../services/job-processes.js';
import { batchFigures, outputNote, runButton, tab } from '../journey/learner.js';
import { launchChromium, screenshot } from './browser.js';
import { repoRoot, startRuntime, type RuntimeProcess } from './runtime-process.js';

let runtime: RuntimeProcess;
let browser: Browser;

beforeAll(async () => {
  execFileSync(process.execPath, [join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], {
    cwd: join(repoRoot, 'workbench'), env: { ...process.env, NODE_ENV: 'production' }, stdio: 'inherit',
  });
  // Its own embedded broker: the lesson's data is played into topics no other test reads.
  runtime = await startRuntime({ pg: databaseUrl() });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

/**
 * Presses Run and then Stop before the runtime can have answered Run: both in the page, with only the
 * re-render between them (a render is a microtask; an answer from the runtime is a task, so none can come
 * in between). Stop is enabled by then because the page already shows the new run as starting.
 */
const RUN_THEN_STOP = `(async () => {
  const deep = (root, selector) => {
    const hit = root.querySelector(selector);
    if (hit) return hit;
    for (const el of root.querySelectorAll('*')) {
      const inner = el.shadowRoot && deep(el.shadowRoot, selector);
      if (inner) return inner;
    }
    return null;
  };
  const controls = deep(document, 'sl-run-controls');
  const button = (name) => [...controls.shadowRoot.querySelectorAll('button')].find((b) => b.textContent.trim() === name);
  button('Run').click();
  for (let i = 0; i < 1000 && button('Stop').disabled; i++) await Promise.resolve();
  if (button('Stop').disabled) throw new Error('Stop was not enabled after Run');
  button('Stop').click();
})()`;

const status = (page: Page) => page.locator('sl-run-controls .status').textContent();

async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((r) => setTimeout(r, 100));
}

it('Stop stops the run that is starting, even before the runtime has named it; Output shows only the current run', { timeout: 600_000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await walk(page);
  } catch (e) {
    await screenshot(page, 'stop-failed').catch(() => {});
    throw e;
  }
  expect(errors).toEqual([]);
  await page.close();
});

async function walk(page: Page): Promise<void> {
  await page.goto(runtime.url);
  await page.getByText('Runtime: Connected').waitFor({ timeout: 60_000 });
  await page.getByRole('link', { name: /Event-time windows with Structured Streaming/ }).click();
  await page.locator('sl-editor .monaco-editor .view-lines').waitFor({ timeout: 60_000 });
  await tab(page, 'Output').click();
  const stop = page.getByRole('button', { name: 'Stop', exact: true });

  // A run with batches in Output.
  await runButton(page).click();
  await batchFigures(page).first().waitFor({ timeout: 120_000 });
  await expect.poll(() => status(page), { timeout: 60_000 }).toBe('running');
  expect(jobProcesses(runtime.pid).length).toBe(1);
  await screenshot(page, 'stop-01-running');

  // Run again: the run before's batches leave Output at once, and Output says the new run is starting.
  await runButton(page).click();
  expect(await batchFigures(page).count()).toBe(0);
  expect(await outputNote(page).textContent()).toMatch(/^Starting a new run: (compiling your code|its process is loading)…$/);
  // Stop at once, as a learner who pressed Run by mistake does: the run before is still stopping, or the
  // new run is being asked for, or it compiles.
  await stop.click();
  await expect.poll(() => status(page), { timeout: 60_000 }).toBe('stopped');
  expect(await stop.isDisabled()).toBe(true);
  expect(await batchFigures(page).count()).toBe(0);
  expect(await outputNote(page).textContent()).toBe('The run stopped before it printed anything.');
  await until(() => jobProcesses(runtime.pid).length === 0);
  await screenshot(page, 'stop-02-stopped-while-starting');

  // Run and Stop before the runtime has answered Run: the run it then names is stopped.
  await page.evaluate(RUN_THEN_STOP);
  await expect.poll(() => status(page), { timeout: 60_000 }).toBe('stopped');
  expect(await batchFigures(page).count()).toBe(0);

  // Run again while a run goes, and Stop before the runtime has even been asked (the run before is still
  // stopping): neither runs.
  await runButton(page).click();
  await batchFigures(page).first().waitFor({ timeout: 120_000 });
  await page.evaluate(RUN_THEN_STOP);
  expect(await batchFigures(page).count()).toBe(0);
  await expect.poll(() => status(page), { timeout: 60_000 }).toBe('stopped');
  expect(await outputNote(page).textContent()).toBe('The run stopped before it printed anything.');
  await until(() => jobProcesses(runtime.pid).length === 0);

  // A last run: the runtime type-checks one run after another, so by its first batch every stopped run's
  // compile has long finished; had one gone on, its process would be here too.
  await runButton(page).click();
  await batchFigures(page).first().waitFor({ timeout: 120_000 });
  expect(jobProcesses(runtime.pid).length).toBe(1);
  await screenshot(page, 'stop-03-last-run');
  await stop.click();
  await expect.poll(() => status(page), { timeout: 60_000 }).toBe('stopped');
  await until(() => jobProcesses(runtime.pid).length === 0);
  // The stopped run's output stays until the next Run.
  expect(await batchFigures(page).count()).toBeGreaterThan(0);
}
