/**
 * Server messages for a client that negotiated an older protocol version: what that version does not
 * have is left out, and what it had in another shape is rebuilt, so a decoder of that version gets
 * exactly what a runtime of that version sent.
 *
 *   version 9:  the same messages (`lesson.progress.ok` answers only a request version 10 added)
 *   version 8:  `run.status` goes without the run's `mode`, `clockMs` and `lessonId`
 *   version 7:  as version 8, and a DStream `run.batch`'s trace lists its inputs without their `sample` of records
 *   version 6:  as version 7, and `lessons.get.ok` goes without the lesson's `data`
 *   version 5:  as version 6, and `run.latency` is not sent
 *   version 4:  as version 5, and a `queued` run is `starting`, with the runs ahead of it said in `message`
 *   version 3:  as version 4, and `run.batch` has one shape for both APIs, with an untyped progress and
 *               trace:
 *                 structured  progress = Spark's StreamingQueryProgress with `eventTime` (ISO-8601, made
 *                             from the trace's epoch ms); trace = the engine's trace of then (no `api`,
 *                             no `eventTime`, a watermark of zeros when the query has none)
 *                 dstream     queryName null, progress {batchTime, numInputRows}, no rows, the trace as is
 *   version 2:  as version 3, and `check.status` is not sent; `check.result` goes without score, seed and
 *               each check's id, points, file, line and diff
 *   version 1:  as version 2, and `run.query` is not sent; `run.batch` goes without `schema`
 */
import { z } from 'zod';
import { progressEventTime } from '../format/spark-time.js';
import { jsonValue } from './common.js';
import { columnInfo, type ServerMessage, type ServerMessageOf } from './server-messages.js';

/** `run.batch` as protocol versions 1 to 3 had it (`schema` from version 2 on). */
export const legacyRunBatchEvent = z.strictObject({
  kind: z.literal('run.batch'),
  runId: z.string(),
  queryName: z.string().nullable(),
  batchId: z.int(),
  progress: z.record(z.string(), jsonValue),
  rows: z.array(z.record(z.string(), jsonValue)),
  schema: z.array(columnInfo).optional(),
  totalRows: z.int(),
  truncated: z.boolean(),
  trace: jsonValue,
});
/** `run.batch` as protocol versions 1 to 3 had it. */
export type LegacyRunBatch = z.infer<typeof legacyRunBatchEvent>;

/** A message in the shape of some supported protocol version. */
export type VersionedServerMessage = ServerMessage | LegacyRunBatch;

/**
 * The message as protocol `version` has it, or `null` when that version has no such message.
 * @param message a message of the current version
 * @param version the version negotiated with the client
 */
export function serverMessageForVersion(message: ServerMessage, version: number): VersionedServerMessage | null {
  if (version >= 11) return message;
  if (message.kind === 'instructor.comment') return null;
  if (version >= 9) return message;
  if (message.kind === 'run.status' && (message.mode !== undefined || message.clockMs !== undefined || message.lessonId !== undefined)) {
    const { mode: _mode, clockMs: _clockMs, lessonId: _lessonId, ...rest } = message;
    message = rest;
  }
  if (version >= 8) return message;
  if (message.kind === 'run.batch' && message.api === 'dstream') {
    message = { ...message, trace: { ...message.trace, inputs: message.trace.inputs.map(({ sample: _sample, ...input }) => input) } };
  }
  if (version >= 7) return message;
  if (message.kind === 'lessons.get.ok' && message.lesson.data !== undefined) {
    const { data: _data, ...lesson } = message.lesson;
    return { ...message, lesson };
  }
  if (version >= 6) return message;
  if (message.kind === 'run.latency') return null;
  if (version >= 5) return message;
  if (message.kind === 'run.status' && (message.state === 'queued' || message.ahead !== undefined)) {
    const { ahead, ...rest } = message;
    const queued = message.state === 'queued';
    return { ...rest, state: queued ? 'starting' : message.state, ...(queued ? { message: queuedMessage(ahead ?? 0) } : {}) };
  }
  if (version >= 4) return message;
  if (message.kind === 'run.batch') {
    const legacy = legacyRunBatch(message);
    if (version >= 2) return legacy;
    const { schema: _schema, ...v1 } = legacy;
    return v1;
  }
  if (version >= 3) return message;
  if (message.kind === 'check.status') return null;
  if (message.kind === 'check.result') {
    const { score: _score, maxScore: _maxScore, seed: _seed, ...rest } = message;
    return { ...rest, tests: rest.tests.map((t) => ({ name: t.name, status: t.status, message: t.message, durationMs: t.durationMs })) };
  }
  if (version >= 2) return message;
  if (message.kind === 'run.query') return null;
  return message;
}

/** `run.batch` in the shape of protocols 1 to 3 (with `schema`, which protocol 1 leaves out). */
function legacyRunBatch(message: ServerMessageOf<'run.batch'>): LegacyRunBatch {
  if (message.api === 'dstream') {
    const { trace } = message;
    return {
      kind: 'run.batch', runId: message.runId, queryName: null, batchId: message.batchId,
      progress: { batchTime: trace.batchTime, numInputRows: trace.inputs.reduce((n, i) => n + i.records, 0) },
      rows: [], totalRows: 0, truncated: false, trace,
    };
  }
  const { api: _api, eventTime, watermark, ...trace } = message.trace;
  const { stateOperators, sources, sink, ...head } = message.progress;
  const sparkProgress = {
    ...head,
    // Where Spark puts it: after durationMs.
    ...(watermark ? { eventTime: progressEventTime(eventTime, watermark.beforeMs) } : {}),
    stateOperators, sources, sink,
  };
  return {
    kind: 'run.batch', runId: message.runId, queryName: message.queryName, batchId: message.batchId,
    progress: sparkProgress, rows: message.rows, schema: message.schema, totalRows: message.totalRows, truncated: message.truncated,
    trace: { ...trace, watermark: watermark ?? { beforeMs: 0, afterMs: 0, lateThresholdMs: 0 } },
  };
}

/** How a queued run is described in words: "Waiting for a free slot: 3 runs ahead of yours." */
export function queuedMessage(ahead: number): string {
  if (ahead === 0) return 'Waiting for a free slot: yours is next.';
  return `Waiting for a free slot: ${ahead} run${ahead === 1 ? '' : 's'} ahead of yours.`;
}
