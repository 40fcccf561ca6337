/**
 * What a learner does with the workbench, as Playwright actions on what the page shows: roles, names
 * and text. The only reads below the surface are the editor's own files (what the learner typed, as
 * the editor holds it) and the Timeline's drawn geometry (which lane a window box sits in).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { repoRoot } from '../e2e/runtime-process.js';

/** Where the walk's screenshots and figures go (git-ignored, next to the e2e tier's). */
export const artifactsDir = join(repoRoot, 'test-results', 'journey');

/** A window size the walk runs at. */
export interface Viewport {
  name: string;
  width: number;
  height: number;
}

/** Saves what the learner sees now (the viewport, as on their screen) as `<viewport>/<name>.png`. */
export async function snap(page: Page, viewport: Viewport, name: string): Promise<string> {
  const dir = join(artifactsDir, viewport.name);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Figures the walk measures (not asserted), written next to the screenshots. */
export const figures: Record<string, number> = {};
export function saveFigures(): void {
  mkdirSync(artifactsDir, { recursive: true });
  writeFileSync(join(artifactsDir, 'figures.json'), JSON.stringify(figures, null, 2) + '\n');
}

/** A lesson's source files, as the repository has them. */
export function lessonFile(lessonId: string, file: string): string {
  return readFileSync(join(repoRoot, 'lessons', lessonId, file), 'utf8');
}

/** The lesson's title and its `## ` headings, from lesson.md. */
export function lessonOutline(lessonId: string): { title: string; headings: string[] } {
  const md = lessonFile(lessonId, 'lesson.md');
  const title = /^title: (.+)$/m.exec(md)?.[1]?.trim() ?? lessonId;
  const body = md.replace(/^---\n[\s\S]*?\n---\n/, '');
  const headings = [...body.matchAll(/^## (.+)$/gm)].map((m) => m[1]!.trim());
  return { title, headings };
}

/** The editor's files as the editor holds them. */
export async function editorFiles(page: Page): Promise<{ path: string; content: string }[]> {
  return page.locator('sl-editor').evaluate((el) => (el as unknown as { getFiles(): { path: string; content: string }[] }).getFiles());
}

/** The code of the file open in the editor (its selected tab), as the editor holds it. */
export async function openFileCode(page: Page): Promise<string | undefined> {
  return page.locator('sl-editor').evaluate((el) => {
    const editor = el as unknown as { getFiles(): { content: string }[]; shadowRoot: { querySelector(selector: string): { id: string } | null } | null };
    const selected = editor.shadowRoot?.querySelector('[role="tab"][aria-selected="true"]');
    return editor.getFiles()[selected ? Number(selected.id.replace(/^tab-/, '')) : 0]?.content;
  });
}

/**
 * Replaces the code in the editor the way a learner pastes a solution they wrote elsewhere: click into
 * the editor, select all, paste from the clipboard. Returns once the editor holds the pasted code, so a
 * Run or Check pressed next sends it and not the code before.
 */
export async function pasteCode(page: Page, code: string): Promise<void> {
  await page.evaluate((text) => (globalThis as unknown as { navigator: { clipboard: { writeText(t: string): Promise<void> } } }).navigator.clipboard.writeText(text), code);
  // Into the first visible line, right of the line numbers: the middle of Monaco's text layer may lie
  // below the editor's visible part on a small window.
  await page.locator('sl-editor .monaco-editor').click({ position: { x: 90, y: 12 } });
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+V');
  await expect.poll(() => openFileCode(page), { timeout: 30_000 }).toBe(code);
}

/** The tab of a panel under the editor. */
export function tab(page: Page, name: string): Locator {
  return page.getByRole('tablist', { name: 'Panels' }).getByRole('tab', { name: new RegExp(`^${name}`) });
}

/** The Run button. */
export function runButton(page: Page): Locator {
  return page.getByRole('button', { name: 'Run', exact: true });
}

/** What Output says while it holds nothing of the current run: before a run, or while it starts. */
export function outputNote(page: Page): Locator {
  return page.getByRole('tabpanel', { name: /^Output/ }).locator('sl-output-panel').getByRole('status');
}

/**
 * Presses Run with Output open, and sees Output turn to the new run: the run before's batches leave at
 * once and Output says the new run is starting, so every batch it shows from then on is this run's.
 */
export async function pressRun(page: Page): Promise<void> {
  await tab(page, 'Output').click();
  await expect.poll(() => runButton(page).isEnabled(), { timeout: 60_000 }).toBe(true);
  // Pressed and read in one go in the page: the press and the panels' updates are one task and its
  // microtasks, so no message from the runtime (each its own task) comes in between, and a fast run's
  // first batch cannot replace the note before it is read.
  type Root = { querySelectorAll(selector: string): ArrayLike<Node> };
  type Node = Root & { shadowRoot: Root | null; localName: string; textContent: string | null; getAttribute(name: string): string | null; updateComplete?: Promise<unknown> };
  const shown = await runButton(page).evaluate(async (button) => {
    const deep = (root: Root): Node[] => Array.from(root.querySelectorAll('*')).flatMap((e) => [e, ...(e.shadowRoot ? deep(e.shadowRoot) : [])]);
    const document = (globalThis as unknown as { document: Root }).document;
    (button as unknown as { click(): void }).click();
    for (let round = 0; round < 4; round++) {
      for (const e of deep(document)) await e.updateComplete;
    }
    const panel = deep(document).find((e) => e.localName === 'sl-output-panel');
    const inside = panel?.shadowRoot ? deep(panel.shadowRoot) : [];
    return {
      figures: inside.filter((e) => e.getAttribute('role') === 'figure').length,
      note: inside.find((e) => e.getAttribute('role') === 'status')?.textContent?.trim() ?? null,
    };
  });
  expect(shown.figures).toBe(0);
  expect(shown.note).toMatch(/^(Starting a new run: (compiling your code|its process is loading)…|The run waits for a free slot on the runtime; it starts when one is free\.)$/);
}

/** Stops the run (when one is active) and waits until Run can start another. */
export async function stopRun(page: Page): Promise<void> {
  const stop = page.getByRole('button', { name: 'Stop', exact: true });
  // A run may end by itself between the look and the click.
  if (await stop.isEnabled()) await stop.click({ timeout: 5_000 }).catch(() => {});
  await expect.poll(() => stop.isDisabled(), { timeout: 60_000 }).toBe(true);
  await expect.poll(() => runButton(page).isEnabled(), { timeout: 60_000 }).toBe(true);
}

/** The micro-batch tables in Output. */
export function batchFigures(page: Page): Locator {
  return page.getByRole('figure', { name: /^Batch \d+/ });
}

/** The processing time the run controls show. */
export function processingTime(page: Page): Promise<string | null> {
  return page.getByLabel('Processing time').textContent();
}

/** One result line of the Checks panel: its verdict, its whole text, and the message under the check's name. */
export interface CheckLine {
  passed: boolean;
  text: string;
  message: string;
}

/** The check results the Checks panel lists. */
export async function checkLines(page: Page): Promise<CheckLine[]> {
  const items = page.getByRole('list', { name: 'Check results' }).getByRole('listitem');
  return items.evaluateAll((els) => els.map((e) => ({
    passed: (e.textContent ?? '').includes('✓ Pass'),
    text: (e.textContent ?? '').replace(/\s+/g, ' ').trim(),
    message: (e.querySelector('.message')?.textContent ?? '').replace(/\s+/g, ' ').trim(),
  })));
}

/** Texts a check message must never show a learner. */
export const UNREADABLE = [
  /\\n/, // escaped newlines
  /import_streamlab|__vite|\.default\./, // bundler names
  /AssertionError|expected \[|to deeply equal|to strictly equal/, // assertion-library wording
  /\b0 expected rows are missing and 0 rows are not expected/, // a difference that names no row
];

/** Where each window box of the structured Timeline sits: its key and the label of the lane it is drawn in. */
export async function windowLanes(page: Page): Promise<{ key: string; lane: string; start: string }[]> {
  return page.locator('sl-timeline').evaluate((el) => {
    const root = el.shadowRoot!;
    const lanes = [...root.querySelectorAll('rect.lane-bg')].map((r, i) => ({
      y: Number(r.getAttribute('y')),
      h: Number(r.getAttribute('height')),
      label: root.querySelectorAll('text.lane-label')[i]?.textContent ?? '',
    }));
    return [...root.querySelectorAll('g.window-box')].map((g) => {
      const rect = g.querySelector('rect')!;
      const y = Number(rect.getAttribute('y')) + Number(rect.getAttribute('height')) / 2;
      const lane = lanes.find((l) => y >= l.y && y <= l.y + l.h);
      return { key: g.getAttribute('data-key') ?? '', lane: lane?.label ?? '(outside every lane)', start: new Date(Number(g.getAttribute('data-start'))).toISOString().slice(11, 19) };
    });
  });
}

/** The lane labels of the Timeline (structured or DStream). */
export async function laneLabels(page: Page): Promise<string[]> {
  return page.locator('sl-timeline').evaluate((el) => [...el.shadowRoot!.querySelectorAll('text.lane-label')].map((t) => t.textContent ?? ''));
}

/** The DStream Timeline's batch bands: label and record count, as drawn. */
export async function dstreamBands(page: Page): Promise<string[]> {
  return page.locator('sl-timeline').evaluate((el) => [...el.shadowRoot!.querySelectorAll('text.band-label')].map((t) => t.textContent ?? ''));
}

/** Whether two boxes overlap (a part of the page drawn over another). */
export function overlaps(a: { x: number; y: number; width: number; height: number }, b: { x: number; y: number; width: number; height: number }): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}
