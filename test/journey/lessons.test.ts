/**
 * The learner's first hour, as a learner lives it: `streamlab start` on a data directory nothing has
 * touched, the printed URL in Chromium, and lessons 01–07 one after another: open the lesson and read
 * it, Run the starter and watch the lesson's own data arrive, move the manual clock and read the
 * Timeline, press Check and read why the starter fails, paste the solution, Check again, run it, and
 * reload to find the code and the results still there. In lesson 03 the learner also sends the
 * lesson's late reading on the manual clock and sees Spark drop it, replays the data, and clears the
 * lesson's topic. Nothing is produced, created or configured by the test: every record comes from the
 * lesson.
 *
 * The whole walk runs at 1440×900 and again at 1024×700, each on its own fresh `streamlab start`. Every
 * step saves a screenshot under test-results/journey/<viewport>/, so a reviewer can follow the hour
 * from the pictures alone; the time from Run to the first batch of each lesson goes to figures.json
 * (measured, not asserted).
 *
 * To walk part of the hour while working on a lesson: JOURNEY_LESSONS=03,06 walks only those lessons,
 * JOURNEY_VIEWPORTS=1024x700 only that size (each lesson's walk starts by opening it, so any subset runs).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { launchChromium } from '../e2e/browser.js';
import { startStreamlab, type Streamlab } from './streamlab.js';
import {
  UNREADABLE, batchFigures, checkLines, dstreamBands, editorFiles, figures, laneLabels, lessonFile, lessonOutline, overlaps,
  pasteCode, pressRun, processingTime, runButton, saveFigures, snap, stopRun, tab, windowLanes, type Viewport,
} from './learner.js';
import { buildWorkbench } from './build.js';
import { join } from 'node:path';
import { repoRoot } from '../e2e/runtime-process.js';
import { findLesson, loadLessons } from '../../runtime/src/lessons/load-lessons.js';
import { planLessonData } from '../../runtime/src/lessons/lesson-data.js';

/** The comma-separated values of an environment variable that narrows the walk, or null for all. */
const only = (name: string): string[] | null => process.env[name]?.split(',').map((x) => x.trim()).filter(Boolean) ?? null;

const VIEWPORTS: Viewport[] = [
  { name: '1440x900', width: 1440, height: 900 },
  { name: '1024x700', width: 1024, height: 700 },
].filter((v) => only('JOURNEY_VIEWPORTS')?.includes(v.name) ?? true);

/** What a lesson's walk expects to see. */
interface LessonWalk {
  id: string;
  /** The topic the lesson's data plays into (or, for the Kafka clients lesson, the one it reads). */
  input: string;
  /** Check ids in the order the panel lists them, with the start of the starter's failure message. */
  starterFailures: [name: string, message: RegExp][];
}

const LESSONS: LessonWalk[] = [
  {
    id: '01-kafka-basics',
    input: 'report',
    starterFailures: [
      ['sends each reading as JSON keyed by its sensor', /^The records your producer sent to sensors\.temperature/],
      ['prints every report message once as topic:partition:offset: key=… value=…', /^What your consumer printed in group "dashboard": yours has 0 lines, the check expects \d+/],
      ['a consumer in a second group reads every message again', /^What your consumer printed in group "audit"/],
      // The starter still sends JSON text: its bytes do not decode as MessagePack.
      ['sends each reading as MessagePack keyed by its sensor', /^The records your producer sent to sensors\.temperature, MessagePack decoded: yours has \d+ rows, the check expects \d+/],
    ],
  },
  {
    id: '02-dstream-temperature',
    input: 'sensors.temperature',
    starterFailures: [
      ['sends one message per sensor that had readings in each 10-second batch', /^The keys of the messages your job sent to report, batch by batch/],
      ['reports each sensor\'s batch average as "Node Name: X, Average Temp: Y for window of 10 seconds"', /^The messages your job sent in the batches at 10:00:10 and 10:00:30/],
      ['averages a reading with the batch it arrived in, not the one it was measured in', /^The messages your job sent in the batch at 10:00:20/],
      ['reports each sensor\'s average over the tutorial\'s one-minute window, once a minute', /^The messages your minuteReport sent to report, with the index of the 10-second batch/],
      ['every 10 seconds, prints each sensor\'s average over the last minute, and no sensor whose readings all left the window', /^The \(sensor, average\) pairs your slidingAverages printed at 10:01:20 and 10:01:30/],
      ['every 10 seconds, prints how many readings the last minute held (countByWindow)', /^The counts your slidingAverages printed/],
    ],
  },
  {
    id: '03-structured-windows',
    input: 'sensors.temperature',
    starterFailures: [
      ['averages each sensor over one-minute windows of event time (update mode)', /^The windows your query holds after the last batch/],
      ['puts readings that arrive in the same batch into the windows of their own event time', /^The rows your query wrote in the batch at 10:01:30/],
      ['keeps a late reading whose window is still open', /^The rows your query wrote in the batch at 10:02:00/],
      ['drops a reading that arrives after the watermark passed its window', /^The rows your query wrote in the batch at 10:02:30/],
      ['starts in append mode (the aggregation declares a watermark)', /^Append output mode not supported when there are streaming aggregations/],
      ['in append mode, writes nothing while no window is final', /^Append output mode not supported/],
      ['in append mode, writes each window once, only after the watermark passes its end', /^Append output mode not supported/],
      // The starter's report query runs in update mode: every changed window, without a key.
      ['publishes each final window once to report for the dashboard, keyed by sensor', /^The records your startReport sent to report, with the time each was written: yours has \d+ rows, the check expects 4/],
      // The hidden check: its category, never its rows.
      ['hidden check 1 (windows on a day the checks do not show)', /^A hidden check about windows on a day the checks do not show failed\. Its data stays with your instructor/],
    ],
  },
  {
    id: '04-report-topic-and-output-modes',
    input: 'spark-streaming-store',
    starterFailures: [
      // The starter's events(spark) does not authenticate: the store's Kafka disconnects the harness's query.
      ['reads the producers\' epoch seconds (1707128717.277745) as a TIMESTAMP, to the microsecond', /^Query .* terminated with exception: Disconnected by the broker before authenticating/],
      ['prints the whole count table every batch to the console (complete mode)', /^Append output mode not supported when there are streaming aggregations/],
      // The starter's report query starts, and the store's Kafka disconnects it: it does not authenticate.
      ['publishes counts to report keyed by origin, with the whole row as JSON', /^Query .* terminated with exception: Disconnected by the broker before authenticating/],
      ['publishes only the origins whose count changed in each batch (update mode)', /^Query .* terminated with exception: Disconnected by the broker before authenticating/],
      ['authenticates to the store\'s Kafka with SCRAM-SHA-512 as spark-streaming', /^Append output mode not supported/],
      // The hidden check: its category, never its rows.
      ['hidden check 1 (counts on a day and producers the checks do not show)', /^A hidden check about counts on a day and producers the checks do not show failed\. Its data stays with your instructor/],
    ],
  },
  {
    id: '05-locations-micro-batch-vs-flow',
    input: 'locations',
    starterFailures: [
      ['casts every field as the tutorial\'s schema: driverId int, lat and lng float, time timestamp', /^The columns of fixes\(spark\) are driverId string, lat string, lng string, time string; the check expects driverId int, lat float, lng float, time timestamp\.$/],
      ['appends every fix to locations from foreachBatch: the table holds exactly the fixes, typed as the tutorial\'s schema', /^There is no table locations after startAppend\(spark\) ran three batches\.$/],
      ['the append job is at-least-once: killed after writing a batch and before committing it, it writes that batch again', /^There is no table locations: nothing was written to it\.$/],
      // The starter's exactly-once job still appends with foreachBatch, and the JDBC writer creates its table from the uncast text columns.
      ['the exactly-once job leaves no duplicates after the same crash (locations_once)', /^The columns of locations_once are driverId text, lat text, lng text, time text; the check expects driverId integer, lat real, lng real, time timestamp without time zone\.$/],
      ['the flow writes the same rows to locations_flow and commits its offsets: started again, it writes only new fixes', /^startFlow\(…\) returned a plain object, not the DrainingControl a flow's run\(\) materializes \(toMat\(…, Consumer\.DrainingControl\.apply\)\)\.$/],
      // The table is checked first on a measurement the check makes up, so its own faults show before the flow's:
      // the starter's latency and start-up rows are fixed words, and its architecture is "micro batch".
      ['fills the comparison table from the measured run: latency and start-up time measured, the other rows as the tutorial has them', /^Your comparisonTable\(measured\) for a measurement the check made up \(query p50 [\d.]+ ms, p99 [\d.]+ ms, start-up \d+ ms; flow p50 [\d.]+ ms, p99 [\d.]+ ms, start-up \d+ ms\): yours has 6 rows, the check expects 6; 3 expected rows are missing and 3 rows are not expected\.$/],
    ],
  },
  {
    id: '06-stream-inference',
    input: 'kaspar-inputs',
    starterFailures: [
      ['publishes one JSON record per input to kaspar-outputs, keyed by its id, with the prediction and probabilities Spark computes', /^(\d+) of the answers are wrong \(seed \d+\): \1 answers: key null instead of the input's id; the first: batch 0: the output \{"id":\d+,"prediction":[0-2]\.0,"probability":\{"type":1,"values":\[[^\]]+\]\}\} has key null, expected the input's id "\d+"$/],
      ['answers a bad row (an empty field, not a number, too few fields) with {"id", "error": "unreadable features"} and keeps going', /^Query \[id = [0-9a-f-]+, runId = [0-9a-f-]+\] terminated with exception: \[FAILED_EXECUTE_UDF\] .* Caused by: Encountered null while assembling a row/],
      ['writes nothing for an input that never arrived, and nothing twice', /^Query \[id = [0-9a-f-]+, runId = [0-9a-f-]+\] terminated with exception: \[FAILED_EXECUTE_UDF\]/],
      ['the UDF variant gives the model\'s predictions and probabilities (to 1e-9) without applying the model', /^inferencesWithUdf applies the PipelineModel instead of computing the probabilities in a UDF\.$/],
    ],
  },
  {
    id: '07-lambda-architecture',
    input: 'covid.reports',
    starterFailures: [
      ['sums the reports in the lake per week and country, up to the day the batch view is cut', /^Your batch view of the lake up to Sunday 2020-03-15: yours has 8 rows, the check expects 4/],
      ['correlates the DAX close with each country\'s cases on trading days', /^Your correlations over the fixed lake/],
      ['sums the announced reports per week of their date (event time), each report once', /^The week of 2020-03-23 in your speed_view/],
      ['keeps a report that comes while its week is open and drops one that comes after the watermark passed it', /^The week of 2020-03-16 in your speed_view/],
      ['writes the same speed view when its query crashes after a write and restarts from its checkpoint', /^On a random stream, your speed_view after two crashes and restarts/],
      ['serves the batch view\'s weeks and the speed view\'s newer weeks as one answer', /^Your serving view after the first announced day/],
      // The starter's overwrite drops batch_view, which the serving view depends on.
      ['after the batch view is recomputed, the speed view retires and the answer equals a full batch recomputation', /^Recomputing the batch view, writeBatchView\(spark, "2020-03-22"\) failed: cannot drop table batch_view because other objects depend on it/],
    ],
  },
];

/** The sensors of lessons 02 and 03's data set (`generate: { sensors: 3 }`). */
const SENSORS = ['sensor-1', 'sensor-2', 'sensor-3'];
/** The countries of lesson 07's lake and reports. */
const COUNTRIES = ['Germany', 'Italy', 'Spain'];

let browser: Browser;

beforeAll(async () => {
  buildWorkbench();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  saveFigures();
  console.log(`journey: figures ${JSON.stringify(figures)}`);
});

for (const viewport of VIEWPORTS) {
  describe.sequential(`the learner's first hour at ${viewport.width}×${viewport.height}`, () => {
    let streamlab: Streamlab;
    let context: BrowserContext;
    let page: Page;
    const errors: string[] = [];
    let failures = 0;

    /** A step of the walk. */
    const step = (name: string, fn: () => Promise<void>) => {
      it(name, async () => {
        try {
          await fn();
        } catch (e) {
          // What the learner saw when the step went wrong.
          await snap(page, viewport, `failed-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}-${failures++}`).catch(() => {});
          throw e;
        }
      });
    };

    beforeAll(async () => {
      streamlab = await startStreamlab();
      figures[`${viewport.name} start→ready ms`] = Math.round(streamlab.readyMs);
      context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: streamlab.origin });
      page = await context.newPage();
      page.on('pageerror', (e) => errors.push(e.message));
    });

    afterAll(async () => {
      await context?.close();
      const stopped = await streamlab?.stop();
      if (stopped) figures[`${viewport.name} shutdown ms`] = Math.round(stopped.ms);
    });

    step('opens the printed URL: the page answers at once and lists the lessons', async () => {
      const response = await page.goto(streamlab.url);
      expect(response?.status()).toBe(200);
      await page.getByText('Runtime: Connected').waitFor({ timeout: 60_000 });
      const titles = LESSONS.map((l) => lessonOutline(l.id).title);
      const list = page.getByRole('list', { name: 'Lessons' }).getByRole('link');
      await expect.poll(async () => (await list.allTextContents()).filter((t) => titles.some((title) => t.includes(title))).length, { timeout: 30_000 }).toBe(titles.length);
      await snap(page, viewport, '00-lessons');
    });

    for (const lesson of LESSONS.filter((l) => only('JOURNEY_LESSONS')?.includes(l.id.slice(0, 2)) ?? true)) {
      const n = lesson.id.slice(0, 2);
      const { title, headings } = lessonOutline(lesson.id);
      const api = /^api: (\w+)$/m.exec(lessonFile(lesson.id, 'lesson.md'))?.[1];
      const shot = (i: number | string, what: string) => snap(page, viewport, `${n}-${String(i).padStart(2, '0')}-${what}`);

      describe.sequential(`lesson ${n}: ${title}`, () => {
        /** Runs the code in the editor on the manual clock, steps it, and reads the Timeline. */
        function manualClockStep(manualCode: 'starter' | 'solution') {
          step(`steps the manual clock with the ${manualCode}: the Timeline draws the lesson's windows in their lanes`, async () => {
            await stopRun(page);
            await page.getByRole('radio', { name: 'Manual' }).check();
            await runButton(page).click();
            const step = page.getByRole('button', { name: 'Step', exact: true });
            await expect.poll(() => step.isEnabled(), { timeout: 120_000 }).toBe(true);
            const started = await processingTime(page);
            await shot(manualCode === 'starter' ? 5 : 13, 'manual-clock');
            const advance = page.getByRole('button', { name: /^\+\d+ s$/ });
            for (let i = 0; i < 9; i++) await advance.first().click();
            await expect.poll(() => processingTime(page), { timeout: 60_000 }).not.toBe(started);
            await tab(page, 'Timeline').click();
            if (api === 'dstream') {
              // Nine 10-second batches from 10:00: each band counts the lesson's readings that arrived in its
              // interval, once (the starter's three jobs each read the topic), in one lane per sensor.
              await expect.poll(() => dstreamBands(page), { timeout: 60_000 }).toEqual(dstreamBandsOf(LESSON_02, 9, 10_000));
              expect((await laneLabels(page)).sort()).toEqual(SENSORS);
            } else if (lesson.id.startsWith('03')) {
              await expect.poll(async () => (await windowLanes(page)).length, { timeout: 60_000 }).toBeGreaterThan(2);
              const boxes = await windowLanes(page);
              expect(boxes.filter((b) => b.lane !== b.key)).toEqual([]);
              expect([...new Set(boxes.map((b) => b.key))].sort()).toEqual(SENSORS);
              expect(await laneLabels(page)).not.toContain('(no key)');
            } else {
              // Counting by origin: no windows, one lane per origin.
              await expect.poll(async () => (await laneLabels(page)).length, { timeout: 60_000 }).toBeGreaterThan(1);
              expect(await laneLabels(page)).not.toContain('(no key)');
            }
            await shot(manualCode === 'starter' ? 6 : 14, 'timeline');
            await stopRun(page);
            await page.getByRole('radio', { name: 'System' }).check();
          });
        }

        step('opens the lesson from the list and reads it step by step', async () => {
          await page.goto(streamlab.url.replace(/#.*$/, ''));
          await page.getByRole('link', { name: new RegExp(title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) }).click();
          await page.locator('sl-editor .monaco-editor .view-lines').waitFor({ timeout: 60_000 });
          await expect.poll(async () => (await editorFiles(page))[0]?.content, { timeout: 30_000 }).toBe(lessonFile(lesson.id, 'starter.ts'));
          await shot(1, 'open');
          // Read every step: Next until the last, noting the headings the learner sees.
          const seen: string[] = [];
          const next = page.getByRole('navigation', { name: 'Steps' }).getByRole('button', { name: 'Next' });
          for (let i = 0; i < 20; i++) {
            seen.push(...(await page.getByRole('article', { name: 'Lesson text' }).getByRole('heading', { level: 2 }).allTextContents()).map((t) => t.trim()));
            if (await next.isDisabled()) break;
            await next.click();
          }
          expect(seen.filter((h) => headings.includes(h))).toEqual(headings);
          await shot(2, 'read');
        });

        step('runs the starter: the lesson\'s own data arrives', async () => {
          await stopRun(page);
          await systemClock(page);
          await tab(page, 'Output').click();
          const t0 = performance.now();
          await pressRun(page);
          if (api === 'kafka') {
            // The starter produces three readings and then reads `report` from its end: it prints nothing,
            // which is the lesson's point; the data is in the Topics panel.
            await expect.poll(() => page.getByRole('status').filter({ hasText: /^(finished|stopped)$/ }).count(), { timeout: 120_000 }).toBe(1);
            figures[`${viewport.name} lesson ${n} Run→finished ms`] = Math.round(performance.now() - t0);
          } else if (lesson.id.startsWith('04')) {
            // The starter's console query asks for append mode without a watermark: Spark refuses at start.
            const alert = page.getByRole('alert').filter({ hasText: 'Append output mode not supported' });
            await alert.waitFor({ timeout: 120_000 });
            expect(await alert.textContent()).toMatch(/starter\.ts:40/);
          } else if (lesson.id.startsWith('05')) {
            // The starter's foreachBatch counts each micro-batch's fixes; its flow prints each fix as it comes, every field text.
            const log = page.getByRole('log', { name: 'Console' });
            await expect.poll(() => log.textContent(), { timeout: 120_000 }).toMatch(/batch 0: [1-9]\d* fixes/);
            figures[`${viewport.name} lesson ${n} Run→first batch ms`] = Math.round(performance.now() - t0);
            expect(await log.textContent()).toMatch(/driverId: '\d+',\s*lat: '35\.\d+',\s*lng: '51\.\d+',\s*time: '2026-11-21 10:00:\d\d\.\d{6}'/);
            await expect.poll(async () => (await batchFigures(page).allTextContents()).join('\n'), { timeout: 60_000 }).toMatch(/\|driverId\|\s*lat\|\s*lng\|\s*time\|/);
          } else if (lesson.id.startsWith('06')) {
            // The model answers the first readings; the 7th has an empty field, and the model's VectorAssembler stops the query on it.
            await batchFigures(page).first().waitFor({ timeout: 120_000 });
            figures[`${viewport.name} lesson ${n} Run→first batch ms`] = Math.round(performance.now() - t0);
            const alert = page.getByRole('alert').filter({ hasText: 'FAILED_EXECUTE_UDF' });
            await alert.waitFor({ timeout: 120_000 });
            expect((await alert.textContent())!.replace(/\s+/g, ' ').trim())
              .toMatch(/^Error \(FAILED_EXECUTE_UDF\): Query \[id = [0-9a-f-]+, runId = [0-9a-f-]+\] terminated with exception: \[FAILED_EXECUTE_UDF\] Failed to execute user defined function \(`VectorAssembler\$\$Lambda`: .*\)\. Caused by: Encountered null while assembling a row with handleInvalid = "error"\./);
            // What came out before: one answer for each reading before the broken one, in order.
            const answered = [...(await batchFigures(page).allTextContents()).join('\n').matchAll(/^\|\{"id":(\d+),"predicti\.\.\.\|$/gm)].map((m) => Number(m[1])).sort((a, b) => a - b);
            expect(answered.length).toBeGreaterThan(0);
            expect(answered).toEqual(Array.from({ length: answered.length }, (_, i) => i + 1));
            expect(answered.length).toBeLessThan(LESSON_06_FIRST_BAD);
          } else {
            await batchFigures(page).first().waitFor({ timeout: 120_000 });
            figures[`${viewport.name} lesson ${n} Run→first batch ms`] = Math.round(performance.now() - t0);
            if (lesson.id.startsWith('07')) {
              // The batch layer printed its view of the lake's history; the speed layer's batches hold the announced reports.
              const log = page.getByRole('log', { name: 'Console' });
              await expect.poll(() => log.textContent(), { timeout: 60_000 }).toMatch(/\|\s*week\|\s*country\|\s*cases\|\s*deaths\|/);
              expect(await log.textContent()).toContain('2020-03-02');
              for (const country of COUNTRIES) await expect.poll(async () => (await batchFigures(page).allTextContents()).join('\n'), { timeout: 60_000 }).toContain(country);
            } else if (api === 'structured') {
              // Every sensor of the lesson's data set, not only readings some earlier lesson left behind.
              for (const sensor of SENSORS) await expect.poll(async () => (await batchFigures(page).allTextContents()).join('\n'), { timeout: 60_000 }).toContain(sensor);
            } else {
              // The job prints what it computed from the lesson's readings: every sensor of its data set.
              const log = page.getByRole('log', { name: 'Console' });
              for (const sensor of SENSORS) await expect.poll(() => log.textContent(), { timeout: 60_000 }).toContain(`'${sensor}'`);
            }
          }
          await shot(3, 'run-starter');
          // The Topics panel shows the lesson's topics with their partitions, holding the lesson's records.
          await tab(page, 'Topics').click();
          const topics = page.getByRole('region', { name: 'Topics' });
          const row = (name: string) => topics.getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) }).getByRole('cell');
          await expect.poll(() => recordsIn(row(lesson.input)), { timeout: 60_000 }).toBeGreaterThan(0);
          // Every topic the lesson declares, with the partitions it states.
          expect(await Promise.all(LESSON_TOPICS[lesson.id]!.map(async (t) => [t.name, (await row(t.name).allTextContents())[1]])))
            .toEqual(LESSON_TOPICS[lesson.id]!.map((t) => [t.name, String(t.partitions)]));
          if (lesson.id.startsWith('06')) {
            // The starter's answers in kaspar-outputs: no key, and the probabilities as Spark's stored vector.
            await topics.getByRole('button', { name: 'Tail kaspar-outputs' }).click();
            const tail = page.getByRole('region', { name: 'Tail' });
            await expect.poll(() => tailRecords(tail), { timeout: 60_000 }).not.toEqual([]);
            const records = await tailRecords(tail);
            expect(records.every((r) => r.key === 'null' && /^\{"id":\d+,"prediction":[0-2]\.0,"probability":\{"type":1,"values":\[[^\]]+\]\}\}$/.test(r.value))).toBe(true);
            await shot('04a', 'tail-outputs');
          }
          if (lesson.id.startsWith('05')) {
            // The starter writes nothing to PostgreSQL: the learner's query finds no table.
            await tab(page, 'Database').click();
            const query = page.getByRole('region', { name: 'Query' });
            await query.getByRole('textbox').fill('select count(*) from locations');
            await query.getByRole('button', { name: 'Run query' }).click();
            await expect.poll(() => query.getByRole('alert').textContent(), { timeout: 30_000 }).toBe('PostgreSQL: relation "locations" does not exist');
            await shot('04a', 'database-starter');
          }
          // Nothing the checks made is among the learner's topics.
          expect((await topics.getByRole('row').allTextContents()).filter((t) => /check-/.test(t))).toEqual([]);
          await shot(4, 'topics');
          await tab(page, 'Output').click();
        });

        if (api === 'dstream') {
          step('shows each DStream batch as what the job printed, with no empty table of its own', async () => {
            await tab(page, 'Output').click();
            await batchFigures(page).first().waitFor({ timeout: 60_000 });
            expect((await batchFigures(page).allTextContents()).join('\n')).not.toMatch(/^\+\+$/m);
          });
        }

        if (api === 'dstream' || lesson.id.startsWith('03')) {
          step('starts the manual clock at the lesson\'s 10:00', async () => {
            await stopRun(page);
            await page.getByRole('radio', { name: 'Manual' }).check();
            await runButton(page).click();
            await expect.poll(() => page.getByRole('button', { name: 'Step', exact: true }).isEnabled(), { timeout: 120_000 }).toBe(true);
            // Its data starts at 10:00 on 2026-11-21, and so does processing time.
            await expect.poll(() => processingTime(page), { timeout: 60_000 }).toBe('Processing time: 2026-11-21 10:00:00 UTC');
            if (api === 'dstream') {
              // No batch until the clock moves a batch interval, and Output says so instead of staying blank.
              await tab(page, 'Output').click();
              await expect.poll(() => page.locator('sl-output-panel').getByRole('status').textContent(), { timeout: 30_000 })
                .toBe('Running on the manual clock: the StreamingContext makes a batch every 10 seconds of processing time. Press +10 s to end the first one, or Step.');
            }
            await stopRun(page);
            await page.getByRole('radio', { name: 'System' }).check();
          });
          manualClockStep('starter');
        }

        step('finds Check beside Run, with the Output panel open', async () => {
          await tab(page, 'Output').click();
          const controls = await page.locator('sl-run-controls').boundingBox();
          const check = await page.locator('sl-lesson-view').getByRole('button', { name: 'Check', exact: true }).first().boundingBox();
          expect(check && controls && Math.abs(check.y - controls.y) < controls.height).toBe(true);
        });

        step('presses Check with the starter: each check fails with a readable reason', async () => {
          await stopRun(page);
          await expect.poll(async () => (await editorFiles(page))[0]?.content, { timeout: 30_000 }).toBe(lessonFile(lesson.id, 'starter.ts'));
          await pressCheck(page);
          const lines = await finishedChecks(page, 120_000);
          expect(lines.map((l) => l.passed)).toEqual(lesson.starterFailures.map(() => false));
          for (const [i, [name, message]] of lesson.starterFailures.entries()) {
            const text = lines[i]!.text;
            expect(text).toContain(name);
            expect(lines[i]!.message).toMatch(message);
            for (const bad of UNREADABLE) expect(text).not.toMatch(bad);
          }
          await shot(7, 'check-starter');
        });

        step('pastes the solution into the editor', async () => {
          const solution = lessonFile(lesson.id, 'solution.ts');
          await pasteCode(page, solution);
          await shot(8, 'solution');
        });

        step('presses Check with the solution: every check passes', async () => {
          await pressCheck(page);
          const lines = await finishedChecks(page, 120_000);
          expect(lines.map((l) => l.passed)).toEqual(lesson.starterFailures.map(() => true));
          expect(await page.getByText(`${lines.length} of ${lines.length} checks passed`).count()).toBeGreaterThan(0);
          await shot(9, 'check-solution');
        });

        step('runs the solution: the lesson\'s data comes out as the lesson says', async () => {
          await stopRun(page);
          await systemClock(page);
          // Output turns to this run at once: every batch and line waited for below is this run's, not the
          // manual-clock run's before it.
          await pressRun(page);
          if (api === 'kafka') {
            const log = page.getByRole('log', { name: 'Console' });
            await expect.poll(() => log.textContent(), { timeout: 120_000 }).toContain('report:0:0: key=sensor-1 value={"node_name":"sensor-1","avg":21.4}');
          } else if (api === 'dstream') {
            await batchFigures(page).first().waitFor({ timeout: 120_000 });
          } else {
            if (!lesson.id.startsWith('06')) await batchFigures(page).first().waitFor({ timeout: 120_000 });
            if (lesson.id.startsWith('05')) {
              // Every 10 s main prints the tutorial's table with this run's measured latencies and start-up times.
              const log = page.getByRole('log', { name: 'Console' });
              await expect.poll(() => log.textContent(), { timeout: 120_000 }).toMatch(/Latency\s+\| p50 \d+ ms, p99 \d+ ms\s+\| p50 \d+ ms, p99 \d+ ms/);
              expect(await log.textContent()).toMatch(/Startup time\s+\| \d+ ms\s+\| \d+ ms/);
            } else if (lesson.id.startsWith('06')) {
              // Both programs keep their state in /tmp/checkpoints/kaspar; Run emptied kaspar-inputs to play the
              // lesson's data again, so the query starts from the beginning too, and says so.
              await expect.poll(() => page.getByRole('log', { name: 'Console' }).textContent(), { timeout: 60_000 })
                .toContain('Run emptied kaspar-inputs to play the lesson\'s data from its first record, so the query starts from the beginning too, without the saved state of the last run.');
              await expect.poll(async () => (await batchFigures(page).allTextContents()).join('\n'), { timeout: 120_000 }).toMatch(/^\|\s*\d+\|\{"id":\d+,"predicti\.\.\.\|$/m);
            } else if (lesson.id.startsWith('07')) {
              // After the batch view of the history (weeks to 2020-03-23), the speed layer's first week: 2020-03-30.
              await expect.poll(async () => (await batchFigures(page).allTextContents()).join('\n'), { timeout: 120_000 }).toMatch(/\|2020-03-30\|\s*Germany\|/);
            } else {
              const text = (await batchFigures(page).allTextContents()).join('\n');
              expect(text).toMatch(lesson.id.startsWith('04') ? /\|\s*origin\s*\|count\|/ : /sensor-1/);
            }
          }
          if (lesson.id.startsWith('03') || lesson.id.startsWith('04')) {
            // Output appends as Spark's console does: oldest first, the newest in view at the bottom.
            const batchOrder = () => batchFigures(page).evaluateAll((els) => els.map((e) => /^Batch (\d+)(?: of (.*))?$/.exec(e.getAttribute('aria-label') ?? '')).map((m) => [m?.[2] ?? '', Number(m?.[1])] as const));
            // Past the first trigger (the lesson's data plays for more than one).
            await expect.poll(async () => { const ids = (await batchOrder()).map(([, id]) => id); return ids.length > 1 && Math.max(...ids) > Math.min(...ids); }, { timeout: 120_000 }).toBe(true);
            // The oldest first: the first table is the lowest batch (newest first began with the highest), and later
            // ones go on from it (the queries' tables interleave as they arrive, and unnamed queries share a label).
            const ids = (await batchOrder()).map(([, id]) => id);
            expect([ids[0], ids[0]! < Math.max(...ids)]).toEqual([Math.min(...ids), true]);
            const newestInView = async () => {
              const panel = await page.getByRole('tabpanel', { name: /^Output/ }).boundingBox();
              const last = await batchFigures(page).last().boundingBox();
              // The end of the newest batch's table is inside the panel (a table taller than the panel shows its end).
              return !!panel && !!last && last.y + last.height >= panel.y && last.y + last.height <= panel.y + panel.height + 1;
            };
            await expect.poll(newestInView, { timeout: 30_000 }).toBe(true);
            // A shorter window makes the panel shorter, not its content: the newest line stays in view (once the
            // run stopped, so that no new batch scrolls the panel).
            await stopRun(page);
            await page.setViewportSize({ width: viewport.width, height: viewport.height - 150 });
            await expect.poll(newestInView, { timeout: 30_000 }).toBe(true);
            await page.setViewportSize({ width: viewport.width, height: viewport.height });
          }
          await shot(10, 'run-solution');
          if (lesson.id.startsWith('07')) {
            // The serving view answers from both layers: the batch view's weeks and the speed view's newer ones.
            await tab(page, 'Database').click();
            const query = page.getByRole('region', { name: 'Query' });
            await query.getByRole('textbox').fill("select week, country, cases, deaths, layer from serving order by week, country");
            const layers = async () => {
              await query.getByRole('button', { name: 'Run query' }).click();
              return [...new Set((await query.getByRole('cell').allTextContents()).filter((c) => c === 'batch' || c === 'speed'))].sort();
            };
            await expect.poll(layers, { timeout: 60_000 }).toEqual(['batch', 'speed']);
            await shot(15, 'serving');
            await tab(page, 'Output').click();
          }
          if (lesson.id.startsWith('06')) {
            // kaspar-outputs: after the starter's answers, one per reading keyed by its id, the broken one answered with its error.
            await tab(page, 'Topics').click();
            await page.getByRole('region', { name: 'Topics' }).getByRole('button', { name: 'Tail kaspar-outputs' }).click();
            const tail = page.getByRole('region', { name: 'Tail' });
            const bad = String(LESSON_06_FIRST_BAD);
            await expect.poll(async () => (await tailRecords(tail)).filter((r) => r.key === bad || r.key === String(LESSON_06_FIRST_BAD + 1)).sort((a, b) => Number(a.key) - Number(b.key)).map((r) => r.value.replace(/"prediction":[0-2]\.0,"probability":\[[\d.E-]+(,[\d.E-]+){2}\]/, '"prediction":…,"probability":[…]')), { timeout: 60_000 })
              .toEqual([`{"id":${bad},"error":"unreadable features"}`, `{"id":${LESSON_06_FIRST_BAD + 1},"prediction":…,"probability":[…]}`]);
            // The end offsets follow the run without ↻: once the tail holds a record past the end the list
            // showed, the list moves past it too.
            const outputsEnd = async () => recordsIn(page.getByRole('region', { name: 'Topics' }).getByRole('row').filter({ has: page.getByRole('cell', { name: 'kaspar-outputs', exact: true }) }).getByRole('cell'));
            const shown = await outputsEnd();
            const newest = async () => Math.max(-1, ...(await tail.getByRole('row').evaluateAll((trs) => trs.map((tr) => Number(tr.querySelectorAll('td')[1]?.textContent ?? -1)))));
            await expect.poll(newest, { timeout: 120_000 }).toBeGreaterThanOrEqual(shown);
            const past = await newest();
            await expect.poll(outputsEnd, { timeout: 30_000 }).toBeGreaterThan(past);
            await shot(15, 'tail-outputs');
            await tab(page, 'Output').click();
          }
          if (lesson.id.startsWith('05')) {
            // PostgreSQL holds the fixes: typed as the tutorial's schema, every one once (no crash yet), and the flow's copy.
            await tab(page, 'Database').click();
            const tables = page.getByRole('region', { name: 'Tables' });
            await tables.getByRole('button', { name: 'Refresh tables' }).click();
            // The learner's tables live in their own schema, which their queries search first.
            await expect.poll(async () => (await tables.getByRole('listitem').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim()).filter((t) => /^learner\.locations(_flow)? /.test(t)), { timeout: 60_000 })
              .toEqual(['learner.locations driverId integer, lat real, lng real, time timestamp without time zone', 'learner.locations_flow driverId integer, lat real, lng real, time timestamp without time zone']);
            const query = page.getByRole('region', { name: 'Query' });
            await query.getByRole('textbox').fill('select count(*) as fixes, count(distinct ("driverId", time)) as different, (select count(*) from locations_flow) as flow from locations');
            const counts = async () => {
              await query.getByRole('button', { name: 'Run query' }).click();
              await expect.poll(() => query.getByRole('cell').count(), { timeout: 30_000 }).toBe(3);
              return (await query.getByRole('cell').allTextContents()).map(Number);
            };
            await expect.poll(async () => { const [fixes, different, flow] = await counts(); return fixes! > 0 && fixes === different && flow! > 0; }, { timeout: 60_000 }).toBe(true);
            await shot(15, 'database');
            await tab(page, 'Output').click();
          }
          await stopRun(page);
        });

        if (lesson.id.startsWith('03')) {
          step('sends the lesson\'s late reading on the manual clock: the watermark has passed its window, so Spark drops it', async () => {
            await stopRun(page);
            const data = page.getByRole('group', { name: 'Lesson data' });
            const replay = data.getByRole('button', { name: 'Replay data', exact: true });
            const late = data.getByRole('button', { name: LATE.label, exact: true });
            // Before a run the data's buttons do nothing and say why.
            expect([await replay.isDisabled(), await replay.getAttribute('title')]).toEqual([true, 'The lesson\'s data plays into a run: press Run first.']);
            expect([await late.isDisabled(), await late.getAttribute('title')]).toEqual([true, 'The lesson\'s data plays into a run: press Run first.']);
            await page.getByRole('radio', { name: 'Manual' }).check();
            await pressRun(page);
            await expect.poll(() => late.isEnabled(), { timeout: 120_000 }).toBe(true);
            const played = data.getByRole('status', { name: 'Data played' });
            expect([LATE.key, LATE.topic]).toEqual(['sensor-1', 'sensors.temperature']);
            expect(await played.textContent()).toBe(`The lesson's ${LESSON_03.records.length} records arrive as the clock reaches their arrival times.`);
            // The solution has the default trigger: the learner's picked step, +10 s, twelve times to 10:02.
            await advanceTo(page, LESSON_03.clockStartMs + 120_000);
            // Every reading that arrived by 10:02:00 went through a batch; the watermark is the latest event
            // time among them minus the query's 30 seconds.
            const watermarkMs = watermarkAt(LESSON_03.clockStartMs + 120_000);
            await late.click();
            const lateEventMs = LESSON_03.clockStartMs + 120_000 - LATE.eventTime!.secondsBeforeClock * 1000;
            await expect.poll(() => played.textContent(), { timeout: 30_000 })
              .toBe(`Sent ${LATE.label} to sensors.temperature: key sensor-1, measured ${clockText(lateEventMs)}.`);
            await shot(15, 'late-reading-sent');
            // Its window [10:00:00, 10:01:00) ended before the watermark: the next batch drops it.
            const windowEndMs = lateEventMs - (lateEventMs % 60_000) + 60_000;
            expect(windowEndMs <= watermarkMs).toBe(true);
            const before = await lastBatchId(page);
            await page.getByRole('button', { name: 'Step', exact: true }).click();
            await expect.poll(() => lastBatchId(page), { timeout: 60_000 }).toBe(before + 1);
            const meta = page.locator('sl-batch-table').filter({ has: page.getByRole('figure', { name: new RegExp(`^Batch ${before + 1}( |$)`) }) }).locator('.meta');
            // The solution's two queries (console and report) each show a batch of that number: the console's read the reading and dropped it.
            const metas = (await meta.allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
            expect(metas.filter((t) => /^(?:.* · )?1 input row(?: · \d+ ms)? · 1 dropped as late$/.test(t)).length).toBeGreaterThanOrEqual(1);
            await shot(16, 'late-reading-dropped');
            await tab(page, 'Timeline').click();
            // The solution runs two queries on the same windows (the console and the report topic): each drops
            // the reading and the Timeline marks each drop; the console query's is the batch the Output shows.
            const dropped = `Dropped in batch ${before + 1}: sensor-1, 30.0, ${new Date(lateEventMs).toISOString().slice(0, 19).replace('T', ' ')}. `
              + `Dropped as late: window end ${windowEndMs} <= watermark ${watermarkMs}.`;
            await expect.poll(() => droppedDots(page), { timeout: 30_000 }).toContain(dropped);
            expect((await droppedDots(page)).every((d) => d.startsWith('Dropped in batch ') && d.includes(': sensor-1, 30.0, ') && d.includes('Dropped as late: window end '))).toBe(true);
            await shot(17, 'late-reading-timeline');
          });

          step('replays the lesson\'s data: the same readings arrive again, two minutes later, and fill the next windows', async () => {
            const data = page.getByRole('group', { name: 'Lesson data' });
            const played = data.getByRole('status', { name: 'Data played' });
            await tab(page, 'Output').click();
            await data.getByRole('button', { name: 'Replay data', exact: true }).click();
            // The clock reads 10:02:00: the data moves by the whole minutes since 10:00, two.
            await expect.poll(() => played.textContent(), { timeout: 30_000 }).toBe(`Playing the lesson's ${LESSON_03.records.length} records again, 2 min later (from 10:02:00).`);
            await advanceTo(page, LESSON_03.clockStartMs + 150_000);
            // The window [10:02:00, 10:03:00) now holds the replayed readings measured 10:00:00–10:00:28,
            // two minutes later: per sensor, those that arrived (moved) by 10:02:30.
            const expected = Object.fromEntries(SENSORS.map((sensor) => [sensor, LESSON_03.records
              .filter((r) => r.key === sensor && r.arrivalMs + 120_000 <= LESSON_03.clockStartMs + 150_000 && r.eventTimeMs! + 120_000 < LESSON_03.clockStartMs + 180_000).length]));
            expect(Object.values(expected).every((n) => n > 0)).toBe(true);
            await expect.poll(async () => latestReadings(await batchFigures(page).allTextContents(), '2026-11-21 10:02:00'), { timeout: 60_000 }).toEqual(expected);
            await shot(18, 'replayed');
            await tab(page, 'Timeline').click();
            await expect.poll(async () => (await windowLanes(page)).filter((b) => b.start === '10:02:00').map((b) => `${b.lane}:${b.key}`).sort(), { timeout: 30_000 })
              .toEqual(SENSORS.map((s) => `${s}:${s}`));
            await shot(19, 'replayed-timeline');
            await stopRun(page);
            await page.getByRole('radio', { name: 'System' }).check();
          });

          step('clears the lesson\'s topic from the Topics panel after saying what goes', async () => {
            await tab(page, 'Topics').click();
            const topics = page.getByRole('region', { name: 'Topics' });
            await topics.getByRole('button', { name: 'Clear sensors.temperature', exact: true }).click();
            const confirm = topics.getByRole('group', { name: 'Clear sensors.temperature?' });
            expect((await confirm.textContent())!.replace(/\s+/g, ' ').trim())
              .toBe('Delete every record in sensors.temperature? Its 3 partitions stay; a clear cannot be undone. Clear sensors.temperature Keep the records');
            await shot(20, 'clear-topic-asks');
            // Keep first: nothing goes.
            await confirm.getByRole('button', { name: 'Keep the records' }).click();
            expect(await confirm.count()).toBe(0);
            const offsets = () => topics.getByRole('row').filter({ has: page.getByRole('cell', { name: 'sensors.temperature', exact: true }) }).getByRole('cell').nth(2).textContent();
            const played = await offsets();
            expect(played).not.toBe('0, 0, 0');
            await topics.getByRole('button', { name: 'Clear sensors.temperature', exact: true }).click();
            await confirm.getByRole('button', { name: 'Clear sensors.temperature', exact: true }).click();
            await expect.poll(() => topics.getByRole('status', { name: 'Topic changes' }).textContent(), { timeout: 30_000 }).toBe('Cleared sensors.temperature: its 3 partitions are empty.');
            // Kafka's DeleteRecords moves each partition's start up to its end: the end offsets stay where they were.
            await topics.getByRole('button', { name: 'Refresh topics' }).click();
            await expect.poll(offsets, { timeout: 30_000 }).toBe(played);
            await shot(21, 'topic-cleared');
            await tab(page, 'Output').click();
          });
        }

        step('reloads the page: the code is still there', async () => {
          await page.reload();
          await page.locator('sl-editor .monaco-editor .view-lines').waitFor({ timeout: 60_000 });
          await expect.poll(async () => (await editorFiles(page))[0]?.content, { timeout: 30_000 }).toBe(lessonFile(lesson.id, 'solution.ts'));
          await expect.poll(() => page.getByRole('status').filter({ hasText: 'Restored your saved code.' }).count(), { timeout: 30_000 }).toBe(1);
          await shot(11, 'reloaded');
        });

        step('after the reload, the check results are still there', async () => {
          await tab(page, 'Checks').click();
          await expect.poll(async () => (await checkLines(page)).map((l) => l.passed), { timeout: 30_000 }).toEqual(lesson.starterFailures.map(() => true));
          await shot(12, 'results-kept');
        });

        if (lesson.id.startsWith('04')) manualClockStep('solution');
      });
    }

    step('keeps the editor, the run controls and the panel tabs apart', async () => {
      const editor = await page.locator('sl-editor').boundingBox();
      const tabs = await page.getByRole('tablist', { name: 'Panels' }).boundingBox();
      const controls = await page.locator('sl-run-controls').boundingBox();
      expect(editor && tabs && controls).toBeTruthy();
      expect(overlaps(editor!, tabs!)).toBe(false);
      expect(overlaps(editor!, controls!)).toBe(false);
      // Every tab the lesson shows takes a click (nothing is drawn over it); a Kafka clients lesson has no
      // Timeline or Metrics, so a walk that ends with one clicks the tabs it has.
      const shown = page.getByRole('tablist', { name: 'Panels' }).getByRole('tab');
      expect(await shown.count()).toBeGreaterThanOrEqual(4);
      for (let i = 0; i < (await shown.count()); i++) await shown.nth(i).click({ timeout: 5_000 });
    });

    step('left no error in the page', async () => {
      expect(errors).toEqual([]);
    });
  });
}

const ALL_LESSONS = await loadLessons(join(repoRoot, 'lessons'));
/** The topics each lesson declares in its front matter, with their partitions. */
const LESSON_TOPICS: Record<string, { name: string; partitions: number }[]> = Object.fromEntries(ALL_LESSONS.map((l) => [l.id, l.topics]));

/** The records a topic holds, from its row's end offsets in the Topics panel ("12, 9, 10"). */
async function recordsIn(row: Locator): Promise<number> {
  const cells = await row.allTextContents();
  return cells.length ? cells[2]!.split(',').reduce((s, x) => s + (Number(x.trim()) || 0), 0) : 0;
}

/** Lesson 03's data as the runtime plays it (the lesson's front matter, resolved). */
const LESSON_03 = await (async () => {
  const lesson = findLesson(ALL_LESSONS, '03')!;
  const plan = planLessonData(lesson);
  return { clockStartMs: plan.clockStartMs!, records: plan.datasets.flatMap((d) => d.records), extras: lesson.extras };
})();
/** The id of lesson 06's first broken reading (a field empty or not a number, or too few fields). */
const LESSON_06_FIRST_BAD = (() => {
  const records = planLessonData(findLesson(ALL_LESSONS, '06')!).datasets.flatMap((d) => d.records);
  const bad = records.find((r) => { const f = r.value.split(','); return f.length !== 5 || f.some((x) => x.trim() === '' || Number.isNaN(Number(x))); })!;
  return Number(bad.value.split(',')[0]);
})();

/** The records the Tail shows: key and value, the value's JSON laid out on one line again. */
async function tailRecords(tail: Locator): Promise<{ key: string; value: string }[]> {
  const rows = await tail.getByRole('row').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
  return rows.filter((r) => r.length === 5).map((r) => ({ key: r[3]!, value: r[4]!.replace(/\n\s*/g, '').replace(/": /g, '":') }));
}

/** Lesson 02's data as the runtime plays it. */
const LESSON_02 = (() => {
  const plan = planLessonData(findLesson(ALL_LESSONS, '02')!);
  return { clockStartMs: plan.clockStartMs!, records: plan.datasets.flatMap((d) => d.records) };
})();

/**
 * The DStream Timeline's first `batches` bands for a lesson's data on the manual clock: batch k holds the
 * records that arrived in (start + k·interval, start + (k+1)·interval].
 */
function dstreamBandsOf(data: { clockStartMs: number; records: { arrivalMs: number }[] }, batches: number, intervalMs: number): string[] {
  return Array.from({ length: batches }, (_, k) => {
    const end = data.clockStartMs + (k + 1) * intervalMs;
    return `Batch ${k} (${data.records.filter((r) => r.arrivalMs > end - intervalMs && r.arrivalMs <= end).length})`;
  });
}

/** Its one-button late reading: sensor-1, measured 90 s before the clock. */
const LATE = LESSON_03.extras.find((x) => x.id === 'late-reading')!;

/** `10:00:30`: a time of day, UTC. */
const clockText = (ms: number) => new Date(ms).toISOString().slice(11, 19);

/** The watermark of lesson 03's solution once every reading that arrived by `clockMs` went through a batch. */
function watermarkAt(clockMs: number): number {
  return Math.max(...LESSON_03.records.filter((r) => r.arrivalMs <= clockMs).map((r) => r.eventTimeMs!)) - 30_000;
}

/** Presses the manual advance (+10 s) until the run's clock reads `targetMs`, one step at a time. */
async function advanceTo(page: Page, targetMs: number): Promise<void> {
  const advance = page.getByRole('button', { name: '+10 s', exact: true });
  for (let i = 0; i < 100; i++) {
    const now = await processingTime(page);
    const at = /(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) UTC/.exec(now ?? '');
    const ms = at ? Date.parse(`${at[1]}T${at[2]}Z`) : null;
    if (ms === targetMs) return;
    if (ms !== null && ms > targetMs) throw new Error(`the clock passed ${new Date(targetMs).toISOString()}: ${now}`);
    await advance.click();
    await expect.poll(() => processingTime(page), { timeout: 60_000 }).not.toBe(now);
  }
  throw new Error(`the clock never reached ${new Date(targetMs).toISOString()}`);
}

/** The id of the newest batch in Output (-1: none). */
async function lastBatchId(page: Page): Promise<number> {
  const names = await batchFigures(page).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
  return Math.max(-1, ...names.map((n) => Number(/^Batch (\d+)/.exec(n)?.[1] ?? -1)));
}

/** The hover texts of the dropped records the structured Timeline draws. */
async function droppedDots(page: Page): Promise<string[]> {
  return page.locator('sl-timeline').evaluate((el) => [...el.shadowRoot!.querySelectorAll('circle.hit title')].map((t) => t.textContent ?? '').filter((t) => t.startsWith('Dropped')));
}

/** Per sensor, the `readings` of the window starting at `start` in the newest batch that wrote it. */
function latestReadings(batches: string[], start: string): Record<string, number> {
  const row = new RegExp(`^\\|\\{${start}, [^}]*\\}\\|(sensor-\\d)\\s*\\|[^|]*\\|(\\d+)\\s*\\|$`, 'gm');
  const latest: Record<string, { batch: number; readings: number }> = {};
  for (const text of batches) {
    const batch = Number(/Batch: (\d+)/.exec(text)?.[1] ?? -1);
    for (const m of text.matchAll(row)) if (!latest[m[1]!] || latest[m[1]!]!.batch < batch) latest[m[1]!] = { batch, readings: Number(m[2]) };
  }
  return Object.fromEntries(Object.entries(latest).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, v.readings]));
}

/** Presses the Check button that sits beside Run (the Output panel stays open). */
/** Picks the system clock where the lesson shows a clock (the Kafka clients lesson has none: it runs on it). */
async function systemClock(page: Page): Promise<void> {
  const system = page.getByRole('radio', { name: 'System' });
  if ((await system.count()) > 0) await system.check();
}

async function pressCheck(page: Page): Promise<void> {
  await tab(page, 'Output').click();
  await page.locator('sl-lesson-view').getByRole('button', { name: 'Check', exact: true }).first().click();
}

/** Waits for the check run's summary and returns the listed results. */
async function finishedChecks(page: Page, timeout: number) {
  await tab(page, 'Checks').click();
  await page.getByText(/^\d+ of \d+ checks passed$/).waitFor({ timeout });
  return checkLines(page);
}
