/**
 * The one way learner code gets a process: Run, Check, `streamlab grade` and the PySpark export all
 * start the job bundle through here, so they share the same isolation (ADR 0002).
 *
 *   empty environment                      nothing to read, even after an escape from the vm context
 *   --experimental-permission              no file system beyond the bundle itself (and a Run's checkpoint
 *     --allow-fs-read=<bundle files>       folder, and a data folder it may only read), no child processes,
 *                                          no addons; workers only for the static Kafka read's worker
 *   --disallow-code-generation-from-strings  closes `constructor.constructor("return process")`
 *   --max-old-space-size=<memoryMb>        the heap cap
 *   stdio: ignore, ignore, pipe, ipc       stderr is read for out-of-memory reports; data goes over IPC
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { JobChildBundle } from './child-bundle.js';

/** Options of {@link spawnSandbox}. */
export interface SandboxSpawnOptions {
  /** Heap cap in MB. */
  memoryMb: number;
  /** A Run's checkpoint folder, the one place it may read and write (checks and exports have none). */
  checkpointDir?: string;
  /** A folder of files the job may read and never write (a lesson's data lake for `spark.read.csv`). */
  dataDir?: string;
}

/** The Node flags of a sandboxed job process. */
export function sandboxArgs(bundle: Pick<JobChildBundle, 'file' | 'workerFile'>, options: SandboxSpawnOptions): string[] {
  return [
    '--experimental-permission',
    `--allow-fs-read=${bundle.file}`,
    `--allow-fs-read=${bundle.workerFile}`,
    ...(options.checkpointDir ? [`--allow-fs-read=${options.checkpointDir}`, `--allow-fs-write=${options.checkpointDir}`] : []),
    ...(options.dataDir ? [`--allow-fs-read=${options.dataDir}`] : []),
    // Only for the static Kafka read's worker: learner code cannot reach node:worker_threads.
    '--allow-worker',
    '--disallow-code-generation-from-strings',
    `--max-old-space-size=${options.memoryMb}`,
    '--no-warnings',
    bundle.file,
  ];
}

/** Starts a sandboxed job process on `bundle`; the caller speaks the job IPC protocol to it. */
export function spawnSandbox(bundle: Pick<JobChildBundle, 'file' | 'workerFile'>, options: SandboxSpawnOptions): ChildProcess {
  return spawn(process.execPath, sandboxArgs(bundle, options), { env: {}, stdio: ['ignore', 'ignore', 'pipe', 'ipc'], windowsHide: true });
}
