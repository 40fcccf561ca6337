/**
 * Headless Chromium for the e2e tier: Debian's `chromium` (or STREAMLAB_CHROMIUM) driven by
 * playwright-core, with the flags that keep it quiet and sandbox-free in containers.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot } from './runtime-process.js';

/** Launches the browser; fails with how to install it when it is missing. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.STREAMLAB_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(`No Chromium at ${executablePath}. Install it (apt-get install -y chromium) or set STREAMLAB_CHROMIUM.`);
  }
  return chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/** Saves a screenshot under test-results/ (git-ignored). */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = join(repoRoot, 'test-results', 'e2e');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}
