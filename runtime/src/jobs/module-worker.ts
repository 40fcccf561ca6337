/**
 * Starts a worker thread on one of the runtime's modules, whether the runtime runs as compiled
 * JavaScript (its build, and the job process's bundle) or from its TypeScript sources (the test runner,
 * or bin/streamlab.js through tsx where no build can be written; a worker inherits neither loader).
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker on `entry`.
 * @param entry the module's URL; a `.ts` entry is loaded through tsx, registered in the worker first
 * @param options the worker's options (`workerData`, `transferList`, …); `eval` is set here
 */
export function startModuleWorker(entry: URL, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(boot, { ...options, eval: true });
}

/** The URL of `name` beside `base`, with `base`'s extension (`.ts` from sources, `.mjs`/`.js` built). */
export function besideModule(base: string, name: string): URL {
  const ext = /\.[cm]?[jt]s$/.exec(new URL(base).pathname)?.[0] ?? '.js';
  return new URL(`./${name}${ext}`, base);
}
