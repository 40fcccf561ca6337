/**
 * Messages between the runtime (host) and one job process (child), over Node's IPC channel.
 *
 *   host → child:  start  (step)*  stop?
 *   child → host:  heartbeat every HEARTBEAT_MS, and log | query | batch | status | error | step-done at any time
 *
 * Only plain data crosses: the child never gets credentials beyond the service addresses the runtime
 * chose, and the host never evaluates anything the child sends.
 */
import type { ClockMode, TriggerInfo } from '../protocol/index.js';
import type { SavedModel } from '../engine/ml/saved-model.js';

/** How often the child reports that it is alive. */
export const HEARTBEAT_MS = 200;

/** Addresses of the services a run's connectors use. */
export interface JobServices {
  kafka?: string;
  pg?: string;
  /** Prefix the learner's topic names get on the broker (see the runtime config's `topicPrefix`). */
  topicPrefix?: string;
}

/** A saved Spark ML model the run may load by `name` (`PipelineModel.load(name)`), already decoded by the host. */
export interface JobModel {
  name: string;
  model: SavedModel;
}

/** host → child */
export type HostToChild =
  | { type: 'start'; code: string; mode: ClockMode; maxRows: number; services: JobServices; startMs: number; loopLimitMs: number; models?: JobModel[] }
  | { type: 'step'; stepId: number; batches?: number; advanceMs?: number; drain?: boolean }
  | { type: 'stop' };

/** An error as the child saw it, before source mapping. */
export interface RawError {
  name: string;
  message: string;
  stack: string;
  code: string;
}

/** child → host */
export type ChildToHost =
  | { type: 'heartbeat'; rssBytes: number }
  | { type: 'log'; level: 'log' | 'info' | 'warn' | 'error' | 'debug'; text: string }
  | { type: 'query'; queryName: string | null; queryId: string | null; trigger: TriggerInfo }
  | { type: 'batch'; queryName: string | null; batchId: number; progress: Record<string, unknown>; rows: Record<string, unknown>[]; schema?: { name: string; type: string }[]; totalRows: number; trace: unknown }
  | { type: 'status'; state: 'running' | 'idle' | 'finished'; message?: string }
  | { type: 'error'; error: RawError }
  | { type: 'step-done'; stepId: number; batchesRun: number; clockMs: number; error?: string };
