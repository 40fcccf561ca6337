import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Runs the parity tier on its own: `npx vitest run --config test/parity/vitest.config.ts`.
const alias = { streamlab: fileURLToPath(new URL('../../runtime/src/streamlab.ts', import.meta.url)) };

export default defineConfig({
  resolve: { alias },
  test: {
    name: 'parity',
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/parity/**/*.test.ts'],
    globalSetup: ['./test/services/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
