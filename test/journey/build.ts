/**
 * The workbench as this checkout has it: the production build `npm run build` makes, so the walk never
 * meets a stale dist. It is what installing Streamlab does before the first start.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../e2e/runtime-process.js';

export function buildWorkbench(): void {
  execFileSync(process.execPath, [join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], {
    cwd: join(repoRoot, 'workbench'),
    // vitest sets NODE_ENV=test, which would make Vite pick Lit's development build.
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: 'inherit',
  });
}
