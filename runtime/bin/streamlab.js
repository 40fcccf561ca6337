#!/usr/bin/env node
// The `streamlab` command. Runs the TypeScript sources through tsx, so a clone works after `npm ci`
// with no build step. The exit code is main()'s; exiting explicitly also ends clients that would
// otherwise keep the process alive after a clean shutdown.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
const code = await main(process.argv.slice(2));
process.exit(code);
