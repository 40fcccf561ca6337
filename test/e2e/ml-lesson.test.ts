/**
 * Lesson 06 in Chromium: open it from the lesson list, write a pipeline that applies the lesson's
 * saved model to three CSV readings, press Run, and read the model's answers in the Output panel —
 * vectors printed as Spark prints them, the numbers PySpark 3.5.7 computed for the same rows.
 * Screenshots: test-results/e2e/ml-01-lesson.png, ml-02-output.png.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { databaseUrl, kafkaBootstrap } from '../services/inject.js';
import { launchChromium, screenshot } from './browser.js';
import { pasteCode } from '../journey/learner.js';
import { buildWorkbench } from '../journey/build.js';
import { startRuntime, type RuntimeProcess } from './runtime-process.js';

let runtime: RuntimeProcess;
let browser: Browser;

beforeAll(async () => {
  buildWorkbench();
  runtime = await startRuntime({ kafka: kafkaBootstrap(), pg: databaseUrl() });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

// Three readings: two ordinary ones (probe rows 0 and 3 of train.py) and one of zeros but the rpm,
// which the VectorAssembler stores sparse.
const PIPELINE = `import { SparkSession, MemoryStream, functions as F, ml } from "streamlab";

export function main(): void {
  const spark = SparkSession.builder.appName("inference").getOrCreate();
  const lines = new MemoryStream("value STRING", spark);
  lines.addData("9000,56.6,2.83,82.5,1427.0", "9003,67.9,3.4,101.7,1611.0", "9040,0.0,0.0,0.0,1500.0");
  const f = F.split(F.col("value"), ",");
  const rows = lines.toDF().select(f.getItem(0).cast("int").alias("id"), f.getItem(1).cast("double").alias("temperature"),
    f.getItem(2).cast("double").alias("vibration"), f.getItem(3).cast("double").alias("pressure"), f.getItem(4).cast("double").alias("rpm"));
  ml.PipelineModel.load("model").transform(rows)
    .select("id", "raw_features", "probability", "prediction")
    .writeStream.format("console").option("truncate", false).start();
}
`;

it('runs the lesson model from the editor and shows its vectors and predictions in Output', async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: runtime.origin });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(runtime.url);
  await page.getByText('Runtime: Connected').waitFor();
  await page.getByRole('link', { name: /Machine-learning inference on a stream/ }).click();
  await page.locator('sl-editor .monaco-editor .view-lines').waitFor();
  await screenshot(page, 'ml-01-lesson');

  // Replace the starter with the pipeline, as a learner pasting it would.
  await pasteCode(page, PIPELINE);

  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const batch0 = page.getByRole('figure', { name: /^Batch 0/ });
  await batch0.waitFor({ timeout: 60_000 });
  const rows = ((await batch0.textContent()) ?? '').split('\n').filter((l) => l.startsWith('|')).map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
  expect(rows).toEqual([
    ['id', 'raw_features', 'probability', 'prediction'],
    ['9000', '[56.6,2.83,82.5,1427.0]', '[0.9527991418057538,0.04536565680780694,0.001835201386439191]', '0.0'],
    // Spark: [0.6138942687542909,0.3618248963765517,0.02428083486915757]; the last digit may differ (Math.exp).
    ['9003', '[67.9,3.4,101.7,1611.0]', expect.stringMatching(/^\[0\.613894268754290\d,0\.361824896376551\d,0\.0242808348691575\d*\]$/), '0.0'],
    // Spark: [0.9999988799503079,1.1196742831770812E-6,3.7540916875628703E-10]
    ['9040', '(4,[3],[1500.0])', expect.stringMatching(/^\[0\.999998879950307\d,1\.119674283177081\dE-6,3\.754091687562870\dE-10\]$/), '0.0'],
  ]);
  await screenshot(page, 'ml-02-output');
  expect(errors).toEqual([]);
  await context.close();
});
