/**
 * Time from spawning `streamlab start` (as `npm start` does, on a fresh data directory each time) to its
 * ready line and to a usable page: the page is served (200, the workbench, not "building"), the
 * websocket answers hello and lists the lessons, and the embedded PostgreSQL answers `db.tables`.
 * Embedded defaults (embedded broker, embedded PostgreSQL). Also reported: a bare `node -e` spawn on
 * the same machine in the same run, as the floor the ratio is measured against.
 *
 * Not a test: it prints figures and asserts nothing. Usage: npm run bench start-time
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const BIN = fileURLToPath(new URL('../runtime/bin/streamlab.js', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('STREAMLAB_') && k !== 'DISPLAY' && k !== 'WAYLAND_DISPLAY') env[k] = v;
  return env;
}

async function bareNode(): Promise<number> {
  const t0 = performance.now();
  await new Promise<void>((resolve) => spawn(process.execPath, ['-e', 'console.log("x")'], { stdio: 'ignore' }).on('exit', () => resolve()));
  return performance.now() - t0;
}

async function startOnce(): Promise<{ readyMs: number; usableMs: number; dbMs: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'streamlab-bench-'));
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN, 'start', '--no-open', '--port', '0', '--data-dir', dataDir], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /Streamlab ready: (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', () => reject(new Error(`streamlab start exited before its ready line: ${out}`)));
  });
  const readyMs = performance.now() - t0;
  const page = await fetch(url);
  const html = await page.text();
  if (page.status !== 200 || !html.includes('<sl-')) console.log(`  (the page answered ${page.status}: ${html.slice(0, 80)})`);
  const u = new URL(url);
  const ws = new WebSocket(`ws://${u.host}/ws?token=${u.searchParams.get('token')}`);
  await new Promise((resolve) => ws.once('open', resolve));
  const send = (m: object) => ws.send(JSON.stringify(m));
  const reply = (id: string) => new Promise<{ kind: string }>((resolve) => ws.on('message', (d) => {
    const m = JSON.parse(String(d)) as { kind: string; id?: string };
    if (m.id === id) resolve(m);
  }));
  const hello = reply('1');
  send({ kind: 'hello', id: '1', versions: [1] });
  await hello;
  const lessons = reply('3');
  send({ kind: 'lessons.list', id: '3' });
  await lessons;
  const usableMs = performance.now() - t0;
  const tables = reply('2');
  send({ kind: 'db.tables', id: '2' });
  const answer = await tables;
  const dbMs = performance.now() - t0;
  if (answer.kind !== 'db.tables.ok') console.log(`  (db.tables answered ${JSON.stringify(answer)})`);
  ws.close();
  child.kill('SIGINT');
  await exited;
  rmSync(dataDir, { recursive: true, force: true });
  return { readyMs, usableMs, dbMs };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const nodeTimes: number[] = [];
const ready: number[] = [];
const usable: number[] = [];
const db: number[] = [];
for (let i = 0; i < RUNS; i++) {
  nodeTimes.push(await bareNode());
  const r = await startOnce();
  ready.push(r.readyMs);
  usable.push(r.usableMs);
  db.push(r.dbMs);
}
const fmt = (n: number) => `${n.toFixed(0)} ms`;
console.log(`start-time: ${RUNS} runs, medians`);
console.log(`  bare node spawn:               ${fmt(median(nodeTimes))}`);
console.log(`  spawn → "Streamlab ready" line: ${fmt(median(ready))}  (${(median(ready) / median(nodeTimes)).toFixed(1)}× a bare node spawn; all runs: ${ready.map(fmt).join(', ')})`);
console.log(`  spawn → usable page (page served, hello and lessons.list answered): ${fmt(median(usable))}  (all runs: ${usable.map(fmt).join(', ')})`);
console.log(`  spawn → embedded PostgreSQL answering db.tables: ${fmt(median(db))}`);
