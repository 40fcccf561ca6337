/**
 * The workbench's state and how runtime events change it. Pure (no DOM, no I/O), so recorded sessions
 * replayed through it are the component tests of everything the panels show.
 */
import type { ClockMode, ServingAnswer } from '@streamlab/runtime/protocol';
import type { ConnectionInfo } from '../client/runtime-client.js';
import type { DataLine, DataPending } from './lesson-data.js';
import type {
  BatchEvent, CheckResult, InstructorComment, Lesson, LessonSummary, LogLine, ResultTable, RunError, RunLatency, RunQuery, RunStatus, RuntimeEvent, TopicInfo, TopicRecord,
} from '../model/server-events.js';

/** The current (or last) run. */
export interface RunState {
  runId: string | null;
  status: RunStatus;
  mode: ClockMode;
  /** Processing time of the run's clock, epoch ms, when known. */
  clockMs: number | null;
  /** The queries the run started, with their triggers (a restarted query replaces its entry). */
  queries: Omit<RunQuery, 'runId'>[];
  /** While `queued`: how many runs on the runtime wait ahead of this one. */
  ahead?: number;
}

/** Autograder state. */
export interface ChecksState {
  status: 'idle' | 'running' | 'done' | 'failed';
  results: CheckResult[];
  /** While the runtime holds the check in its queue: 1 for the next to run. */
  queuePosition?: number;
  error?: string;
}

/** Everything the views render. */
export interface SessionState {
  connection: ConnectionInfo;
  lessons: LessonSummary[];
  lesson: Lesson | null;
  run: RunState;
  /** Batches of the current run, in arrival order. */
  batches: BatchEvent[];
  /** Batches of the run before, kept for the timeline's compare mode. */
  previousBatches: BatchEvent[];
  logs: LogLine[];
  errors: RunError[];
  checks: ChecksState;
  tail: { tailId: string | null; topic: string | null; records: TopicRecord[] };
  topics: TopicInfo[];
  /** Result of the last produce, in words. */
  produced: string | null;
  query: { sql: string; status: 'idle' | 'running' | 'done' | 'failed'; result?: ResultTable & { truncated: boolean }; error?: string };
  /** Last problem to show the learner, in plain words. */
  notice: string | null;
  /** What the learner last did with the run's lesson data (Replay, an extra), and the request on its way. */
  lessonData: { line: DataLine | null; pending: DataPending | null };
  /** Result of the last topic action (Clear), in words. */
  topicNote: string | null;
  /** Latency of the current run's pipelines, and the last figures of earlier runs (newest first), to compare triggers. */
  latency: { current: RunLatency | null; earlier: RunLatency[] };
  /** The open lesson's serving layer, when it has one: the last answer, or why there is none now. */
  serving: ServingState;
  /** The instructor's comments to this learner, oldest first, and those the learner dismissed. */
  comments: { list: InstructorComment[]; dismissed: string[] };
}

/** The serving layer of the open lesson (`GET /api/serving`). */
export interface ServingState {
  /** The lesson asked about. */
  lessonId: string | null;
  /** Whether the lesson has a serving layer (the Serving panel is shown). */
  available: boolean;
  answer: ServingAnswer | null;
  /** Why the last request had no answer (the view is not made yet, the runtime is away), or null. */
  error: string | null;
}

/** Earlier runs whose latency the Latency panel keeps. */
export const MAX_EARLIER_LATENCY = 5;

/** Most batches kept per run: enough to scrub a lesson, bounded for memory. */
export const MAX_BATCHES = 500;
/** Most tailed records kept. */
export const MAX_TAIL = 500;
/** Most log lines kept. */
export const MAX_LOGS = 1000;

/** A fresh state. */
export function initialState(): SessionState {
  return {
    connection: { state: 'closed', attempt: 0 },
    lessons: [],
    lesson: null,
    run: { runId: null, status: 'idle', mode: 'system', clockMs: null, queries: [] },
    batches: [],
    previousBatches: [],
    logs: [],
    errors: [],
    checks: { status: 'idle', results: [] },
    tail: { tailId: null, topic: null, records: [] },
    topics: [],
    produced: null,
    query: { sql: '', status: 'idle' },
    notice: null,
    latency: { current: null, earlier: [] },
    lessonData: { line: null, pending: null },
    topicNote: null,
    serving: { lessonId: null, available: false, answer: null, error: null },
    comments: { list: [], dismissed: [] },
  };
}

/**
 * Run was pressed: the run before's output leaves the panels at once (its batches move to compare), as a
 * new Spark query's console starts empty, and the run shows as starting before the runtime has named it.
 * Until then no run is current, so nothing the run before still sends is shown.
 */
export function runRequested(state: SessionState, mode: ClockMode): SessionState {
  const fresh = runStarted(state, null, mode);
  return { ...fresh, run: { ...fresh.run, status: 'compiling' } };
}

/**
 * A run was accepted: the previous run's batches move to compare, output starts empty. A manual clock
 * starts where the runtime starts it: at the lesson's time when the lesson has one, else at 0.
 */
export function runStarted(state: SessionState, runId: string | null, mode: ClockMode): SessionState {
  return {
    ...state,
    run: { runId, status: 'starting', mode, clockMs: mode === 'manual' ? (state.lesson?.data?.clockStartMs ?? 0) : null, queries: [] },
    previousBatches: state.batches.length ? state.batches : state.previousBatches,
    batches: [],
    logs: [],
    errors: [],
    notice: null,
    latency: { current: null, earlier: state.latency.current ? [state.latency.current, ...state.latency.earlier].slice(0, MAX_EARLIER_LATENCY) : state.latency.earlier },
  };
}

const keepLast = <T>(items: T[], max: number) => (items.length > max ? items.slice(items.length - max) : items);

/**
 * Applies one pushed event. Events of other runs (a stopped run's stragglers) are ignored, except the
 * status of a live run on a page that has none: a reloaded page's session still runs it, and says so.
 */
export function reduceEvent(state: SessionState, event: RuntimeEvent): SessionState {
  switch (event.kind) {
    case 'run.status': {
      if (event.runId !== state.run.runId) {
        // A page that has not run anything adopts a run its session has going (the page was reloaded); a page
        // that has pressed Run adopts nothing, not even when its run ended before the runtime named it (a
        // status the run before still sends is that run's straggler). A run of another lesson is left alone;
        // its clock mode is what the runtime says (system when it does not).
        if (state.run.runId !== null || state.run.status !== 'idle' || !['queued', 'compiling', 'starting', 'running'].includes(event.status)) return state;
        if (event.lessonId !== undefined && state.lesson && event.lessonId !== state.lesson.id) return state;
        state = runStarted(state, event.runId, event.mode ?? 'system');
      }
      // Stop was pressed: the run stays stopping until it has ended, whatever it said before Stop reached it.
      const status = state.run.status === 'stopping' && !isOver(event.status) ? 'stopping' : event.status;
      return { ...state, run: { ...state.run, status, clockMs: event.clockMs ?? state.run.clockMs, ...(event.ahead !== undefined ? { ahead: event.ahead } : {}) } };
    }
    case 'run.query': {
      if (event.runId !== state.run.runId) return state;
      const { kind: _kind, runId: _runId, ...query } = event;
      // A StreamingContext has no id or name; a run has at most one.
      const same = (q: Omit<RunQuery, 'runId'>) => (query.queryId !== undefined ? q.queryId === query.queryId : q.queryId === undefined && q.query === query.query);
      return { ...state, run: { ...state.run, queries: [...state.run.queries.filter((q) => !same(q)), query] } };
    }
    case 'run.batch': {
      if (event.runId !== state.run.runId) return state;
      const { kind: _kind, ...batch } = event;
      const clockMs = state.run.mode === 'manual' ? state.run.clockMs : (batch.progress.timestampMs ?? state.run.clockMs);
      return { ...state, batches: keepLast([...state.batches, batch], MAX_BATCHES), run: { ...state.run, clockMs } };
    }
    case 'run.log': {
      if (event.runId !== state.run.runId) return state;
      const { kind: _kind, ...line } = event;
      return { ...state, logs: keepLast([...state.logs, line], MAX_LOGS) };
    }
    case 'run.error': {
      if (event.runId !== state.run.runId) return state;
      const { kind: _kind, ...error } = event;
      return { ...state, errors: [...state.errors, error], run: { ...state.run, status: 'failed' } };
    }
    case 'run.latency': {
      if (event.runId !== state.run.runId) return state;
      const { kind: _kind, ...latency } = event;
      return { ...state, latency: { ...state.latency, current: latency } };
    }
    case 'topics.record': {
      if (event.tailId !== undefined && event.tailId !== state.tail.tailId) return state;
      const { kind: _kind, tailId: _tailId, ...record } = event;
      return { ...state, tail: { ...state.tail, records: keepLast([...state.tail.records, record], MAX_TAIL) } };
    }
    case 'check.result':
      if (state.lesson && event.lessonId !== state.lesson.id) return state;
      return { ...state, checks: { status: 'done', results: event.results } };
    case 'check.status':
      if (state.lesson && event.lessonId !== state.lesson.id) return state;
      return { ...state, checks: { status: 'running', results: [], ...(event.position !== undefined ? { queuePosition: event.position } : {}) } };
    case 'instructor.comment': {
      // Said again after every hello: keep one of each.
      if (state.comments.list.some((c) => c.commentId === event.commentId)) return state;
      const { kind: _kind, ...comment } = event;
      return { ...state, comments: { ...state.comments, list: [...state.comments.list, comment] } };
    }
  }
}

/**
 * The runtime came back without this page's session (it restarted): a run that was going is gone,
 * and so is a tail. Say so instead of showing a run that will never report again.
 */
export function connectionLost(state: SessionState): SessionState {
  const wasActive = isActive(state);
  return {
    ...state,
    run: wasActive ? { ...state.run, status: 'stopped' } : state.run,
    tail: { ...state.tail, tailId: null },
    checks: state.checks.status === 'running' ? { status: 'idle', results: [] } : state.checks,
    notice: wasActive ? 'The runtime restarted, so the run stopped. Your code is saved: press Run to start it again.' : state.notice,
  };
}

/** Whether Run makes sense now. Run while a run is going restarts it with the code in the editor. */
export function canRun(state: SessionState): boolean {
  return state.connection.state === 'open' && !['queued', 'compiling', 'starting', 'stopping'].includes(state.run.status);
}

/** Whether a run in this status has ended. */
export function isOver(status: RunStatus): boolean {
  return status === 'stopped' || status === 'finished' || status === 'failed';
}

/** Whether Stop makes sense now. */
export function isActive(state: SessionState): boolean {
  return ['queued', 'compiling', 'starting', 'running'].includes(state.run.status);
}
