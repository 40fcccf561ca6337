/**
 * The workbench end to end: `streamlab start --no-open` on the run's real Kafka and PostgreSQL, the
 * production build of the workbench, and headless Chromium clicking through a lesson. Screenshots of
 * every panel land in test-results/e2e/ for a person to look at.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { databaseUrl, freshName, freshTopic, kafkaBootstrap } from '../services/inject.js';
import { launchChromium, screenshot } from './browser.js';
import { learnerDatabase } from '../../runtime/src/connectors/postgres/restricted-role.js';
import { buildWorkbench } from '../journey/build.js';
import { portBelowEphemeralRange, startRuntime, type RuntimeProcess } from './runtime-process.js';

const LESSON_TITLE = 'Event-time windows with Structured Streaming';
/** The topic this test feeds by hand, apart from the lesson's own `sensors.temperature`. */
const TOPIC = 'e2e.readings';

let runtime: RuntimeProcess;
let browser: Browser;

beforeAll(async () => {
  // Always test the workbench as it is in this checkout, not a stale dist.
  buildWorkbench();
  // "shows a lost runtime" stops this runtime and starts one on its port again.
  runtime = await startRuntime({ kafka: kafkaBootstrap(), pg: databaseUrl(), port: await portBelowEphemeralRange() });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

/** A page that records uncaught errors in the app. */
async function openPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors };
}

/** Types `text` at the start of the first line containing `needle` (found with Monaco's find widget). */
async function typeAtLineOf(page: Page, needle: string, text: string): Promise<void> {
  await page.locator('sl-editor .monaco-editor .view-lines').click();
  await page.keyboard.press('Control+F');
  await page.keyboard.type(needle);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Home');
  await page.keyboard.type(text);
  await page.keyboard.press('Escape');
}

/**
 * The text of the file open in the editor, as Run sends it (the editor wraps long lines, so its
 * rendered lines are not the file's lines).
 */
async function editorText(page: Page): Promise<string> {
  return page.locator('sl-editor').evaluate((el) => (el as unknown as { getFiles(): { content: string }[] }).getFiles()[0]?.content ?? '');
}

describe('workbench in Chromium', () => {
  it('explains how to get in when the page is opened without the token', async () => {
    const { page, errors } = await openPage();
    const response = await page.goto(runtime.origin + '/');
    expect(response?.status()).toBe(401);
    expect(await page.textContent('body')).toContain('Open the URL printed by streamlab start');
    await screenshot(page, '00-no-token');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens a lesson, edits and runs it: Batch 0, timeline, metrics, checks, manual clock, errors, autosave', async () => {
    const { page, errors } = await openPage();
    // What the page's own loads (not the workers') came with: the encoding of every script and stylesheet.
    const encodings = new Map<string, string>();
    page.on('response', (r) => {
      const path = new URL(r.url()).pathname;
      if (/\/assets\/.+\.(js|css)$/.test(path)) encodings.set(path, r.headers()['content-encoding'] ?? 'identity');
    });
    const started = Date.now();
    await page.goto(runtime.url);
    await page.getByText('Runtime: Connected').waitFor();
    // The list arrives after the connection opens; on a busy machine that takes more than expect.poll's one second.
    await expect.poll(() => page.getByRole('link').allTextContents(), { timeout: 60_000 }).toEqual([
      'Skip to content',
      'Streamlab',
      expect.stringContaining('Kafka basics — topics, partitions, keys and consumer groups'),
      expect.stringContaining('The temperature job with DStreams'),
      expect.stringContaining(LESSON_TITLE),
      expect.stringContaining('Counting by origin — output modes and the report topic'),
      expect.stringContaining('Locations into PostgreSQL — micro-batch against flow'),
      expect.stringContaining('Machine-learning inference on a stream'),
      expect.stringContaining('The lambda architecture — DAX against COVID-19'),
    ]);
    await screenshot(page, '01-lessons');
    await page.getByRole('link', { name: new RegExp(LESSON_TITLE) }).click();

    // The editor is interactive once Monaco has rendered the starter code.
    await page.locator('sl-editor .monaco-editor .view-lines').waitFor();
    await expect.poll(() => editorText(page)).toContain('import { SparkSession, DataFrame, StreamingQuery, functions as F } from "streamlab";');
    console.log(`e2e: editor interactive ${Date.now() - started} ms after navigation`);
    // Chromium accepts brotli, so every script and stylesheet over the 1 KiB threshold came as brotli.
    const sizes = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType('resource').map((e) => [new URL(e.name).pathname, (e as unknown as { decodedBodySize: number }).decodedBodySize])));
    const large = [...encodings].filter(([path]) => (sizes[path] ?? 0) >= 1024);
    expect(large.length).toBeGreaterThanOrEqual(5);
    expect(large.filter(([, encoding]) => encoding !== 'br')).toEqual([]);
    await expect.poll(() => page.getByRole('heading', { level: 2 }).allTextContents()).toEqual(['Introduction']);
    await page.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 2 }).allTextContents()).toEqual(['Step 1: parse the readings']);
    await screenshot(page, '02-lesson');

    // Readings for the pipeline: the Topics panel creates a topic of the test's own (the lesson's topic
    // gets the lesson's data when Run plays it) and produces four readings with Kafka timestamps,
    // which is the time the starter code groups by.
    await page.getByRole('tab', { name: 'Topics' }).click();
    await page.getByRole('form', { name: 'Create a topic' }).getByLabel('Name').fill(TOPIC);
    await page.getByRole('button', { name: 'Create topic' }).click();
    await page.getByText(`Created ${TOPIC} with 1 partition.`).waitFor();
    const produce = page.getByRole('form', { name: 'Produce a record' });
    await produce.getByLabel('Topic').selectOption(TOPIC);
    const readings: [string, number, string][] = [['s1', 20, '10:00:05'], ['s2', 30, '10:00:20'], ['s1', 22, '10:00:50'], ['s1', 25, '10:01:10']];
    for (const [i, [node, temperature, time]] of readings.entries()) {
      await produce.getByLabel('Key').fill(node);
      await produce.getByLabel('Value').fill(JSON.stringify({ node_name: node, temperature, ts: `2024-01-01 ${time}` }));
      await produce.getByLabel('Timestamp (epoch ms or ISO, optional)').fill(`2024-01-01T${time}Z`);
      await page.getByRole('button', { name: 'Produce' }).click();
      await page.getByText(`Sent to ${TOPIC} partition 0 at offset ${i}.`).waitFor();
    }

    // Read the test's topic: a second subscribe option overrides the first, as in Spark.
    await typeAtLineOf(page, '.option("startingOffsets"', `.option("subscribe", "${TOPIC}")`);
    await page.keyboard.press('Enter');
    await expect.poll(() => editorText(page)).toContain(`    .option("subscribe", "${TOPIC}")\n    .option("startingOffsets"`);

    // Type a change: a watermark before the groupBy (found with Monaco's find widget), and a line the
    // pipeline prints when it loads.
    await typeAtLineOf(page, '.groupBy(F.window', '.withWatermark("timestamp", "30 seconds")');
    await page.keyboard.press('Enter');
    await expect.poll(() => editorText(page)).toContain('    .withWatermark("timestamp", "30 seconds")\n    .groupBy(F.window("timestamp", "1 minute"), "node_name")');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nconsole.log("edited in the e2e test");\n');
    await expect.poll(() => editorText(page)).toContain('console.log("edited in the e2e test");');

    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const consoleLog = page.getByRole('log', { name: 'Console' });
    await expect.poll(() => consoleLog.textContent(), { timeout: 60_000 }).toContain('edited in the e2e test');
    const batch0 = page.getByRole('figure', { name: /^Batch 0/ });
    await batch0.waitFor({ timeout: 60_000 }).catch(async (e: unknown) => {
      // What the page showed instead, for the log of a run where the batch never came.
      await screenshot(page, 'failed-batch-0');
      console.log(`e2e: no Batch 0; the page read:\n${await page.locator('body').innerText().catch(() => '(unreadable)')}\npage errors: ${JSON.stringify(errors)}\nruntime: ${runtime.output().slice(-6000)}`);
      throw e;
    });
    const table = ((await batch0.textContent()) ?? '').split('\n');
    expect(table.slice(0, 3)).toEqual(['-------------------------------------------', 'Batch: 0', '-------------------------------------------']);
    const cells = (line: string) => line.split('|').slice(1, -1).map((c) => c.trim());
    const rows = table.filter((l) => l.startsWith('|')).map(cells);
    expect(rows[0]).toEqual(['window', 'node_name', 'avg_temp', 'readings']);
    // One row per (window of arrival time, sensor); Spark leaves the row order open.
    expect(rows.slice(1).sort()).toEqual([
      ['{2024-01-01 10:00:00, 2024-01-01 10:01:00}', 's1', '21.0', '2'],
      ['{2024-01-01 10:00:00, 2024-01-01 10:01:00}', 's2', '30.0', '1'],
      ['{2024-01-01 10:01:00, 2024-01-01 10:02:00}', 's1', '25.0', '1'],
    ]);
    await screenshot(page, '03-output');

    // The timeline draws those three windows, and the watermark 30 s behind the newest reading.
    await page.getByRole('tab', { name: 'Timeline' }).click();
    const timeline = page.locator('sl-timeline');
    await expect.poll(() => timeline.locator('.window-box').evaluateAll((boxes) =>
      boxes.map((b) => `${b.getAttribute('data-key')} ${new Date(Number(b.getAttribute('data-start'))).toISOString().slice(11, 16)}`).sort())).toEqual(
      ['s1 10:00', 's1 10:01', 's2 10:00'],
    );
    await expect.poll(() => timeline.locator('.watermark-label').textContent()).toBe('watermark 10:00:40');
    await screenshot(page, '04-timeline');

    // A reading that is not JSON: the pipeline keeps running, and the timeline counts it in its batch.
    await page.getByRole('tab', { name: 'Topics' }).click();
    await produce.getByLabel('Key').fill('s3');
    await produce.getByLabel('Value').fill('{"node_name": "s3", "temperature": ');
    await produce.getByLabel('Timestamp (epoch ms or ISO, optional)').fill('2024-01-01T10:01:20Z');
    await page.getByRole('button', { name: 'Produce' }).click();
    await page.getByText(`Sent to ${TOPIC} partition 0 at offset ${readings.length}.`).waitFor();
    await page.getByRole('tab', { name: 'Timeline' }).click();
    // The count belongs to the record's batch, which a no-data batch (the watermark moved) may follow:
    // look back from the newest batch.
    const malformed = timeline.locator('.malformed');
    const slider = timeline.getByRole('slider', { name: 'Batch' });
    await expect.poll(async () => {
      await slider.press('End');
      for (let back = 0; back < 3 && (await malformed.count()) === 0; back++) await slider.press('ArrowLeft');
      return (await malformed.count()) === 0 ? null : malformed.textContent();
    }, { timeout: 60_000 }).toBe('⚠ 1 malformed record');
    expect(await malformed.getAttribute('title')).toBe('from_json could not read this record (PERMISSIVE mode gives nulls):\n• {"node_name": "s3", "temperature": ');
    await screenshot(page, '04b-malformed');

    await page.getByRole('tab', { name: 'Metrics' }).click();
    await expect.poll(() => page.locator('sl-metrics-panel .uplot').count()).toBe(6);
    await screenshot(page, '05-metrics');

    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await page.getByRole('tab', { name: /^Checks/ }).click();
    // The edited code reads the test's own topic, not the lesson's: the checks feed `sensors.temperature`,
    // so the query never sees their readings. Every check fails with its reason, "writes nothing while
    // no window is final" too: its random stream must then write each window in the batch it is final.
    const summary = page.getByText(/\d+ of \d+ checks passed/);
    await summary.waitFor({ timeout: 120_000 });
    expect(await summary.textContent()).toBe('0 of 9 checks passed');
    const results = page.getByRole('list', { name: 'Check results' }).getByRole('listitem');
    expect(await results.filter({ hasText: '✓ Pass' }).allTextContents()).toEqual([]);
    const failures = await results.filter({ hasText: '✗ Fail' }).allTextContents();
    expect(failures).toHaveLength(9);
    for (const text of failures) {
      expect(text.replace('✗ Fail', '').trim().length).toBeGreaterThan(0);
      expect(text).not.toContain('import_streamlab');
      expect(text).not.toContain('\\n');
    }
    await screenshot(page, '06-checks');

    // Manual clock: processing time starts at the lesson's 10:00 and moves only when told: +10 s moves it one interval.
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Stop' }).isDisabled()).toBe(true);
    await page.getByRole('radio', { name: 'Manual' }).check();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.getByRole('tab', { name: /^Output/ }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Step', exact: true }).isEnabled(), { timeout: 60_000 }).toBe(true);
    // The manual clock starts at the lesson's time (its data starts there) and moves only when told.
    await expect.poll(() => page.getByLabel('Processing time').textContent()).toBe('Processing time: 2026-11-21 10:00:00 UTC');
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    // The starter sets no trigger: Spark's default runs on data, so the step is the picked interval, and the controls say why.
    await expect.poll(() => page.locator('sl-run-controls .note').textContent()).toBe('The unnamed query uses the default trigger, which runs a batch when data arrives, not on the clock.');
    expect(await page.getByLabel('Trigger interval').inputValue()).toBe('10000');
    await page.getByRole('button', { name: '+10 s' }).click();
    await expect.poll(() => page.getByLabel('Processing time').textContent()).toBe('Processing time: 2026-11-21 10:00:10 UTC');
    console.log(`e2e: manual clock run shows ${JSON.stringify(await page.getByRole('figure').evaluateAll((f) => f.map((x) => x.getAttribute('aria-label'))))}`);
    await screenshot(page, '07-manual-clock');

    // With a 20 s processing-time trigger, the advance button follows the query: +20 s, and no picker.
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Stop' }).isDisabled()).toBe(true);
    // On main()'s console query (the lesson's report query has a `.start();` of its own, above it).
    await typeAtLineOf(page, '.option("truncate", false)', '.queryName("averages").trigger({ processingTime: "20 seconds" })');
    await expect.poll(() => editorText(page)).toContain('    .queryName("averages").trigger({ processingTime: "20 seconds" }).option("truncate", false)');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const advance = page.getByRole('button', { name: '+20 s' });
    await advance.waitFor({ timeout: 60_000 });
    await expect.poll(() => advance.isEnabled(), { timeout: 60_000 }).toBe(true);
    expect(await advance.getAttribute('title')).toBe('Advance the manual clock by 20 seconds: one trigger interval of “averages”');
    expect(await page.getByRole('button', { name: '+10 s' }).count()).toBe(0);
    expect(await page.getByLabel('Trigger interval').count()).toBe(0);
    expect(await page.locator('sl-run-controls .note').count()).toBe(0);
    await expect.poll(() => page.getByLabel('Processing time').textContent()).toBe('Processing time: 2026-11-21 10:00:00 UTC');
    await advance.click();
    await expect.poll(() => page.getByLabel('Processing time').textContent()).toBe('Processing time: 2026-11-21 10:00:20 UTC');
    await screenshot(page, '07b-trigger-interval');

    // A learner's bug: the error names the learner's line, and the link puts the cursor there.
    await page.locator('sl-editor .monaco-editor .view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nconst sensors: string[] = [];\nconsole.log(sensors[0]!.toUpperCase());\n');
    await page.keyboard.press('Control+Enter');
    const alert = page.getByRole('alert').filter({ hasText: 'toUpperCase' });
    await alert.waitFor({ timeout: 60_000 });
    expect((await alert.textContent())?.replace(/\s+/g, ' ').trim()).toBe(
      "Error (runtime-error): Cannot read properties of undefined (reading 'toUpperCase') at starter.ts:64:25",
    );
    await page.keyboard.press('Control+Home');
    await alert.getByRole('link', { name: 'starter.ts:64:25' }).click();
    await expect.poll(() => page.locator('sl-editor .active-line-number').textContent()).toBe('64');
    await screenshot(page, '08-error');

    // The run has ended: its queries' saved state can be forgotten, so the next Run starts them afresh.
    const forget = page.getByRole('button', { name: 'Forget saved state' });
    await expect.poll(() => forget.isEnabled()).toBe(true);
    await forget.click();
    const stateNote = page.getByRole('status').filter({ hasText: /saved state/ });
    await expect.poll(() => stateNote.textContent()).toMatch(/^(Forgot the saved state of 1 query: the next Run starts it from the beginning\.|No saved state to forget: the next Run starts every query from the beginning\.)$/);
    await forget.click();
    await expect.poll(() => stateNote.textContent()).toBe('No saved state to forget: the next Run starts every query from the beginning.');

    // The edit was saved: a reload shows it again.
    await page.reload();
    await page.locator('sl-editor .monaco-editor .view-lines').waitFor();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Restored your saved code.' }).count()).toBe(1);
    // Monaco renders only the lines in view: go to the end of the file to see the edit.
    await page.locator('sl-editor .monaco-editor .view-lines').click();
    await page.keyboard.press('Control+End');
    await expect.poll(() => editorText(page)).toContain('console.log(sensors[0]!.toUpperCase());');
    // Progress survives too: the lesson reopens at the step the learner was on.
    await expect.poll(() => page.getByRole('heading', { level: 2 }).allTextContents()).toEqual(['Step 1: parse the readings']);

    // Reset to starter asks nothing (no native dialog): it brings back the lesson's code and keeps the
    // learner's, one Undo away, across a reload too.
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.getByRole('button', { name: 'Reset to starter' }).click();
    await page.getByRole('status').filter({ hasText: 'Reset to the starter code.' }).waitFor();
    const yourCode = page.getByRole('group', { name: 'Your code' });
    expect(await yourCode.textContent()).toContain('The starter code replaced yours. Your code is kept.');
    await page.locator('sl-editor .monaco-editor .view-lines').click();
    await page.keyboard.press('Control+End');
    await expect.poll(() => editorText(page)).not.toContain('toUpperCase');
    await expect.poll(() => editorText(page)).toContain('    .start();\n}');
    await yourCode.getByRole('button', { name: 'Undo' }).click();
    await page.locator('sl-editor .monaco-editor .view-lines').click();
    await page.keyboard.press('Control+End');
    await expect.poll(() => editorText(page)).toContain('console.log(sensors[0]!.toUpperCase());');
    await page.getByRole('button', { name: 'Reset to starter' }).click();
    await page.locator('sl-editor .monaco-editor .view-lines').click();
    await page.keyboard.press('Control+End');
    await expect.poll(() => editorText(page)).not.toContain('toUpperCase');

    // Hints come one at a time, from the lesson's front matter.
    const hints = page.getByRole('region', { name: 'Hints' });
    await page.getByRole('button', { name: 'Show a hint' }).click();
    await expect.poll(async () => (await hints.locator('li').allTextContents()).map((t) => t.trim())).toEqual([
      'F.from_json(F.col("value").cast("string"), schema).alias("data") parses the Kafka value; select data.* to get the fields.',
    ]);
    await expect.poll(() => page.getByRole('button', { name: 'Show another hint (4 left)' }).count()).toBe(1);

    // Show solution puts the lesson's solution in the editor; the learner's own code stays one click away.
    await page.getByRole('button', { name: 'Show solution' }).click();
    expect(await yourCode.textContent()).toContain('Showing the lesson’s solution. Your code is kept.');
    expect(await yourCode.getByRole('button', { name: 'Back to my code' }).count()).toBe(1);
    expect(dialogs).toEqual([]);
    // Find the line, so the editor shows it (it draws only the lines in view).
    await page.locator('sl-editor .monaco-editor').click();
    await page.keyboard.press('Control+F');
    await page.keyboard.type('.withWatermark(');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await expect.poll(() => editorText(page)).toContain('    .withWatermark("ts", "30 seconds")');

    // Export to PySpark shows the same pipeline as a program for a real Spark cluster.
    await page.getByRole('button', { name: 'Export to PySpark' }).click();
    const program = page.getByRole('dialog', { name: 'Export to PySpark' }).getByLabel('PySpark program');
    await program.waitFor();
    const source = await program.textContent();
    expect(source).toContain('spark-submit --packages org.apache.spark:spark-sql-kafka-0-10_2.12:3.5.7,org.postgresql:postgresql:42.7.4 job.py');
    expect(source).toContain('        .withWatermark("ts", "30 seconds")\n        .groupBy(F.window("ts", "1 minute"), "node_name")\n');
    await screenshot(page, '09-export');
    await page.getByRole('dialog', { name: 'Export to PySpark' }).getByRole('button', { name: 'Close' }).click();

    // With the solution in the editor, every check of the lesson passes.
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await page.getByRole('tab', { name: /^Checks/ }).click();
    const allPassed = page.getByText('9 of 9 checks passed');
    await allPassed.waitFor({ timeout: 120_000 });
    const solvedVerdicts = await page.getByRole('list', { name: 'Check results' }).getByRole('listitem')
      .evaluateAll((items) => items.map((i) => (i.textContent?.includes('✓ Pass') ? 'pass' : 'fail')));
    expect(solvedVerdicts).toEqual(Array.from({ length: 9 }, () => 'pass'));
    await screenshot(page, '10-checks-solved');

    expect(errors).toEqual([]);
    await page.close();
  });

  it('creates a topic, produces a record and tails it, and queries the database', async () => {
    const { page, errors } = await openPage();
    await page.goto(runtime.url.replace(/#.*$/, '') + '#/lesson/03-structured-windows');
    await page.getByRole('tab', { name: 'Topics' }).click();
    const topic = freshTopic('e2e-workbench');

    await page.getByRole('form', { name: 'Create a topic' }).getByLabel('Name').fill(topic);
    await page.getByRole('button', { name: 'Create topic' }).click();
    await page.getByText(`Created ${topic} with 1 partition.`).waitFor();
    const row = page.getByRole('row').filter({ hasText: topic });
    await expect.poll(() => row.getByRole('cell').allTextContents()).toEqual([topic, '1', '0', expect.stringMatching(/^Tail\s+Clear$/)]);

    const produce = page.getByRole('form', { name: 'Produce a record' });
    await produce.getByLabel('Topic').selectOption(topic);
    await produce.getByLabel('Key').fill('s1');
    await produce.getByLabel('Value').fill('{"node_name":"s1","temperature":21.5}');
    await produce.getByLabel('Timestamp (epoch ms or ISO, optional)').fill('2024-01-01T10:00:00Z');
    await page.getByRole('button', { name: 'Produce' }).click();
    await page.getByText(`Sent to ${topic} partition 0 at offset 0.`).waitFor();
    // The end offset of the partition moves past the new record.
    await expect.poll(() => row.getByRole('cell').allTextContents()).toEqual([topic, '1', '1', expect.stringMatching(/^Tail\s+Clear$/)]);

    await page.getByRole('button', { name: `Tail ${topic}` }).click();
    const tailed = page.getByRole('region', { name: 'Tail' }).getByRole('row').filter({ hasText: 's1' });
    await expect.poll(() => tailed.getByRole('cell').allTextContents(), { timeout: 30_000 }).toEqual([
      '0', '0', '2024-01-01T10:00:00.000Z', 's1', '{\n  "node_name": "s1",\n  "temperature": 21.5\n}',
    ]);
    await screenshot(page, '09-topics');

    // The panel asks the runtime for the tables itself (db.tables): one made just now is listed with its columns.
    const table = freshName('e2e_tables');
    // Made as the learner's pipelines make tables: as the learner role, in the learner's schema.
    const learner = learnerDatabase(databaseUrl());
    const db = new pg.Client({ connectionString: learner.url });
    await db.connect();
    await db.query(`CREATE TABLE ${table} (sensor text, avg_temp double precision)`);
    await page.getByRole('tab', { name: 'Database' }).click();
    const listed = page.getByRole('region', { name: 'Tables' }).getByRole('listitem').filter({ hasText: `${learner.schema}.${table}` });
    await expect.poll(async () => [await listed.getByRole('button').textContent(), await listed.locator('span').textContent()], { timeout: 30_000 })
      .toEqual([`${learner.schema}.${table}`, 'sensor text, avg_temp double precision']);
    await page.getByLabel('Read-only SQL').fill("SELECT 2 + 3 AS five, 'streamlab' AS name");
    await page.getByRole('button', { name: 'Run query' }).click();
    const result = page.getByRole('region', { name: 'Query' }).getByRole('table');
    await expect.poll(() => result.getByRole('row').allTextContents(), { timeout: 30_000 }).toEqual(['fivename', '5streamlab']);
    await screenshot(page, '10-database');
    await db.query(`DROP TABLE ${table}`);
    await db.end();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a lost runtime and reconnects when it comes back', async () => {
    const { page, errors } = await openPage();
    await page.goto(runtime.url);
    await page.getByText('Runtime: Connected').waitFor();
    const { port } = new URL(runtime.url);
    const token = new URL(runtime.url).searchParams.get('token')!;

    await runtime.stop();
    await page.getByText('Runtime: Reconnecting…').waitFor();
    // The learner can skip the backoff; the runtime is still down, so it keeps reconnecting.
    await page.getByRole('button', { name: 'Reconnect now' }).click();
    await page.getByText('Runtime: Reconnecting…').waitFor();
    await screenshot(page, '11-reconnecting');

    runtime = await startRuntime({ kafka: kafkaBootstrap(), pg: databaseUrl(), port: Number(port), token });
    // On another port (its own was taken meanwhile) the page could not find it.
    expect(new URL(runtime.url).port).toBe(port);
    await page.getByText('Runtime: Connected').waitFor({ timeout: 30_000 });
    expect(await page.getByRole('status').first().textContent()).toContain('(reconnected)');
    expect(errors).toEqual([]);
    await page.close();
  });
});
