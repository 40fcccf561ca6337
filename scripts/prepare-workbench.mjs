/**
 * `npm install` / `npm ci` (the root's `prepare`): builds the workbench, so `npm start` serves it at
 * once instead of building it on first start. An install without the workbench's build tools (a
 * production image installs only the runtime, and builds the workbench in its own stage) skips it.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const workbench = join(root, 'workbench');
let vitePath;
try {
  vitePath = createRequire(join(workbench, 'package.json')).resolve('vite');
} catch {
  vitePath = null;
}
if (!existsSync(join(workbench, 'index.html')) || !vitePath) {
  console.log('streamlab: the workbench is not built here (no sources or no Vite); `streamlab start` builds it when needed.');
} else {
  const started = Date.now();
  const vite = await import(vitePath);
  await vite.build({ root: workbench, logLevel: 'error', configFile: join(workbench, 'vite.config.ts') });
  console.log(`streamlab: workbench built in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}
