/**
 * Runs lesson checks (`NN-slug/check.test.ts`) on their own, as the grader does: one file per run, the
 * submission named by STREAMLAB_SUBMISSION. `streamlab` resolves to the runtime's learner API.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const alias = { streamlab: fileURLToPath(new URL('../runtime/src/streamlab.ts', import.meta.url)) };

export default defineConfig({
  resolve: { alias },
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['*/check.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    // Learners read the assertion message: show whole rows, never `[ …(5) ]`.
    chaiConfig: { truncateThreshold: 0 },
  },
});
