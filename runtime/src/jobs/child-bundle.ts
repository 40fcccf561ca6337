/**
 * Builds the job process's script once per runtime process: the job entry, the engine and the
 * connectors bundled into one ESM file in a fresh temporary directory, plus the worker that static
 * Kafka reads block on (`sync-reader-worker.mjs`, beside it). Two known files mean the permission
 * model can allow reading exactly those and nothing else.
 */
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

let cached: Promise<JobChildBundle> | null = null;

/** Returns the job script, building it on first use. */
export function jobChildBundle(): Promise<JobChildBundle> {
  cached ??= buildJobChild().catch((e: unknown) => {
    cached = null;
    throw e;
  });
  return cached;
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
