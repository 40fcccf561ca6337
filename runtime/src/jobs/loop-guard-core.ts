/**
 * The endless-loop guard's host-independent half (see loop-guard.ts): the guard's name, its error and
 * the counting, on a clock and a turn signal the host passes in (a job process's CPU time and
 * `setImmediate`, or a worker's elapsed time and a message to itself).
 */

/** The name the compiled script calls; passed to it as a parameter by the job process. */
export const LOOP_GUARD_NAME = '__streamlabLoopGuard';

/** Thrown from inside a loop that kept the pipeline busy for longer than the limit. */
export class LoopTimeoutError extends Error {
  readonly code = 'unresponsive';

  constructor(limitMs: number) {
    super(`This loop ran for more than ${limitMs / 1000} s without finishing, so the pipeline was stopped: check its condition.`);
    this.name = 'Error';
  }
}

/**
 * The guard function for one run. `now` and `later` are captured before learner code runs, so a
 * pipeline cannot disarm the guard by replacing timers or the clock. `now` measures the
 * time the pipeline used, `later` runs after the current turn of the event loop.
 */
export function createLoopGuardOn(
  limitMs: number,
  now: () => number,
  later: (fn: () => void) => void,
  nearHeapLimit: () => boolean,
): () => void {
  let count = 0;
  let turnStart = 0;
  let armed = false;
  return () => {
    if ((++count & 0xf) !== 0) return;
    const t = now();
    if (!armed) {
      armed = true;
      turnStart = t;
      later(() => {
        armed = false;
      });
      return;
    }
    // A loop that is filling the heap is left to the memory limit, which names the real problem.
    if (t - turnStart > limitMs && !nearHeapLimit()) throw new LoopTimeoutError(limitMs);
  };
}

