/**
 * The runtime's resident memory when nothing runs: one `streamlab start` on a fresh data directory
 * (embedded broker and PostgreSQL), measured after its ready line and a hello, then while lesson 03's
 * solution runs (sent as `run.start`, as the Run button sends it), and after that Run is stopped, for
 * CYCLES runs in turn: does the runtime return to its idle figure? The yardstick, in the same run: an
 * idle bare `node` process.
 *
 * RSS is read from /proc (Linux): the runtime's own process, and its whole tree (the job process of a
 * Run, the embedded PostgreSQL's processes). Not a test: it prints figures.
 * Usage: npm run bench idle-memory   (BENCH_CYCLES, 3 by default; BENCH_SETTLE_S, 20 by default)
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { startRuntime, type Message } from './support/runtime.js';

const CYCLES = Number(process.env.BENCH_CYCLES ?? 3);
const SETTLE_S = Number(process.env.BENCH_SETTLE_S ?? 20);
const LESSON = '03-structured-windows';
const MiB = 1024 * 1024;

function rssBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** The pid and every descendant of it, with each one's command name. */
function tree(root: number): { pid: number; comm: string }[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // Gone while listing.
    }
  }
  const out: { pid: number; comm: string }[] = [];
  const visit = (pid: number) => {
    let comm = '?';
    try {
      comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      return;
    }
    out.push({ pid, comm });
    for (const c of children.get(pid) ?? []) visit(c);
  };
  visit(root);
  return out;
}

interface Sample { label: string; own: number; total: number; processes: number; comms: string }
function sample(label: string, pid: number): Sample {
  const t = tree(pid);
  const byComm = new Map<string, number>();
  for (const p of t) byComm.set(p.comm, (byComm.get(p.comm) ?? 0) + 1);
  return { label, own: rssBytes(pid), total: t.reduce((a, p) => a + rssBytes(p.pid), 0), processes: t.length, comms: [...byComm].map(([c, n]) => `${c}×${n}`).join(' ') };
}
const sleep = (s: number) => new Promise((r) => setTimeout(r, s * 1000));

// The yardstick: a bare node process that does nothing.
const bare = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
await sleep(2);
const bareRss = rssBytes(bare.pid!);
bare.kill();

const load = loadavg()[0]!;
const rt = await startRuntime();
const samples: Sample[] = [];
await sleep(SETTLE_S);
samples.push(sample(`idle, ${SETTLE_S} s after hello`, rt.pid));
const got = await rt.request({ kind: 'lessons.get', lessonId: LESSON });
const solution = (got as unknown as { lesson: { solution: { path: string; content: string }[] } }).lesson.solution;
for (let c = 1; c <= CYCLES; c++) {
  const started = await rt.request({ kind: 'run.start', lessonId: LESSON, files: solution, mode: 'system' });
  if (started.kind !== 'run.start.ok') throw new Error(`run.start answered ${JSON.stringify(started)}`);
  const runId = started.runId as string;
  await rt.waitFor((m: Message) => m.runId === runId && (m.kind === 'run.batch' || m.kind === 'run.error'));
  await sleep(SETTLE_S);
  samples.push(sample(`Run ${c} of lesson 03, ${SETTLE_S} s after its first batch`, rt.pid));
  const jobPids = tree(rt.pid).filter((p) => p.pid !== rt.pid && p.comm.startsWith('node')).map((p) => p.pid);
  await rt.request({ kind: 'run.stop', runId });
  // Until the job process is gone.
  while (jobPids.some((p) => rssBytes(p) > 0)) await sleep(0.2);
  samples.push(sample(`Run ${c} stopped, job process gone`, rt.pid));
  await sleep(SETTLE_S);
  samples.push(sample(`Run ${c} stopped, ${SETTLE_S} s later`, rt.pid));
}
await rt.stop();

const mib = (b: number) => `${(b / MiB).toFixed(1)} MiB`;
console.log(`idle memory: streamlab start, fresh data directory, embedded defaults; load average ${load.toFixed(2)} at the start`);
console.log(`  bare node process: ${mib(bareRss)}`);
for (const s of samples) console.log(`  ${s.label.padEnd(46)} runtime ${mib(s.own).padStart(10)} (${(s.own / bareRss).toFixed(1)}× bare node)   tree ${mib(s.total).padStart(10)} over ${s.processes} processes (${s.comms})`);
