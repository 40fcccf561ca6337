/**
 * Endless-loop detection with a line number.
 *
 * A pipeline runs on one thread, so a loop that never ends blocks everything, including the
 * heartbeat that tells the runtime the run is alive; the runtime then kills the process and can
 * only say that *something* never returned. To name the loop, the compiled script gets a guard call
 * at the top of every loop body:
 *
 *   while (x) { body }        →  while (x) {GUARD();body }
 *   for (;;) stmt;             →  for (;;) {GUARD();stmt;}
 *
 * Nothing is inserted on a new line, so the source map still gives the learner's line. The guard
 * counts iterations and, every 16 of them, checks how much CPU time the current turn of the event
 * loop has used (a turn ends when a `setImmediate` armed at its first check runs). CPU time, not wall
 * time: on a busy machine a short loop may wait for the CPU for seconds, and that is no reason to
 * stop it. Past the limit it throws `LoopTimeoutError` from inside the loop, so the error's first
 * pipeline frame is the loop itself. Loops that await real I/O end their turn and never trip it.
 */

import { getHeapStatistics } from 'node:v8';
import { createLoopGuardOn } from './loop-guard-core.js';

export { LOOP_GUARD_NAME, LoopTimeoutError } from './loop-guard-core.js';

/** The guard of a job process: CPU time, `setImmediate`, V8's heap statistics (see `createLoopGuardOn`). */
export function createLoopGuard(
  limitMs: number,
  now: () => number = processCpuMs,
  later: (fn: () => void) => void = setImmediate,
  nearHeapLimit: () => boolean = heapNearlyFull,
): () => void {
  return createLoopGuardOn(limitMs, now, later, nearHeapLimit);
}

/** CPU time this process has used, in ms (`process.cpuUsage` is captured before learner code runs). */
const cpuUsage = process.cpuUsage.bind(process);
function processCpuMs(): number {
  const u = cpuUsage();
  return (u.user + u.system) / 1000;
}

function heapNearlyFull(): boolean {
  const h = getHeapStatistics();
  return h.used_heap_size > 0.5 * h.heap_size_limit;
}
