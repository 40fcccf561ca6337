/**
 * `streamlab start` with its embedded services and a data directory, as a user runs it: after a
 * `kill -9` the PostgreSQL it started is still running on the data directory; starting again stops
 * that one and answers runs and `db.*`. As root with a private data directory (parent mode 0700) the
 * embedded PostgreSQL still starts, and the runtime is ready only with it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { TestClient } from './ws-client.js';
import { freePort } from '../../services/free-port.js';

const BIN = fileURLToPath(new URL('../../../runtime/bin/streamlab.js', import.meta.url));
const TOKEN = 'restart-test-token-0123456789';
const dirs: string[] = [];
const children = new Set<ChildProcess>();

function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('STREAMLAB_') && k !== 'DISPLAY' && k !== 'WAYLAND_DISPLAY') env[k] = v;
  return env;
}

interface Started {
  child: ChildProcess;
  port: number;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Starts `streamlab start` on `dataDir`; resolves at the ready line, rejects when it exits first. */
async function start(dataDir: string): Promise<Started> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'start', '--no-open', '--port', String(port), '--data-dir', dataDir, '--token', TOKEN], { env: cleanEnv() });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => {
    children.delete(child);
    resolve(code);
  }));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      stdout += d;
      if (stdout.includes('\n')) resolve();
    });
    void exited.then((code) => reject(new Error(`streamlab start exited with ${code} before it was ready:\n${stderr}`)));
  });
  expect(stdout).toMatch(new RegExp(`^Streamlab ready: http://127\\.0\\.0\\.1:${port}/\\?token=${TOKEN}\\nInstructor dashboard: http://127\\.0\\.0\\.1:${port}/instructor\\?token=\\S+\\n$`));
  return { child, port, stderr: () => stderr, exited };
}

/** What a user checks first: a run answers and finishes, and db.* answers. */
async function expectAnswers(port: number): Promise<void> {
  const c = await TestClient.connect(`ws://127.0.0.1:${port}/ws?token=${TOKEN}`);
  try {
    const hello = await c.hello(undefined, [6]);
    expect(hello.kind === 'hello.ok' && hello.features).toEqual(['kafka', 'postgres', 'export.pyspark']);
    expect(await c.request({ kind: 'db.query', sql: 'SELECT 40 + 2 AS answer' })).toMatchObject({ kind: 'db.query.ok', rows: [[42]] });
    const started = await c.request({ kind: 'run.start', files: [{ path: 'hello.ts', content: 'export function main(): void {\n  console.log("still here");\n}\n' }], mode: 'system' });
    if (started.kind !== 'run.start.ok') throw new Error(JSON.stringify(started));
    expect((await c.runEnded(started.runId)).state).toBe('finished');
    expect(c.eventsOf(started.runId).flatMap((e) => (e.kind === 'run.log' ? [e.text] : []))).toEqual(['still here']);
  } finally {
    await c.close();
  }
}

function postmasterPid(pgDir: string): number | null {
  try {
    return Number(readFileSync(join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of dirs) {
    const pgDir = join(dir, 'data', 'postgres');
    const pid = postmasterPid(pgDir);
    if (pid && alive(pid)) process.kill(pid, 'SIGINT');
    try {
      rmSync(readlinkSync(pgDir), { recursive: true, force: true });
    } catch {
      // Not a link.
    }
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('streamlab start after kill -9', () => {
  it('stops the PostgreSQL the killed runtime left on the data directory, then answers runs and db.*', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamlab-restart-'));
    dirs.push(dir);
    chmodSync(dir, 0o755);
    const dataDir = join(dir, 'data');
    const first = await start(dataDir);
    await expectAnswers(first.port);
    const leftover = postmasterPid(join(dataDir, 'postgres'));
    first.child.kill('SIGKILL');
    await first.exited;
    // What makes the restart hard: the old server is still running on the same data directory.
    expect(leftover !== null && alive(leftover)).toBe(true);

    const second = await start(dataDir);
    expect(alive(leftover!)).toBe(false);
    expect(second.stderr()).toContain(`streamlab: stopped a PostgreSQL left running on ${join(dataDir, 'postgres')} (pid ${leftover}, port `);
    await expectAnswers(second.port);
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
    expect(postmasterPid(join(dataDir, 'postgres'))).toBe(null);
  });
});

describe.runIf(process.getuid?.() === 0)('streamlab start as root', () => {
  it('runs the embedded PostgreSQL for a data directory under a private (0700) folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamlab-private-'));
    dirs.push(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const dataDir = join(dir, 'data');
    const started = await start(dataDir);
    await expectAnswers(started.port);
    const cluster = readlinkSync(join(dataDir, 'postgres'));
    expect(started.stderr()).toContain(`streamlab: the postgres user cannot reach ${join(dataDir, 'postgres')} (a parent directory is private), so PostgreSQL keeps its data in ${cluster}, linked from there`);
    expect(existsSync(join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
    // The learner's folder keeps its mode.
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    started.child.kill('SIGINT');
    expect(await started.exited).toBe(0);
    // And again, on the same data: the link is followed.
    const again = await start(dataDir);
    await expectAnswers(again.port);
    again.child.kill('SIGINT');
    expect(await again.exited).toBe(0);
    // Deleting the data directory lets the next start on another private folder drop its cluster.
    rmSync(dataDir, { recursive: true, force: true });
    const other = mkdtempSync(join(tmpdir(), 'streamlab-private-'));
    dirs.push(other);
    const next = await start(join(other, 'data'));
    expect(existsSync(cluster)).toBe(false);
    await expectAnswers(next.port);
    next.child.kill('SIGINT');
    expect(await next.exited).toBe(0);
  });
});
