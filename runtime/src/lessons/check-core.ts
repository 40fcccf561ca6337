/**
 * The part of the check harness (check-harness.ts) that needs no host: how a check fails and compares,
 * the sandbox's operations as methods, the seeded random source, and a failure in the learner's terms.
 * The job-process harness and the browser's (the workbench's static build) both build on it, each
 * with its own way to compile a program and open a sandbox. Pure: no `node:*`.
 */
import type { CheckArg, CheckBatch, CheckOp, CheckProduceRecord, CheckRecord, CheckSasl, CheckValue, PlanSummary } from '../jobs/check-ipc.js';
import type { LearnerFile } from '../jobs/compile.js';
import { cutText } from '../jobs/cut-text.js';
import type { LearnerError } from '../jobs/learner-error.js';
import type { CheckDatabase } from './check-database.js';

export type { CheckRecord, CheckSasl, PlanSummary } from '../jobs/check-ipc.js';

/** What a sandbox is driven through: one operation at a time, each answered or failed. */
export interface CheckChannel {
  request<K extends CheckOp['op']>(op: Extract<CheckOp, { op: K }>, what?: string): Promise<CheckValue<K>>;
}

/**
 * What a check operation past its time limit tells the learner: the line it waits at when an await
 * there never resolved, else where to look.
 */
export function opTimeoutMessage(what: string, seconds: number, where: { line: number } | null): string {
  return where
    ? `Your code: ${what} did not finish within ${seconds} s and was stopped: it waits at line ${where.line} for an await that never resolves.`
    : `Your code: ${what} did not finish within ${seconds} s and was stopped. Look for an await that never resolves or a loop that never ends.`;
}

/** An error raised by (or about) the learner's code, with its position in the learner's files. */
export class LearnerCodeError extends Error {
  readonly learner: LearnerError;
  /** The program whose code it is (`CompiledProgram.label`). */
  readonly programLabel: string;

  constructor(learner: LearnerError, programLabel: string) {
    super(learner.message);
    this.name = 'LearnerCodeError';
    this.learner = learner;
    this.programLabel = programLabel;
  }
}

/** The rows/lines diff a failed comparison carries. */
export interface RowDiff {
  columns: string[];
  missing: unknown[][];
  unexpected: unknown[][];
}

/** Why a check failed, as the grader reports it. */
export interface CheckFailureInfo {
  message: string;
  file: string | null;
  line: number | null;
  diff: RowDiff | null;
}

/**
 * How much of a failure the grader keeps. A failure quotes what the learner's code made (its output,
 * its rows, its column names, its errors' messages), so it is cut here, where every failure is made:
 * the grade report, `check.result` and the Checks panel stay small whatever the submission printed.
 */
export const FAILURE_LIMITS = {
  /** Characters of a failure's message. */
  messageChars: 4000,
  /** Rows on each side of a diff (`missing`, `unexpected`); the message still counts them all. */
  diffRows: 100,
  /** Columns of a diff. */
  diffColumns: 50,
  /** Characters of a column name or of a cell (a cell that is no string: of its JSON). */
  cellChars: 1000,
} as const;


function cutCell(v: unknown): unknown {
  if (typeof v === 'string') return cutText(v, FAILURE_LIMITS.cellChars);
  if (typeof v !== 'object' || v === null) return v;
  const json = JSON.stringify(v);
  return json.length <= FAILURE_LIMITS.cellChars ? v : cutText(json, FAILURE_LIMITS.cellChars);
}

function cutRows(rows: readonly unknown[][]): unknown[][] {
  return rows.slice(0, FAILURE_LIMITS.diffRows).map((r) => r.slice(0, FAILURE_LIMITS.diffColumns).map(cutCell));
}

/** A failure within {@link FAILURE_LIMITS}. */
function boundedFailure(info: CheckFailureInfo): CheckFailureInfo {
  const diff = info.diff && {
    columns: info.diff.columns.slice(0, FAILURE_LIMITS.diffColumns).map((c) => cutText(c, FAILURE_LIMITS.cellChars)),
    missing: cutRows(info.diff.missing),
    unexpected: cutRows(info.diff.unexpected),
  };
  return { ...info, message: cutText(info.message, FAILURE_LIMITS.messageChars), diff };
}

/** A failed check: the message is the learner's; `check` is what the grader reports. */
export class CheckFailure extends Error {
  check: CheckFailureInfo;

  constructor(info: Partial<CheckFailureInfo> & { message: string }) {
    const check = boundedFailure({ file: null, line: null, diff: null, ...info });
    super(check.message);
    this.name = 'CheckFailure';
    this.check = check;
  }
}

/** Fails the check with `message`. */
export function fail(message: string): never {
  throw new CheckFailure({ message });
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Compares rows as multisets (order does not matter unless the rows carry it). On a difference, fails
 * with "`what`: yours has N rows, the check expects M: k expected rows are missing and j rows are not
 * expected." and the diff.
 */
export function expectRows(what: string, yours: readonly unknown[][], expected: readonly unknown[][], columns: readonly string[], noun = 'row'): void {
  const key = (r: unknown[]) => JSON.stringify(r);
  const left = new Map<string, number>();
  for (const r of expected) left.set(key(r), (left.get(key(r)) ?? 0) + 1);
  const unexpected: unknown[][] = [];
  for (const r of yours) {
    const n = left.get(key(r)) ?? 0;
    if (n > 0) left.set(key(r), n - 1);
    else unexpected.push(r);
  }
  const missing: unknown[][] = [];
  const remaining = new Map(left);
  for (const r of expected) {
    const n = remaining.get(key(r)) ?? 0;
    if (n > 0) {
      missing.push(r);
      remaining.set(key(r), n - 1);
    }
  }
  if (missing.length === 0 && unexpected.length === 0) return;
  const parts = [
    missing.length > 0 ? `${plural(missing.length, `expected ${noun}`)} ${missing.length === 1 ? 'is' : 'are'} missing` : '',
    unexpected.length > 0 ? `${plural(unexpected.length, noun)} ${unexpected.length === 1 ? 'is' : 'are'} not expected` : '',
  ].filter(Boolean);
  throw new CheckFailure({
    message: `${what}: yours has ${plural(yours.length, noun)}, the check expects ${expected.length}; ${parts.join(' and ')}.`,
    diff: { columns: [...columns], missing, unexpected },
  });
}

/** One wrong result: what is wrong, in words every result with the same mistake shares, and this result's case. */
export interface Fault {
  fault: string;
  detail: string;
}

/**
 * Faults as lines, one per kind of mistake in the order first met: a mistake made six times reads once,
 * as `6 answers: key null instead of the input's id; the first: batch 0: …`, not six times over.
 */
export function faultLines(problems: readonly Fault[], noun: string, most = 8): string[] {
  const groups = new Map<string, string[]>();
  for (const p of problems) groups.set(p.fault, [...(groups.get(p.fault) ?? []), p.detail]);
  const lines = [...groups].map(([fault, details]) => (details.length === 1 ? `${fault}: ${details[0]}` : `${details.length} ${noun}: ${fault}; the first: ${details[0]}`));
  return lines.length > most ? [...lines.slice(0, most), `… and ${lines.length - most} more ${lines.length - most === 1 ? 'kind' : 'kinds'} of mistake`] : lines;
}

/** {@link expectRows} for lines of text (one column, `column`). */
export function expectLines(what: string, yours: readonly string[], expected: readonly string[], column = 'line'): void {
  expectRows(what, yours.map((l) => [l]), expected.map((l) => [l]), [column], 'line');
}

/** Time as epoch ms from an ISO string or a number. */
export function ms(t: string | number): number {
  if (typeof t === 'number') return t;
  const v = Date.parse(t);
  if (Number.isNaN(v)) throw new Error(`Not a time: ${t}`);
  return v;
}

/** `'10 seconds'`, `'1 minute'`, or milliseconds. */
function durationMs(d: string | number): number {
  if (typeof d === 'number') return d;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|seconds?|m|minutes?|h|hours?)\s*$/i.exec(d);
  if (!m) throw new Error(`Not a duration: ${d}`);
  const unit = m[2]!.toLowerCase();
  const scale = unit.startsWith('ms') || unit.startsWith('milli') ? 1 : unit.startsWith('s') ? 1000 : unit.startsWith('m') ? 60_000 : 3_600_000;
  return Number(m[1]) * scale;
}

/** The world a sandbox starts in. */
export interface World {
  /** Processing time the manual clock starts at (ISO string or epoch ms). */
  start: string | number;
  /** Topics of the in-memory Kafka, with their partition counts. */
  topics: Record<string, number>;
  /** Saved models of the lesson (folder names beside `check.test.ts`) that `ml.PipelineModel.load` finds. */
  models?: string[];
  /**
   * A PostgreSQL schema and role of the sandbox's own (see check-database.ts): every write of the
   * learner's (`write.jdbc`, `format("postgres")`, a flow's `SlickSession`) lands there; `Sandbox.db`
   * reads it. Dropped when the sandbox closes.
   */
  database?: boolean;
  /**
   * A Kafka whose only listener is SASL_PLAINTEXT: clients must authenticate with one of `mechanisms`
   * as one of `users` (name → password), or they are refused as such a broker refuses them.
   */
  sasl?: CheckSasl;
  /**
   * CSV files by path (`covid/2020-03-02.csv`): written into a folder of the sandbox's own, the only
   * files it may read, where the learner's `spark.read.csv("covid")` finds them. Removed when it closes.
   */
  lake?: Record<string, string>;
}

const SPARK: unique symbol = Symbol('spark');
/** The learner's SparkSession, as an argument. */
export type SparkArg = typeof SPARK;

/** A DataFrame inside the sandbox, checked to be one the engine built. */
export class DataFrameRef {
  constructor(
    readonly sandbox: Sandbox,
    readonly handle: number,
    readonly columns: readonly string[],
    /** Each column's type as Spark's `simpleString` (`int`, `float`, `timestamp`, ...). */
    readonly types: readonly string[],
    readonly isStreaming: boolean,
  ) {}

  /** Its logical plan. */
  plan(): Promise<PlanSummary> {
    return this.sandbox.raw.request({ op: 'plan', handle: this.handle });
  }
}

/** A streaming query inside the sandbox (the learner's, checked to be real, or the harness's own). */
export class QueryRef {
  constructor(readonly sandbox: Sandbox, readonly handle: number) {}

  /** Runs micro-batches until everything available now is processed; resolves with how many ran. */
  async processAllAvailable(): Promise<number> {
    return (await this.sandbox.raw.request({ op: 'process', query: this.handle }, 'processing the available data')).batches;
  }

  /** The logical plan the query runs. */
  plan(): Promise<PlanSummary> {
    return this.sandbox.raw.request({ op: 'plan', handle: this.handle });
  }

  async stop(): Promise<void> {
    await this.sandbox.raw.request({ op: 'stop', query: this.handle });
  }

  /** Arms the query to die after its next sink write and before that batch's commit (its checkpoint restarts it). */
  async crashAfterNextSinkWrite(): Promise<void> {
    await this.sandbox.raw.request({ op: 'crash', query: this.handle });
  }

  /** After {@link crashAfterNextSinkWrite} and a batch: the query its checkpoint restarted. */
  async restarted(): Promise<QueryRef> {
    return new QueryRef(this.sandbox, (await this.sandbox.raw.request({ op: 'restarted', query: this.handle }, 'restarting your query from its checkpoint')).handle);
  }
}

/** A query the harness started on a memory sink: its rows can be read per batch. */
export class StreamRef extends QueryRef {
  /** The rows each micro-batch wrote so far (JSON: timestamps as ISO strings, windows as {start, end}). */
  batches(): Promise<{ columns: string[]; batches: CheckBatch[] }> {
    return this.sandbox.raw.request({ op: 'batches', query: this.handle });
  }
}

/** A StreamingContext inside the sandbox, on its clock and Kafka. */
export class ContextRef {
  constructor(readonly sandbox: Sandbox, readonly handle: number) {}

  async start(): Promise<void> {
    await this.sandbox.raw.request({ op: 'startContext', context: this.handle });
  }

  /** Sets the clock to `time` and waits until the batch of that time has completed. */
  async runBatch(time: string | number): Promise<void> {
    await this.sandbox.setClock(time);
    await this.sandbox.raw.request({ op: 'awaitBatch', context: this.handle, timeMs: ms(time) }, `the batch at ${new Date(ms(time)).toISOString().slice(11, 19)}`);
  }
}

/** A flow ActorSystem inside the sandbox, on its clock. */
export class ActorSystemRef {
  constructor(readonly sandbox: Sandbox, readonly handle: number) {}
}

/** A flow's DrainingControl inside the sandbox (one the engine built). */
export class ControlRef {
  constructor(readonly sandbox: Sandbox, readonly handle: number) {}

  /** Stops the source, waits for the stream to complete (its last commits), shuts the consumer down. */
  async drainAndShutdown(): Promise<void> {
    await this.sandbox.raw.request({ op: 'drain', control: this.handle }, 'draining your flow');
  }

  /** Why the flow's stream failed (its error's message), or null while it runs or once it completed. */
  async failure(): Promise<string | null> {
    return (await this.sandbox.raw.request({ op: 'flowFailure', control: this.handle })).error;
  }
}

/** A LatencyMeter on the learner's session. */
export class MeterRef {
  constructor(readonly sandbox: Sandbox, readonly handle: number) {}

  /** The latencies so far, per pipeline (`LatencyMeter.summary()` as data; NaN as null). */
  summary(): Promise<CheckValue<'latency'>> {
    return this.sandbox.raw.request({ op: 'latency', meter: this.handle });
  }
}

type Arg = SparkArg | ContextRef | ActorSystemRef | unknown;

/** The learner's (or the solution's) program, loaded in one sandbox. */
export class Sandbox {
  /** Pass as an argument for the learner's SparkSession. */
  readonly spark: SparkArg = SPARK;

  constructor(readonly raw: CheckChannel, private readonly program: ProgramBase, private readonly database: CheckDatabase | null = null) {}

  /** The sandbox's PostgreSQL schema, read as the administrator (worlds with `database: true`). */
  get db(): CheckDatabase {
    if (!this.database) throw new Error('This check\'s world has no database: give it `database: true`.');
    return this.database;
  }

  private args(args: Arg[]): CheckArg[] {
    return args.map((a) => (a === SPARK ? { spark: true } : a instanceof ContextRef ? { context: a.handle } : a instanceof ActorSystemRef ? { system: a.handle } : { json: a }));
  }

  private what(fn: string, args: Arg[]): string {
    this.program.lastCalled = fn;
    return `${fn}(${args.map((a) => (a === SPARK ? 'spark' : a instanceof ContextRef ? 'ssc' : a instanceof ActorSystemRef ? 'system' : JSON.stringify(a)?.slice(0, 40) ?? '')).join(', ')})`;
  }

  /** Calls an exported function that must return a DataFrame built with the streamlab API. */
  async dataFrame(fn: string, ...args: Arg[]): Promise<DataFrameRef> {
    const r = await this.raw.request({ op: 'call', fn, args: this.args(args), returns: 'dataframe' }, this.what(fn, args));
    if (r.kind !== 'dataframe') throw new Error(`${fn} answered ${r.kind}`);
    return this.recorded(fn, new DataFrameRef(this, r.handle, r.columns, r.types, r.streaming));
  }

  /** Calls an exported function that must return a StreamingQuery it started. */
  async query(fn: string, ...args: Arg[]): Promise<QueryRef> {
    const r = await this.raw.request({ op: 'call', fn, args: this.args(args), returns: 'query' }, this.what(fn, args));
    if (r.kind !== 'query') throw new Error(`${fn} answered ${r.kind}`);
    return this.recorded(fn, new QueryRef(this, r.handle));
  }

  /**
   * Keeps the plan of the first DataFrame or query each function gave, when the program records plans
   * (the submission: a grade groups a class by them). A plan that cannot be read is left out; it is
   * never the check's failure.
   */
  private async recorded<T extends DataFrameRef | QueryRef>(fn: string, ref: T): Promise<T> {
    const plans = this.program.plans;
    if (plans && !plans.has(fn)) {
      const plan = await ref.plan().catch(() => null);
      if (plan && !plans.has(fn)) plans.set(fn, plan);
    }
    return ref;
  }

  /** Calls an exported function that must return (or resolve with) a flow's DrainingControl. */
  async control(fn: string, ...args: Arg[]): Promise<ControlRef> {
    const r = await this.raw.request({ op: 'call', fn, args: this.args(args), returns: 'control' }, this.what(fn, args));
    if (r.kind !== 'control') throw new Error(`${fn} answered ${r.kind}`);
    return new ControlRef(this, r.handle);
  }

  /** A flow ActorSystem on the sandbox's clock, to pass to the learner's functions. */
  async actorSystem(name: string): Promise<ActorSystemRef> {
    return new ActorSystemRef(this, (await this.raw.request({ op: 'actorSystem', name })).handle);
  }

  /** Starts a LatencyMeter on the learner's session (and every flow). */
  async latencyMeter(): Promise<MeterRef> {
    return new MeterRef(this, (await this.raw.request({ op: 'meter' })).handle);
  }

  /** Calls an exported function (awaiting it when it returns a promise); resolves with its value as JSON. */
  async call(fn: string, ...args: Arg[]): Promise<unknown> {
    const r = await this.raw.request({ op: 'call', fn, args: this.args(args), returns: 'value' }, this.what(fn, args));
    return r.kind === 'value' ? r.value : null;
  }

  /** The rows of a static DataFrame, as JSON (dates and timestamps as ISO strings), computed by the engine. */
  async collect(df: DataFrameRef): Promise<{ columns: string[]; rows: Record<string, unknown>[] }> {
    return this.raw.request({ op: 'collect', df: df.handle }, 'collecting your DataFrame');
  }

  /** Starts `df` (projected with `selectExpr` when given) on a memory sink of the harness's own session, in `outputMode`. */
  async startStream(df: DataFrameRef, outputMode: 'append' | 'update' | 'complete', selectExpr?: string[]): Promise<StreamRef> {
    const r = await this.raw.request({ op: 'startStream', df: df.handle, outputMode, ...(selectExpr ? { selectExpr } : {}) }, `starting your DataFrame in ${outputMode} mode`);
    return new StreamRef(this, r.handle);
  }

  /**
   * A StreamingContext with `batchSeconds`-second batches on the sandbox's clock and Kafka; with
   * `readInputsEveryBatch`, each input computes its RDD at every batch, as if read by an output each batch.
   */
  async streamingContext(batchSeconds: number, options: { readInputsEveryBatch?: boolean } = {}): Promise<ContextRef> {
    return new ContextRef(this, (await this.raw.request({ op: 'context', batchSeconds, ...(options.readInputsEveryBatch ? { readInputsEveryBatch: true } : {}) })).handle);
  }

  /** Appends records to a topic in one go (no batch starts between them), stamped with the clock's time. */
  async addData(topic: string, records: readonly (string | { key?: string | null; value: string | null; partition?: number })[]): Promise<void> {
    const list: CheckProduceRecord[] = records.map((r) => (typeof r === 'string' ? { key: null, value: r } : { key: r.key ?? null, value: r.value, ...(r.partition !== undefined ? { partition: r.partition } : {}) }));
    await this.raw.request({ op: 'produce', topic, records: list });
  }

  /** Every record of a topic, by partition then offset. */
  records(topic: string): Promise<CheckRecord[]> {
    return this.raw.request({ op: 'records', topic });
  }

  /** Sets the manual clock and lets the batches that became due run. */
  async setClock(time: string | number): Promise<void> {
    await this.raw.request({ op: 'clock', setMs: ms(time) }, 'advancing the clock');
  }

  /** Advances the manual clock (`'10 seconds'` or ms) and lets the batches that became due run. */
  async advanceClock(by: string | number): Promise<void> {
    await this.raw.request({ op: 'clock', advanceMs: durationMs(by) }, 'advancing the clock');
  }

  /** What the code printed since the last call (console, `process.stdout.write`, the console sink, `show()`, `pprint()`). */
  async output(): Promise<string> {
    return (await this.raw.request({ op: 'output' })).text;
  }
}

/** The submission or the lesson's solution, however its host compiles and runs it. */
export abstract class ProgramBase {
  /** The exported function last called, to point a failure at its line. */
  lastCalled: string | null = null;
  /** The plan of the first DataFrame or query each exported function gave, when recorded (the submission's); null otherwise. */
  plans: Map<string, PlanSummary> | null = null;

  constructor(readonly label: string) {}

  /** Opens a sandbox on `world`, runs `body` in it and closes it, whatever happens. */
  abstract run<T>(world: World, body: (s: Sandbox) => Promise<T>): Promise<T>;

  /** The program's files and entry, once they compiled; null when they did not. */
  protected abstract compiledFiles(): Promise<{ files: readonly LearnerFile[]; entry: string } | null>;

  /** The line where the entry file defines `fn` (`function fn`, `const fn =`), when it does. */
  async lineOf(fn: string): Promise<{ file: string; line: number } | null> {
    const p = await this.compiledFiles().catch(() => null);
    const file = p?.files.find((f) => f.path === p.entry);
    if (!file) return null;
    const re = new RegExp(`(?:function\\s*\\*?\\s*${fn}\\b|(?:const|let|var)\\s+${fn}\\s*[=:])`);
    const i = file.content.split('\n').findIndex((l) => re.test(l));
    return i < 0 ? null : { file: file.path, line: i + 1 };
  }
}

/** A seeded source of random choices (mulberry32), for inputs a submission cannot predict. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number;
  /** A number in [lo, hi) rounded to `decimals`. */
  float(lo: number, hi: number, decimals: number): number;
  pick<T>(items: readonly T[]): T;
  shuffle<T>(items: readonly T[]): T[];
  chance(p: number): boolean;
}

/** A {@link Random} from a seed; the same seed gives the same sequence. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const r: Random = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    float: (lo, hi, decimals) => Number((lo + next() * (hi - lo)).toFixed(decimals)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    shuffle: (items) => {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    },
    chance: (p) => next() < p,
  };
  return r;
}

/** What a lesson's check file gets. */
export interface LessonChecks<P extends ProgramBase = ProgramBase> {
  /** Declares one check: `id` is its stable identity (points are keyed by it), `title` what the learner reads. */
  check(id: string, title: string, body: () => Promise<void>): void;
  /** The submission being graded (the lesson's solution when the check file runs on its own). */
  submission: P;
  /** The lesson's reference solution: expected results of random cases come from it. */
  solution: P;
  /** The seed of this run's random cases (also in the grade report). */
  seed: number;
  /** A fresh random source from the seed and a label, so each check's cases are independent of the others. */
  random(label: string): Random;
  /**
   * The same for a hidden check's inputs, from a seed of their own (`STREAMLAB_CHECK_HIDDEN_SEED`) that
   * the learner never sees: the visible seed, and the visible cases' rows a learner can read, do not
   * rebuild them.
   */
  hiddenRandom(label: string): Random;
  /** Runs `fn` once per key in this file and shares its result (runs are costly; checks may share one). */
  memo<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

/** A 32-bit hash of a label (FNV-1a), to derive a random source from the seed. */
export function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Any error of a check as a {@link CheckFailure} in the learner's terms, pointing at their line. */
export async function asFailure(e: unknown, submission: ProgramBase, solution: ProgramBase): Promise<CheckFailure> {
  if (e instanceof LearnerCodeError) {
    const fromSolution = e.programLabel === solution.label && submission !== solution;
    if (fromSolution) return new CheckFailure({ message: `The lesson's reference solution failed on this check's data, so the check cannot grade it: ${e.learner.message}` });
    const at = e.learner.line !== null ? { file: e.learner.file, line: e.learner.line } : submission.lastCalled ? await submission.lineOf(submission.lastCalled) : null;
    return new CheckFailure({ message: e.learner.message, file: at?.file ?? null, line: at?.line ?? null });
  }
  if (e instanceof CheckFailure) {
    if (e.check.line === null && submission.lastCalled) {
      const at = await submission.lineOf(submission.lastCalled);
      if (at) e.check = { ...e.check, file: at.file, line: at.line };
    }
    return e;
  }
  return new CheckFailure({ message: `The check could not run: ${e instanceof Error ? e.message : String(e)}` });
}

/** Entry file names tried in order when none is named. */
const ENTRY_NAMES = ['solution.ts', 'starter.ts', 'main.ts', 'submission.ts', 'index.ts'];

/** The entry file among `files`: the named one, else a conventional name, else the only file. */
export function entryFile(files: readonly LearnerFile[], named?: string): string {
  if (named) return named;
  for (const n of ENTRY_NAMES) if (files.some((f) => f.path === n)) return n;
  if (files.length === 1) return files[0]!.path;
  throw new Error(`Cannot tell which file is the submission's entry among ${files.map((f) => f.path).join(', ') || '(none)'}; name it solution.ts`);
}
