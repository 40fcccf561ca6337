/**
 * Static files: a missing workbench build is built once with Vite (and the server says so), then served;
 * paths outside dist are not.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { resolveConfig } from '../../../runtime/src/config.js';
import { startRuntimeServer, type RuntimeServer } from '../../../runtime/src/server/runtime-server.js';

const TOKEN = 'assets-test-token-0123456789';
let dir: string;
let server: RuntimeServer;
const log: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'streamlab-workbench-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html><head><title>wb</title></head><body><p>workbench page</p></body></html>\n');
  writeFileSync(join(dir, 'vite.config.ts'), 'export default { logLevel: "silent" };\n');
  writeFileSync(join(dir, 'secret.txt'), 'not for the web\n');
  server = await startRuntimeServer({ config: resolveConfig({ port: 0, token: TOKEN }), services: {}, workbenchDir: dir, buildWorkbench: true, log: (l) => log.push(l) });
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('builds the missing workbench once, says so, then serves it', async () => {
  const base = `http://127.0.0.1:${server.port}`;
  let res = await fetch(`${base}/?token=${TOKEN}`);
  while (res.status === 503) {
    expect(await res.text()).toContain('The workbench is being built for the first time.');
    await new Promise((r) => setTimeout(r, 100));
    res = await fetch(`${base}/?token=${TOKEN}`);
  }
  expect(res.status).toBe(200);
  expect(await res.text()).toContain('<p>workbench page</p>');
  expect(log).toEqual([
    'streamlab: workbench/dist is missing; building the workbench once with Vite (this takes a few seconds)...',
    'streamlab: workbench built.',
  ]);
  expect((await fetch(`${base}/index.html`)).status).toBe(401);
  expect((await fetch(`${base}/%2e%2e/secret.txt`)).status).toBe(404);
  expect((await fetch(`${base}/..%2fsecret.txt`)).status).toBe(404);
  expect((await fetch(`${base}/missing.js`)).status).toBe(404);
});
