/**
 * Turns protocol messages into the shapes the views use. The protocol sends rows as JSON objects and
 * Spark's progress as its JSON; the views want typed tables and a flat progress record. This is the
 * one place that knows both sides.
 */
import type { ServerEvent, ServerMessageOf } from '../../../runtime/src/protocol/index.js';
import type { BatchTrace as EngineTrace } from '../../../runtime/src/engine/trace.js';
import type { DStreamBatchTrace } from '../../../runtime/src/engine/dstream/trace.js';
import { adaptDStreamTrace, adaptStructuredTrace } from './adapt-trace.js';
import type {
  BatchProgress, BatchTrace, CheckResult, Field, Lesson, LessonSummary, ResultTable, RunStatus, RuntimeEvent,
} from '../model/server-events.js';

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const timeMs = (v: unknown): number | undefined => {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v) {
    const n = Number(v);
    if (Number.isFinite(n)) return n;
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
};

/** Flattens Spark's StreamingQueryProgress JSON into the numbers the charts plot. */
export function adaptProgress(batchId: number, progress: Record<string, unknown>): BatchProgress {
  const duration = progress.durationMs as Record<string, unknown> | undefined;
  const eventTime = progress.eventTime as Record<string, unknown> | undefined;
  const operators = Array.isArray(progress.stateOperators) ? (progress.stateOperators as Record<string, unknown>[]) : [];
  const sum = (field: string) => (operators.length ? operators.reduce((acc, op) => acc + (num(op[field]) ?? 0), 0) : undefined);
  return {
    batchId,
    timestampMs: timeMs(progress.timestamp),
    numInputRows: num(progress.numInputRows),
    inputRowsPerSecond: num(progress.inputRowsPerSecond),
    processedRowsPerSecond: num(progress.processedRowsPerSecond),
    durationMs: num(duration?.triggerExecution),
    stateRows: sum('numRowsTotal'),
    droppedByWatermark: sum('numRowsDroppedByWatermark'),
    watermarkMs: timeMs(eventTime?.watermark),
    maxEventTimeMs: timeMs(eventTime?.max),
  };
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Guesses a Spark type from JSON values, used only when the runtime sends no schema. */
export function inferType(values: unknown[]): string {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.length === 0) return 'string';
  if (present.every((v) => typeof v === 'number')) return present.every((v) => Number.isInteger(v)) ? 'bigint' : 'double';
  if (present.every((v) => typeof v === 'boolean')) return 'boolean';
  if (present.every((v) => typeof v === 'string' && ISO_TIMESTAMP.test(v))) return 'timestamp';
  if (present.every((v) => typeof v === 'object' && !Array.isArray(v))) {
    const first = present[0] as Record<string, unknown>;
    const fields = Object.keys(first).map((k) => `${k}:${inferType(present.map((v) => (v as Record<string, unknown>)[k]))}`);
    return `struct<${fields.join(',')}>`;
  }
  if (present.every((v) => Array.isArray(v))) return `array<${inferType(present.flat())}>`;
  return 'string';
}

/** Builds a typed table from the event's row objects, preferring the schema when the runtime sends one. */
export function adaptRows(rows: Record<string, unknown>[], totalRows: number, schema?: Field[]): ResultTable {
  const names = schema?.map((f) => f.name) ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const fields = schema ?? names.map((name) => ({ name, type: inferType(rows.map((r) => r[name])) }));
  return { schema: fields, rows: rows.map((r) => names.map((n) => r[n] ?? null)), totalRows };
}

/**
 * The engine's trace as the timeline draws it: the engine's structured and DStream traces are adapted,
 * a trace already in the timeline's shape (recorded sessions) is kept, and anything else is ignored.
 */
export function adaptTrace(trace: unknown, batchId: number): BatchTrace | undefined {
  if (!trace || typeof trace !== 'object') return undefined;
  const t = trace as Record<string, unknown>;
  if (t.api === 'dstream' && Array.isArray(t.inputs)) return adaptDStreamTrace(trace as DStreamBatchTrace, batchId);
  if (t.watermark && typeof t.input === 'object' && t.input && Array.isArray((t.input as { sample?: unknown }).sample)) {
    return adaptStructuredTrace(trace as EngineTrace);
  }
  if (t.kind === 'structured' && Array.isArray(t.inputs)) {
    return {
      kind: 'structured',
      batchId: num(t.batchId) ?? 0,
      watermarkBeforeMs: num(t.watermarkBeforeMs) ?? 0,
      watermarkAfterMs: num(t.watermarkAfterMs) ?? 0,
      inputs: t.inputs as never,
      state: (Array.isArray(t.state) ? t.state : []) as never,
      emitted: (Array.isArray(t.emitted) ? t.emitted : []) as never,
      evicted: (Array.isArray(t.evicted) ? t.evicted : []) as never,
    };
  }
  if (t.kind === 'dstream' && Array.isArray(t.records)) return t as unknown as BatchTrace;
  return undefined;
}

const STATUS: Record<string, RunStatus> = {
  compiling: 'compiling', starting: 'starting', running: 'running', idle: 'running', stopping: 'stopping',
  stopped: 'stopped', finished: 'finished', failed: 'failed',
};

/** One pushed protocol event as the views see it. */
export function adaptEvent(event: ServerEvent): RuntimeEvent {
  switch (event.kind) {
    case 'run.status':
      return { kind: 'run.status', runId: event.runId, status: STATUS[event.state] ?? 'running' };
    case 'run.query':
      return {
        kind: 'run.query', runId: event.runId, query: event.queryName ?? undefined, queryId: event.queryId ?? undefined,
        trigger: { kind: event.trigger.kind, intervalMs: event.trigger.intervalMs },
      };
    case 'run.batch':
      return {
        kind: 'run.batch',
        runId: event.runId,
        query: event.queryName ?? undefined,
        batchId: event.batchId,
        progress: adaptProgress(event.batchId, event.progress as Record<string, unknown>),
        // Protocol 2 sends the output schema; a protocol 1 runtime does not, and then the types are guessed.
        table: adaptRows(event.rows as Record<string, unknown>[], event.totalRows, event.schema),
        trace: adaptTrace(event.trace, event.batchId),
      };
    case 'run.log':
      return { kind: 'run.log', runId: event.runId, level: event.level === 'debug' ? 'log' : event.level, text: event.text };
    case 'run.error':
      return {
        kind: 'run.error', runId: event.runId, message: event.message, code: event.code,
        file: event.file ?? undefined, line: event.line ?? undefined, column: event.column ?? undefined,
      };
    case 'topics.record':
      return {
        kind: 'topics.record', tailId: event.tailId, topic: event.topic, partition: event.partition, offset: event.offset,
        key: event.key, value: event.value, timestampMs: timeMs(event.timestamp) ?? 0,
      };
    case 'check.result':
      return { kind: 'check.result', lessonId: event.lessonId, results: event.tests.map(adaptCheck) };
    case 'check.status':
      return { kind: 'check.status', lessonId: event.lessonId, state: event.state, ...(event.position !== undefined ? { position: event.position } : {}) };
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
  const missing = expected.filter((r) => !actual.includes(r)).length;
  const extra = actual.filter((r) => !expected.includes(r)).length;
  return {
    ...base,
    message: `Your pipeline produced ${actual.length} ${actual.length === 1 ? 'row' : 'rows'}, the check expects ${expected.length}: ${missing} expected ${missing === 1 ? 'row is' : 'rows are'} missing and ${extra} ${extra === 1 ? 'row is' : 'rows are'} not expected.`,
    expected: expected.map((r) => [r]),
    actual: actual.map((r) => [r]),
    detail: test.message ?? undefined,
  };
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
