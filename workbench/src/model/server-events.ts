/**
 * What the workbench reads from the runtime. These are the shapes the views need; `client/` turns the
 * protocol's messages into them, so a protocol change touches one adapter and not every view.
 */

import type { LessonApi } from '@streamlab/runtime/protocol';

/** A column of a result table. */
export interface Field {
  name: string;
  /** Spark SQL type name (`int`, `bigint`, `double`, `string`, `timestamp`, `struct<start:timestamp,end:timestamp>`, …). */
  type: string;
}

/** Rows of one micro-batch as JSON arrays in column order, timestamps as ISO strings or epoch ms. */
export interface ResultTable {
  schema: Field[];
  rows: unknown[][];
  /** Total rows in the batch when `rows` was capped. */
  totalRows?: number;
}

/** Spark's StreamingQueryProgress, the subset the charts use. */
export interface BatchProgress {
  batchId: number;
  /** Processing time of the trigger, epoch ms. */
  timestampMs?: number;
  numInputRows?: number;
  inputRowsPerSecond?: number;
  processedRowsPerSecond?: number;
  /** Wall time the batch took, ms (`durationMs.triggerExecution`). */
  durationMs?: number;
  /** Rows kept in state after the batch (sum over stateful operators). */
  stateRows?: number;
  /** Rows dropped by the watermark in this batch (`numRowsDroppedByWatermark`). */
  droppedByWatermark?: number;
  /** Event-time watermark used by the batch, epoch ms. */
  watermarkMs?: number;
  /** Largest event time seen in the batch, epoch ms (`eventTime.max`). */
  maxEventTimeMs?: number;
}

/** A window in event time, half-open `[startMs, endMs)`. */
export interface WindowSpan {
  startMs: number;
  endMs: number;
}

/** What happened to one input row of a Structured Streaming batch. */
export interface TraceInput {
  /** Event time of the row (epoch ms), `null` when the row had none. */
  eventTimeMs: number | null;
  /** Grouping key without the window, rendered as text (`sensor-1`); empty when there is no key. */
  key: string;
  /** Windows the row was assigned to. */
  windows: WindowSpan[];
  status: 'updated' | 'dropped';
  /** Why a row was dropped, in plain words (`event time 00:00:04 is before the watermark 00:00:10`). */
  reason?: string;
  /** The row's values as shown to the learner. */
  preview?: string;
}

/** A state entry: one key and window with its running aggregate after the batch. */
export interface TraceState {
  key: string;
  window: WindowSpan | null;
  /** Running aggregate rendered as text (`count=3`, `avg(temp)=21.5`). */
  aggregate: string;
}

/** An output row of the batch, tied back to its key and window when it has them. */
export interface TraceEmitted {
  key: string;
  window: WindowSpan | null;
  values: string;
}

/** The engine's explanation of one Structured Streaming micro-batch. */
export interface StructuredTrace {
  kind: 'structured';
  batchId: number;
  watermarkBeforeMs: number;
  watermarkAfterMs: number;
  inputs: TraceInput[];
  state: TraceState[];
  emitted: TraceEmitted[];
  evicted: TraceState[];
  /** Records `from_json` could not read (PERMISSIVE: they became nulls): exact count, first texts. */
  malformed?: { total: number; sample: string[] };
  /** Whether the query declared a watermark (absent: unknown, as in older recordings). */
  hasWatermark?: boolean;
}

/** One record a DStream batch held. */
export interface DStreamRecord {
  key: string;
  /** Processing time at which the record arrived, epoch ms. */
  arrivalMs: number;
  preview?: string;
}

/** The engine's explanation of one DStream batch. */
export interface DStreamTrace {
  kind: 'dstream';
  batchId: number;
  /** Batch time (end of its interval), epoch ms. */
  batchTimeMs: number;
  batchIntervalMs: number;
  /** The records drawn (a sample of the first ones when the batch is large). */
  records: DStreamRecord[];
  /** How many records the batch received; `records.length` when absent. */
  recordCount?: number;
  /** Window (in processing time) the batch's windowed operation covered, when there is one. */
  window?: WindowSpan;
  output: TraceEmitted[];
}

/** Either trace. */
export type BatchTrace = StructuredTrace | DStreamTrace;

/** One finished micro-batch as the workbench keeps it. */
export interface BatchEvent {
  runId: string;
  /** Query name, or the sink's description when unnamed. */
  query?: string;
  /** The query's id (a run's unnamed queries differ only by it). */
  queryId?: string;
  /** What the query writes to, in Spark's words (`kafka`, `org.apache.spark.sql.execution.streaming.ConsoleTable$`). */
  sink?: string;
  batchId: number;
  progress: BatchProgress;
  table: ResultTable;
  trace?: BatchTrace;
}

/**
 * How a query of the run is triggered. `intervalMs` is the processing time between its batches: a
 * processing-time trigger's interval or a StreamingContext's batch duration; 0 for Spark's default
 * trigger (a batch whenever data arrives), `once` and `availableNow`.
 */
export interface QueryTrigger {
  kind: 'default' | 'processingTime' | 'once' | 'availableNow' | 'continuous' | 'batchDuration';
  intervalMs: number;
}

/** A query the run started (a StreamingContext has neither name nor id). */
export interface RunQuery {
  runId: string;
  query?: string;
  queryId?: string;
  trigger: QueryTrigger;
}

/** A learner `console.log` line or a runtime log line. */
export interface LogLine {
  runId: string;
  level: 'log' | 'info' | 'warn' | 'error';
  text: string;
}

/** An error with the learner's position when it has one. */
export interface RunError {
  runId: string;
  message: string;
  code?: string;
  file?: string;
  line?: number;
  column?: number;
}

/** A Kafka record as the Topics panel shows it. */
export interface TopicRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  timestampMs: number;
}

/** One autograder test result. */
export interface CheckResult {
  name: string;
  passed: boolean;
  /** Plain-words reason, for failures. */
  message?: string;
  expected?: unknown[][];
  actual?: unknown[][];
  /** The check's own failure text, when `message` is a plain-words summary of it. */
  detail?: string;
  /** Stable identity of the check. */
  id?: string;
  points?: number;
  maxPoints?: number;
  /** Line of the learner's file the failure points at. */
  line?: number;
  /** Column names of `expected` and `actual`, when the check compared rows. */
  columns?: string[];
}

/** Topic metadata. */
export interface TopicInfo {
  name: string;
  partitions: number;
  /** End offsets per partition. */
  endOffsets: string[];
}

/** Lesson list entry. */
export interface LessonSummary {
  id: string;
  title: string;
  summary?: string;
  api?: LessonApi;
  duration?: string;
}

/** A full lesson. */
export interface Lesson extends LessonSummary {
  /** Markdown steps (the body split on level-2 headings). */
  steps: { title: string; markdown: string }[];
  files: { path: string; content: string }[];
  solution?: { path: string; content: string }[];
  hints: string[];
  /** What Run plays into the lesson's topics, when the lesson has data. */
  data?: LessonData;
}

/** A lesson's data as Run plays it (protocol 7's `lesson.data`). */
export interface LessonData {
  /** Epoch ms where a manual-clock run starts; null when the lesson names no time. */
  clockStartMs: number | null;
  topics: { name: string; partitions: number }[];
  /** Records Run plays, in all. */
  records: number;
  /** One-button records the learner can send during a run (e.g. a late reading). */
  extras: { id: string; label: string; topic: string }[];
}

/** Lifecycle of a run as the UI shows it. */
export type RunStatus = 'idle' | 'queued' | 'compiling' | 'starting' | 'running' | 'stopping' | 'stopped' | 'finished' | 'failed';

/** One pipeline's latency from produce to sink (see the protocol's `run.latency`). */
export interface PipelineLatency {
  name: string;
  kind: 'micro-batch' | 'flow';
  trigger?: string;
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Records per bucket of `bucketsMs`, then one for everything above the last bound. */
  histogram: number[];
  startupMs: number | null;
}

/** Every pipeline's latency in one run. */
export interface RunLatency {
  runId: string;
  bucketsMs: number[];
  pipelines: PipelineLatency[];
}

/** Every event the runtime pushes, after adaptation. */
export type RuntimeEvent =
  | {
    kind: 'run.status'; runId: string; status: RunStatus; clockMs?: number; /** With `queued`: runs waiting ahead of this one. */ ahead?: number;
    /** Said again to a reattached page: the run's clock mode and the lesson it was started for. */
    mode?: 'system' | 'manual'; lessonId?: string;
  }
  | ({ kind: 'run.query' } & RunQuery)
  | ({ kind: 'run.batch' } & BatchEvent)
  | ({ kind: 'run.log' } & LogLine)
  | ({ kind: 'run.error' } & RunError)
  | ({ kind: 'run.latency' } & RunLatency)
  | ({ kind: 'topics.record'; tailId?: string } & TopicRecord)
  | { kind: 'check.result'; lessonId: string; results: CheckResult[] }
  | { kind: 'check.status'; lessonId: string; state: 'queued' | 'running'; position?: number }
  | ({ kind: 'instructor.comment' } & InstructorComment);

/** A comment from the instructor to the learner's group of solutions of a lesson. */
export interface InstructorComment {
  commentId: string;
  lessonId: string;
  text: string;
  /** When it was written, epoch ms. */
  at: number;
}
