/**
 * What the page and a run's Web Worker say to each other (run-worker.ts, browser-client.ts): the
 * browser's counterpart of the job process's IPC (runtime/src/jobs/ipc.ts).
 *
 *   page → worker   start (the compiled script, the clock, the lesson's data plan, the broker's records,
 *                   the SASL users of a lesson whose Kafka requires SASL)
 *                   · step · crash · stop
 *   worker → page   event (a protocol event of the run) · step-done · heartbeat · broker (the records
 *                   of every topic, after each step and when the run ends) · ended
 */
import type { ClockMode, ServerEvent } from '@streamlab/runtime/protocol';
import type { CheckSasl, LessonDataPlan } from '@streamlab/runtime/in-browser';

/** One record of the in-memory broker, as it crosses between page and worker. */
export interface BrokerRecord {
  key: Uint8Array | null;
  value: Uint8Array | null;
  timestamp: number;
  headers: [string, Uint8Array | null][];
}

/** Every topic of the in-memory broker: its partitions' records, in offset order. */
export type BrokerSnapshot = { name: string; partitions: BrokerRecord[][] }[];

/** Page → worker. */
export type PageToRun =
  | { type: 'start'; runId: string; code: string; mode: ClockMode; maxRows: number; loopLimitMs: number; plan: LessonDataPlan | null; broker: BrokerSnapshot; sasl?: CheckSasl }
  | { type: 'step'; stepId: number; batches?: number; advanceMs?: number }
  | { type: 'crash' }
  | { type: 'stop' };

/** Worker → page. */
export type RunToPage =
  | { type: 'event'; event: ServerEvent }
  | { type: 'step-done'; stepId: number; batchesRun: number; clockMs: number; error?: string }
  | { type: 'heartbeat' }
  | { type: 'broker'; broker: BrokerSnapshot }
  | { type: 'ended' };
