/**
 * Where learner code waits. The compiled script wraps the operand of every `await` in a call to the
 * tracker (see `instrumentAwaits` in `loop-instrument.ts`) with the learner's file, line and column:
 *
 *   await x   →  await __streamlabAwait(x,"solution.ts",12,5)
 *
 * The tracker awaits the value itself (a thenable is adopted, anything else is the value) and keeps
 * the position while it is pending. A run with nothing left to do but a pending
 * await, or a check operation that did not finish, can then say at which line the code waits.
 */

/** The name the compiled script calls; passed to it as a parameter by the job process. */
export const AWAIT_TRACKER_NAME = '__streamlabAwait';

/** An await still waiting. */
export interface PendingAwait {
  file: string;
  line: number;
  column: number;
  /** Order in which the awaits started (smaller: earlier). */
  seq: number;
  /** Frames of the learner's code on the stack when it started, async callers included: inner awaits are deeper. */
  depth: number;
}

/** The tracker of one job process. */
export interface AwaitTracker {
  /** The function the compiled script calls. */
  readonly track: (value: unknown, file: string, line: number, column: number) => Promise<unknown>;
  /** Awaits still pending, earliest first. */
  pending(): PendingAwait[];
  /** The sequence number the next await will get (to tell awaits that started after a moment). */
  nextSeq(): number;
}

/**
 * Creates a tracker; `Promise` and `Map` are captured here, before learner code runs. `frameFile` is
 * the compiled script's file name in stacks (V8 lists the async functions awaiting, too).
 */
export function createAwaitTracker(frameFile: string): AwaitTracker {
  const waiting = new Map<number, PendingAwait>();
  const marker = `${frameFile}:`;
  const depthNow = (): number => {
    const stack = new Error().stack ?? '';
    let n = 0;
    for (let i = stack.indexOf(marker); i >= 0; i = stack.indexOf(marker, i + marker.length)) n++;
    return n;
  };
  let seq = 0;
  return {
    // An async function, so each await has exactly one awaiter: V8 then lists the learner's async callers
    // in the stack of an await deeper down (`at async report`), which is what `depth` counts.
    async track(value, file, line, column) {
      const id = seq++;
      waiting.set(id, { file: String(file), line: Number(line), column: Number(column), seq: id, depth: depthNow() });
      try {
        return await value;
      } finally {
        waiting.delete(id);
      }
    },
    pending: () => [...waiting.values()],
    nextSeq: () => seq,
  };
}

/**
 * The await a hang is at: among those still pending that started at or after `sinceSeq`, the deepest
 * (an await inside a function has that function's callers, awaiting it, below it on the stack), the
 * earliest of equals.
 */
export function hangingAwait(pending: readonly PendingAwait[], sinceSeq = 0): PendingAwait | null {
  let best: PendingAwait | null = null;
  for (const p of pending) {
    if (p.seq < sinceSeq) continue;
    if (best === null || p.depth > best.depth || (p.depth === best.depth && p.seq < best.seq)) best = p;
  }
  return best;
}
