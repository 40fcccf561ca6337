/**
 * Exports learner files to PySpark in a separate process with a minimal environment, a heap cap and a
 * time limit, so a program that loops, allocates without end or reads the environment while it is
 * being captured cannot hurt the runtime or see its secrets.
 */
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JobModel } from '../jobs/ipc.js';
import type { PySparkExport } from './index.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = resolve(HERE, '..', '..', '..');

/** Thrown when the export cannot be made; the message is for the learner. */
export class ExportError extends Error {
  override name = 'ExportError';
}

export interface IsolatedExportOptions {
  title?: string;
  /** Milliseconds before the export process is killed (default 15 s). */
  timeoutMs?: number;
  /** Heap cap of the export process in MB (default 256). */
  memoryMb?: number;
  /** Saved models the program may load, decoded (they travel on stdin with the files). */
  models?: readonly JobModel[];
}

/** Thrown when too many exports are already running; the caller should try again later. */
export class ExportBusyError extends Error {
  override name = 'ExportBusyError';
}

/** Exports running at once in this process; more are refused rather than queued without bound. */
const MAX_CONCURRENT_EXPORTS = 2;
let running = 0;

/** Runs `exportProgramFiles` in a child process and returns its result. */
export async function exportInChildProcess(files: readonly { path: string; content: string }[], entry: string, options: IsolatedExportOptions = {}): Promise<PySparkExport> {
  if (running >= MAX_CONCURRENT_EXPORTS) throw new ExportBusyError(`${MAX_CONCURRENT_EXPORTS} exports are already running; try again in a moment.`);
  running++;
  try {
    return await exportOnce(files, entry, options);
  } finally {
    running--;
  }
}

function exportOnce(files: readonly { path: string; content: string }[], entry: string, options: IsolatedExportOptions): Promise<PySparkExport> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const env: NodeJS.ProcessEnv = {};
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'LANG']) if (process.env[k] !== undefined) env[k] = process.env[k];
  const child = spawn(process.execPath, [`--max-old-space-size=${options.memoryMb ?? 256}`, '--import', 'tsx', join(HERE, 'export-child.ts')], {
    cwd: REPO_ROOT, env, stdio: ['pipe', 'pipe', 'pipe'],
  });
  return new Promise<PySparkExport>((resolvePromise, reject) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new ExportError(`The export could not start: ${e.message}`));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) return reject(new ExportError(`Your program did not reach start() within ${Math.round(timeoutMs / 1000)} s, so it could not be exported (an endless loop?).`));
      try {
        const reply = JSON.parse(stdout) as { ok: true; code: string; stubs: PySparkExport['stubs']; submit: string[] } | { ok: false; message: string };
        if (reply.ok) return resolvePromise({ code: reply.code, stubs: reply.stubs, submit: reply.submit });
        return reject(new ExportError(reply.message));
      } catch {
        const why = /heap out of memory|Allocation failed/i.test(stderr) ? `it used more than ${options.memoryMb ?? 256} MB` : `the export process ended (${signal ?? `exit ${code}`})`;
        return reject(new ExportError(`Your program could not be exported: ${why}.`));
      }
    });
    child.stdin.end(JSON.stringify({ files, entry, title: options.title, models: options.models ?? [] }));
  });
}
