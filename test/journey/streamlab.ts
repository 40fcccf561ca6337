/**
 * `streamlab start` as a learner starts it: the command from the README with nothing configured (no
 * Kafka, no PostgreSQL, no token, no STREAMLAB_* variables), on a data directory no earlier run has
 * touched. The runtime brings its embedded broker and embedded PostgreSQL; the harness reads the ready
 * line for the URL and its token, and nothing else.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../e2e/runtime-process.js';

/** A running `streamlab start`. */
export interface Streamlab {
  /** The URL of the ready line, with its token. */
  url: string;
  origin: string;
  token: string;
  /** The fresh data directory it was given (null: none, as `npm start` runs it). */
  dataDir: string | null;
  /** The process id. */
  pid: number;
  /** Milliseconds from spawn to the ready line. */
  readyMs: number;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /**
   * SIGTERM, then waits for the exit (SIGKILL after `killAfterMs`); resolves with the exit code, how
   * long the shutdown took and whether it had to be killed.
   */
  stop(killAfterMs?: number): Promise<{ code: number | null; ms: number; killed: boolean }>;
}

/** The environment of a learner's shell: this one without anything that configures Streamlab. */
function learnerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('STREAMLAB_') || ['KAFKA_BROKERS', 'DATABASE_URL', 'DISPLAY', 'WAYLAND_DISPLAY', 'VITEST', 'NODE_ENV'].includes(k)) continue;
    if (k.startsWith('VITEST_')) continue;
    env[k] = v;
  }
  return env;
}

/** How to start it. */
export interface StartOptions {
  waitMs?: number;
  /** Give it a fresh `--data-dir` (default); without one it keeps everything in temporary directories, as `npm start` does. */
  dataDir?: boolean;
  /** Its temporary directory (`TMPDIR`), to see what it leaves there. */
  tmpDir?: string;
}

/** Starts `streamlab start --no-open --port 0 --data-dir <fresh>` and waits for `Streamlab ready: URL`. */
export async function startStreamlab(options: StartOptions = {}): Promise<Streamlab> {
  const waitMs = options.waitMs ?? 180_000;
  const dataDir = options.dataDir === false ? null : join(mkdtempSync(join(tmpdir(), 'streamlab-journey-')), 'data');
  if (dataDir && existsSync(dataDir)) throw new Error(`${dataDir} exists before the first start`);
  const args = [join(repoRoot, 'runtime/bin/streamlab.js'), 'start', '--no-open', '--port', '0', ...(dataDir ? ['--data-dir', dataDir] : [])];
  const started = performance.now();
  const env = { ...learnerEnv(), ...(options.tmpDir ? { TMPDIR: options.tmpDir } : {}) };
  const child: ChildProcess = spawn(process.execPath, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`streamlab start printed no ready line in ${waitMs} ms:\n${output}`)), waitMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const m = /^Streamlab ready: (http:\/\/\S+)$/m.exec(output);
      if (m) {
        clearTimeout(timer);
        res(m[1]!);
      }
    });
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      rej(new Error(`streamlab start exited with ${code} before it was ready:\n${output}`));
    });
  });
  const readyMs = performance.now() - started;
  const parsed = new URL(url);
  const token = parsed.searchParams.get('token');
  if (!token) throw new Error(`the ready line's URL has no token: ${url}`);
  return {
    url,
    origin: parsed.origin,
    token,
    dataDir,
    pid: child.pid!,
    readyMs,
    output: () => output,
    async stop(killAfterMs = 15_000) {
      const t0 = performance.now();
      let code: number | null = child.exitCode;
      let killed = false;
      if (code === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => {
          killed = true;
          child.kill('SIGKILL');
        }, killAfterMs);
        code = await exited;
        clearTimeout(killer);
      }
      const ms = performance.now() - t0;
      if (dataDir) rmSync(join(dataDir, '..'), { recursive: true, force: true });
      return { code, ms, killed };
    },
  };
}
