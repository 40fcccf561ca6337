/**
 * Runs one DStream conformance scenario (`test/conformance/FORMAT.md`, `"api": "dstream"`)
 * through the engine.
 *
 *   build:   StreamingContext(sc, batchIntervalMs) on a ManualClock at 0; PySpark semantics unless the
 *            scenario holds for the JVM only and gives no `pysparkExpectOutputs`
 *            input → query.pipeline ops in order → foreachRDD collecting (time, rows)
 *   steps:   inputBatches  fill the input (element i is served at batch time (i+1) × batch)
 *            runBatches N  start if needed; advance the clock one batch at a time, awaiting each
 *            define        build one more op on the pipeline's last stream (for definition-time errors)
 *            expectError   the previous action (or, if none failed, the next one) must fail so
 *            expectOutputs compare the collected outputs (pysparkExpectOutputs when present)
 *
 * Pipeline functions are written in a small arrow notation (`x -> (x, 1)`, `(vs, s) -> …`): `(a, b)`
 * outside a call is a tuple (a JS array), Python's None/True/False/and/or/not are accepted, and
 * `sum`, `len`, `max`, `min`, `abs` are available.
 */
import { ManualClock } from '../../engine/clock.js';
import { InMemoryCheckpointStore } from '../../engine/dstream/checkpoint-store.js';
import type { DStream } from '../../engine/dstream/dstream.js';
import { Milliseconds } from '../../engine/dstream/duration.js';
import type { InputSource } from '../../engine/dstream/input-source.js';
import type { RDD } from '../../engine/dstream/rdd.js';
import { pyStr } from '../../engine/dstream/python-format.js';
import { SparkContext } from '../../engine/dstream/spark-context.js';
import { StreamingContext } from '../../engine/dstream/streaming-context.js';

/** One pipeline operation of a DStream scenario. */
export interface DStreamScenarioOp {
  op: string;
  fn?: string;
  func?: string | null;
  invFunc?: string | null;
  filterFunc?: string | null;
  updateFunc?: string;
  initial?: unknown[];
  windowMs?: number;
  slideMs?: number;
  numPartitions?: number;
  [extra: string]: unknown;
}

/** Expected output RDD at one time. */
export interface DStreamExpectedOutput {
  timeMs: number;
  rows: unknown[];
}

/** A step of a DStream scenario. */
export type DStreamScenarioStep =
  | { inputBatches: (unknown[] | null)[] }
  | { runBatches: number }
  | { define: DStreamScenarioOp }
  | { expectError: { when?: string; type?: string; contains?: string[]; caseInsensitive?: boolean } }
  | { expectOutputs: DStreamExpectedOutput[]; rowOrder?: 'any' | 'exact'; skipEmpty?: boolean }
  | { expectConsole: string };

/** The parts of a conformance scenario file that DStream scenarios use. */
export interface DStreamScenario {
  id: string;
  api: 'dstream';
  semanticsOf?: 'both' | 'scala-jvm' | 'pyspark';
  query: {
    batchIntervalMs: number;
    input: { kind: 'testInputStream' | 'queueStream'; numPartitions?: number };
    checkpoint?: boolean;
    pipeline: DStreamScenarioOp[];
  };
  steps: DStreamScenarioStep[];
  pysparkExpectOutputs?: DStreamExpectedOutput[];
}

/** Result of one scenario: ok, or the first difference. */
export type DStreamScenarioResult = { ok: true } | { ok: false; message: string };

/** Options for `runDStreamScenario`. */
export interface RunDStreamScenarioOptions {
  /** Force a semantics instead of choosing from `semanticsOf`. */
  semantics?: 'pyspark' | 'jvm';
}

/** Runs a DStream scenario; resolves with the first difference instead of throwing. */
export async function runDStreamScenario(scenario: DStreamScenario, options: RunDStreamScenarioOptions = {}): Promise<DStreamScenarioResult> {
  try {
    const message = await run(scenario, options);
    return message === null ? { ok: true } : { ok: false, message: `${scenario.id}: ${message}` };
  } catch (e) {
    return { ok: false, message: `${scenario.id}: unexpected error: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}` };
  }
}

async function run(scenario: DStreamScenario, options: RunDStreamScenarioOptions): Promise<string | null> {
  const q = scenario.query;
  const semantics = options.semantics ?? (scenario.semanticsOf === 'scala-jvm' && !scenario.pysparkExpectOutputs ? 'jvm' : 'pyspark');
  const clock = new ManualClock(0);
  let consoleText = '';
  const sc = new SparkContext({ master: 'local[2]' });
  const ssc = new StreamingContext(sc, Milliseconds(q.batchIntervalMs), {
    clock,
    semantics,
    checkpointStore: new InMemoryCheckpointStore(),
    stdout: (text) => {
      consoleText += text;
    },
  });
  if (q.checkpoint) ssc.checkpoint(`checkpoint-${scenario.id}`);

  const batches: (unknown[] | null)[] = [];
  // PySpark's test harness parallelizes each batch into 1 partition; Scala's TestSuiteBase uses 2.
  const numPartitions = q.input.numPartitions ?? (q.input.kind === 'queueStream' ? 1 : 2);
  const input = ssc.inputStream(inputSource(q.input.kind, batches, numPartitions, q.batchIntervalMs, () => ssc.graph.zeroTimeMs ?? 0));

  const outputs: DStreamExpectedOutput[] = [];
  let pendingError: unknown = null;
  let expectingError = false;
  let started = false;

  let stream: DStream<unknown> = input;
  // A pipeline that fails to build (a function that does not compile, a bad window) fails at
  // definition: that error is what every later action reports, not the context's "No output
  // operations registered" that starting a half-built graph would give.
  let buildFailed = false;
  try {
    for (const op of q.pipeline) stream = applyDStreamOp(stream, op, sc);
    stream.foreachRDD((time: Date, rdd: RDD<unknown>) => {
      outputs.push({ timeMs: time.getTime(), rows: rdd.collect() });
    });
  } catch (e) {
    pendingError = e;
    buildFailed = true;
  }

  const act = async (f: () => Promise<void> | void): Promise<string | null> => {
    if (buildFailed) {
      if (expectingError) {
        expectingError = false;
        if (pendingError === null) return 'expected an error, but the action succeeded';
      }
      return null;
    }
    try {
      await f();
    } catch (e) {
      pendingError = e;
    }
    if (expectingError) {
      expectingError = false;
      if (pendingError === null) return 'expected an error, but the action succeeded';
    }
    return null;
  };

  try {
    for (const step of scenario.steps) {
      let problem: string | null = null;
      if ('inputBatches' in step) {
        batches.push(...step.inputBatches);
      } else if ('runBatches' in step) {
        problem = await act(async () => {
          if (!started) {
            started = true;
            ssc.start();
          }
          for (let i = 0; i < step.runBatches; i++) {
            clock.advance(q.batchIntervalMs);
            await ssc.awaitBatchCompleted(clock.now());
          }
        });
      } else if ('define' in step) {
        problem = await act(() => {
          applyDStreamOp(stream, step.define, sc);
        });
      } else if ('expectError' in step) {
        if (pendingError === null) {
          expectingError = true;
        } else {
          problem = checkError(pendingError, step.expectError);
          pendingError = null;
        }
      } else if ('expectOutputs' in step) {
        if (pendingError !== null) return `unexpected error: ${describe(pendingError)}`;
        const expected = scenario.pysparkExpectOutputs && semantics === 'pyspark' ? scenario.pysparkExpectOutputs : step.expectOutputs;
        problem = compareOutputs(outputs, expected, step.rowOrder ?? 'any', step.skipEmpty ?? false);
      } else if ('expectConsole' in step) {
        if (consoleText !== step.expectConsole) problem = `expected console text ${JSON.stringify(step.expectConsole)}, got ${JSON.stringify(consoleText)}`;
      } else {
        problem = `unknown step ${JSON.stringify(step)}`;
      }
      if (problem !== null) return problem;
    }
    if (expectingError) return 'expected an error, but no action followed';
    if (pendingError !== null) return `unexpected error: ${describe(pendingError)}`;
    return null;
  } finally {
    ssc.stop(true);
  }
}

/** Scala's TestInputStream (element i at batch i+1, null = no RDD) or PySpark's queue of parallelized lists. */
function inputSource(
  kind: string,
  batches: (unknown[] | null)[],
  numPartitions: number,
  batchMs: number,
  zero: () => number,
): InputSource<unknown> {
  if (kind === 'queueStream') {
    let served = 0;
    return {
      name: 'queueStream',
      compute(_t, sc) {
        // PySpark's queueStream falls back to Scala's default, an empty RDD with one partition.
        if (served >= batches.length) return sc.parallelize([], 1);
        const b = batches[served++];
        return sc.parallelize(b ?? [], numPartitions);
      },
    };
  }
  return {
    name: 'testInputStream',
    compute(t, sc) {
      const index = Math.round((t - zero()) / batchMs) - 1;
      const b = index < batches.length ? batches[index] : [];
      return b === null || b === undefined ? null : sc.parallelize(b, numPartitions);
    },
  };
}

type AnyFn = (...args: any[]) => any;

/** A stream's own slide, the default checkpoint interval here. */
const q = (s: DStream<unknown>): number => s.slideDurationMs;

/** Applies one scenario operation to `s` through the public DStream API, its functions compiled from the scenario's notation. */
export function applyDStreamOp(s: DStream<any>, op: DStreamScenarioOp, sc: SparkContext): DStream<any> {
  const f = (src: string | null | undefined): AnyFn => compileFunction(src);
  const optFn = (src: string | null | undefined): AnyFn | null => (src === null || src === undefined ? null : compileFunction(src));
  const dur = (ms: number | undefined) => (ms === undefined ? undefined : Milliseconds(ms));
  const win = dur(op.windowMs) ?? Milliseconds(0);
  switch (op.op) {
    case 'map': return s.map(f(op.fn));
    case 'flatMap': return s.flatMap(f(op.fn));
    case 'filter': return s.filter(f(op.fn));
    case 'mapValues': return s.mapValues(f(op.fn));
    case 'flatMapValues': return s.flatMapValues(f(op.fn));
    case 'mapPartitions': return s.mapPartitions(f(op.fn));
    case 'transform': return s.transform(f(op.fn));
    case 'reduce': return s.reduce(f(op.func ?? op.fn));
    case 'count': return s.count();
    case 'glom': return s.glom();
    case 'repartition': return s.repartition(op.numPartitions ?? 1);
    case 'combineByKey':
      return s.combineByKey(f(op.createCombiner as string), f(op.mergeValue as string), f(op.mergeCombiners as string), op.numPartitions);
    case 'cache':
    case 'persist':
      return s.cache();
    case 'checkpoint':
      return s.checkpoint(Milliseconds(typeof op.intervalMs === 'number' ? op.intervalMs : q(s)));
    case 'pprint':
    case 'print':
      s.pprint(typeof op.num === 'number' ? op.num : 10);
      return s;
    case 'countByValue': return s.countByValue();
    case 'reduceByKey': return s.reduceByKey(f(op.func ?? op.fn), op.numPartitions);
    case 'groupByKey': return s.groupByKey(op.numPartitions);
    case 'window': return s.window(win, dur(op.slideMs));
    case 'countByWindow': return s.countByWindow(win, dur(op.slideMs));
    case 'reduceByWindow': return s.reduceByWindow(f(op.func), optFn(op.invFunc), win, dur(op.slideMs));
    case 'reduceByKeyAndWindow':
      return s.reduceByKeyAndWindow(
        op.func === null || op.func === undefined ? (a: unknown) => a : f(op.func),
        optFn(op.invFunc),
        win,
        dur(op.slideMs),
        op.numPartitions,
        optFn(op.filterFunc),
      );
    case 'countByValueAndWindow': return s.countByValueAndWindow(win, dur(op.slideMs), op.numPartitions);
    case 'groupByKeyAndWindow': return s.groupByKeyAndWindow(win, dur(op.slideMs), op.numPartitions);
    case 'updateStateByKey':
      return s.updateStateByKey(f(op.updateFunc), op.numPartitions, op.initial ? sc.parallelize(op.initial as [unknown, unknown][]) : null);
    default:
      throw new Error(`unsupported pipeline op ${op.op}`);
  }
}

const OPERATORS: Record<string, AnyFn> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  'operator.add': (a, b) => a + b,
  'operator.sub': (a, b) => a - b,
  'operator.mul': (a, b) => a * b,
  max: (a, b) => (a >= b ? a : b),
  min: (a, b) => (a <= b ? a : b),
};

const HELPERS: Record<string, AnyFn> = {
  str: (x: unknown) => pyStr(x),
  int: (x: unknown) => Math.trunc(Number(x)),
  float: (x: unknown) => Number(x),
  bool: (x: unknown) => Boolean(x) && !(Array.isArray(x) && x.length === 0),
  range: (a: number, b?: number, step = 1) => {
    const [from, to] = b === undefined ? [0, a] : [a, b];
    const out: number[] = [];
    for (let i = from; step > 0 ? i < to : i > to; i += step) out.push(i);
    return out;
  },
  sorted: (xs: Iterable<unknown>) => Array.from(xs).sort((a, b) => (a as number) - (b as number) || (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0)),
  tuple: (xs: Iterable<unknown>) => Array.from(xs),
  round: (x: number, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits,
  sum: (xs: Iterable<number>) => Array.from(xs).reduce((a, b) => a + b, 0),
  len: (xs: { length: number } | Iterable<unknown>) => ('length' in (xs as object) ? (xs as { length: number }).length : Array.from(xs as Iterable<unknown>).length),
  max: (...xs: unknown[]) => Math.max(...(xs.length === 1 ? Array.from(xs[0] as Iterable<number>) : (xs as number[]))),
  min: (...xs: unknown[]) => Math.min(...(xs.length === 1 ? Array.from(xs[0] as Iterable<number>) : (xs as number[]))),
  abs: (x: number) => Math.abs(x),
  list: (xs: Iterable<unknown>) => Array.from(xs),
};

/** Compiles a scenario function (`x -> (x, 1)`, `lambda x: x`, or an operator name) to a JS function. */
export function compileFunction(src: string | null | undefined): AnyFn {
  if (src === null || src === undefined) throw new Error('missing function');
  const text = src.trim();
  const op = OPERATORS[text];
  if (op) return op;
  const helper = HELPERS[text];
  if (helper) return helper;
  let params: string;
  let body: string;
  const lambda = /^lambda\s*([^:]*):([\s\S]*)$/.exec(text);
  const arrow = /^(\([^)]*\)|[A-Za-z_$][\w$]*)\s*(?:->|=>)([\s\S]*)$/.exec(text);
  if (lambda) {
    params = lambda[1]!.trim();
    body = lambda[2]!;
  } else if (arrow) {
    params = arrow[1]!.replace(/^\(|\)$/g, '').trim();
    body = arrow[2]!;
  } else {
    throw new Error(`cannot read function ${JSON.stringify(src)}`);
  }
  const trimmed = body.trim();
  const raise = /^raise\s+([A-Za-z_][\w.]*)\s*\(([\s\S]*)\)$/.exec(trimmed);
  // A block body is JavaScript as written; `raise Name(message)` throws an error named like Python's.
  const js = trimmed.startsWith('{')
    ? trimmed
    : raise
      ? `{ const e = new Error(${raise[2]!.trim() || "''"}); e.name = ${JSON.stringify(raise[1]!.replace(/^.*\./, ''))}; throw e; }`
      : `(${pythonToJs(conditionals(tuplesToArrays(trimmed)))})`;
  const names = Object.keys(HELPERS);
  const factory = new Function(...names, `return (${params}) => ${js};`) as (...h: AnyFn[]) => AnyFn;
  return factory(...names.map((n) => HELPERS[n]!));
}

/** Rewrites `(a, b)` that is not a call into `[a, b]` (a tuple), recursively; strings are left alone. */
function tuplesToArrays(s: string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '"' || c === "'" || c === '`') {
      const end = skipString(s, i);
      out += s.slice(i, end);
      i = end;
    } else if (c === '(') {
      const close = matching(s, i);
      const innerSrc = s.slice(i + 1, close);
      const inner = tuplesToArrays(innerSrc);
      const prev = out.trimEnd().slice(-1);
      const isCall = /[\w$)\]]/.test(prev) && !/\b(and|or|not|in|return|typeof)$/.test(out.trimEnd());
      const converted = splitTopLevel(inner).map(conditionals).join(',');
      out += !isCall && hasTopLevelComma(innerSrc) ? `[${converted.replace(/,\s*$/, '')}]` : `(${converted})`;
      i = close + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Splits at commas outside brackets and strings. */
function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '"' || c === "'" || c === '`') i = skipString(s, i) - 1;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ',' && depth === 0) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(s.slice(start));
  return parts;
}

/** Index of the first top-level occurrence of the word `word` at or after `from`, or -1. */
function topLevelWord(s: string, word: string, from: number): number {
  let depth = 0;
  for (let i = from; i < s.length; i++) {
    const c = s[i]!;
    if (c === '"' || c === "'" || c === '`') i = skipString(s, i) - 1;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (depth === 0 && s.startsWith(word, i) && !/[\w$]/.test(s[i - 1] ?? ' ') && !/[\w$]/.test(s[i + word.length] ?? ' ')) return i;
  }
  return -1;
}

/** Python's `A if C else B` (outside brackets) → `((C) ? (A) : (B))`. */
function conditionals(s: string): string {
  const at = topLevelWord(s, 'if', 0);
  if (at < 0) return s;
  const otherwise = topLevelWord(s, 'else', at);
  if (otherwise < 0) return s;
  return `((${s.slice(at + 2, otherwise).trim()}) ? (${s.slice(0, at).trim()}) : (${conditionals(s.slice(otherwise + 4).trim())}))`;
}

function skipString(s: string, start: number): number {
  const q = s[start];
  let i = start + 1;
  while (i < s.length && s[i] !== q) i += s[i] === '\\' ? 2 : 1;
  return i + 1;
}

function matching(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i]!;
    if (c === '"' || c === "'" || c === '`') {
      i = skipString(s, i) - 1;
    } else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) {
      depth--;
      if (depth === 0) return i;
    }
  }
  throw new Error(`unbalanced parentheses in ${JSON.stringify(s)}`);
}

function hasTopLevelComma(s: string): boolean {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '"' || c === "'" || c === '`') i = skipString(s, i) - 1;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ',' && depth === 0) return true;
  }
  return false;
}

/** Python words outside strings → JS. */
function pythonToJs(s: string): string {
  return s.replace(/("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|\b(None|True|False|and|or|not)\b/g, (m, str: string | undefined, word: string | undefined) => {
    if (str) return str;
    switch (word) {
      case 'None': return 'null';
      case 'True': return 'true';
      case 'False': return 'false';
      case 'and': return '&&';
      case 'or': return '||';
      case 'not': return '!';
      default: return m;
    }
  });
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

function checkError(e: unknown, expected: { type?: string; contains?: string[]; caseInsensitive?: boolean }): string | null {
  const name = e instanceof Error ? e.name : typeof e;
  const message = e instanceof Error ? e.message : String(e);
  // Py4JJavaError / SparkException wrap whatever the JVM threw, and Exception is any exception.
  const anyType = ['Exception', 'Py4JJavaError', 'SparkException', 'StreamingQueryException'];
  const wanted = expected.type?.replace(/^.*\./, '');
  if (wanted && !anyType.includes(wanted) && wanted !== name) return `expected ${expected.type}, got ${describe(e)}`;
  for (const part of expected.contains ?? []) {
    const hit = expected.caseInsensitive ? message.toLowerCase().includes(part.toLowerCase()) : message.includes(part);
    if (!hit) return `expected the error message to contain ${JSON.stringify(part)}, got ${JSON.stringify(message)}`;
  }
  return null;
}

function canonical(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) => (v instanceof Map ? [...v.entries()] : v)) ?? 'undefined';
}

function compareOutputs(actual: DStreamExpectedOutput[], expected: DStreamExpectedOutput[], rowOrder: 'any' | 'exact', skipEmpty: boolean): string | null {
  const got = skipEmpty ? actual.filter((o) => o.rows.length > 0) : actual;
  const n = Math.min(got.length, expected.length);
  for (let i = 0; i < n; i++) {
    const g = got[i]!;
    const e = expected[i]!;
    if (g.timeMs !== e.timeMs) return `output #${i}: expected time ${e.timeMs} ms, got ${g.timeMs} ms (rows ${canonical(g.rows)})`;
    const gr = g.rows.map(canonical);
    const er = e.rows.map(canonical);
    if (rowOrder === 'any') {
      gr.sort();
      er.sort();
    }
    if (gr.join('\n') !== er.join('\n')) return `output at ${e.timeMs} ms: expected [${er.join(', ')}], got [${gr.join(', ')}]`;
  }
  if (got.length < expected.length) return `expected ${expected.length} outputs, got ${got.length}; first missing at ${expected[got.length]!.timeMs} ms`;
  if (got.length > expected.length) return `expected ${expected.length} outputs, got ${got.length}; extra output at ${got[expected.length]!.timeMs} ms: ${canonical(got[expected.length]!.rows)}`;
  return null;
}
