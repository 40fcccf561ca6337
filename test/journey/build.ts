/**
 * The workbench as this checkout has it: the production build `npm run build` makes, so a browser test
 * never meets a stale dist. It is what installing Streamlab does before the first start.
 *
 * `npm test` builds it once before its lanes start and sets STREAMLAB_WORKBENCH_BUILT: a build here
 * would empty dist while a runtime of the other lane serves it.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../e2e/runtime-process.js';

export function buildWorkbench(): void {
  if (process.env.STREAMLAB_WORKBENCH_BUILT === '1') return;
  execFileSync(process.execPath, [join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], {
    cwd: join(repoRoot, 'workbench'),
    // vitest sets NODE_ENV=test, which would make Vite pick Lit's development build.
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: 'inherit',
  });
}
