/**
 * Turns protocol messages into the shapes the views use. The protocol sends rows as JSON objects, Spark's
 * progress and the engine's trace (typed, tagged by API); the views want typed tables, a flat progress
 * record and what the timeline draws. This is the one place that knows both sides.
 */
import type {
  DStreamBatchEvent, ServerEvent, ServerMessageOf, StreamingQueryProgress, StructuredBatchEvent, StructuredBatchTrace,
} from '@streamlab/runtime/protocol';
import { adaptDStreamTrace, adaptStructuredTrace } from './adapt-trace.js';
import type {
  BatchEvent, BatchProgress, CheckResult, Field, Lesson, LessonSummary, ResultTable, RunStatus, RuntimeEvent,
} from '../model/server-events.js';

/** The numbers the charts plot: Spark's progress, with the watermark and event times from the trace. */
export function adaptProgress(progress: StreamingQueryProgress, trace: StructuredBatchTrace): BatchProgress {
  const operators = progress.stateOperators;
  const sum = (field: 'numRowsTotal' | 'numRowsDroppedByWatermark') => (operators.length ? operators.reduce((acc, op) => acc + op[field], 0) : undefined);
  return {
    batchId: progress.batchId,
    timestampMs: trace.batchTimestampMs,
    numInputRows: progress.numInputRows,
    inputRowsPerSecond: progress.inputRowsPerSecond,
    processedRowsPerSecond: progress.processedRowsPerSecond,
    durationMs: progress.durationMs.triggerExecution,
    stateRows: sum('numRowsTotal'),
    droppedByWatermark: sum('numRowsDroppedByWatermark'),
    watermarkMs: trace.watermark?.beforeMs,
    maxEventTimeMs: trace.eventTime?.maxMs,
  };
}

/** Builds a typed table from the event's row objects, in the schema's column order. */
export function adaptRows(rows: Record<string, unknown>[], totalRows: number, schema: Field[]): ResultTable {
  return { schema, rows: rows.map((r) => schema.map((f) => r[f.name] ?? null)), totalRows };
}

/** A micro-batch of a Structured Streaming query as the views keep it. */
function adaptStructuredBatch(e: StructuredBatchEvent): BatchEvent {
  return {
    runId: e.runId,
    query: e.queryName ?? undefined,
    queryId: e.progress.id,
    sink: e.progress.sink.description,
    batchId: e.batchId,
    progress: adaptProgress(e.progress, e.trace),
    table: adaptRows(e.rows, e.totalRows, e.schema),
    trace: adaptStructuredTrace(e.trace),
  };
}

/**
 * A DStream batch as the views keep it: the records it received at its batch time (once, however many
 * input streams read the same topics), no table (pprint goes to the log).
 */
function adaptDStreamBatch(e: DStreamBatchEvent): BatchEvent {
  const trace = adaptDStreamTrace(e.trace, e.batchId);
  return {
    runId: e.runId,
    batchId: e.batchId,
    progress: { batchId: e.batchId, timestampMs: e.trace.batchTimeMs, numInputRows: trace.recordCount },
    table: { schema: [], rows: [], totalRows: 0 },
    trace,
  };
}

const STATUS: Record<string, RunStatus> = {
  queued: 'queued', compiling: 'compiling', starting: 'starting', running: 'running', idle: 'running', stopping: 'stopping',
  stopped: 'stopped', finished: 'finished', failed: 'failed',
};

/** One pushed protocol event as the views see it. */
export function adaptEvent(event: ServerEvent): RuntimeEvent {
  switch (event.kind) {
    case 'run.status':
      return {
        kind: 'run.status', runId: event.runId, status: STATUS[event.state] ?? 'running', ...(event.ahead !== undefined ? { ahead: event.ahead } : {}),
        ...(event.mode !== undefined ? { mode: event.mode } : {}), ...(event.clockMs !== undefined ? { clockMs: event.clockMs } : {}),
        ...(event.lessonId !== undefined ? { lessonId: event.lessonId } : {}),
      };
    case 'run.query':
      return {
        kind: 'run.query', runId: event.runId, query: event.queryName ?? undefined, queryId: event.queryId ?? undefined,
        trigger: { kind: event.trigger.kind, intervalMs: event.trigger.intervalMs },
      };
    case 'run.batch':
      return { kind: 'run.batch', ...(event.api === 'structured' ? adaptStructuredBatch(event) : adaptDStreamBatch(event)) };
    case 'run.log':
      return { kind: 'run.log', runId: event.runId, level: event.level === 'debug' ? 'log' : event.level, text: event.text };
    case 'run.error':
      return {
        kind: 'run.error', runId: event.runId, message: event.message, code: event.code,
        file: event.file ?? undefined, line: event.line ?? undefined, column: event.column ?? undefined,
      };
    case 'run.latency':
      return { kind: 'run.latency', runId: event.runId, bucketsMs: event.bucketsMs, pipelines: event.pipelines.map((p) => ({ ...p })) };
    case 'topics.record':
      return {
        kind: 'topics.record', tailId: event.tailId, topic: event.topic, partition: event.partition, offset: event.offset,
        key: event.key, value: event.value, timestampMs: Number(event.timestamp) || 0,
      };
    case 'check.result':
      return { kind: 'check.result', lessonId: event.lessonId, results: event.tests.map(adaptCheck) };
    case 'check.status':
      return { kind: 'check.status', lessonId: event.lessonId, state: event.state, ...(event.position !== undefined ? { position: event.position } : {}) };
    case 'instructor.comment':
      return { kind: 'instructor.comment', commentId: event.commentId, lessonId: event.lessonId, text: event.text, at: event.at };
  }
}

/** Quoted items of vitest's printed list (`[ 'a', 'b' ]`), or null when it is not such a list. */
function printedList(text: string): string[] | null {
  const items = [...text.matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((m) => m[1]!.replace(/\\(.)/g, '$1'));
  return /^\[[\s\S]*\]$/.test(text.trim()) ? items : null;
}

/**
 * A check result in plain words. vitest's `expected [ … ] to deeply equal [ … ]` becomes the two lists
 * side by side (the first is what the learner's pipeline produced), and the assertion text stays as
 * the detail.
 */
export function adaptCheck(test: ServerMessageOf<'check.result'>['tests'][number]): CheckResult {
  const base: CheckResult = {
    name: test.name, passed: test.status === 'passed', message: test.message ?? (test.status === 'skipped' ? 'Not run.' : undefined),
    ...(test.id !== undefined ? { id: test.id } : {}),
    ...(test.points !== undefined ? { points: test.points } : {}),
    ...(test.maxPoints !== undefined ? { maxPoints: test.maxPoints } : {}),
    ...(typeof test.line === 'number' ? { line: test.line } : {}),
  };
  // Protocol 3: the runtime sends yours-against-expected as rows; nothing to parse.
  if (test.diff) return { ...base, columns: test.diff.columns, expected: test.diff.missing, actual: test.diff.unexpected };
  const m = test.message ? /^AssertionError: expected ([\s\S]*) to deeply equal ([\s\S]*)$/.exec(test.message.trim()) : null;
  const actual = m ? printedList(m[1]!) : null;
  const expected = m ? printedList(m[2]!) : null;
  if (!actual || !expected) return base;
  // Rows counted as a multiset: a row the check expects twice and yours has once is one missing row.
  const missing = multisetMinus(expected, actual);
  const extra = multisetMinus(actual, expected);
  const rows = (n: number) => `${n} ${n === 1 ? 'row' : 'rows'}`;
  const parts = [
    missing.length ? `${rows(missing.length)} the check expects ${missing.length === 1 ? 'is' : 'are'} missing from yours` : '',
    extra.length ? `${rows(extra.length)} of yours ${extra.length === 1 ? 'is' : 'are'} not expected` : '',
  ].filter(Boolean);
  return {
    ...base,
    message: `Your pipeline wrote ${rows(actual.length)}; the check expects ${expected.length}${parts.length ? `: ${parts.join(', and ')}` : ''}.`,
    expected: missing.map((r) => [r]),
    actual: extra.map((r) => [r]),
    detail: test.message ?? undefined,
  };
}

/** `a` without one occurrence of each item of `b`, order kept. */
function multisetMinus(a: string[], b: string[]): string[] {
  const left = new Map<string, number>();
  for (const x of b) left.set(x, (left.get(x) ?? 0) + 1);
  return a.filter((x) => {
    const n = left.get(x) ?? 0;
    if (n > 0) left.set(x, n - 1);
    return n === 0;
  });
}

/** Lesson list entry. */
export function adaptLessonSummary(s: ServerMessageOf<'lessons.list.ok'>['lessons'][number]): LessonSummary {
  return { id: s.id, title: s.title, summary: s.summary, api: s.api, duration: s.durationMin ? `${s.durationMin} min` : undefined };
}

/**
 * Splits a lesson's markdown into steps at level-2 headings, and takes hints out of a `Hints` section
 * (its list items become hints revealed one at a time). Files named `solution.ts` are kept aside.
 */
export function splitLesson(
  summary: LessonSummary,
  markdown: string,
  files: { path: string; content: string }[],
  extra: { hints?: string[]; solution?: { path: string; content: string }[] } = {},
): Lesson {
  const sections: { title: string; lines: string[] }[] = [{ title: summary.title, lines: [] }];
  let inFence = false;
  for (const line of markdown.replace(/\r\n/g, '\n').split('\n')) {
    if (/^(```|~~~)/.test(line)) inFence = !inFence;
    const heading = !inFence && /^##\s+(.*)$/.exec(line);
    if (heading) sections.push({ title: heading[1]!.trim(), lines: [] });
    else sections[sections.length - 1]!.lines.push(line);
  }
  // The intro repeats the lesson title as its `# heading`; the header already shows it.
  const intro = sections[0]!;
  const firstText = intro.lines.findIndex((l) => l.trim() !== '');
  if (firstText >= 0 && /^#\s+/.test(intro.lines[firstText]!)) {
    intro.lines.splice(firstText, 1);
    intro.title = 'Introduction';
  }
  const hints: string[] = [...(extra.hints ?? [])];
  const steps: Lesson['steps'] = [];
  for (const s of sections) {
    const body = s.lines.join('\n').trim();
    if (/^hints?$/i.test(s.title)) {
      for (const m of body.matchAll(/^\s*(?:[-*+]|\d+\.)\s+(.*(?:\n(?!\s*(?:[-*+]|\d+\.)\s).+)*)/gm)) hints.push(m[1]!.trim());
      continue;
    }
    if (body || s !== sections[0]) steps.push({ title: s.title, markdown: body });
  }
  const isSolution = (p: string) => /(^|\/)solution\.ts$/.test(p);
  const editable = files.filter((f) => !isSolution(f.path));
  // The solution replaces the file the learner edits (a single-file lesson's starter).
  const solution = [...files.filter((f) => isSolution(f.path)), ...(extra.solution ?? [])]
    .map((f) => ({ path: editable.length === 1 && isSolution(f.path) ? editable[0]!.path : f.path, content: f.content }));
  return {
    ...summary,
    steps: steps.length ? steps : [{ title: summary.title, markdown: '' }],
    files: editable,
    solution: solution.length ? solution : undefined,
    hints,
  };
}
