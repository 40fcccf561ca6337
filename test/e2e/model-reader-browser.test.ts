/**
 * The saved-model reader in a browser: bundled for the browser by esbuild (hyparquet included, no
 * Node built-ins), run in Chromium with the model's files fetched over HTTP, it decodes lesson 06's
 * model to exactly what it gives in Node.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { nodeModelFiles } from '../../runtime/src/connectors/ml/node-model-files.js';
import { readSavedModel } from '../../runtime/src/connectors/ml/saved-model-reader.js';
import { launchChromium } from './browser.js';
import { repoRoot } from './runtime-process.js';

const LESSON = join(repoRoot, 'lessons/06-stream-inference');
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

it('decodes the lesson model in Chromium exactly as in Node', async () => {
  const bundle = await build({
    stdin: {
      contents: `import { readSavedModel } from './runtime/src/connectors/ml/saved-model-reader.ts';
        window.readModel = (base) => readSavedModel({
          list: async (dir) => (await fetch(base + '/list/' + dir)).json(),
          read: async (file) => new Uint8Array(await (await fetch(base + '/file/' + file)).arrayBuffer()),
        }, 'model');`,
      resolveDir: repoRoot,
      loader: 'ts',
    },
    bundle: true, platform: 'browser', format: 'iife', write: false, logLevel: 'silent',
  });
  const script = bundle.outputFiles[0]!.text;
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.route('http://model.test/**', async (route) => {
    const path = decodeURIComponent(new URL(route.request().url()).pathname);
    if (path === '/') return route.fulfill({ contentType: 'text/html', body: `<!doctype html><script>${script}</script>` });
    if (path.startsWith('/list/')) {
      const dir = join(LESSON, path.slice('/list/'.length));
      return statSync(dir, { throwIfNoEntry: false })?.isDirectory()
        ? route.fulfill({ contentType: 'application/json', body: JSON.stringify(readdirSync(dir)) })
        : route.fulfill({ status: 404, body: 'no such folder' });
    }
    return route.fulfill({ contentType: 'application/octet-stream', body: readFileSync(join(LESSON, path.slice('/file/'.length))) });
  });
  await page.goto('http://model.test/');
  const inBrowser = await page.evaluate(async () => JSON.stringify(await (globalThis as unknown as { readModel(base: string): Promise<unknown> }).readModel('http://model.test')));
  const inNode = JSON.stringify(await readSavedModel(nodeModelFiles(), join(LESSON, 'model')).then((m) => JSON.parse(JSON.stringify(m).replaceAll(LESSON + '/', ''))));
  expect(JSON.parse(inBrowser)).toEqual(JSON.parse(inNode));
  expect(JSON.parse(inBrowser).stages.map((s: { model: { metadata: { class: string } } }) => s.model.metadata.class)).toEqual([
    'org.apache.spark.ml.feature.VectorAssembler', 'org.apache.spark.ml.feature.StandardScalerModel', 'org.apache.spark.ml.classification.LogisticRegressionModel',
  ]);
  expect(errors).toEqual([]);
  await page.close();
});
