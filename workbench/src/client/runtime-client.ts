/**
 * What the workbench needs from a runtime. Two implementations: `LiveClient` (the websocket protocol)
 * and `ReplayClient` (a recorded session, for tests and offline demos). Elements never see either one:
 * the headless `<sl-session>` owns the client.
 */
import type { ClientKind, ClockMode, ReplyOf, RequestFields, ServingAnswer, SourceFile } from '@streamlab/runtime/protocol';
import type {
  CheckResult, Lesson, LessonSummary, ResultTable, RuntimeEvent, TopicInfo,
} from '../model/server-events.js';

/** Where the connection is. `unauthorized` means the token was missing or wrong: reconnecting won't help. */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed' | 'unauthorized';

/** Connection state with the details the status badge shows. */
export interface ConnectionInfo {
  state: ConnectionState;
  /** Reconnection attempts since the connection was last open. */
  attempt: number;
  /** Plain-words explanation for the learner. */
  message?: string;
  /** Set once a connection was lost and then came back. */
  reconnected?: boolean;
  /** After a reconnect: the runtime still had this page's session, so runs and tails carried on. */
  resumed?: boolean;
}

/** The runtime, as the workbench uses it. Every method rejects with a `RuntimeError` on failure. */
export interface RuntimeClient {
  readonly connection: ConnectionInfo;
  connect(): void;
  /** While reconnecting: try again now instead of waiting for the next backoff step. */
  reconnectNow(): void;
  close(): void;
  /** Subscribes to pushed events; returns the unsubscribe function. */
  onEvent(listener: (event: RuntimeEvent) => void): () => void;
  onConnection(listener: (info: ConnectionInfo) => void): () => void;
  /**
   * Any request of the protocol, answered with its reply as the protocol types it: the way for a view
   * to read data the runtime sends as it is (see `RequestController`). The methods below adapt replies
   * (lessons split into steps, rows into tables) for the views that need that.
   */
  request<K extends ClientKind>(kind: K, fields: RequestFields<K>): Promise<ReplyOf<K>>;
  listLessons(): Promise<LessonSummary[]>;
  getLesson(lessonId: string): Promise<Lesson>;
  startRun(request: { lessonId?: string; files: SourceFile[]; mode: ClockMode }): Promise<{ runId: string }>;
  stopRun(runId: string): Promise<void>;
  /** Kills the run's queries right after their next sink write, before the commit; they restart from their checkpoints. */
  crashRun(runId: string): Promise<void>;
  /** Manual clock: run batches, or move processing time forward. Returns the clock afterwards. */
  step(runId: string, how: { batches: number } | { advanceMs: number }): Promise<{ batchesRun: number; clockMs: number }>;
  /** Plays the run's lesson data again from its first record, moved to the run's clock. */
  replayData(runId: string): Promise<{ records: number; shiftMs: number }>;
  /** Sends one of the lesson's extra records (e.g. a late reading) into the run's topic now. */
  sendExtra(runId: string, extraId: string): Promise<{ topic: string; key: string | null; value: string; eventTimeMs: number | null }>;
  /** Forgets the saved state (checkpoints) of a lesson's queries; resolves with how many were removed. */
  resetCheckpoints(lessonId: string | undefined): Promise<{ removed: number }>;
  /** Starts the autograder; the results arrive as a `check.result` event. */
  runChecks(lessonId: string, files: SourceFile[]): Promise<{ checkId: string }>;
  listTopics(): Promise<TopicInfo[]>;
  createTopic(topic: string, partitions: number): Promise<void>;
  /** Empties a topic, keeping its partitions; resolves with their number. */
  clearTopic(topic: string): Promise<{ partitions: number }>;
  /**
   * The lesson's serving layer (`GET /api/serving`): its serving view beside the weekly DAX closes and
   * their rolling correlation with the cases; null when the lesson has none.
   */
  serving(lessonId: string): Promise<ServingAnswer | null>;
  tailTopic(topic: string, from: 'earliest' | 'latest'): Promise<{ tailId: string }>;
  untailTopic(tailId: string): Promise<void>;
  produce(record: { topic: string; key: string | null; value: string | null; timestamp?: number }): Promise<{ partition: number; offset: string }>;
  query(sql: string): Promise<ResultTable & { truncated: boolean }>;
  /** The pipeline as a PySpark program; `warnings` name the functions exported as stubs. */
  exportPySpark(lessonId: string | undefined, files: SourceFile[]): Promise<{ source: string; warnings: string[] }>;
}

/** A failed request, with the runtime's stable code. */
export class RuntimeError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'RuntimeError';
  }
}

/** Check results as the Checks panel lists them. */
export type { CheckResult };
