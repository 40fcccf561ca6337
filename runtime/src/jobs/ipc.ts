/**
 * Messages between the runtime (host) and one job process (child), over Node's IPC channel.
 *
 *   host → child:  start  (step | crash)*  stop?
 *   child → host:  heartbeat every HEARTBEAT_MS (child/job-child.ts), with latency when it changed, and
 *                  log | query | batch | status | error | step-done at any time
 *
 * Only plain data crosses: the child never gets credentials beyond the service addresses the runtime
 * chose, and the host never evaluates anything the child sends. The child runs learner code, so the
 * host reads its messages as untrusted input: `childToHost` is checked with the protocol's own schemas
 * (a batch is the `run.batch` event less what the host adds), and a message that fails is refused.
 * The child imports only the types, so the schemas (and zod) stay out of its bundle.
 */
import { z } from 'zod';
import { dstreamBatchEvent, pipelineLatency, structuredBatchEvent, triggerInfo, type ClockMode } from '../protocol/index.js';
import type { SavedModel } from '../engine/ml/saved-model.js';

/** Addresses of the services a run's connectors use. */
export interface JobServices {
  kafka?: string;
  pg?: string;
  /** Prefix the learner's topic names get on the broker (see the runtime config's `topicPrefix`). */
  topicPrefix?: string;
  /** The same Kafka's SASL_PLAINTEXT listener (`host:port`), for learner code that authenticates. */
  kafkaSasl?: string;
  /** The lesson's Kafka requires SASL: learner code that does not authenticate is refused. */
  kafkaSaslRequired?: boolean;
}

/** A saved Spark ML model the run may load by `name` (`PipelineModel.load(name)`), already decoded by the host. */
export interface JobModel {
  name: string;
  model: SavedModel;
}

/** host → child */
export type HostToChild =
  | { type: 'start'; code: string; mode: ClockMode; maxRows: number; services: JobServices; startMs: number; loopLimitMs: number; models?: JobModel[]; checkpointDir?: string; workspaceLimit?: { bytes: number; elsewhere: number }; dataDir?: string; runStartedAtMs?: number }
  | { type: 'step'; stepId: number; batches?: number; advanceMs?: number; drain?: boolean }
  | { type: 'crash' }
  | { type: 'stop' };

/** An error as the child saw it, before source mapping. */
export const rawError = z.strictObject({
  name: z.string(), message: z.string(), stack: z.string(), code: z.string(),
  /** Where in the learner's files, when the child knows it without a stack (an await that never resolves). */
  at: z.strictObject({ file: z.string(), line: z.int(), column: z.int() }).optional(),
});
/** An error as the child saw it. */
export type RawError = z.infer<typeof rawError>;

/**
 * A finished batch as the child reports it: the `run.batch` event without `kind` and `runId`, and for a
 * structured batch without `truncated` (the host compares the rows sent with `totalRows`).
 */
export const childBatch = z.discriminatedUnion('api', [
  structuredBatchEvent.omit({ kind: true, runId: true, truncated: true }).extend({ type: z.literal('batch') }),
  dstreamBatchEvent.omit({ kind: true, runId: true }).extend({ type: z.literal('batch') }),
]);
/** A finished batch as the child reports it. */
export type ChildBatch = z.infer<typeof childBatch>;

/** child → host */
export const childToHost = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('heartbeat'), rssBytes: z.number() }),
  z.strictObject({ type: z.literal('log'), level: z.enum(['log', 'info', 'warn', 'error', 'debug']), text: z.string() }),
  z.strictObject({ type: z.literal('query'), queryName: z.string().nullable(), queryId: z.string().nullable(), trigger: triggerInfo }),
  childBatch,
  z.strictObject({ type: z.literal('status'), state: z.enum(['running', 'idle', 'finished']), message: z.string().optional() }),
  z.strictObject({ type: z.literal('error'), error: rawError }),
  z.strictObject({ type: z.literal('step-done'), stepId: z.int(), batchesRun: z.int(), clockMs: z.number(), error: z.string().optional() }),
  z.strictObject({ type: z.literal('latency'), bucketsMs: z.array(z.number()), pipelines: z.array(pipelineLatency) }),
]);
/** child → host */
export type ChildToHost = z.infer<typeof childToHost>;
