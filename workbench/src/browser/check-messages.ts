/**
 * What the page's check harness and a check's Web Worker say to each other (check-harness.ts,
 * check-worker.ts): the browser's counterpart of the job process's check IPC (runtime/src/jobs/check-ipc.ts).
 *
 *   page → worker   hello (the channel's nonce, first) · op (one check operation, `load` first)
 *   worker → page   reply (its value, or the learner's error) · heartbeat, each with the nonce
 *
 * The nonce is drawn by the page for each worker it starts and lives in the worker's module scope,
 * which the learner's script cannot reach: a message without it is not the worker's, and the page
 * stops the worker that sent it.
 */
import type { CheckOp, LearnerError } from '@streamlab/runtime/in-browser';

/** Page → worker. */
export type PageToCheck = { type: 'hello'; nonce: string } | { type: 'op'; id: number; op: CheckOp };

/** Worker → page. */
export type CheckToPage = { nonce: string } & (
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: LearnerError }
  | { type: 'heartbeat' });
