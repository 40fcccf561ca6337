/**
 * Streamlab in a tab: the static build (`npm run build:static`) served by a plain static file server
 * from a sub-path, with every other request blocked, runs lesson 03's starter on the manual clock in the
 * browser alone: Output shows its batches, the Timeline draws the lesson's windows in their sensors'
 * lanes, Topics lists the lesson's topics with offsets, and the panels that need the runtime say so.
 * Lessons 01–04 are then checked as a learner checks them: Check fails every check of the starter with
 * the lesson's points, passes every check of the solution, Run of the solution on the system clock shows
 * the lesson's data, and a reload keeps the code and the check results. Lesson 04's Kafka requires SASL
 * in the tab too: a run that does not authenticate is told so in Output.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot } from './browser.js';
import { repoRoot } from './runtime-process.js';
import { batchFigures, checkLines, editorFiles, laneLabels, lessonFile, lessonOutline, pasteCode, processingTime, runButton, stopRun, tab, windowLanes } from '../journey/learner.js';
import { findLesson, loadLessons } from '../../runtime/src/lessons/load-lessons.js';
import { planLessonData } from '../../runtime/src/lessons/lesson-data.js';
import { partitionForKey } from '../../runtime/src/engine/kafka-client/murmur2.js';

const SITE = join(repoRoot, 'workbench', 'dist-static');
const PREFIX = '/courses/streamlab/';
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.ttf': 'font/ttf', '.json': 'application/json', '.svg': 'image/svg+xml' };
const SENSORS = ['sensor-1', 'sensor-2', 'sensor-3'];
/** How many records the lesson's data set plays. */
async function recordsOf(id: string): Promise<number> {
  return planLessonData(findLesson(await loadLessons(join(repoRoot, 'lessons')), id)!).datasets.reduce((n, d) => n + d.records.length, 0);
}

/** The `count` column of the newest console batch in Output, summed: lesson 04's counts by origin. */
async function newestCountTotal(page: Page): Promise<number> {
  const texts = await batchFigures(page).allTextContents();
  const newest = texts.map((t) => ({ batch: Number(/Batch: (\d+)/.exec(t)?.[1] ?? -1), t })).sort((a, b) => b.batch - a.batch)[0];
  return [...(newest?.t ?? '').matchAll(/\|kafka-test-app-\d[^|]*\|\s*(\d+)\|/g)].reduce((n, m) => n + Number(m[1]), 0);
}

/** The lessons checked in the tab, with their checks' points (front matter) and what Output shows when their solution runs on the system clock. */
const CHECKED = await (async () => {
  const all = await loadLessons(join(repoRoot, 'lessons'));
  const [readings02, events04] = [await recordsOf('02-dstream-temperature'), await recordsOf('04-report-topic-and-output-modes')];
  const consoleLog = (page: Page) => page.getByRole('log', { name: 'Console' });
  const shows: Record<string, (page: Page) => Promise<void>> = {
    '01-kafka-basics': (page) => page.locator('sl-output-panel').getByText(/report:0:\d+: key=sensor-\d value=/).first().waitFor({ timeout: 120_000 }),
    // pprint of each sensor's sliding average, and of countByWindow once every reading has arrived.
    '02-dstream-temperature': async (page) => {
      await expect.poll(async () => ((await consoleLog(page).textContent()) ?? '').split('\n').filter((l) => /^\('sensor-\d', \d+(\.\d+)?\)$/.test(l)).map((l) => l.slice(2, 10)).sort().filter((k, i, a) => a.indexOf(k) === i), { timeout: 120_000 }).toEqual(SENSORS);
      await expect.poll(async () => ((await consoleLog(page).textContent()) ?? '').split('\n'), { timeout: 120_000 }).toContain(String(readings02));
      expect(await consoleLog(page).textContent()).toMatch(/^Time: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/m);
    },
    '03-structured-windows': (page) => page.locator('sl-output-panel').getByText(/Batch: 0/).first().waitFor({ timeout: 120_000 }),
    // Its Kafka requires SASL, which the solution gives: the complete table ends up counting every event.
    '04-report-topic-and-output-modes': async (page) => {
      await expect.poll(() => newestCountTotal(page), { timeout: 120_000 }).toBe(events04);
    },
  };
  return Object.entries(shows).map(([id, output]) => ({ id, output, points: findLesson(all, id)!.points }));
})();
const MINUTE_MS = 60_000;

/** Lesson 03's data as a runtime plays it: the records and where the manual clock starts. */
const LESSON_03 = await (async () => {
  const plan = planLessonData(findLesson(await loadLessons(join(repoRoot, 'lessons')), '03')!);
  return { clockStartMs: plan.clockStartMs!, records: plan.datasets.flatMap((d) => d.records) };
})();

/**
 * What lesson 03's starter holds once the clock reached `clockMs` in 10-second steps: it groups by Kafka's
 * timestamp, the arrival, so each (minute of arrival, sensor) counts the readings that arrived in it; and a
 * batch ran at the start when records had arrived by then, then one per step whose interval had arrivals.
 */
function starterAt(clockMs: number, stepMs: number) {
  const arrived = LESSON_03.records.filter((r) => r.arrivalMs <= clockMs);
  const windows: Record<string, number> = {};
  for (const r of arrived) {
    const key = `${new Date(Math.floor(r.arrivalMs / MINUTE_MS) * MINUTE_MS).toISOString().slice(11, 19)} ${r.key}`;
    windows[key] = (windows[key] ?? 0) + 1;
  }
  let batches = arrived.some((r) => r.arrivalMs <= LESSON_03.clockStartMs) ? 1 : 0;
  for (let t = LESSON_03.clockStartMs; t < clockMs; t += stepMs) if (arrived.some((r) => r.arrivalMs > t && r.arrivalMs <= t + stepMs)) batches++;
  return { windows, batches };
}

/** Per window start and sensor, the `readings` of the newest batch in Output that wrote it. */
function latestReadings(batches: string[]): Record<string, number> {
  const row = /\|\{\d{4}-\d{2}-\d{2} (\d{2}:\d{2}:\d{2}), [^}]*\}\|(sensor-\d)\s*\|[^|]*\|(\d+)\s*\|/g;
  const latest: Record<string, { batch: number; readings: number }> = {};
  for (const text of batches) {
    const batch = Number(/Batch: (\d+)/.exec(text)?.[1] ?? -1);
    for (const m of text.matchAll(row)) {
      const key = `${m[1]} ${m[2]}`;
      if (!latest[key] || latest[key].batch < batch) latest[key] = { batch, readings: Number(m[3]) };
    }
  }
  return Object.fromEntries(Object.entries(latest).map(([k, v]) => [k, v.readings]));
}

/** Files of `root` under `prefix`, nothing else: what any static host does. */
function staticServer(root: string, prefix: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (!path.startsWith(prefix)) return void res.writeHead(404).end();
    let file = normalize(join(root, path.slice(prefix.length)));
    if (!file.startsWith(root)) return void res.writeHead(403).end();
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    resolve({ server, origin: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` });
  }));
}

describe.sequential('the static build in a tab', () => {
  let browser: Browser;
  let page: Page;
  let site: { server: Server; origin: string };
  const outside: string[] = [];
  const errors: string[] = [];
  /** Measured on this cold load (not asserted), written to test-results/e2e/static-figures.json. */
  const figures: Record<string, number> = {};
  let loadStart = 0;

  beforeAll(async () => {
    execFileSync(process.execPath, [join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build', '--mode', 'static', '--logLevel', 'error'], {
      cwd: join(repoRoot, 'workbench'),
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: 'inherit',
    });
    site = await staticServer(SITE, PREFIX);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    // Only the static site answers: any other request (another origin, or outside the site's folder) fails.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(`${site.origin}${PREFIX}`)) return route.continue();
      outside.push(url);
      return route.abort('blockedbyclient');
    });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
  }, 600_000);

  afterAll(async () => {
    mkdirSync(join(repoRoot, 'test-results', 'e2e'), { recursive: true });
    writeFileSync(join(repoRoot, 'test-results', 'e2e', 'static-figures.json'), JSON.stringify(figures, null, 2) + '\n');
    await browser?.close();
    await new Promise((r) => site?.server.close(r));
  });

  it('opens from a sub-path with no runtime and lists the lessons', async () => {
    loadStart = Date.now();
    await page.goto(`${site.origin}${PREFIX}`);
    const list = page.getByRole('list', { name: 'Lessons' }).getByRole('link');
    const titles = ['01-kafka-basics', '02-dstream-temperature', '03-structured-windows'].map((id) => lessonOutline(id).title);
    await expect.poll(async () => (await list.allTextContents()).filter((t) => titles.some((title) => t.includes(title))).length, { timeout: 60_000 }).toBe(3);
    await screenshot(page, 'static-00-lessons');
  }, 120_000);

  it('runs lesson 03\'s starter on the manual clock: batches in Output, windows in the Timeline\'s sensor lanes', async () => {
    await page.getByRole('list', { name: 'Lessons' }).getByRole('link', { name: new RegExp(lessonOutline('03-structured-windows').title) }).click();
    await page.locator('sl-editor .monaco-editor .view-lines').waitFor();
    figures['cold load → lesson 03 in an interactive editor ms'] = Date.now() - loadStart;
    figures['bytes fetched by then'] = await page.evaluate(() => performance.getEntriesByType('resource').reduce((n, e) => n + ((e as unknown as { encodedBodySize?: number }).encodedBodySize ?? 0), 0));
    await page.getByRole('radio', { name: 'Manual' }).check();
    await runButton(page).click();
    const stepButton = page.getByRole('button', { name: 'Step', exact: true });
    await expect.poll(() => stepButton.isEnabled(), { timeout: 120_000 }).toBe(true);
    // The lesson's data starts at 10:00 on 2026-11-21, and so does processing time.
    await expect.poll(() => processingTime(page), { timeout: 60_000 }).toBe('Processing time: 2026-11-21 10:00:00 UTC');
    const advance = page.getByRole('button', { name: '+10 s', exact: true });
    for (let i = 0; i < 9; i++) {
      const before = await processingTime(page);
      await advance.click();
      await expect.poll(() => processingTime(page), { timeout: 60_000 }).not.toBe(before);
    }
    expect(await processingTime(page)).toBe('Processing time: 2026-11-21 10:01:30 UTC');
    const expected = starterAt(LESSON_03.clockStartMs + 90_000, 10_000);
    await tab(page, 'Output').click();
    // One batch per step that brought records, numbered from 0, each showing the windows as they stand.
    const batchIds = async () => (await batchFigures(page).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? '')))
      .map((n) => Number(/^Batch (\d+)/.exec(n)?.[1] ?? -1)).sort((a, b) => a - b);
    await expect.poll(batchIds, { timeout: 60_000 }).toEqual(Array.from({ length: expected.batches }, (_, i) => i));
    expect(latestReadings(await batchFigures(page).allTextContents())).toEqual(expected.windows);
    await screenshot(page, 'static-03-output');
    await tab(page, 'Timeline').click();
    await expect.poll(async () => (await windowLanes(page)).length, { timeout: 60_000 }).toBeGreaterThan(2);
    const boxes = await windowLanes(page);
    expect(boxes.filter((b) => b.lane !== b.key)).toEqual([]);
    expect([...new Set(boxes.map((b) => b.key))].sort()).toEqual(SENSORS);
    expect(await laneLabels(page)).not.toContain('(no key)');
    // A box per window the query holds, in its sensor's lane.
    expect(boxes.map((b) => `${b.start} ${b.key}`).sort()).toEqual(Object.keys(expected.windows).sort());
    await screenshot(page, 'static-03-timeline');
  }, 300_000);

  it('lists the lesson\'s topics with their offsets, and stops the run', async () => {
    await tab(page, 'Topics').click();
    // Each reading that arrived by 10:01:30 went to the partition Kafka's default partitioner gives its key.
    const offsets = [0, 0, 0];
    for (const r of LESSON_03.records.filter((x) => x.arrivalMs <= LESSON_03.clockStartMs + 90_000)) offsets[partitionForKey(new TextEncoder().encode(r.key!), 3)]!++;
    const temperature = page.getByRole('row', { name: /sensors\.temperature/ });
    await expect.poll(async () => ((await temperature.textContent()) ?? '').replace(/\s+/g, ' '), { timeout: 30_000 }).toMatch(new RegExp(`^sensors\\.temperature ?3 ?${offsets.join(', ')} `));
    await expect(page.getByRole('row', { name: /^report\b/ }).count()).resolves.toBe(1);
    await screenshot(page, 'static-03-topics');
    await stopRun(page);
  }, 120_000);

  it('refuses the network to learner code with the sandbox\'s sentence', async () => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.origin });
    await pasteCode(page, 'export function main() {\n  fetch("http://127.0.0.1:9/steal");\n}\n');
    await page.getByRole('radio', { name: 'System' }).check();
    await runButton(page).click();
    await tab(page, 'Output').click();
    await page.getByText('fetch is not available in a pipeline', { exact: false }).first().waitFor({ timeout: 120_000 });
    await screenshot(page, 'static-fetch-refused');
    await stopRun(page);
  }, 180_000);

  it('ends an endless loop with the runtime\'s message', async () => {
    await pasteCode(page, 'export function main() {\n  let n = 0;\n  while (true) n++;\n}\n');
    await runButton(page).click();
    await page.getByText(/This loop ran for more than 5 s without finishing, so the pipeline was stopped: check its condition\./).first().waitFor({ timeout: 180_000 });
    await screenshot(page, 'static-endless-loop');
    await stopRun(page);
  }, 240_000);

  it('refuses importScripts, WebSocket and XMLHttpRequest too, and Stop ends the run\'s worker', async () => {
    await pasteCode(page, [
      'export function main() {',
      '  const tries = [() => importScripts("http://127.0.0.1:9/x.js"), () => new WebSocket("ws://127.0.0.1:9"), () => new XMLHttpRequest()];',
      '  for (const t of tries) {',
      '    try { t(); } catch (e) { console.log("refused: " + (e as Error).message); }',
      '  }',
      '  setInterval(() => {}, 1000);',
      '}',
      '',
    ].join('\n'));
    await runButton(page).click();
    await tab(page, 'Output').click();
    for (const name of ['importScripts', 'WebSocket', 'XMLHttpRequest']) {
      await page.getByText(`refused: ${name} is not available in a pipeline: it reads and writes the lesson's topics through "streamlab", and reaches nothing else.`).first().waitFor({ timeout: 120_000 });
    }
    const runWorkers = () => page.workers().filter((w) => w.url().includes('run-worker')).length;
    expect(runWorkers()).toBe(1);
    await screenshot(page, 'static-network-refused');
    await stopRun(page);
    await expect.poll(runWorkers, { timeout: 30_000 }).toBe(0);
  }, 240_000);

  it('fails a check whose code reaches for the network, loops forever or awaits forever, with the sandbox\'s sentence, in lesson 02', async () => {
    await page.goto(`${site.origin}${PREFIX}`);
    await page.getByRole('list', { name: 'Lessons' }).getByRole('link', { name: new RegExp(lessonOutline('02-dstream-temperature').title) }).click();
    await page.locator('sl-editor .monaco-editor .view-lines').waitFor();
    const check = async () => {
      await page.locator('sl-lesson-view').getByRole('button', { name: 'Check', exact: true }).first().click();
      await tab(page, 'Checks').click();
      await page.getByText(/^\d+ of \d+ checks passed$/).waitFor({ timeout: 240_000 });
      return checkLines(page);
    };
    await pasteCode(page, [
      'export function temperatureJob() {',
      '  fetch("http://127.0.0.1:9/steal");',
      '}',
      'export function minuteReport() {',
      '  let n = 0;',
      '  while (true) n++;',
      '}',
      'export async function slidingAverages() {',
      '  await new Promise(() => {});',
      '}',
      '',
    ].join('\n'));
    const lines = await check();
    const byTitle = (words: string) => lines.find((l) => l.text.includes(words))!;
    expect(byTitle('one message per sensor').message).toContain('fetch is not available in a pipeline');
    expect(byTitle('one-minute window').message).toMatch(/This loop ran for more than 3 s without finishing/);
    // As the job process's check mode says it: the operation, the limit, and the line the code waits at.
    expect(byTitle('average over the last minute').message).toMatch(/^Your code: .+ did not finish within 20 s and was stopped: it waits at line 9 for an await that never resolves\.$/);
    expect(lines.map((l) => l.passed)).toEqual(lines.map(() => false));
    await screenshot(page, 'static-02-hostile-checks');
    expect(page.workers().filter((w) => w.url().includes('check-worker')).length).toBe(0);
  }, 600_000);

  it('keeps a check\'s program from the site\'s files, the page\'s channel and storage, and from what the check reads, in lesson 02', async () => {
    // Each attempt reports what it got; the first export throws them all, so the check shows them.
    await pasteCode(page, [
      'import * as streamlab from "streamlab";',
      'const g: any = globalThis;',
      'const site = new URL("./index.html", g.location.href).href;',
      'const tries: [string, () => unknown][] = [',
      '  ["eval", () => g.eval(`import("${site}")`)],',
      '  ["Function", () => new g.Function(`return import("${site}")`)],',
      '  ["function constructor", () => (function () {}).constructor(`return import("${site}")`)],',
      '  ["async constructor", () => (async function () {}).constructor("return 1")],',
      '  ["generator constructor", () => (function* () {}).constructor("return 1")],',
      '  ["string timer", () => setTimeout("postMessage(1)" as any, 0)],',
      '  ["postMessage", () => g.postMessage({ type: "reply", id: 2, ok: true, value: {} })],',
      '  ["postMessage\'s descriptor", () => {',
      '    const d = Object.getOwnPropertyDescriptor(g, "postMessage")!;',
      '    (d.get ? d.get.call(g) : d.value).call(g, { type: "reply", id: 2, ok: true, value: {} });',
      '  }],',
      '  ["a postMessage on its prototypes", () => {',
      '    for (let o = Object.getPrototypeOf(g); o; o = Object.getPrototypeOf(o)) {',
      '      const d = Object.getOwnPropertyDescriptor(o, "postMessage");',
      '      if (d) return (d.get ? d.get.call(g) : d.value).call(g, { type: "reply", id: 2, ok: true, value: {} });',
      '    }',
      '    throw new Error("none");',
      '  }],',
      '  ["indexedDB", () => g.indexedDB.open("streamlab")],',
      '  ["caches", () => g.caches.keys()],',
      '  ["storage", () => g.navigator.storage.getDirectory()],',
      '  ["cookies", () => g.cookieStore.getAll()],',
      '  ["localStorage", () => g.localStorage.getItem("streamlab")],',
      '  ["a font", () => new g.FontFace("x", `url(${site})`).load()],',
      '];',
      'const patches: [string, object, string][] = [',
      '  ["Array.prototype.push", Array.prototype, "push"],',
      '  ["JSON.stringify", JSON, "stringify"],',
      '  ["Promise.prototype.then", Promise.prototype, "then"],',
      '  ["the API\'s DataFrame.prototype.collect", (streamlab as any).DataFrame.prototype, "collect"],',
      '  ["MessageEvent.prototype.data", g.MessageEvent.prototype, "data"],',
      '];',
      'function outcome(name: string, fn: () => unknown): string {',
      '  try { fn(); return `${name}: REACHED`; } catch (e) { return `${name}: ${(e as Error).message}`; }',
      '}',
      'function patched(name: string, target: any, key: string): string {',
      '  const before = Object.getOwnPropertyDescriptor(target, key);',
      '  try { Object.defineProperty(target, key, { value: () => 0 }); } catch { return `${name}: unchanged`; }',
      '  const after = Object.getOwnPropertyDescriptor(target, key);',
      '  return `${name}: ${after?.value === before?.value && after?.get === before?.get ? "unchanged" : "CHANGED"}`;',
      '}',
      'export function temperatureJob() {',
      '  throw new Error([...tries.map(([n, f]) => outcome(n, f)), ...patches.map(([n, t, k]) => patched(n, t, k))].join(" ¦ "));',
      '}',
      'export function minuteReport() {}',
      'export function slidingAverages() {}',
      '',
    ].join('\n'));
    await page.locator('sl-lesson-view').getByRole('button', { name: 'Check', exact: true }).first().click();
    await tab(page, 'Checks').click();
    await page.getByText(/^\d+ of \d+ checks passed$/).waitFor({ timeout: 240_000 });
    const lines = await checkLines(page);
    const thrown = lines.find((l) => l.text.includes('one message per sensor'))!.message;
    const outcomes = Object.fromEntries(thrown.slice(thrown.indexOf('eval: ')).split(' ¦ ').map((o) => {
      const at = o.indexOf(': ');
      return [o.slice(0, at), o.slice(at + 2)];
    }));
    const refused = (name: string) => `${name} is not available in a pipeline: it reads and writes the lesson's topics through "streamlab", and reaches nothing else.`;
    const fromStrings = 'Pipelines cannot turn strings into code (eval, new Function).';
    expect(outcomes).toEqual({
      eval: fromStrings,
      Function: fromStrings,
      // Frozen by lockdown() with its own sentence: no string becomes code either way.
      'function constructor': 'Function.prototype.constructor is not a valid constructor.',
      'async constructor': 'Function.prototype.constructor is not a valid constructor.',
      'generator constructor': 'Function.prototype.constructor is not a valid constructor.',
      'string timer': fromStrings,
      postMessage: refused('postMessage'),
      'postMessage\'s descriptor': refused('postMessage'),
      // The worker's global scope holds its operations itself (WebIDL's [Global]), and the copy there is refused.
      'a postMessage on its prototypes': 'none',
      indexedDB: refused('indexedDB'),
      caches: refused('caches'),
      storage: refused('navigator'),
      cookies: refused('cookieStore'),
      // A worker has no localStorage (nor cookies): nothing to reach.
      localStorage: 'Cannot read properties of undefined (reading \'getItem\')',
      'a font': refused('FontFace'),
      'Array.prototype.push': 'unchanged',
      'JSON.stringify': 'unchanged',
      'Promise.prototype.then': 'unchanged',
      'the API\'s DataFrame.prototype.collect': 'unchanged',
      // A host object the worker may change: the worker read the page's operations with the getter it kept.
      'MessageEvent.prototype.data': 'CHANGED',
    });
    // The other checks ran in workers of their own and failed on their own terms.
    expect(lines.map((l) => l.passed)).toEqual(lines.map(() => false));
    expect(lines.filter((l) => !l.text.includes('one message per sensor')).every((l) => l.message.length > 0 && !l.message.includes('REACHED'))).toBe(true);
    await screenshot(page, 'static-02-check-lockdown');
    expect(page.workers().filter((w) => w.url().includes('check-worker')).length).toBe(0);
  }, 600_000);

  it('refuses a dynamic import() when it compiles the learner\'s code, naming its line', async () => {
    await pasteCode(page, [
      'export async function temperatureJob() {',
      '  const where = "./index.html";',
      '  await import(where);',
      '}',
      'export function minuteReport() {}',
      'export function slidingAverages() {}',
      '',
    ].join('\n'));
    await page.locator('sl-lesson-view').getByRole('button', { name: 'Check', exact: true }).first().click();
    await tab(page, 'Checks').click();
    await page.getByText(/^0 of \d+ checks passed$/).waitFor({ timeout: 240_000 });
    const lines = await checkLines(page);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.message).toContain('Your code does not compile: Only "streamlab" and your own files can be imported, each with an import statement: import(…) is not available in a pipeline.');
    expect(lines[0]!.text).toMatch(/line 3\b/);
    await screenshot(page, 'static-02-dynamic-import');
  }, 300_000);

  it('draws a check\'s random cases from a new seed at each Check', async () => {
    // Records what the page asks the check workers to produce (the data of the checks' cases).
    await page.addInitScript(() => {
      const sent: string[] = [];
      (globalThis as unknown as { __produced: string[] }).__produced = sent;
      const proto = (globalThis as unknown as { Worker: { prototype: { postMessage: (...a: unknown[]) => void } } }).Worker.prototype;
      const post = proto.postMessage;
      proto.postMessage = function (this: unknown, message: unknown, ...rest: unknown[]) {
        const op = (message as { op?: { op?: string } } | null)?.op;
        if (op?.op === 'produce') sent.push(JSON.stringify(op));
        post.call(this, message, ...rest);
      };
    });
    await page.reload();
    await page.locator('sl-editor .monaco-editor .view-lines').waitFor();
    await pasteCode(page, lessonFile('02-dstream-temperature', 'solution.ts'));
    const produced = async () => {
      await page.evaluate(() => (globalThis as unknown as { __produced: string[] }).__produced.splice(0));
      await page.locator('sl-lesson-view').getByRole('button', { name: 'Check', exact: true }).first().click();
      await tab(page, 'Checks').click();
      await page.getByText(/^\d+ of \d+ checks passed$/).waitFor({ timeout: 240_000 });
      const lines = await checkLines(page);
      expect(lines.map((l) => l.passed)).toEqual(lines.map(() => true));
      return new Set(await page.evaluate(() => (globalThis as unknown as { __produced: string[] }).__produced.slice()));
    };
    const first = await produced();
    await page.getByText(/^\d+ of \d+ checks passed$/).waitFor();
    const second = await produced();
    // The fixed cases are the same records each time; the random ones are not.
    const both = [...first].filter((r) => second.has(r));
    expect(both.length).toBeGreaterThan(0);
    expect(first.size - both.length).toBeGreaterThan(0);
    expect(second.size - both.length).toBeGreaterThan(0);
  }, 600_000);

  it('stops a check worker whose message carries a guessed nonce, one copied from another worker, or none, so a correct solution\'s forged check fails', async () => {
    // Stands for learner code that reached the worker's postMessage: right after the page greets each
    // check worker with its nonce, a reply arrives from that worker (dispatched on the page's Worker
    // object) with a guessed nonce, the nonce of the worker before it, or none, in turn. It arrives
    // before any real reply (a microtask runs before the worker's first message task). A page of its
    // own: an init script stays for every later load of its page, and would forge the later tests' checks.
    const own = await page.context().newPage();
    own.on('pageerror', (e) => errors.push(e.message));
    await own.addInitScript(() => {
      const nonces: string[] = [];
      const proto = (globalThis as unknown as { Worker: { prototype: EventTarget & { postMessage: (...a: unknown[]) => void } } }).Worker.prototype;
      const post = proto.postMessage;
      proto.postMessage = function (this: EventTarget, message: unknown, ...rest: unknown[]) {
        post.call(this, message, ...rest);
        const hello = message as { type?: string; nonce?: string } | null;
        if (hello?.type !== 'hello' || typeof hello.nonce !== 'string') return;
        const forged: Record<string, unknown> = { type: 'reply', id: 1, ok: true, value: { exports: [] } };
        const kind = nonces.length % 3;
        if (kind === 0) forged.nonce = crypto.randomUUID();
        if (kind === 1) forged.nonce = nonces.at(-1);
        nonces.push(hello.nonce);
        queueMicrotask(() => this.dispatchEvent(new MessageEvent('message', { data: forged })));
      };
    });
    await own.goto(`${site.origin}${PREFIX}`);
    await own.getByRole('list', { name: 'Lessons' }).getByRole('link', { name: new RegExp(lessonOutline('02-dstream-temperature').title) }).click();
    await own.locator('sl-editor .monaco-editor .view-lines').waitFor();
    await pasteCode(own, lessonFile('02-dstream-temperature', 'solution.ts'));
    await own.locator('sl-lesson-view').getByRole('button', { name: 'Check', exact: true }).first().click();
    await tab(own, 'Checks').click();
    await own.getByText(/^\d+ of \d+ checks passed$/).waitFor({ timeout: 240_000 });
    const lines = await checkLines(own);
    expect(lines.length).toBeGreaterThan(2);
    const stopped = 'Your code sent the check a message of its own, and was stopped: a check reads only what it asks your code for.';
    // Every check's first worker got a forged reply, so every check failed with the sandbox's sentence.
    expect(lines.filter((l) => l.passed || !l.message.includes(stopped)).map((l) => l.text)).toEqual([]);
    await own.getByText(`0 of ${lines.length} checks passed`).waitFor();
    expect(own.workers().filter((w) => w.url().includes('check-worker')).length).toBe(0);
    await screenshot(own, 'static-02-check-forged-nonce');
    await own.close();
  }, 600_000);

  for (const id of ['05-locations-micro-batch-vs-flow', '06-stream-inference', '07-lambda-architecture']) {
    it(`says at the top of lesson ${id.slice(0, 2)} what it needs that the tab has not, and Check says so too`, async () => {
      await page.goto(`${site.origin}${PREFIX}`);
      await page.getByRole('list', { name: 'Lessons' }).getByRole('link', { name: new RegExp(lessonOutline(id).title) }).click();
      await page.locator('sl-editor .monaco-editor .view-lines').waitFor();
      const lesson = findLesson(await loadLessons(join(repoRoot, 'lessons')), id)!;
      const notice = page.locator('sl-lesson-view blockquote').first();
      await expect.poll(() => notice.textContent(), { timeout: 30_000 }).toContain('This lesson needs the Streamlab runtime.');
      const text = ((await notice.textContent()) ?? '').replace(/\s+/g, ' ');
      for (const table of lesson.tables) expect(text).toContain(table);
      if (lesson.tables.length > 0) expect(text).toContain('PostgreSQL');
      if (lesson.models?.length) expect(text).toContain('saved Spark ML model');
      expect(text).toContain('npx streamlab');
      await page.locator('sl-lesson-view').getByRole('button', { name: 'Check', exact: true }).first().click();
      await expect.poll(async () => page.getByText(new RegExp(`Checking lesson ${id} \\(its checks use .+\\) needs the Streamlab runtime`)).count(), { timeout: 30_000 }).toBeGreaterThan(0);
      await screenshot(page, `static-${id.slice(0, 2)}-needs-runtime`);
      // The solution runs until it reaches what the tab lacks, and Output says what stopped it: never a blank.
      await pasteCode(page, lessonFile(id, 'solution.ts'));
      const system = page.getByRole('radio', { name: 'System' });
      if ((await system.count()) > 0) await system.check();
      await runButton(page).click();
      await tab(page, 'Output').click();
      const error = page.locator('sl-output-panel .error .message').first();
      await error.waitFor({ timeout: 120_000 });
      expect(((await error.textContent()) ?? '').length).toBeGreaterThan(0);
      await screenshot(page, `static-${id.slice(0, 2)}-run-needs-runtime`);
      await stopRun(page).catch(() => undefined);
    }, 180_000);
  }

  for (const lesson of CHECKED) {
    it(`checks lesson ${lesson.id}: every check fails on the starter and passes on the solution, whose Run shows its data`, async () => {
      await page.goto(`${site.origin}${PREFIX}`);
      await page.getByRole('list', { name: 'Lessons' }).getByRole('link', { name: new RegExp(lessonOutline(lesson.id).title) }).click();
      await page.locator('sl-editor .monaco-editor .view-lines').waitFor();
      const total = Object.keys(lesson.points).length;
      const check = async () => {
        await page.locator('sl-lesson-view').getByRole('button', { name: 'Check', exact: true }).first().click();
        await tab(page, 'Checks').click();
        await page.getByText(/^\d+ of \d+ checks passed$/).waitFor({ timeout: 240_000 });
        return checkLines(page);
      };
      await pasteCode(page, lessonFile(lesson.id, 'starter.ts'));
      const starter = await check();
      expect(starter.map((l) => l.passed)).toEqual(Array(total).fill(false));
      expect(starter.every((l) => l.message.length > 0)).toBe(true);
      await page.getByText(`0 of ${total} checks passed`, { exact: true }).waitFor();
      await screenshot(page, `static-${lesson.id.slice(0, 2)}-check-starter`);
      await pasteCode(page, lessonFile(lesson.id, 'solution.ts'));
      const solution = await check();
      expect(solution.map((l) => [l.passed, l.message])).toEqual(Array(total).fill([true, '']));
      await page.getByText(`${total} of ${total} checks passed`, { exact: true }).waitFor();
      await screenshot(page, `static-${lesson.id.slice(0, 2)}-check-solution`);
      const system = page.getByRole('radio', { name: 'System' });
      if ((await system.count()) > 0) await system.check();
      await runButton(page).click();
      await tab(page, 'Output').click();
      await lesson.output(page);
      await screenshot(page, `static-${lesson.id.slice(0, 2)}-run-solution`);
      await stopRun(page).catch(() => undefined);
      // A reload keeps the learner's code and the check results, in the browser alone.
      await page.reload();
      await page.locator('sl-editor .monaco-editor .view-lines').waitFor();
      await expect.poll(async () => (await editorFiles(page))[0]?.content, { timeout: 30_000 }).toBe(lessonFile(lesson.id, 'solution.ts'));
      await tab(page, 'Checks').click();
      await page.getByText(`${total} of ${total} checks passed`, { exact: true }).waitFor({ timeout: 30_000 });
    }, 600_000);
  }

  it('says in Output that lesson 04\'s Kafka refused a run that does not authenticate', async () => {
    await pasteCode(page, lessonFile('04-report-topic-and-output-modes', 'solution.ts').replaceAll('.options(SASL)', ''));
    await runButton(page).click();
    await tab(page, 'Output').click();
    await page.locator('sl-output-panel').getByText('Disconnected by the broker before authenticating: its listener requires SASL, and the client connected with security.protocol PLAINTEXT.', { exact: false }).first().waitFor({ timeout: 120_000 });
    expect(await batchFigures(page).count()).toBe(0);
    await screenshot(page, 'static-04-run-without-sasl');
    await stopRun(page);
  }, 240_000);

  it('says plainly that the database needs the runtime, and nothing left the page', async () => {
    await tab(page, 'Database').click();
    await expect.poll(async () => (await page.getByText(/npx streamlab/).count()) > 0, { timeout: 30_000 }).toBe(true);
    await screenshot(page, 'static-03-database');
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);
});
