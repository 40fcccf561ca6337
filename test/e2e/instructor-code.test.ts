/**
 * The instructor sees where each learner is and what they wrote, in Chromium against `streamlab start`
 * with a class roster: two students open lesson 03 in the workbench with their own tokens, each in a
 * browser context of their own; Ada moves to the third step and pastes code. The dashboard, in a third
 * context with the instructor's token, shows each one's step (number, title, and for how long) and time
 * spent, and "View code" opens Ada's code read-only, following her edit; Grace's view holds none of it.
 */
import { expect, it } from 'vitest';
import { pasteCode } from '../journey/learner.js';
import { screenshot } from './browser.js';
import { ROSTER, rosterClass } from './roster-class.js';

const ADA_MARK = 'ada-wrote-this-5e1b7c';
/** A duration as the dashboard writes it: "7 s", "2 min" or "1 h 3 min", however slow the machine. */
const SPAN = '(?:\\d+ s|\\d+ min|\\d+ h \\d+ min)';
const klass = rosterClass();

it('shows each student\'s step and time spent, and a student\'s code read-only to the instructor', { timeout: 600_000 }, async () => {
  const errors: string[] = [];
  const ada = await klass.student(ROSTER.ada, errors);
  const grace = await klass.student(ROSTER.grace, errors);
  // Ada moves on twice: the third step.
  await ada.getByRole('button', { name: 'Next', exact: true }).click();
  await ada.getByRole('button', { name: 'Next', exact: true }).click();
  const adaTitle = (await ada.locator('article h2').first().textContent())!.trim();
  const graceTitle = (await grace.locator('article h2').first().textContent())!.trim();
  expect(adaTitle).not.toBe(graceTitle);

  const dashboard = await klass.dashboard({ width: 1500, height: 900 }, errors);
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
