/**
 * Static files: a missing workbench build is built once with Vite (and the server says so), then served
 * compressed (brotli or gzip as the client accepts), with ETags, 304s and cache headers; paths outside
 * dist are not served.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../runtime/src/config.js';
import { startRuntimeServer, type RuntimeServer } from '../../../runtime/src/server/runtime-server.js';
import { chooseEncoding } from '../../../runtime/src/server/workbench-assets.js';

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

/** A GET or HEAD without any decoding, so the bytes and headers are what the server sent. */
function raw(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('compressed assets', () => {
  const app = 'assets/app-Ab1_cD-9.js';
  // Large enough to compress, varied enough that the sizes mean something.
  const appText = Array.from({ length: 2000 }, (_, i) => `export const value${i} = ${i * 7} + "${i.toString(36)}";\n`).join('');
  let appBytes: Buffer;

  beforeAll(async () => {
    // The build test above leaves dist built; wait for it if this runs alone.
    while ((await fetch(`http://127.0.0.1:${server.port}/?token=${TOKEN}`)).status === 503) await new Promise((r) => setTimeout(r, 100));
    mkdirSync(join(dir, 'dist', 'assets'), { recursive: true });
    writeFileSync(join(dir, 'dist', app), appText);
    writeFileSync(join(dir, 'dist', 'assets', 'font-Zz9yX8wV.woff2'), Buffer.alloc(4096, 7));
    writeFileSync(join(dir, 'dist', 'notes.txt'), 'unhashed file\n'.repeat(200));
    appBytes = readFileSync(join(dir, 'dist', app));
  });

  it('sends brotli when accepted, with the headers a cache needs, and the body decompresses to the file', async () => {
    const res = await raw(`/${app}`, { 'accept-encoding': 'gzip, deflate, br' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['vary']).toBe('Accept-Encoding');
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['etag']).toMatch(/^"[A-Za-z0-9_-]{22}-br"$/);
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
    expect(brotliDecompressSync(res.body).equals(appBytes)).toBe(true);
    expect(res.body.length).toBeLessThan(appBytes.length / 4);
  });

  it('sends gzip when brotli is not accepted, and the file itself when nothing is', async () => {
    const gz = await raw(`/${app}`, { 'accept-encoding': 'br;q=0, gzip' });
    expect([gz.status, gz.headers['content-encoding'], gz.headers['vary']]).toEqual([200, 'gzip', 'Accept-Encoding']);
    expect(gz.headers['etag']).toMatch(/^"[A-Za-z0-9_-]{22}-gzip"$/);
    expect(gunzipSync(gz.body).equals(appBytes)).toBe(true);
    const plain = await raw(`/${app}`);
    expect([plain.status, plain.headers['content-encoding'], plain.headers['vary']]).toEqual([200, undefined, 'Accept-Encoding']);
    expect(plain.headers['etag']).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
    expect(plain.body.equals(appBytes)).toBe(true);
    // One file, three representations, three tags that share the file's hash.
    const hash = plain.headers['etag']!.slice(1, -1);
    expect(gz.headers['etag']).toBe(`"${hash}-gzip"`);
  });

  it('answers 304 to a matching If-None-Match of the same representation only', async () => {
    const first = await raw(`/${app}`, { 'accept-encoding': 'br' });
    const etag = first.headers['etag']!;
    const again = await raw(`/${app}`, { 'accept-encoding': 'br', 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect([again.headers['etag'], again.headers['cache-control'], again.headers['vary']]).toEqual([etag, 'public, max-age=31536000, immutable', 'Accept-Encoding']);
    expect((await raw(`/${app}`, { 'accept-encoding': 'br', 'if-none-match': `"other", W/${etag}` })).status).toBe(304);
    // The brotli tag does not validate the gzip body.
    const gz = await raw(`/${app}`, { 'accept-encoding': 'gzip', 'if-none-match': etag });
    expect([gz.status, gz.headers['content-encoding']]).toEqual([200, 'gzip']);
  });

  it('answers HEAD with the compressed length and no body', async () => {
    const get = await raw(`/${app}`, { 'accept-encoding': 'br' });
    const head = await raw(`/${app}`, { 'accept-encoding': 'br' }, 'HEAD');
    expect([head.status, head.headers['content-encoding'], head.headers['content-length'], head.body.length]).toEqual([200, 'br', String(get.body.length), 0]);
  });

  it('revalidates unhashed files and leaves compressed formats and small files alone', async () => {
    const notes = await raw('/notes.txt', { 'accept-encoding': 'br' });
    expect([notes.headers['cache-control'], notes.headers['content-encoding']]).toEqual(['no-cache', 'br']);
    const font = await raw('/assets/font-Zz9yX8wV.woff2', { 'accept-encoding': 'br, gzip' });
    expect([font.headers['content-encoding'], font.headers['vary'], font.headers['cache-control'], font.body.length]).toEqual([undefined, undefined, 'public, max-age=31536000, immutable', 4096]);
    const page = await raw(`/?token=${TOKEN}`, { 'accept-encoding': 'br' });
    expect([page.status, page.headers['content-encoding'], page.headers['cache-control']]).toEqual([200, undefined, 'no-cache']);
    expect(page.body.toString()).toContain('<p>workbench page</p>');
  });

  it('compresses a file once and again only when it changes on disk', async () => {
    const file = join(dir, 'dist', 'notes.txt');
    // A whole-second mtime, so setting it again restores it exactly.
    const mtime = new Date(Math.floor(statSync(file).mtimeMs / 1000) * 1000 - 60_000);
    const atime = mtime;
    utimesSync(file, atime, mtime);
    const before = await raw('/notes.txt', { 'accept-encoding': 'br' });
    // Same size and mtime: the server must answer from what it compressed, not from the disk.
    writeFileSync(file, 'UNHASHED FILE\n'.repeat(200));
    utimesSync(file, atime, mtime);
    const cached = await raw('/notes.txt', { 'accept-encoding': 'br' });
    expect(brotliDecompressSync(cached.body).toString()).toBe('unhashed file\n'.repeat(200));
    expect(cached.headers['etag']).toBe(before.headers['etag']);
    // A new mtime is a new version: read, hashed and compressed again.
    utimesSync(file, atime, new Date(mtime.getTime() + 5000));
    const changed = await raw('/notes.txt', { 'accept-encoding': 'br' });
    expect(brotliDecompressSync(changed.body).toString()).toBe('UNHASHED FILE\n'.repeat(200));
    expect(changed.headers['etag']).not.toBe(before.headers['etag']);
  });

  it('reads Accept-Encoding q-values', () => {
    expect(chooseEncoding(undefined)).toBe('identity');
    expect(chooseEncoding('')).toBe('identity');
    expect(chooseEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(chooseEncoding('gzip;q=1.0, br;q=0')).toBe('gzip');
    expect(chooseEncoding('BR;Q=0.5')).toBe('br');
    expect(chooseEncoding('*')).toBe('br');
    expect(chooseEncoding('*;q=0, gzip')).toBe('gzip');
    expect(chooseEncoding('identity, deflate')).toBe('identity');
    expect(chooseEncoding('br;q=0, gzip;q=0')).toBe('identity');
  });
});
