import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig, defineProject } from 'vitest/config';

// The learner's import path: `import { SparkSession, functions as F } from "streamlab"`.
const alias = { streamlab: fileURLToPath(new URL('./runtime/src/streamlab.ts', import.meta.url)) };
const servicesSetup = './test/services/global-setup.ts';

// `npm test` runs the integration tier's folders in two lanes (scripts/test-all.mjs): each lane names
// the folders under test/integration it runs (STREAMLAB_INTEGRATION_ONLY) or leaves to the other
// (STREAMLAB_INTEGRATION_SKIP), comma-separated. Unset: every folder.
const integrationFolders = (name: string) => (process.env[name] ?? '').split(',').map((f) => f.trim()).filter(Boolean);
const integrationOnly = integrationFolders('STREAMLAB_INTEGRATION_ONLY');
const integrationSkip = integrationFolders('STREAMLAB_INTEGRATION_SKIP');

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      defineProject({
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['runtime/src/**/*.test.ts', 'test/unit/**/*.test.ts', 'workbench/src/**/*.test.ts'],
          environment: 'node',
          // Some unit tests start a job process; on a loaded machine that alone can take seconds.
          testTimeout: 60_000,
        },
      }),
      defineProject({
        resolve: { alias },
        test: {
          name: 'conformance',
          include: ['test/conformance/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
        },
      }),
      defineProject({
        resolve: { alias },
        test: {
          name: 'integration',
          include: integrationOnly.length > 0 ? integrationOnly.map((f) => `test/integration/${f}/**/*.test.ts`) : ['test/integration/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...integrationSkip.map((f) => `test/integration/${f}/**`)],
          globalSetup: [servicesSetup],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      }),
      defineProject({
        resolve: { alias },
        test: {
          name: 'e2e',
          // A page answers after a round trip through the runtime: on a loaded machine that is more than
          // expect.poll's default second, so a poll waits as long as a locator's wait would.
          expect: { poll: { timeout: 30_000 } },
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: [servicesSetup],
          testTimeout: 180_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      }),
      defineProject({
        resolve: { alias },
        test: {
          // The learner's first hour: `streamlab start` on a fresh data directory and lessons 01–07 in
          // Chromium at two window sizes; needs no test services (the runtime brings its own).
          name: 'journey',
          expect: { poll: { timeout: 30_000 } },
          include: ['test/journey/**/*.test.ts'],
          testTimeout: 240_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      }),
      defineProject({
        resolve: { alias },
        test: {
          name: 'lessons',
          include: ['test/lessons/**/*.test.ts'],
          globalSetup: [servicesSetup],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          // Tests marked concurrent (independent grades) run two at a time: one per core of a small machine.
          maxConcurrency: 2,
        },
      }),
      defineProject({
        resolve: { alias },
        test: {
          // Hostile submissions through every path that runs learner code; PostgreSQL for lesson 05's.
          name: 'adversarial',
          include: ['test/adversarial/**/*.test.ts'],
          globalSetup: [servicesSetup],
          testTimeout: 180_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      }),
      defineProject({
        resolve: { alias },
        test: {
          name: 'parity',
          include: ['test/parity/**/*.test.ts'],
          globalSetup: [servicesSetup],
          testTimeout: 120_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      }),
      defineProject({
        resolve: { alias },
        test: {
          // The real Dockerfile and docker compose; skips when no Docker daemon answers. Images come from
          // a registry or from scripts/classroom/images.sh (NODE_IMAGE, KAFKA_IMAGE, POSTGRES_IMAGE).
          name: 'classroom',
          include: ['test/classroom/**/*.test.ts'],
          testTimeout: 1_800_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      }),
    ],
  },
});
