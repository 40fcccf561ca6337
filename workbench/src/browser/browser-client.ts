/**
 * The runtime in the page itself, for the static build: `RuntimeClient` answered without a server.
 *
 *   lessons      bundled at build time (build/lessons-plugin.ts), answered as the runtime answers them
 *   broker       the engine's in-memory Kafka cluster; the page holds it while no run goes and hands its
 *                records to a run's worker, which hands them back after each step and when it ends; in
 *                the worker it requires SASL of the learner's clients when the lesson's Kafka does
 *   run.start    compiled here (esbuild-wasm) → a Web Worker of its own (run-worker.ts) that plays the
 *                lesson's data and runs the engine and the pipeline; its events are the protocol's
 *   run.stop     the worker stops its queries and returns the broker, then is terminated
 *   watchdog     a worker silent for UNRESPONSIVE_MS (a loop the guard cannot see) is terminated with the
 *                runtime's message
 *   check.run    the lesson's check file (bundled per lesson, evaluated afresh for each Check, so each
 *                draws its random cases from a seed of its own) runs in the page with the browser's
 *                harness: each program it runs gets a check worker (check-harness.ts)
 *   the rest     (database, export, serving) needs the runtime: refused with a sentence that says so
 */
import {
  replyKind, type ClientKind, type ClockMode, type ReplyFields, type ReplyOf, type RequestFields, type ServerEvent, type ServingAnswer, type SourceFile,
} from '@streamlab/runtime/protocol';
import lessons from 'virtual:streamlab-lessons';
import checkLoaders from 'virtual:streamlab-checks';
import { adaptEvent } from '../client/adapt.js';
import { ProtocolClient } from '../client/protocol-client.js';
import { RuntimeError } from '../client/runtime-client.js';
import { entryFile, gradeFromReport, InMemoryKafkaCluster, planLessonData } from '@streamlab/runtime/in-browser';
import type { BundledLesson } from './bundled-lesson.js';
import { runDeclaredChecks } from './check-harness.js';
import { clusterFrom, snapshotOf } from './broker-snapshot.js';
import { compileInBrowser } from './compile-in-browser.js';
import type { BrokerSnapshot, PageToRun, RunToPage } from './run-messages.js';

/** A worker silent this long is stopped as the runtime stops a job that does not return. */
const UNRESPONSIVE_MS = 10_000;
/** The loop guard's limit inside the worker (wall time: a page cannot read a worker's CPU time). */
const LOOP_LIMIT_MS = 5_000;
/** How long a stopping worker may take to hand back the broker before it is terminated. */
const STOP_GRACE_MS = 1_500;
const MAX_ROWS = 200;

/** What a panel that needs the runtime says in the browser. */
export function needsRuntime(what: string): string {
  return `${what} needs the Streamlab runtime, which this page running in your browser does not have: run \`npx streamlab\` on your computer and open the address it prints.`;
}

/**
 * What a lesson that needs more than the tab has says at its top, before anything else: what it needs,
 * what works here, and where to do the rest. Null for a lesson that runs whole in the tab.
 */
export function inTabNotice(bundled: Pick<BundledLesson, 'needs'>): string | null {
  if (bundled.needs.length === 0) return null;
  return `> **This lesson needs the Streamlab runtime.** It uses ${bundled.needs.join(', ')}, which this page running in your browser does not have. `
    + 'You can read it and write your code here, but a Run stops with an error where the code reaches what is missing, and Check cannot grade it. '
    + 'Run `npx streamlab` on your computer and open the address it prints to do the whole lesson.';
}

type Run = {
  runId: string;
  mode: ClockMode;
  worker: Worker | null;
  over: boolean;
  lastSeen: number;
  nextStep: number;
  steps: Map<number, { resolve(v: { batchesRun: number; clockMs: number }): void; reject(e: Error): void }>;
  queue: Promise<void>;
  ended: Promise<void>;
  markEnded(): void;
  stopping: boolean;
};

/** `RuntimeClient` with the engine in Web Workers and the broker in memory. */
export class BrowserClient extends ProtocolClient {
  private broker = new InMemoryKafkaCluster();
  /** The broker as the running worker last handed it back. */
  private liveBroker: BrokerSnapshot | null = null;
  private run: Run | null = null;
  private runs = 0;
  private tails = new Map<string, { topic: string; next: number[] }>();
  private tailIds = 0;
  private checksRun = 0;
  /** Where each lesson's check chunk is, once loaded: the next Check evaluates it again from there. */
  private checkFiles = new Map<string, string>();
  private watchdog: ReturnType<typeof setInterval> | null = null;

  connect(): void {
    this.setConnection({ state: 'open', attempt: 0, message: 'Running in this browser: no runtime, nothing leaves the page.' });
    this.watchdog ??= setInterval(() => this.checkAlive(), 250);
  }

  reconnectNow(): void {}

  close(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
    this.run?.worker?.terminate();
    this.setConnection({ state: 'closed', attempt: 0 });
  }

  private emit(event: ServerEvent): void {
    this.dispatch(adaptEvent(event));
  }

  async serving(): Promise<ServingAnswer | null> {
    throw new RuntimeError('unavailable', needsRuntime('The serving layer'));
  }

  private readonly answers: { [K in ClientKind]?: (fields: RequestFields<K>) => ReplyFields<K> | Promise<ReplyFields<K>> } = {
    'lessons.list': () => ({ lessons: lessons.map((l) => l.summary) }),
    'lessons.get': ({ lessonId }) => {
      const bundled = this.lesson(lessonId);
      const notice = inTabNotice(bundled);
      return { lesson: notice ? { ...bundled.lesson, markdown: `${notice}\n\n${bundled.lesson.markdown}` } : bundled.lesson };
    },
    'run.start': (f) => this.startRun_(f.files, f.mode, f.lessonId, f.entry, f.maxRows),
    'run.stop': async ({ runId }) => {
      await this.stop(this.runNamed(runId));
      return { runId };
    },
    'run.step': async ({ runId, batches, advanceMs }) => ({ runId, ...(await this.stepRun(this.runNamed(runId), { ...(batches === undefined ? {} : { batches }), ...(advanceMs === undefined ? {} : { advanceMs }) })) }),
    'run.crash': ({ runId }) => {
      const run = this.runNamed(runId);
      if (run.over) throw new RuntimeError('invalid-request', 'run.crash needs a running run.');
      this.send(run, { type: 'crash' });
      return { runId };
    },
    'run.replay': () => {
      throw new RuntimeError('unavailable', needsRuntime('Playing the lesson’s data again'));
    },
    'run.extra': () => {
      throw new RuntimeError('unavailable', needsRuntime('Sending the lesson’s extra records'));
    },
    'topics.list': () => ({ topics: this.topicList() }),
    'topics.create': ({ topic, partitions }) => {
      this.atRest('Creating a topic');
      this.broker.createTopic(topic, partitions);
      return { topic };
    },
    'topics.clear': ({ topic }) => {
      this.atRest('Emptying a topic');
      const partitions = this.broker.partitionCount(topic);
      if (!this.broker.listTopics().includes(topic)) throw new RuntimeError('not-found', `There is no topic “${topic}”.`);
      this.broker = clusterFrom(snapshotOf(this.broker), undefined, new Set([topic]));
      return { topic, partitions };
    },
    'topics.delete': ({ topic }) => {
      this.atRest('Deleting a topic');
      this.broker = clusterFrom(snapshotOf(this.broker).filter((t) => t.name !== topic));
      return { topic };
    },
    'topics.produce': ({ topic, key, value, timestamp }) => {
      this.atRest('Producing a record');
      const m = this.broker.produce(topic, value, { key, ...(timestamp === undefined ? {} : { timestamp }) });
      this.feedTails();
      return { topic, partition: m.partition, offset: String(m.offset) };
    },
    'topics.tail': ({ topic, from }) => {
      const tailId = `tail-${++this.tailIds}`;
      const current = this.snapshot().find((t) => t.name === topic);
      this.tails.set(tailId, { topic, next: from === 'earliest' ? [] : (current?.partitions.map((p) => p.length) ?? []) });
      setTimeout(() => this.feedTails(), 0);
      return { tailId };
    },
    'topics.untail': ({ tailId }) => {
      this.tails.delete(tailId);
      return { tailId };
    },
    'checkpoints.reset': ({ lessonId }) => ({ lessonId: lessonId ?? null, removed: 0 }),
    'db.tables': () => {
      throw new RuntimeError('unavailable', needsRuntime('The database'));
    },
    'db.query': () => {
      throw new RuntimeError('unavailable', needsRuntime('The database'));
    },
    'check.run': ({ lessonId, files }) => {
      const bundled = this.lesson(lessonId);
      const load = checkLoaders[bundled.lesson.id];
      if (!load) throw new RuntimeError('unavailable', needsRuntime(`Checking lesson ${bundled.lesson.id} (its checks use ${bundled.needs.length > 0 ? bundled.needs.join(', ') : 'PostgreSQL, saved models or files'})`));
      const checkId = `check-${++this.checksRun}`;
      // After the reply: the page learns the check id before its events.
      setTimeout(() => void this.checkInPage(checkId, bundled, load, files), 0);
      return { checkId };
    },
    'export.pyspark': () => {
      throw new RuntimeError('unavailable', needsRuntime('Export to PySpark'));
    },
  };

  async request<K extends ClientKind>(kind: K, fields: RequestFields<K>): Promise<ReplyOf<K>> {
    const answer = this.answers[kind] as ((fields: RequestFields<K>) => ReplyFields<K> | Promise<ReplyFields<K>>) | undefined;
    if (!answer) throw new RuntimeError('unavailable', needsRuntime(`“${kind}”`));
    const reply = await answer(fields);
    return { kind: replyKind(kind), id: `browser-${kind}`, ...reply } as unknown as ReplyOf<K>;
  }

  private lesson(lessonId: string) {
    const found = lessons.find((l) => l.lesson.id === lessonId || l.lesson.id.startsWith(`${lessonId}-`));
    if (!found) throw new RuntimeError('not-found', `No lesson "${lessonId}".`);
    return found;
  }

  private runNamed(runId: string): Run {
    if (!this.run || this.run.runId !== runId) throw new RuntimeError('not-found', `No run ${runId} in this session.`);
    return this.run;
  }

  private atRest(what: string): void {
    if (this.run && !this.run.over) throw new RuntimeError('busy', `${what} waits until the run stops: in the browser the run holds the topics while it goes.`);
  }

  private snapshot(): BrokerSnapshot {
    return this.run && !this.run.over && this.liveBroker ? this.liveBroker : snapshotOf(this.broker);
  }

  private topicList() {
    return this.snapshot().map((t) => ({ name: t.name, partitions: t.partitions.length, endOffsets: t.partitions.map((p) => String(p.length)) }));
  }

  /** Sends each tail the records its topic gained since it last looked. */
  private feedTails(): void {
    const snapshot = this.snapshot();
    const decoder = new TextDecoder();
    const text = (b: Uint8Array | null) => (b === null ? null : decoder.decode(b));
    for (const [tailId, tail] of this.tails) {
      const topic = snapshot.find((t) => t.name === tail.topic);
      if (!topic) continue;
      topic.partitions.forEach((records, partition) => {
        for (let offset = tail.next[partition] ?? 0; offset < records.length; offset++) {
          const r = records[offset]!;
          this.emit({
            kind: 'topics.record', tailId, topic: tail.topic, partition, offset: String(offset), key: text(r.key), value: text(r.value),
            timestamp: String(r.timestamp), headers: Object.fromEntries(r.headers.map(([k, v]) => [k, text(v) ?? ''])),
          });
        }
        tail.next[partition] = records.length;
      });
    }
  }

  private startRun_(files: SourceFile[], mode: ClockMode, lessonId: string | undefined, entry: string | undefined, maxRows: number | undefined): { runId: string; mode: ClockMode } {
    if (this.run && !this.run.over) throw new RuntimeError('busy', 'At most 1 run at a time: stop one first.');
    const runId = `run-${++this.runs}`;
    let markEnded!: () => void;
    const ended = new Promise<void>((r) => (markEnded = r));
    const run: Run = { runId, mode, worker: null, over: false, lastSeen: Date.now(), nextStep: 1, steps: new Map(), queue: Promise.resolve(), ended, markEnded, stopping: false };
    this.run = run;
    this.liveBroker = null;
    const bundled = lessonId ? lessons.find((l) => l.lesson.id === lessonId) : undefined;
    // After the reply: the page learns the run id before its first event.
    setTimeout(() => void this.launch(run, files, entry, bundled ?? null, Math.min(maxRows ?? MAX_ROWS, MAX_ROWS)), 0);
    return { runId, mode };
  }

  private async launch(run: Run, files: SourceFile[], entry: string | undefined, bundled: BundledLesson | null, maxRows: number): Promise<void> {
    this.status(run, 'compiling');
    const compiled = await compileInBrowser(files, entry).catch((e: unknown) => ({ ok: false as const, error: { message: `The compiler could not start: ${e instanceof Error ? e.message : String(e)}`, code: 'internal', file: null, line: null, column: null, stack: '' } }));
    if (run.over || run.stopping) return;
    if (!compiled.ok) {
      this.emit({ kind: 'run.error', runId: run.runId, ...compiled.error });
      this.finish(run, 'failed');
      return;
    }
    this.status(run, 'starting');
    const worker = new Worker(new URL('./run-worker.ts', import.meta.url), { type: 'module', name: `streamlab ${run.runId}` });
    run.worker = worker;
    run.lastSeen = Date.now();
    worker.addEventListener('message', (ev: MessageEvent<RunToPage>) => this.fromWorker(run, ev.data));
    worker.addEventListener('error', (ev) => {
      ev.preventDefault();
      this.killFor(run, { message: `The run's worker failed: ${ev.message}`, code: 'crashed' });
    });
    const sasl = bundled?.plan.kafka?.sasl;
    this.send(run, {
      type: 'start', runId: run.runId, code: compiled.pipeline.code, mode: run.mode, maxRows, loopLimitMs: LOOP_LIMIT_MS,
      plan: bundled ? planLessonData(bundled.plan) : null, broker: snapshotOf(this.broker),
      ...(sasl ? { sasl: { mechanisms: sasl.mechanisms, users: Object.fromEntries(sasl.users.map((u) => [u.username, u.password])) } } : {}),
    });
  }

  private send(run: Run, message: PageToRun): void {
    run.worker?.postMessage(message);
  }

  private fromWorker(run: Run, m: RunToPage): void {
    run.lastSeen = Date.now();
    if (run.over) return;
    switch (m.type) {
      case 'event':
        // A run's worker speaks for its run only: never a check's result, nor another run's events.
        if (!m.event.kind.startsWith('run.') || !('runId' in m.event) || m.event.runId !== run.runId) return;
        if (m.event.kind === 'run.status' && (m.event.state === 'failed' || m.event.state === 'finished')) {
          run.stopping = true;
          this.emit(m.event);
          return;
        }
        this.emit(m.event);
        break;
      case 'step-done': {
        const waiter = run.steps.get(m.stepId);
        run.steps.delete(m.stepId);
        if (m.error) waiter?.reject(new RuntimeError('invalid-request', m.error));
        else waiter?.resolve({ batchesRun: m.batchesRun, clockMs: m.clockMs });
        break;
      }
      case 'broker':
        this.liveBroker = m.broker;
        this.feedTails();
        break;
      case 'ended':
        this.finish(run, run.stopping ? null : 'stopped');
        break;
      case 'heartbeat':
        break;
    }
  }

  private status(run: Run, state: 'compiling' | 'starting' | 'stopping' | 'stopped' | 'failed'): void {
    this.emit({ kind: 'run.status', runId: run.runId, state });
  }

  /** The run is over: its broker becomes the page's, its worker is gone. */
  private finish(run: Run, state: 'stopped' | 'failed' | null): void {
    if (run.over) return;
    run.over = true;
    run.worker?.terminate();
    if (this.liveBroker && this.run === run) this.broker = clusterFrom(this.liveBroker);
    this.liveBroker = null;
    for (const w of run.steps.values()) w.reject(new RuntimeError('invalid-request', 'The run has ended.'));
    run.steps.clear();
    if (state) this.status(run, state);
    run.markEnded();
  }

  private async stop(run: Run): Promise<void> {
    if (run.over) return;
    if (!run.worker) {
      run.stopping = true;
      this.finish(run, 'stopped');
      return;
    }
    this.status(run, 'stopping');
    this.send(run, { type: 'stop' });
    const grace = setTimeout(() => this.finish(run, 'stopped'), STOP_GRACE_MS);
    await run.ended;
    clearTimeout(grace);
  }

  private stepRun(run: Run, how: { batches?: number; advanceMs?: number }): Promise<{ batchesRun: number; clockMs: number }> {
    const result = run.queue.then(() => {
      if (run.mode !== 'manual') throw new RuntimeError('invalid-request', 'run.step needs a run started with mode "manual".');
      if (run.over || !run.worker) throw new RuntimeError('invalid-request', `The run is ${run.over ? 'over' : 'starting'}.`);
      const stepId = run.nextStep++;
      return new Promise<{ batchesRun: number; clockMs: number }>((resolve, reject) => {
        run.steps.set(stepId, { resolve, reject });
        this.send(run, { type: 'step', stepId, ...how });
      });
    });
    run.queue = result.then(() => undefined, () => undefined);
    return result;
  }

  /** Runs a lesson's checks on the learner's files and sends their result, as the runtime's Check does. */
  private async checkInPage(checkId: string, bundled: BundledLesson, load: () => Promise<unknown>, files: SourceFile[]): Promise<void> {
    const lessonId = bundled.lesson.id;
    this.emit({ kind: 'check.status', checkId, lessonId, state: 'running' });
    let result: Extract<ServerEvent, { kind: 'check.result' }>;
    try {
      await this.freshChecks(lessonId, load);
      // The lesson's own files but the starter, and its solution: what the grader checks the solution as.
      const solution = [...bundled.lesson.files.filter((f) => f.path !== 'starter.ts'), ...(bundled.lesson.solution ?? [])];
      const reported = await runDeclaredChecks(lessonId, { files, entry: entryFile(files) }, { files: solution, entry: 'solution.ts' });
      const graded = gradeFromReport({ id: lessonId, points: bundled.plan.points }, reported.seed, { checks: reported.checks, errors: [] }, 'This check did not run.');
      result = {
        kind: 'check.result', checkId, lessonId, score: graded.score, maxScore: graded.maxScore, seed: String(graded.seed),
        tests: graded.tests.map((t) => ({
          id: t.id, name: t.name, status: t.status, message: t.message, durationMs: t.durationMs, points: t.points, maxPoints: t.maxPoints, file: t.file, line: t.line, diff: t.diff,
        })),
      };
    } catch (e) {
      result = { kind: 'check.result', checkId, lessonId, tests: [{ name: 'the checks run', status: 'failed', message: e instanceof Error ? e.message : String(e), durationMs: 0 }] };
    }
    this.emit(result);
  }

  /** Evaluates the lesson's check file once more (the first time, as bundled): its `lessonChecks` draws a new seed. */
  private async freshChecks(lessonId: string, load: () => Promise<unknown>): Promise<void> {
    const url = this.checkFiles.get(lessonId);
    if (url === undefined) {
      const loaded = (await load()) as { checkFileUrl?: unknown };
      if (typeof loaded.checkFileUrl === 'string') this.checkFiles.set(lessonId, loaded.checkFileUrl);
      return;
    }
    const fresh = new URL(url);
    fresh.searchParams.set('check', String(this.checksRun));
    await import(/* @vite-ignore */ fresh.href);
  }

  private checkAlive(): void {
    const run = this.run;
    if (!run || run.over || !run.worker || run.stopping) return;
    if (Date.now() - run.lastSeen > UNRESPONSIVE_MS) {
      this.killFor(run, { message: `Your pipeline did not return within ${UNRESPONSIVE_MS / 1000} s and was stopped: look for a loop that never ends.`, code: 'unresponsive' });
    }
  }

  private killFor(run: Run, error: { message: string; code: string }): void {
    if (run.over) return;
    this.emit({ kind: 'run.error', runId: run.runId, ...error, file: null, line: null, column: null, stack: error.message });
    this.finish(run, 'failed');
  }
}
