/**
 * What the page's check harness and a check's Web Worker say to each other (check-harness.ts,
 * check-worker.ts): the browser's counterpart of the job process's check IPC (runtime/src/jobs/check-ipc.ts).
 *
 *   page → worker   op (one check operation, `load` first)
 *   worker → page   reply (its value, or the learner's error) · heartbeat
 */
import type { CheckOp, LearnerError } from '@streamlab/runtime/in-browser';

/** Page → worker. */
export type PageToCheck = { type: 'op'; id: number; op: CheckOp };

/** Worker → page. */
export type CheckToPage =
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: LearnerError }
  | { type: 'heartbeat' };
