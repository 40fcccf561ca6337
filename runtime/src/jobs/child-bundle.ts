/**
 * Builds the job process's script once per runtime process: the job entry, the engine and the
 * connectors bundled into one ESM file in a fresh temporary directory, plus the worker that static
 * Kafka reads block on (`sync-reader-worker.mjs`, beside it). Two known files mean the permission
 * model can allow reading exactly those and nothing else.
 *
 * A grader hands its bundle to the check processes it starts (`STREAMLAB_JOB_BUNDLE` names the script;
 * the worker is beside it), so a class of submissions costs one build, not one per submission.
 */
import { build } from 'esbuild';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built job script. */
export interface JobChildBundle {
  /** Absolute path of the script. */
  file: string;
  /** Absolute path of the static Kafka read's worker script. */
  workerFile: string;
  /** Removes the temporary directory. */
  dispose(): void;
}

/** Names a job script built by the process that started this one (a grader, for its check processes). */
export const JOB_BUNDLE_ENV = 'STREAMLAB_JOB_BUNDLE';

let cached: Promise<JobChildBundle> | null = null;

/**
 * Returns the job script: the one `STREAMLAB_JOB_BUNDLE` names when it and its worker are there, else
 * one built on first use.
 */
export function jobChildBundle(env: Readonly<Record<string, string | undefined>> = process.env): Promise<JobChildBundle> {
  const given = env[JOB_BUNDLE_ENV];
  cached ??= (given ? givenBundle(given) : null) ?? buildJobChild().catch((e: unknown) => {
    cached = null;
    throw e;
  });
  return cached;
}

/** A bundle another process built and owns (it removes it); null when its files are not there. */
function givenBundle(file: string): Promise<JobChildBundle> | null {
  const workerFile = join(dirname(file), 'sync-reader-worker.mjs');
  if (!isAbsolute(file) || !existsSync(file) || !existsSync(workerFile)) return null;
  return Promise.resolve({ file, workerFile, dispose: () => {} });
}

async function buildJobChild(): Promise<JobChildBundle> {
  const dir = mkdtempSync(join(tmpdir(), 'streamlab-job-'));
  const file = join(dir, 'job-child.mjs');
  const workerFile = join(dir, 'sync-reader-worker.mjs');
  await build({
    entryPoints: {
      'job-child': fileURLToPath(new URL('./child/job-child.ts', import.meta.url)),
      'sync-reader-worker': fileURLToPath(new URL('../connectors/kafka/sync-reader-worker.ts', import.meta.url)),
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    sourcemap: false,
    logLevel: 'silent',
    external: ['pg-native'],
    // CommonJS dependencies (kafkajs, pg) call require() for Node built-ins.
    banner: { js: "import { createRequire as __slCreateRequire } from 'node:module'; const require = __slCreateRequire(import.meta.url);" },
  });
  let disposed = false;
  const dispose = () => {
    if (disposed) return;
    disposed = true;
    rmSync(dir, { recursive: true, force: true });
  };
  // Shared by every server in this process, so it goes when the process does.
  process.once('exit', dispose);
  return { file, workerFile, dispose };
}
