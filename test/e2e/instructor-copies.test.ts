/**
 * Copies and comments in Chromium against `streamlab start` with a class roster: Ada checks lesson 03's
 * solution in her workbench, Grace checks the same code with other names and comments. The dashboard,
 * in a context of its own, puts them in one plan group flagged as possible copies and shows both codes
 * side by side; the instructor's comment to the group appears in both students' workbenches.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { pasteCode } from '../journey/learner.js';
import { screenshot } from './browser.js';
import { ROSTER, rosterClass } from './roster-class.js';

const klass = rosterClass();

const solution = readFileSync(fileURLToPath(new URL('../../lessons/03-structured-windows/solution.ts', import.meta.url)), 'utf8');
/** The solution with other names, comments and layout: the same plan. */
const disguised = solution.replace(/(const|return) readings/g, '$1 rows').replace(/\/\*\*[\s\S]*?\*\//g, '// mine');

it('flags a copied pair in a plan group and sends one comment that both students see', { timeout: 600_000 }, async () => {
  const errors: string[] = [];
  const ada = await klass.student(ROSTER.ada, errors);
  const grace = await klass.student(ROSTER.grace, errors);
  for (const [page, code] of [[ada, solution], [grace, disguised]] as const) {
    await pasteCode(page, code);
    await page.getByRole('button', { name: 'Check', exact: true }).click();
  }
  const dashboard = await klass.dashboard({ width: 1500, height: 1000 }, errors);
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
