/**
 * Messages from the runtime to the workbench: replies (kind `<request kind>.ok`, or `error`, carrying the
 * request's id) and events (no id; they name the run, tail or check they belong to).
 */
import { z } from 'zod';
import { dstreamBatchTrace, structuredBatchTrace } from './batch-trace.js';
import { clockMode, errorCode, jsonValue, lessonApi, requestId, runState, sourceFile } from './common.js';
import { streamingQueryProgress } from './query-progress.js';

const reply = <K extends string, S extends z.ZodRawShape>(kind: K, shape: S) =>
  z.strictObject({ kind: z.literal(kind), id: requestId, ...shape });
const event = <K extends string, S extends z.ZodRawShape>(kind: K, shape: S) =>
  z.strictObject({ kind: z.literal(kind), ...shape });

/** Summary of one lesson, as listed. */
export const lessonSummary = z.strictObject({
  id: z.string(),
  title: z.string(),
  summary: z.string(),
  api: lessonApi,
  durationMin: z.number().optional(),
});
/** Summary of one lesson. */
export type LessonSummary = z.infer<typeof lessonSummary>;

/** A column of a table or query result. */
export const columnInfo = z.strictObject({ name: z.string(), type: z.string() });
/** A column of a table or query result. */
export type ColumnInfo = z.infer<typeof columnInfo>;

/** The server's answer to `hello`: the negotiated version and what it can do. */
export const helloReply = reply('hello.ok', {
  version: z.int(),
  server: z.strictObject({ name: z.string(), version: z.string() }),
  /** Optional capabilities, e.g. `kafka`, `postgres`, `export.pyspark`. */
  features: z.array(z.string()),
  /**
   * The session id to send in a later `hello` to keep this session's runs across a reconnect or a
   * reload; also what `GET /api/serving?session=` names.
   */
  session: z.string().optional(),
});
/** The lesson list. */
export const lessonsListReply = reply('lessons.list.ok', { lessons: z.array(lessonSummary) });
/**
 * What a lesson plays (protocol 7): its topics as opening the lesson made them, where the manual clock
 * starts, how many records Run plays, and the one-button records (`run.extra`) the learner can send.
 */
export const lessonData = z.strictObject({
  /** Epoch ms where a run's manual clock starts; null when the lesson names no time. */
  clockStartMs: z.number().nullable(),
  topics: z.array(z.strictObject({ name: z.string(), partitions: z.int().min(1) })),
  /** Records Run plays into the topics, in all. */
  records: z.int().min(0),
  extras: z.array(z.strictObject({ id: z.string(), label: z.string(), topic: z.string() })),
});
/** What a lesson plays. */
export type LessonData = z.infer<typeof lessonData>;
/** One lesson with its markdown, starter files, hints (revealed one by one) and solution files. */
export const lessonsGetReply = reply('lessons.get.ok', {
  lesson: lessonSummary.extend({
    markdown: z.string(),
    files: z.array(sourceFile),
    hints: z.array(z.string()).optional(),
    solution: z.array(sourceFile).optional(),
    /** Protocol 7. */
    data: lessonData.optional(),
  }),
});
/** A run was accepted; its events carry `runId`. */
export const runStartReply = reply('run.start.ok', { runId: z.string(), mode: clockMode });
/** The run is stopped and its resources are freed. */
export const runStopReply = reply('run.stop.ok', { runId: z.string() });
/** The manual step finished: batches run by it, and the clock afterwards. */
export const runStepReply = reply('run.step.ok', { runId: z.string(), batchesRun: z.int(), clockMs: z.number() });
/** The run's queries will be killed after their next sink write (protocol 6). */
export const runCrashReply = reply('run.crash.ok', { runId: z.string() });
/** The lesson's data plays again from its first record (protocol 7): how many records, moved how far in time. */
export const runReplayReply = reply('run.replay.ok', { runId: z.string(), records: z.int().min(0), shiftMs: z.number() });
/** The extra record is in Kafka (protocol 7): what was sent, and its event time when it has one. */
export const runExtraReply = reply('run.extra.ok', {
  runId: z.string(), topic: z.string(), key: z.string().nullable(), value: z.string(), eventTimeMs: z.number().nullable(),
});
/** A check was started; its result arrives as `check.result`. */
export const checkRunReply = reply('check.run.ok', { checkId: z.string() });
/** Kafka topics. */
export const topicsListReply = reply('topics.list.ok', {
  /** `endOffsets[p]` is partition p's next offset (the count of records it ever held). */
  topics: z.array(z.strictObject({ name: z.string(), partitions: z.int(), endOffsets: z.array(z.string()).optional() })),
});
/** A tail started; its records arrive as `topics.record`. */
export const topicsTailReply = reply('topics.tail.ok', { tailId: z.string() });
/** A tail stopped. */
export const topicsUntailReply = reply('topics.untail.ok', { tailId: z.string() });
/** Where the produced record landed. */
export const topicsProduceReply = reply('topics.produce.ok', { topic: z.string(), partition: z.int(), offset: z.string() });
/** Topic created. */
export const topicsCreateReply = reply('topics.create.ok', { topic: z.string() });
/** Topic deleted. */
export const topicsDeleteReply = reply('topics.delete.ok', { topic: z.string() });
/** Topic emptied (protocol 7): it has its partitions again, and no records. */
export const topicsClearReply = reply('topics.clear.ok', { topic: z.string(), partitions: z.int().min(1) });
/** A table of the runtime's database. */
export const tableInfo = z.strictObject({ schema: z.string(), name: z.string(), columns: z.array(columnInfo) });
/** A table of the runtime's database. */
export type TableInfo = z.infer<typeof tableInfo>;
/** Tables of the runtime's database. */
export const dbTablesReply = reply('db.tables.ok', { tables: z.array(tableInfo) });
/** Result of a read-only query; `truncated` when the row cap cut it. */
export const dbQueryReply = reply('db.query.ok', {
  columns: z.array(columnInfo),
  rows: z.array(z.array(jsonValue)),
  rowCount: z.int(),
  truncated: z.boolean(),
});
/** The saved state (checkpoints) of the lesson's queries is gone: the next run starts from scratch (protocol 5). */
export const checkpointsResetReply = reply('checkpoints.reset.ok', { lessonId: z.string().nullable(), removed: z.int().min(0) });
/** The runtime has the learner's step (and code) of `lesson.progress` (protocol 10). */
export const lessonProgressReply = reply('lesson.progress.ok', { lessonId: z.string(), step: z.int().min(0) });
/** The equivalent PySpark program. */
export const exportPysparkReply = reply('export.pyspark.ok', { source: z.string(), warnings: z.array(z.string()) });
/** A request failed, or a message could not be understood (`id` is null when it had no readable id). */
export const errorReply = z.strictObject({
  kind: z.literal('error'),
  id: requestId.nullable(),
  code: errorCode,
  message: z.string(),
});

/** A run changed state. */
export const runStatusEvent = event('run.status', {
  runId: z.string(),
  state: runState,
  message: z.string().optional(),
  /** With `queued` (protocol 5): how many runs on this runtime wait ahead of this one. */
  ahead: z.int().min(0).optional(),
  /**
   * In the statuses repeated after `hello.ok` (protocol 9): the run's clock mode, its manual clock's time,
   * and the lesson it was started for, so a reattached page shows the run as it was started.
   */
  mode: clockMode.optional(),
  clockMs: z.number().optional(),
  lessonId: z.string().optional(),
});
/**
 * How a query is triggered. `intervalMs` is the processing time between batches: a `processingTime`
 * trigger's interval, a StreamingContext's batch duration (`batchDuration`, DStreams), and 0 for triggers
 * without one — Spark's default trigger (`ProcessingTime(0)`: a batch as soon as the previous one ended
 * and data is available), `once` and `availableNow`.
 */
export const triggerInfo = z.strictObject({
  kind: z.enum(['default', 'processingTime', 'once', 'availableNow', 'continuous', 'batchDuration']),
  intervalMs: z.int().min(0),
});
/** How a query is triggered. */
export type TriggerInfo = z.infer<typeof triggerInfo>;

/**
 * A query of the run started (protocol 2): a Structured Streaming query, or a StreamingContext (whose
 * `queryName` and `queryId` are null). A query restarted in the same run is announced again.
 */
export const runQueryEvent = event('run.query', {
  runId: z.string(),
  /** As in the query's `run.batch` events. */
  queryName: z.string().nullable(),
  /** The query's id (`progress.id` of its batches); stable across restarts from one checkpoint. */
  queryId: z.string().nullable(),
  trigger: triggerInfo,
});
/**
 * A micro-batch of a Structured Streaming query finished: Spark's progress, the output rows (capped) with
 * their columns' types, and the explain trace. Protocol 3 (protocol 1 and 2 had one untyped shape for
 * both APIs: see downgrade.ts).
 */
export const structuredBatchEvent = event('run.batch', {
  api: z.literal('structured'),
  runId: z.string(),
  /** The query the batch belongs to (a pipeline may start several). */
  queryName: z.string().nullable(),
  batchId: z.int().min(0),
  progress: streamingQueryProgress,
  rows: z.array(z.record(z.string(), jsonValue)),
  /** Columns of the output rows with Spark's simple type strings (`double`, `struct<start:timestamp,end:timestamp>`). */
  schema: z.array(columnInfo),
  totalRows: z.int().min(0),
  truncated: z.boolean(),
  trace: structuredBatchTrace,
});
/** A batch of a StreamingContext finished (DStreams print their output through `run.log`). Protocol 3. */
export const dstreamBatchEvent = event('run.batch', {
  api: z.literal('dstream'),
  runId: z.string(),
  /** Batches of the run's StreamingContext, counted from 0. */
  batchId: z.int().min(0),
  trace: dstreamBatchTrace,
});
/** One batch finished, by API. */
export const runBatchEvent = z.discriminatedUnion('api', [structuredBatchEvent, dstreamBatchEvent]);
/** A micro-batch of a Structured Streaming query finished. */
export type StructuredBatchEvent = z.infer<typeof structuredBatchEvent>;
/** A batch of a StreamingContext finished. */
export type DStreamBatchEvent = z.infer<typeof dstreamBatchEvent>;
/** A line the learner's code printed (console.log and friends, and console-sink output). */
export const runLogEvent = event('run.log', {
  runId: z.string(),
  level: z.enum(['log', 'info', 'warn', 'error', 'debug']),
  text: z.string(),
});
/** The run failed; position fields point at the learner's file when known. */
export const runErrorEvent = event('run.error', {
  runId: z.string(),
  message: z.string(),
  code: z.string(),
  file: z.string().nullable(),
  line: z.int().nullable(),
  column: z.int().nullable(),
  stack: z.string(),
});
/**
 * One pipeline's latency from produce to sink (protocol 6): for a micro-batch query, from each Kafka
 * record's timestamp to the sink's write of its batch; for a flow, to the moment the element made from
 * it reached the end of the stream (a sink or a Committer). Milliseconds; percentiles by the nearest rank.
 */
export const pipelineLatency = z.strictObject({
  /** `<query name or "query N"> (trigger <interval>)`, or `<ActorSystem name> (flow)`. */
  name: z.string(),
  kind: z.enum(['micro-batch', 'flow']),
  /** The query's trigger in words (`1 second`, `100 milliseconds`, `default`); micro-batch only. */
  trigger: z.string().optional(),
  count: z.int().min(1),
  p50: z.number(),
  p95: z.number(),
  p99: z.number(),
  max: z.number(),
  /** Records per bucket of `run.latency.bucketsMs` (at most the bound), then one for everything above the last. */
  histogram: z.array(z.int().min(0)),
  /** From the run's start to the pipeline's first record at the sink, ms. */
  startupMs: z.number().nullable(),
});
/** One pipeline's latency. */
export type PipelineLatencyInfo = z.infer<typeof pipelineLatency>;
/** The latency of every pipeline of a run so far (protocol 6); sent again as it changes. */
export const runLatencyEvent = event('run.latency', {
  runId: z.string(),
  /** Upper bounds of the histogram buckets, ms. */
  bucketsMs: z.array(z.number()),
  pipelines: z.array(pipelineLatency),
});
/** One record of a tailed topic. */
export const topicsRecordEvent = event('topics.record', {
  tailId: z.string(),
  topic: z.string(),
  partition: z.int(),
  offset: z.string(),
  key: z.string().nullable(),
  value: z.string().nullable(),
  timestamp: z.string(),
  headers: z.record(z.string(), z.string()),
});
/**
 * Rows a check expected and did not get (`missing`), and rows the learner's code produced that it did not
 * expect (`unexpected`), in the order of `columns`: drawn as a small table diff, never as escaped text.
 */
export const checkDiff = z.strictObject({
  columns: z.array(z.string()),
  missing: z.array(z.array(jsonValue)),
  unexpected: z.array(z.array(jsonValue)),
});
/** One check of a lesson, as graded. */
export const checkOutcome = z.strictObject({
  /** Stable identity of the check (protocol 3); points and stored results are keyed by it. */
  id: z.string().optional(),
  /** What the check verifies, in the learner's words. */
  name: z.string(),
  status: z.enum(['passed', 'failed', 'skipped']),
  /** Why it failed, in plain words; null when it passed. */
  message: z.string().nullable(),
  durationMs: z.number(),
  /** Points earned and available (protocol 3). */
  points: z.number().optional(),
  maxPoints: z.number().optional(),
  /** The line of the learner's entry file the failure points at, when there is one (protocol 3). */
  file: z.string().nullable().optional(),
  line: z.int().nullable().optional(),
  /** Yours against expected, when the check compares rows or lines (protocol 3). */
  diff: checkDiff.nullable().optional(),
});
/** Result of a check run. */
export const checkResultEvent = event('check.result', {
  checkId: z.string(),
  lessonId: z.string(),
  tests: z.array(checkOutcome),
  /**
   * Points over every check, and the seed of the visible checks' random cases (protocol 3). Hidden
   * checks draw their inputs from a seed of their own that the learner is never sent.
   */
  score: z.number().optional(),
  maxScore: z.number().optional(),
  seed: z.string().optional(),
});
/**
 * Where a requested check stands: `queued` behind `position - 1` others (the runtime grades a few at a
 * time), then `running`; `check.result` follows (protocol 3).
 */
export const checkStatusEvent = event('check.status', {
  checkId: z.string(),
  lessonId: z.string(),
  state: z.enum(['queued', 'running']),
  /** 1 for the next check to run; present while queued. */
  position: z.int().positive().optional(),
});

/**
 * A comment from the instructor to the learners of a plan group (protocol 11): sent to each member's
 * open sockets when written, and again after every `hello.ok` of theirs, so a page opened later has it.
 */
export const instructorCommentEvent = event('instructor.comment', {
  commentId: z.string(),
  lessonId: z.string(),
  text: z.string().min(1).max(2000),
  /** When the instructor wrote it, in epoch ms. */
  at: z.number(),
});

/** Every message the server may send, discriminated by `kind`. */
export const serverMessage = z.discriminatedUnion('kind', [
  helloReply, lessonsListReply, lessonsGetReply, runStartReply, runStopReply, runStepReply, runCrashReply, runReplayReply, runExtraReply, checkRunReply,
  topicsListReply, topicsTailReply, topicsUntailReply, topicsProduceReply, topicsCreateReply, topicsDeleteReply, topicsClearReply,
  dbTablesReply, dbQueryReply, exportPysparkReply, checkpointsResetReply, lessonProgressReply, errorReply,
  runStatusEvent, runQueryEvent, runBatchEvent, runLogEvent, runErrorEvent, runLatencyEvent, topicsRecordEvent, checkResultEvent, checkStatusEvent,
  instructorCommentEvent,
]);
/** Every message the server may send. */
export type ServerMessage = z.infer<typeof serverMessage>;
/** The `kind` of any server message. */
export type ServerKind = ServerMessage['kind'];
/** The server message of a given kind. */
export type ServerMessageOf<K extends ServerKind> = Extract<ServerMessage, { kind: K }>;
/** A server event (a message that is not a reply). */
export type ServerEvent = ServerMessageOf<'run.status' | 'run.query' | 'run.batch' | 'run.log' | 'run.error' | 'run.latency' | 'topics.record' | 'check.result' | 'check.status' | 'instructor.comment'>;

/** Every server message kind (`run.batch` once, though it has a shape per API). */
export const SERVER_KINDS = [...new Set(serverMessage.options.flatMap((o) => ('shape' in o ? [o.shape.kind.value] : o.options.map((b) => b.shape.kind.value))))] as ServerKind[];
