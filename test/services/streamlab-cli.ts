/**
 * The `streamlab` CLI as a user runs it, from the checkout's own `runtime/bin/streamlab.js`, for tests
 * that read its exit code and both of its streams once it has ended.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** What a finished `streamlab` command gave. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `streamlab <args>` in `cwd` with this process's environment and resolves when it exits. */
export function runStreamlab(args: readonly string[], cwd: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'runtime/bin/streamlab.js'), ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
