/**
 * Time from `npm start` (the README's command: no data directory, so the embedded PostgreSQL makes a
 * new cluster every time, and nothing configured) to its ready line and to a usable page: the page is
 * served (200, the workbench and its script, not "building"), the websocket answers hello and lists the lessons, and
 * the embedded PostgreSQL answers `db.tables`. Embedded broker, embedded PostgreSQL. Also reported: a
 * bare `node -e` spawn on the same machine in the same run, as the floor the ratio is measured against,
 * and the first start of the run apart (the one that may fill this machine's caches: the runtime's
 * build when the sources changed since the last one, the initialised PostgreSQL cluster new clusters
 * are copied from).
 *
 * Not a test: it prints figures and asserts nothing. Usage: npm run bench start-time
 * (BENCH_RUNS=N for another number of starts than 5). BENCH_BASELINE=DIR measures another checkout
 * (installed and built, e.g. the commit before a change) side by side: the two start in turn, so both
 * see the same machine.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { cleanEnv } from './support/runtime.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

/** Resolves once no process of the group `pgid` is left. */
async function waitForGroupGone(pgid: number): Promise<void> {
  for (;;) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function bareNode(): Promise<number> {
  const t0 = performance.now();
  await new Promise<void>((resolve) => spawn(process.execPath, ['-e', 'console.log("x")'], { stdio: 'ignore' }).on('exit', () => resolve()));
  return performance.now() - t0;
}

/** npm's own CLI when the bench runs under npm (`npm run bench`), else `npm` from PATH. */
function npmStart(root: string, args: string[]): ReturnType<typeof spawn> {
  const npm = process.env.npm_execpath;
  const [cmd, argv] = npm && npm.endsWith('.js') ? [process.execPath, [npm, 'start', '--', ...args]] : ['npm', ['start', '--', ...args]];
  // Its own process group, so the stop reaches npm's shell and the runtime alike.
  return spawn(cmd, argv, { cwd: root, env: cleanEnv(), stdio: ['ignore', 'pipe', 'inherit'], detached: true });
}

async function startOnce(root: string): Promise<{ readyMs: number; usableMs: number; dbMs: number }> {
  const t0 = performance.now();
  const child = npmStart(root, ['--no-open', '--port', '0']);
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /Streamlab ready: (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', () => reject(new Error(`npm start exited before its ready line: ${out}`)));
  });
  const readyMs = performance.now() - t0;
  const page = await fetch(url);
  const html = await page.text();
  // The workbench's page (not "building the workbench…") and its script, which draws the lessons.
  const script = /<script type="module"[^>]*src="([^"]+)"/.exec(html)?.[1];
  const code = script ? await fetch(new URL(script, url)) : null;
  if (page.status !== 200 || !code || code.status !== 200) console.log(`  (the page answered ${page.status}, its script ${code?.status ?? 'none'}: ${html.slice(0, 80)})`);
  await code?.arrayBuffer();
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
  process.kill(-child.pid!, 'SIGINT');
  await exited;
  // npm returns as soon as its script does; the runtime's own exit is what frees the ports and the cluster.
  await waitForGroupGone(child.pid!);
  return { readyMs, usableMs, dbMs };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const checkouts = [...(process.env.BENCH_BASELINE ? [{ name: `baseline ${process.env.BENCH_BASELINE}`, root: process.env.BENCH_BASELINE }] : []), { name: 'this checkout', root: ROOT }];
const nodeTimes: number[] = [];
const figures = checkouts.map(() => ({ ready: [] as number[], usable: [] as number[], db: [] as number[] }));
for (let i = 0; i < RUNS; i++) {
  nodeTimes.push(await bareNode());
  for (const [c, checkout] of checkouts.entries()) {
    const r = await startOnce(checkout.root);
    figures[c]!.ready.push(r.readyMs);
    figures[c]!.usable.push(r.usableMs);
    figures[c]!.db.push(r.dbMs);
  }
}
const fmt = (n: number) => `${n.toFixed(0)} ms`;
console.log(`start-time: ${RUNS} runs of npm start, medians`);
console.log(`  bare node spawn:               ${fmt(median(nodeTimes))}`);
for (const [c, checkout] of checkouts.entries()) {
  const { ready, usable, db } = figures[c]!;
  if (checkouts.length > 1) console.log(`  ${checkout.name}:`);
  console.log(`  npm start → "Streamlab ready" line: ${fmt(median(ready))}  (${(median(ready) / median(nodeTimes)).toFixed(1)}× a bare node spawn; all runs: ${ready.map(fmt).join(', ')})`);
  console.log(`  npm start → usable page (page served, hello and lessons.list answered): ${fmt(median(usable))}  (all runs: ${usable.map(fmt).join(', ')})`);
  console.log(`  npm start → embedded PostgreSQL answering db.tables: ${fmt(median(db))}  (first start of the run: ${fmt(db[0]!)})`);
}
