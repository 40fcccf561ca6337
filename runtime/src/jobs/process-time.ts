/**
 * How long a process has had to do something, as opposed to how long the machine made it wait.
 *
 * On a busy machine a process can sit on the run queue for most of a second of every second: a wall
 * clock deadline then stops healthy work. Linux counts, per thread, the time spent waiting on the run
 * queue (`/proc/<pid>/schedstat`, second field, ns); wall time minus that wait is time in which the
 * process ran or waited for something other than the CPU (a socket, a timer, an await that never
 * resolves), which is what a deadline for "this never finishes" should count. The JavaScript of a Node
 * process runs on its main thread, whose numbers are the process's own entry.
 */
import { readFileSync } from 'node:fs';

/** Time the process's main thread has waited on the run queue, in ms, or null where that cannot be read. */
export function runQueueWaitMs(pid: number | undefined): number | null {
  if (pid === undefined || process.platform !== 'linux') return null;
  try {
    const ns = Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]);
    return Number.isFinite(ns) ? ns / 1e6 : null;
  } catch {
    return null;
  }
}

/**
 * A clock for one process that does not advance while the process waits for the CPU: readings are
 * epoch ms minus the run-queue wait so far, so the difference of two readings is the time in between
 * that the process was not kept off the CPU. Where the wait cannot be read it is the wall clock.
 */
export function activeClock(pid: number | undefined, now: () => number = Date.now): () => number {
  let lastWaitMs = 0;
  return () => {
    const wait = runQueueWaitMs(pid);
    if (wait !== null && wait >= lastWaitMs) lastWaitMs = wait;
    return now() - lastWaitMs;
  };
}
