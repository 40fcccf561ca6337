/**
 * Starts `streamlab start --no-open` as a child process on the test run's real Kafka and PostgreSQL,
 * and waits for its `Streamlab ready: <url>` line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** A running runtime. */
export interface RuntimeProcess {
  url: string;
  /** The `streamlab start` process: its children are the job processes of the runs. */
  pid: number;
  origin: string;
  output(): string;
  stop(): Promise<void>;
}

/** Starts the runtime; rejects with its output if it exits or prints no ready line within `waitMs`. */
export async function startRuntime(options: {
  /** Kafka bootstrap servers; without it the runtime starts its embedded broker. */
  kafka?: string;
  pg: string;
  port?: number;
  token?: string;
  waitMs?: number;
  /** The child's environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** More `streamlab start` flags, e.g. `--isolate-learners`. */
  args?: string[];
}): Promise<RuntimeProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'streamlab-e2e-'));
  const args = [
    join(repoRoot, 'runtime/bin/streamlab.js'), 'start', '--no-open', ...(options.kafka ? ['--kafka', options.kafka] : []), '--pg', options.pg,
    '--port', String(options.port ?? 0), '--data-dir', dataDir, '--lessons', join(repoRoot, 'lessons'),
    ...(options.token ? ['--token', options.token] : []), ...(options.args ?? []),
  ];
  const child: ChildProcess = spawn(process.execPath, args, { cwd: repoRoot, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`streamlab start printed no ready line in ${options.waitMs ?? 120_000} ms:\n${output}`)), options.waitMs ?? 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /Streamlab ready: (http:\/\/\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        res(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      rej(new Error(`streamlab start exited with ${code} before it was ready:\n${output}`));
    });
  });
  return {
    url,
    pid: child.pid!,
    origin: new URL(url).origin,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(killer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A free port below the kernel's ephemeral range, for a runtime that a test stops and starts again on
 * the same port while a page waits to reconnect. A port the kernel picks (`--port 0`) comes from the
 * range that every outgoing connection and every other port-0 listener on the machine draws from, so
 * between the stop and the start another process can hold it; the new runtime then listens on another
 * port (it falls back when its port is taken) and the page never finds it. The kernel hands out no port
 * below that range on its own, so only a program that names this port could take it meanwhile.
 */
export async function portBelowEphemeralRange(): Promise<number> {
  let low = 32768;
  try {
    low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || low;
  } catch {
    // Not Linux: the IANA range starts at 49152, above Linux's default.
  }
  const from = Math.min(20_000, low - 1000);
  for (let i = 0; i < 100; i++) {
    const port = from + Math.floor(Math.random() * (low - from));
    const free = await new Promise<boolean>((res) => {
      const probe = createServer();
      probe.once('error', () => res(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => res(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port between ${from} and ${low}`);
}
