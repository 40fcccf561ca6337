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
    // A check's verdict must not depend on how busy the machine is: the sandbox stops endless loops by
    // CPU time, and the grader bounds the whole run, so a check only times out when it truly hangs.
    testTimeout: 150_000,
    // Learners read the assertion message: show whole rows, never `[ …(5) ]`.
    chaiConfig: { truncateThreshold: 0 },
  },
});
