/**
 * The workbench's frame at the window sizes a learner has (1024×700, 1280×800, 1440×900), on a fresh
 * `streamlab start` and lesson 03 with its own data: the editor grows with the window and shows at
 * least 15 lines at the smallest size, nothing the editor draws covers the panel tabs (a click on a
 * tab opens it), topic names wrap between their parts and never inside a word, the Timeline draws the
 * solution's two queries (console and report) with every window in its sensor's lane, and the line
 * that says what the lesson's data does goes once the run stops. At 1024×700 the Timeline's axis and
 * legend, the first row of a Database result and the step the outline picks from the keyboard are inside
 * the window, and with the Timeline open during a manual-clock run the editor still shows twelve lines.
 * Every step title shows whole in the outline at every size (a long one wraps). Screenshots land in
 * test-results/journey/layout/; the visible editor lines per size go to the console.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { launchChromium } from '../e2e/browser.js';
import { buildWorkbench } from './build.js';
import { startStreamlab, type Streamlab } from './streamlab.js';
import { lessonFile, pasteCode, runButton, snap, stopRun, tab, windowLanes, type Viewport } from './learner.js';

const LESSON = '03-structured-windows';
const SIZES: Viewport[] = [
  { name: 'layout/1024x700', width: 1024, height: 700 },
  { name: 'layout/1280x800', width: 1280, height: 800 },
  { name: 'layout/1440x900', width: 1440, height: 900 },
];
const SENSORS = ['sensor-1', 'sensor-2', 'sensor-3'];

let browser: Browser;
let streamlab: Streamlab;
let context: BrowserContext;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  buildWorkbench();
  [browser, streamlab] = await Promise.all([launchChromium(), startStreamlab()]);
  context = await browser.newContext({ viewport: { width: SIZES[0]!.width, height: SIZES[0]!.height } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: streamlab.origin });
  page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await streamlab?.stop();
});

/** Whole editor lines inside the editor's visible box, and the editor's height in CSS pixels. */
async function editorLines(p: Page): Promise<{ lines: number; height: number }> {
  return p.locator('sl-editor .monaco-editor').evaluate((el) => {
    const box = el.getBoundingClientRect();
    const first = el.querySelector('.view-line');
    const lineHeight = first ? first.getBoundingClientRect().height : 19;
    // The part of the editor inside the window: what a learner can see without scrolling the page.
    const visible = Math.min(box.bottom, el.ownerDocument.defaultView!.innerHeight) - Math.max(box.top, 0);
    return { lines: Math.floor(visible / lineHeight), height: Math.round(visible) };
  });
}

/** Monaco's line elements wholly inside the editor's visible box (and the window): the lines a learner reads. */
async function shownLineElements(p: Page): Promise<number> {
  return p.locator('sl-editor .monaco-editor').evaluate((el) => {
    const box = el.getBoundingClientRect();
    const top = Math.max(box.top, 0);
    const bottom = Math.min(box.bottom, el.ownerDocument.defaultView!.innerHeight);
    return [...el.querySelectorAll('.lines-content .view-lines .view-line')]
      .map((line) => line.getBoundingClientRect())
      .filter((r) => r.height > 0 && r.top >= top && r.bottom <= bottom).length;
  });
}

/** The outline's button: it names the current step. */
const outlineButton = (p: Page): Locator => p.getByRole('button', { name: /^Lesson outline: step / });

/**
 * The step titles the outline cuts: the outline's button (the current step) and, with its list opened from
 * the keyboard, every step in the list, where a text wider or taller than its box (cut, not wrapped) counts
 * as cut. Closes the list again with Escape, which leaves the focus on the button.
 */
async function outlineCuts(p: Page): Promise<string[]> {
  const cutOf = (el: unknown): string[] => {
    const e = el as { scrollWidth: number; clientWidth: number; scrollHeight: number; clientHeight: number; textContent: string | null };
    return e.scrollWidth > e.clientWidth || e.scrollHeight > e.clientHeight ? [e.textContent ?? ''] : [];
  };
  const button = outlineButton(p);
  const cut = await button.evaluate(cutOf);
  await button.focus();
  await p.keyboard.press('Enter');
  const list = p.getByRole('list', { name: 'Steps of this lesson' });
  await list.waitFor();
  for (const item of await list.getByRole('button').all()) cut.push(...(await item.evaluate(cutOf)));
  await p.keyboard.press('Escape');
  await list.waitFor({ state: 'detached' });
  return cut;
}

/** Whether the element's whole box is inside the window (no scrolling needed to see it). */
async function inWindow(locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox();
  const size = locator.page().viewportSize()!;
  return !!box && box.height > 0 && box.y >= 0 && box.x >= 0 && box.y + box.height <= size.height && box.x + box.width <= size.width;
}

/** The element a click at the centre of each panel tab lands on is that tab. */
async function tabsTakeTheirClicks(p: Page): Promise<Record<string, boolean>> {
  return p.locator('sl-panels').evaluate((panels) => {
    const result: Record<string, boolean> = {};
    for (const t of [...panels.shadowRoot!.querySelectorAll('[role="tab"]')]) {
      const r = t.getBoundingClientRect();
      let hit = panels.ownerDocument.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
      while (hit?.shadowRoot) {
        const inner = hit.shadowRoot.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
        if (!inner || inner === hit) break;
        hit = inner;
      }
      result[t.id] = hit === t || t.contains(hit);
    }
    return result;
  });
}

describe.sequential('the workbench frame', () => {
  it('opens lesson 03: at each size the editor grows with the window and leaves the panel tabs their clicks', async () => {
    await page.goto(`${streamlab.url}#/lesson/${LESSON}`);
    await page.getByText('Runtime: Connected').waitFor({ timeout: 60_000 });
    await page.locator('sl-editor .monaco-editor .view-lines').waitFor({ timeout: 60_000 });
    const measured: Record<string, { lines: number; height: number }> = {};
    for (const size of SIZES) {
      await page.setViewportSize({ width: size.width, height: size.height });
      await expect.poll(async () => (await editorLines(page)).height, { timeout: 10_000 }).toBeGreaterThan(0);
      // Monaco relayouts on the resize: read once the height has settled.
      let last = -1;
      await expect.poll(async () => {
        const now = (await editorLines(page)).height;
        const settled = now === last;
        last = now;
        return settled;
      }, { timeout: 10_000, interval: 300 }).toBe(true);
      measured[size.name] = await editorLines(page);
      expect(Object.values(await tabsTakeTheirClicks(page)).every(Boolean)).toBe(true);
      // Every step's title shows whole in the outline at every size: a long one wraps.
      expect(await outlineCuts(page)).toEqual([]);
      await snap(page, size, 'lesson');
    }
    console.log(`layout: visible editor lines ${JSON.stringify(measured)}`);
    const [small, middle, large] = SIZES.map((s) => measured[s.name]!);
    expect(small!.lines).toBeGreaterThanOrEqual(15);
    // Grows with the window: every larger window shows more lines.
    expect(middle!.lines).toBeGreaterThan(small!.lines);
    expect(large!.lines).toBeGreaterThan(middle!.lines);
    // A click on a tab opens its panel at the smallest size too.
    await page.setViewportSize({ width: 1024, height: 700 });
    await tab(page, 'Topics').click({ trial: false });
    await expect.poll(() => tab(page, 'Topics').getAttribute('aria-selected')).toBe('true');
  });

  it('shows topic names whole on one line or wrapped after a dot, never inside a word', async () => {
    await tab(page, 'Topics').click();
    const cell = page.getByRole('cell', { name: 'sensors.temperature', exact: true });
    await cell.waitFor({ timeout: 30_000 });
    // The text's line boxes: one for the name on a line, or 'sensors.' then 'temperature'.
    const lines = await cell.evaluate((td) => {
      const doc = td.ownerDocument;
      const rows = new Map<number, string>();
      // Text nodes only (4 = NodeFilter.SHOW_TEXT).
      const walker = doc.createTreeWalker(td, 4);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const text = n.textContent ?? '';
        for (let i = 0; i < text.length; i++) {
          const r = doc.createRange();
          r.setStart(n, i);
          r.setEnd(n, i + 1);
          const top = Math.round(r.getBoundingClientRect().top);
          rows.set(top, (rows.get(top) ?? '') + text[i]);
        }
      }
      return [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([, t]) => t);
    });
    expect([['sensors.temperature'], ['sensors.', 'temperature']]).toContainEqual(lines);
    await snap(page, SIZES[0]!, 'topics');
  });

  it('draws the solution\'s console and report queries with every window in its sensor\'s lane, and drops the data line when the run stops', async () => {
    await pasteCode(page, lessonFile(LESSON, 'solution.ts'));
    await page.getByRole('radio', { name: 'Manual' }).check();
    await runButton(page).click();
    const played = page.getByRole('status', { name: 'Data played' });
    await expect.poll(() => played.textContent(), { timeout: 90_000 }).toMatch(/^The lesson's \d+ records arrive as the clock reaches their arrival times\.$/);
    // Two minutes of the lesson's time: its readings arrive, windows fill and the watermark closes the first ones.
    const advance = page.getByRole('button', { name: /^\+/ }).first();
    await expect.poll(() => advance.isEnabled(), { timeout: 60_000 }).toBe(true);
    for (let i = 0; i < 12; i++) await advance.click();
    // While the run runs the controls say more (the clock, the trigger's note, the data line): the editor still shows its lines.
    const running = await editorLines(page);
    console.log(`layout: visible editor lines at 1024x700 while running ${JSON.stringify(running)}`);
    await snap(page, SIZES[0]!, 'running');
    await tab(page, 'Timeline').click();
    await expect.poll(async () => (await windowLanes(page)).length, { timeout: 60_000 }).toBeGreaterThan(0);
    // The Timeline open during a manual-clock run (controls at their fullest) still leaves the editor twelve lines.
    const withTimeline = await shownLineElements(page);
    console.log(`layout: editor line elements at 1024x700 with the Timeline open while running: ${withTimeline}`);
    expect(withTimeline).toBeGreaterThanOrEqual(12);
    const queries = page.getByRole('radiogroup', { name: 'Query' }).getByRole('radio');
    await expect.poll(() => queries.count(), { timeout: 30_000 }).toBe(2);
    for (let q = 0; q < 2; q++) {
      await queries.nth(q).check();
      await expect.poll(async () => (await windowLanes(page)).length, { timeout: 30_000 }).toBeGreaterThan(0);
      const boxes = await windowLanes(page);
      expect(boxes.filter((b) => b.lane !== b.key)).toEqual([]);
      expect([...new Set(boxes.map((b) => b.key))].sort()).toEqual(SENSORS);
      await snap(page, SIZES[0]!, `timeline-query-${q}`);
    }
    // At 1024×700 the Timeline shows the whole picture: its lanes, its time axis and its legend are in the window.
    await page.getByRole('radiogroup', { name: 'Query' }).getByRole('radio').first().check();
    await expect.poll(() => inWindow(page.locator('sl-timeline g.axis').first()), { timeout: 10_000 }).toBe(true);
    expect(await inWindow(page.locator('sl-timeline').getByLabel('Legend'))).toBe(true);
    await snap(page, SIZES[0]!, 'timeline-whole');
    // The Database panel's answer: the first row of the result is in the window, under the query.
    await tab(page, 'Database').click();
    const query = page.getByRole('region', { name: 'Query' });
    await query.getByRole('textbox').fill("select 'sensor-1' as node_name, 21.5 as avg_temp union all select 'sensor-2', 22.0");
    await query.getByRole('button', { name: 'Run query' }).click();
    const firstRow = query.getByRole('row').nth(1);
    await expect.poll(() => firstRow.textContent(), { timeout: 30_000 }).toBe('sensor-121.5');
    expect(await inWindow(firstRow)).toBe(true);
    await snap(page, SIZES[0]!, 'database');
    // The larger windows give both panels more room, and the same whole picture.
    for (const size of SIZES.slice(1)) {
      await page.setViewportSize({ width: size.width, height: size.height });
      await tab(page, 'Timeline').click();
      await expect.poll(() => inWindow(page.locator('sl-timeline g.axis').first()), { timeout: 10_000 }).toBe(true);
      expect(await inWindow(page.locator('sl-timeline').getByLabel('Legend'))).toBe(true);
      await snap(page, size, 'timeline-whole');
      await tab(page, 'Database').click();
      await expect.poll(() => inWindow(firstRow), { timeout: 10_000 }).toBe(true);
      await snap(page, size, 'database');
    }
    await page.setViewportSize({ width: SIZES[0]!.width, height: SIZES[0]!.height });
    await tab(page, 'Output').click();
    // The last step, chosen from the keyboard: the outline's list opens on the current step, End goes to
    // the last, Enter picks it. The outline then names it whole and the step's heading is in the window.
    await outlineButton(page).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('sl-step-outline').evaluate((el) => {
      type Focusable = { shadowRoot: { activeElement: Focusable | null } | null; getAttribute(name: string): string | null };
      return (el as unknown as Focusable).shadowRoot?.activeElement?.getAttribute('aria-current');
    })).toBe('step');
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('article', { name: 'Lesson text' }).getByRole('heading', { level: 2 }).textContent()).toBe('Step 7: check');
    expect(await inWindow(page.getByRole('article', { name: 'Lesson text' }).getByRole('heading', { level: 2 }))).toBe(true);
    expect(await outlineButton(page).textContent()).toContain('8/8 · Step 7: check');
    expect(await outlineCuts(page)).toEqual([]);
    await snap(page, SIZES[0]!, 'outline');
    await stopRun(page);
    expect(await played.count()).toBe(1);
    expect(await played.textContent()).toBe('');
    await snap(page, SIZES[0]!, 'stopped');
    expect(errors).toEqual([]);
  });
});
