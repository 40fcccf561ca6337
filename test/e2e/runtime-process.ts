/**
 * Starts `streamlab start --no-open` as a child process on the test run's real Kafka and PostgreSQL,
 * and waits for its `Streamlab ready: <url>` line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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
