/**
 * The job process's script: the job entry, the engine and the connectors in one ESM file, plus the
 * worker that static Kafka reads block on (`sync-reader-worker.mjs`, beside it). Both are part of the
 * runtime's build (`bin/build-runtime.js`, in its `job/` folder): a runtime running from that build
 * uses the build it runs from; one running from its sources (the tests) uses the build of those
 * sources, made first if there is none. Two known files mean the permission model can allow reading
 * exactly those and nothing else.
 *
 * A grader hands its script to the check processes it starts (`STREAMLAB_JOB_BUNDLE` names the script;
 * the worker is beside it), so they all run the one the grader runs.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { RUNTIME_DIR } from '../runtime-paths.js';

/** The job script. */
export interface JobChildBundle {
  /** Absolute path of the script. */
  file: string;
  /** Absolute path of the static Kafka read's worker script. */
  workerFile: string;
  /** Lets go of the script; it belongs to the runtime's build, which stays. */
  dispose(): void;
}

/** Names a job script chosen by the process that started this one (a grader, for its check processes). */
export const JOB_BUNDLE_ENV = 'STREAMLAB_JOB_BUNDLE';

let cached: Promise<JobChildBundle> | null = null;

/**
 * Returns the job script: the one `STREAMLAB_JOB_BUNDLE` names when it and its worker are there, else
 * the runtime build's.
 */
export function jobChildBundle(env: Readonly<Record<string, string | undefined>> = process.env): Promise<JobChildBundle> {
  const given = env[JOB_BUNDLE_ENV];
  cached ??= (given ? givenBundle(given) : null) ?? builtJobChild().catch((e: unknown) => {
    cached = null;
    throw e;
  });
  return cached;
}

/** A script another process chose; null when its files are not there. */
function givenBundle(file: string): Promise<JobChildBundle> | null {
  const workerFile = join(dirname(file), 'sync-reader-worker.mjs');
  if (!isAbsolute(file) || !existsSync(file) || !existsSync(workerFile)) return null;
  return Promise.resolve({ file, workerFile, dispose: () => {} });
}

/** The build this module runs from (`<build>/jobs/child-bundle.js`), else the build of the sources. */
async function builtJobChild(): Promise<JobChildBundle> {
  const own = join(dirname(fileURLToPath(import.meta.url)), '..');
  let dir = own;
  if (!existsSync(join(own, 'job', 'job-child.mjs'))) {
    // Found from the package's folder: a build's modules sit one folder deeper than the sources.
    const builder = (await import(pathToFileURL(join(RUNTIME_DIR, 'bin', 'build-runtime.js')).href)) as typeof import('../../bin/build-runtime.js');
    dir = (await builder.runtimeBuild()).dir;
  }
  return { file: join(dir, 'job', 'job-child.mjs'), workerFile: join(dir, 'job', 'sync-reader-worker.mjs'), dispose: () => {} };
}
