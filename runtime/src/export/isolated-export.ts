/**
 * Exports learner files to PySpark. Exporting runs the learner's program up to `start()`, so it runs
 * where all learner code runs: a sandboxed job process (Run's bundle, flags and `vm` realm: no file
 * system, no environment, no child processes, the loop guard and a heap cap), which captures the
 * program and renders the script; only the script's text comes back.
 *
 *   files → compile (loop guard) → job process: export → { code, stubs, submit }
 *   a loop, an await that never resolves, memory past the cap → the process is killed, ExportError
 */
import { CheckSandbox, compileProgram, defaultLimits, LearnerCodeError } from '../lessons/check-sandbox.js';
import type { JobModel } from '../jobs/ipc.js';
import type { PySparkExport } from './pyspark-program.js';

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
  /** Saved models the program may load, decoded (they travel over IPC with the code). */
  models?: readonly JobModel[];
}

/** Thrown when too many exports are already running; the caller should try again later. */
export class ExportBusyError extends Error {
  override name = 'ExportBusyError';
}

/** Exports running at once in this process; more are refused rather than queued without bound. */
const MAX_CONCURRENT_EXPORTS = 2;
let running = 0;

/** Exports learner files in a sandboxed job process and returns the script. */
export async function exportInChildProcess(files: readonly { path: string; content: string }[], entry: string, options: IsolatedExportOptions = {}): Promise<PySparkExport> {
  if (running >= MAX_CONCURRENT_EXPORTS) throw new ExportBusyError(`${MAX_CONCURRENT_EXPORTS} exports are already running; try again in a moment.`);
  running++;
  try {
    return await exportOnce(files, entry, options);
  } finally {
    running--;
  }
}

function where(e: LearnerCodeError): string {
  const { file, line, column } = e.learner;
  return file && line !== null ? ` (${file}:${line}${column !== null ? `:${column}` : ''})` : '';
}

async function exportOnce(files: readonly { path: string; content: string }[], entry: string, options: IsolatedExportOptions): Promise<PySparkExport> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const limits = { ...defaultLimits({}), opTimeoutMs: timeoutMs, memoryMb: options.memoryMb ?? 256 };
  let sandbox: CheckSandbox | null = null;
  try {
    const program = await compileProgram('yours', files, entry);
    sandbox = await CheckSandbox.spawn(program, limits);
    const r = await sandbox.request({
      op: 'export', code: program.code, loopLimitMs: limits.loopLimitMs, ...(options.title ? { title: options.title } : {}), ...(options.models?.length ? { models: [...options.models] } : {}),
    }, 'running your program up to start()');
    return { code: r.code, stubs: r.stubs, submit: r.submit };
  } catch (e) {
    if (e instanceof LearnerCodeError) {
      if (e.learner.code === 'compile-error' || e.learner.code === 'import-not-allowed') {
        throw new ExportError(`The code does not compile: ${e.learner.message.replace(/^Your code does not compile: /, '').split('\n')[0]}${where(e)}`);
      }
      if (e.learner.code === 'unresponsive' && e.learner.line === null) throw new ExportError(`Your program did not reach start() within ${Math.round(timeoutMs / 1000)} s, so it could not be exported: ${e.learner.message}`);
      throw new ExportError(`Your program could not be exported: ${e.learner.message}${where(e)}`);
    }
    throw e;
  } finally {
    await sandbox?.close();
  }
}
