/**
 * Messages from the workbench to the runtime. Every request carries an `id`; the runtime answers it with
 * exactly one message of kind `<request kind>.ok` or `error` carrying the same id.
 *
 * Grammar of a connection:  hello  (request | event*)*
 * The first message must be `hello`; it may carry the token when the URL did not.
 */
import { z } from 'zod';
import { clockMode, requestId, sourceFiles, topicName } from './common.js';

/** Rows a `run.batch` event carries at most, whatever the client asks (`run.start`'s `maxRows`). */
export const MAX_ROWS_PER_BATCH = 1000;
/** Rows a `run.batch` event carries at most when the client does not ask for a number. */
export const DEFAULT_ROWS_PER_BATCH = 100;

const req = <K extends string, S extends z.ZodRawShape>(kind: K, shape: S) =>
  z.strictObject({ kind: z.literal(kind), id: requestId, ...shape });

/** Opens the conversation: versions the client speaks, and optionally the token. */
export const helloRequest = req('hello', {
  versions: z.array(z.int().min(1).max(1000)).min(1).max(20),
  token: z.string().min(1).max(200).optional(),
  client: z.string().max(100).optional(),
  /**
   * A session id from an earlier `hello.ok` (the workbench keeps it in the tab's sessionStorage): a
   * reconnecting or reloaded tab keeps its runs, and each live run's last `run.status` follows `hello.ok`.
   */
  session: z.string().min(8).max(64).optional(),
});
/** Lists the available lessons. */
export const lessonsListRequest = req('lessons.list', {});
/** Fetches one lesson with its text and starter files. */
export const lessonsGetRequest = req('lessons.get', { lessonId: z.string().min(1).max(100) });
/** Compiles and starts the learner's pipeline. */
export const runStartRequest = req('run.start', {
  lessonId: z.string().min(1).max(100).optional(),
  files: sourceFiles,
  entry: z.string().min(1).max(200).optional(),
  mode: clockMode,
  /**
   * Rows per `run.batch` event at most: 100 when not given, and never more than the runtime's
   * `limits.maxRowsPerBatch` (1000 unless lowered). A batch with more rows sends the first ones with
   * `truncated: true` and its `totalRows`.
   */
  maxRows: z.int().min(0).max(MAX_ROWS_PER_BATCH).optional(),
});
/** Stops a run and frees everything it holds. */
export const runStopRequest = req('run.stop', { runId: z.string().min(1).max(64) });
/** Manual clock only: run a number of batches, or advance the clock by some milliseconds. */
export const runStepRequest = req('run.step', {
  runId: z.string().min(1).max(64),
  batches: z.int().min(1).max(1000).optional(),
  advanceMs: z.int().min(0).max(365 * 24 * 3600 * 1000).optional(),
}).refine((m) => (m.batches === undefined) !== (m.advanceMs === undefined), { message: 'give exactly one of batches or advanceMs' });
/**
 * Kills each query of a run right after its sink writes the next batch and before the batch is
 * committed, then restarts it from its checkpoint (protocol 6): the failure that makes a sink see a
 * batch twice.
 */
export const runCrashRequest = req('run.crash', { runId: z.string().min(1).max(64) });
/**
 * Plays the run's lesson data again from its first record (protocol 7), moved in time to the first
 * whole minute at or after the run's clock, so the same story (gaps, disorder, late records) plays again.
 */
export const runReplayRequest = req('run.replay', { runId: z.string().min(1).max(64) });
/**
 * Sends one of the lesson's extra records (`lessons.get.ok`'s `data.extras`, e.g. "a late reading")
 * into the run's topic (protocol 7); its event time is the run's clock minus what the lesson says.
 */
export const runExtraRequest = req('run.extra', { runId: z.string().min(1).max(64), extraId: z.string().min(1).max(64) });
/** Runs a lesson's autograder against the learner's files. */
export const checkRunRequest = req('check.run', { lessonId: z.string().min(1).max(100), files: sourceFiles });
/** Lists Kafka topics. */
export const topicsListRequest = req('topics.list', {});
/** Starts streaming a topic's records as `topics.record` events. */
export const topicsTailRequest = req('topics.tail', { topic: topicName, from: z.enum(['earliest', 'latest']).default('latest') });
/** Stops a tail started by `topics.tail`. */
export const topicsUntailRequest = req('topics.untail', { tailId: z.string().min(1).max(64) });
/** Produces one record. */
export const topicsProduceRequest = req('topics.produce', {
  topic: topicName,
  key: z.string().max(64 * 1024).nullable().optional(),
  value: z.string().max(512 * 1024).nullable(),
  headers: z.record(z.string().max(200), z.string().max(4096)).optional(),
  timestamp: z.int().min(0).optional(),
});
/** Creates a topic. */
export const topicsCreateRequest = req('topics.create', { topic: topicName, partitions: z.int().min(1).max(64).default(1) });
/** Deletes a topic. */
export const topicsDeleteRequest = req('topics.delete', { topic: topicName });
/** Empties a topic, keeping its partitions (protocol 7): it is deleted and created again. */
export const topicsClearRequest = req('topics.clear', { topic: topicName });
/** Lists tables of the runtime's PostgreSQL database. */
export const dbTablesRequest = req('db.tables', {});
/** Runs one read-only query (read-only transaction, statement timeout, row cap). */
export const dbQueryRequest = req('db.query', { sql: z.string().min(1).max(20_000) });
/**
 * Forgets the saved state of a lesson's queries (protocol 5): their checkpoints (offsets, commits and
 * state) are deleted, so the next run starts where a first run would. Without `lessonId`, the runs
 * that belong to no lesson.
 */
export const checkpointsResetRequest = req('checkpoints.reset', { lessonId: z.string().min(1).max(100).optional() });
/**
 * Where the learner is in a lesson (protocol 10): the step the workbench shows (`step` counts from 0,
 * of `steps`, titled `title`), and optionally the code in the editor. The workbench sends it when a
 * lesson opens, when the learner moves to another step, and a moment after the code changes; the
 * runtime keeps the latest for the instructor's dashboard alone (no learner is ever sent it).
 */
export const lessonProgressRequest = req('lesson.progress', {
  lessonId: z.string().min(1).max(100),
  step: z.int().min(0).max(199),
  steps: z.int().min(1).max(200),
  title: z.string().max(200),
  files: sourceFiles.optional(),
}).refine((m) => m.step < m.steps, { message: 'step must be below steps (steps count from 0)' });
/** Exports the learner's pipeline as a PySpark program. */
export const exportPysparkRequest = req('export.pyspark', { lessonId: z.string().min(1).max(100).optional(), files: sourceFiles });

/** Every message a client may send, discriminated by `kind`. */
export const clientMessage = z.discriminatedUnion('kind', [
  helloRequest, lessonsListRequest, lessonsGetRequest, runStartRequest, runStopRequest, runStepRequest, runCrashRequest,
  runReplayRequest, runExtraRequest, checkRunRequest, topicsListRequest, topicsTailRequest, topicsUntailRequest, topicsProduceRequest,
  topicsCreateRequest, topicsDeleteRequest, topicsClearRequest, dbTablesRequest, dbQueryRequest, exportPysparkRequest, checkpointsResetRequest,
  lessonProgressRequest,
]);
/** Every message a client may send. */
export type ClientMessage = z.infer<typeof clientMessage>;
/** Input shape of a client message (before defaults are applied). */
export type ClientMessageInput = z.input<typeof clientMessage>;
/** The `kind` of any client message. */
export type ClientKind = ClientMessage['kind'];
/** The client message of a given kind. */
export type ClientMessageOf<K extends ClientKind> = Extract<ClientMessage, { kind: K }>;

/** Every client message kind, for dispatch tables and fuzzing. */
export const CLIENT_KINDS = clientMessage.options.map((o) => o.shape.kind.value) as ClientKind[];
