/**
 * A class in Chromium for the instructor's e2e tests: `streamlab start` with a roster of two students
 * and an instructor token, one Chromium, and a browser context per person (each student on lesson 03
 * with their own token, the dashboard with the instructor's). The hooks it registers start and stop it
 * all, whatever the test did.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { databaseUrl, kafkaBootstrap } from '../services/inject.js';
import { buildWorkbench } from '../journey/build.js';
import { launchChromium } from './browser.js';
import { startRuntime, type RuntimeProcess } from './runtime-process.js';

export const INSTRUCTOR = 'instructor-token-3d7a9c1e5b20';
export const ROSTER = { ada: 'ada-token-0c6e2b9f4a81', grace: 'grace-token-8f1a5d3c7e62' };

/** What a test of the class uses; valid inside its tests (after beforeAll). */
export interface RosterClass {
  /** A student's workbench on lesson 03; page errors go to `errors`. */
  student(token: string, errors: string[]): Promise<Page>;
  /** The instructor's dashboard in a context of its own; page errors go to `errors`. */
  dashboard(viewport: { width: number; height: number }, errors: string[]): Promise<Page>;
}

/** Registers the hooks that start the class before the file's tests and stop it after. */
export function rosterClass(): RosterClass {
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

  const context = async (viewport: { width: number; height: number }) => {
    const c = await browser.newContext({ viewport });
    contexts.push(c);
    return c;
  };

  return {
    async student(token, errors) {
      const c = await context({ width: 1400, height: 1000 });
      await c.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: runtime.origin });
      const page = await c.newPage();
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${runtime.origin}/?token=${token}`);
      await page.getByText('Runtime: Connected').waitFor();
      await page.getByRole('link', { name: /Event-time windows with Structured Streaming/ }).click();
      await page.locator('sl-editor .monaco-editor .view-lines').waitFor();
      return page;
    },
    async dashboard(viewport, errors) {
      const page = await (await context(viewport)).newPage();
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${runtime.origin}/instructor?token=${INSTRUCTOR}`);
      return page;
    },
  };
}
