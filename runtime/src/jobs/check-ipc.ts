/**
 * The check mode of a job process: how a lesson's check harness (trusted, outside the sandbox) drives
 * the learner's code (inside it). The harness sends one operation at a time; the job process answers
 * each with plain data. Handles are numbers naming objects that stay inside the sandbox (a DataFrame,
 * a query, a StreamingContext).
 *
 *   host → child:  { type: 'check', id, op }          op: load, then any of the others
 *   child → host:  { type: 'check-reply', id, ok: true, value } | { …, ok: false, error }
 *                  and the job's heartbeat, log and error messages (ipc.ts)
 *
 *   load          compile output (and the lesson's saved models) in, exports' names out; before the learner's code runs the intrinsics
 *                 and the `streamlab` API are frozen, and Kafka is an in-memory cluster on a manual clock; a check
 *                 that writes to PostgreSQL gives the URL of its own schema and role (least privilege, dropped after)
 *   call          an exported function with JSON arguments, the session or a StreamingContext; what it
 *                 returns must be what the check asked for (a real DataFrame, a real started query, data)
 *   startStream   a DataFrame's plan, started by the harness on a memory sink of its own session
 *   collect       a static DataFrame's rows (as JSON), computed by the engine's own code; a check whose lesson reads
 *                 CSV files gives `load` the folder of its lake (the only files the process may read)
 *   produce, records, clock, process, context, startContext, awaitBatch, output, batches, plan, stop
 *   crash         arms a query to die after its next sink write, before the commit; `restarted` waits for the
 *                 query its checkpoint restarted
 *   actorSystem   a flow ActorSystem on the sandbox's clock (an argument like the session); `drain` drains and shuts
 *                 down a DrainingControl the engine built; `flowFailure` says why its stream failed (null while it runs)
 *   meter, latency  a LatencyMeter on the learner's session, and its summary as data
 *   awaits        where the learner's code waits in an operation that did not finish (the await it hangs at)
 *   export        instead of load: run the program's main() up to start() and render it as PySpark
 *
 * Replies are validated with zod on the host side: the sandbox is not trusted to send what it should.
 */
import { z } from 'zod';
import type { KafkaSaslMechanism } from '../engine/kafka/kafka-security.js';
import { rawError, type JobModel, type RawError } from './ipc.js';
import { MAX_FLOW_FAILURE_CHARS, MAX_PRINTED_CHARS } from './check-limits.js';

/** An argument of an exported function. */
export type CheckArg = { json: unknown } | { spark: true } | { context: number } | { system: number };

/** A record the harness appends to a topic. */
export interface CheckProduceRecord {
  key: string | null;
  value: string | null;
  partition?: number;
}

/** A world whose Kafka has only a SASL listener: its mechanisms and users (name → password). */
export interface CheckSasl {
  mechanisms: KafkaSaslMechanism[];
  users: Record<string, string>;
}

/** What an exported function must return. */
export type CheckReturns = 'value' | 'dataframe' | 'query' | 'control' | 'nothing';

/** One operation. */
export type CheckOp =
  | { op: 'load'; code: string; startMs: number; loopLimitMs: number; topics: Record<string, number>; models?: JobModel[]; database?: string; sasl?: CheckSasl; dataDir?: string }
  | { op: 'collect'; df: number }
  | { op: 'call'; fn: string; args: CheckArg[]; returns: CheckReturns }
  | { op: 'startStream'; df: number; outputMode: 'append' | 'update' | 'complete'; selectExpr?: string[] }
  | { op: 'produce'; topic: string; records: CheckProduceRecord[] }
  | { op: 'records'; topic: string }
  | { op: 'clock'; setMs?: number; advanceMs?: number }
  | { op: 'process'; query: number }
  | { op: 'context'; batchSeconds: number; readInputsEveryBatch?: boolean }
  | { op: 'startContext'; context: number }
  | { op: 'awaitBatch'; context: number; timeMs: number }
  | { op: 'output' }
  | { op: 'batches'; query: number }
  | { op: 'plan'; handle: number }
  | { op: 'stop'; query: number }
  | { op: 'crash'; query: number }
  | { op: 'restarted'; query: number }
  | { op: 'actorSystem'; name: string }
  | { op: 'drain'; control: number }
  | { op: 'flowFailure'; control: number }
  | { op: 'meter' }
  | { op: 'latency'; meter: number }
  | { op: 'awaits'; request: number }
  | { op: 'export'; code: string; title?: string; loopLimitMs: number; models?: JobModel[] };

/** host → child */
export interface CheckRequest {
  type: 'check';
  id: number;
  op: CheckOp;
}

/** child → host */
export type CheckReply =
  | { type: 'check-reply'; id: number; ok: true; value: unknown }
  | { type: 'check-reply'; id: number; ok: false; error: RawError };

const json = z.unknown();

/** A record as the harness reads it back. */
export const checkRecord = z.strictObject({
  partition: z.int(),
  offset: z.int(),
  key: z.string().nullable(),
  value: z.string().nullable(),
  /** The value's bytes in base64, for values that are not text (MessagePack, Avro). */
  valueBase64: z.string().nullable(),
  /** Epoch ms. */
  timestamp: z.number(),
});
export type CheckRecord = z.infer<typeof checkRecord>;

/** The rows one micro-batch wrote to the harness's memory sink, as JSON (timestamps as ISO strings). */
export const checkBatch = z.strictObject({
  batchId: z.int(),
  rows: z.array(z.record(z.string(), json)),
});
export type CheckBatch = z.infer<typeof checkBatch>;

/** A logical plan as plain data: the node kind, a few readable facts, and the children. */
export interface PlanSummary {
  kind: string;
  /** Source format and the topics it reads (StreamingRelation); watermark column and delay; grouping. */
  facts: Record<string, string | number | string[]>;
  children: PlanSummary[];
}
export const planSummary: z.ZodType<PlanSummary> = z.lazy(() => z.strictObject({
  kind: z.string(),
  facts: z.record(z.string(), z.union([z.string(), z.number(), z.array(z.string())])),
  children: z.array(planSummary),
}));

/** What each operation answers. */
export const checkValues = {
  load: z.strictObject({ exports: z.array(z.string()) }),
  call: z.union([
    z.strictObject({ kind: z.literal('dataframe'), handle: z.int(), columns: z.array(z.string()), types: z.array(z.string()), streaming: z.boolean() }),
    z.strictObject({ kind: z.literal('query'), handle: z.int() }),
    z.strictObject({ kind: z.literal('control'), handle: z.int() }),
    z.strictObject({ kind: z.literal('value'), value: json }),
  ]),
  startStream: z.strictObject({ handle: z.int() }),
  collect: z.strictObject({ columns: z.array(z.string()), rows: z.array(z.record(z.string(), json)) }),
  produce: z.strictObject({ count: z.int() }),
  records: z.array(checkRecord),
  clock: z.strictObject({ nowMs: z.number() }),
  process: z.strictObject({ batches: z.int() }),
  context: z.strictObject({ handle: z.int() }),
  startContext: z.strictObject({}),
  awaitBatch: z.strictObject({}),
  output: z.strictObject({ text: z.string().max(MAX_PRINTED_CHARS) }),
  batches: z.strictObject({ columns: z.array(z.string()), batches: z.array(checkBatch) }),
  plan: planSummary,
  stop: z.strictObject({}),
  crash: z.strictObject({}),
  restarted: z.strictObject({ handle: z.int() }),
  actorSystem: z.strictObject({ handle: z.int() }),
  drain: z.strictObject({}),
  flowFailure: z.strictObject({ error: z.string().max(MAX_FLOW_FAILURE_CHARS).nullable() }),
  meter: z.strictObject({ handle: z.int() }),
  latency: z.record(z.string(), z.strictObject({
    kind: z.enum(['micro-batch', 'flow']),
    trigger: z.string().optional(),
    startupMs: z.number().nullable(),
    count: z.int(),
    p50: z.number().nullable(),
    p95: z.number().nullable(),
    p99: z.number().nullable(),
    max: z.number().nullable(),
    histogram: z.array(z.int()),
  })),
  awaits: z.strictObject({ at: z.strictObject({ file: z.string(), line: z.int(), column: z.int() }).nullable() }),
  export: z.strictObject({
    code: z.string(),
    stubs: z.array(z.strictObject({ name: z.string(), where: z.string(), params: z.array(z.string()), source: z.string() })),
    submit: z.array(z.string()),
  }),
} satisfies Record<CheckOp['op'], z.ZodType>;

/** The reply of an operation, checked. */
export type CheckValue<K extends CheckOp['op']> = z.infer<(typeof checkValues)[K]>;

/** A reply as received, before the value is checked against its operation. */
export const checkReplyEnvelope = z.union([
  z.strictObject({ type: z.literal('check-reply'), id: z.int(), ok: z.literal(true), value: json }),
  z.strictObject({
    type: z.literal('check-reply'), id: z.int(), ok: z.literal(false),
    error: rawError,
  }),
]);
