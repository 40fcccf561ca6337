#!/usr/bin/env node
// The `streamlab` command. Runs the runtime's build (plain JavaScript, see build-runtime.js), made
// first when the sources changed since the last one. Where no build can be made (no sources, or a
// folder it may not write), it runs the TypeScript sources through tsx, which is slower to start.
// The exit code is main()'s; exiting explicitly also ends clients that would otherwise keep the
// process alive after a clean shutdown.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runtimeBuild } from './build-runtime.js';

let built = null;
try {
  // A build takes seconds (more on a busy machine): the first start after a change says why it waits.
  const started = Date.now();
  built = await runtimeBuild({
    onBuild: () => console.error('streamlab: the runtime changed since its last build; building it first (a few seconds, once per change)…'),
  });
  if (built.built) console.error(`streamlab: runtime built in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
} catch (e) {
  console.error(`streamlab: running from the TypeScript sources, which starts slower: no build (${e instanceof Error ? e.message : String(e)}).`);
}
let main;
if (built) {
  // The runtime's own stack traces point at its TypeScript sources.
  process.setSourceMapsEnabled(true);
  ({ main } = await import(pathToFileURL(join(built.dir, 'cli.js')).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli.ts'));
}
const code = await main(process.argv.slice(2));
process.exit(code);
