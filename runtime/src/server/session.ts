/**
 * A client session: the runs and tails one workbench tab owns. Events go to the session's current socket.
 * When the socket closes the session waits `graceMs` (a reload reconnects with the same session id and
 * keeps its runs: the page hears each live run's status again after hello); after that every run is
 * stopped and every tail closed.
 *
 *   run.start → counted against the per-connection limit at once (before anything is awaited, so ten
 *               requests in one frame cannot all pass) → a place in the runtime's line (`queued`, with the
 *               runs ahead, while the machine is full) → compile and start → its slot is freed when it ends
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { RunLimits } from '../config.js';
import { lessonCheckpointDir, resetCheckpoints } from '../checkpoint/learner-checkpoints.js';
import { JobRun } from '../jobs/job-run.js';
import type { JobModel, JobServices } from '../jobs/ipc.js';
import { DEFAULT_ROWS_PER_BATCH, type ClientMessageOf, type ServerEvent, type ServerMessageOf } from '../protocol/index.js';
import type { LessonDataPlan } from '../lessons/lesson-data.js';
import { forgetStateOfEmptiedTopics, LessonRunData } from './lesson-run-data.js';
import { RequestError } from './request-error.js';
import type { RunQueue, RunTicket } from './run-queue.js';
import type { DatabaseService } from './database-service.js';
import type { ServingService } from './serving-service.js';
import type { TopicsService } from './topics-service.js';

/** Sends an event to whoever currently holds the session. */
export type EventSink = (event: ServerEvent) => void;

/** Runs and tails of one client. */
export class Session {
  readonly id: string;
  private readonly runs = new Map<string, JobRun>();
  /** The lesson data each run plays, by run id. */
  private readonly data = new Map<string, LessonRunData>();
  /** The lesson each run was started for, said again to a reattached page. */
  private readonly lessonOf = new Map<string, string>();
  private readonly tails = new Set<string>();
  /** The last status of each run, said again to a page that attaches (a reload picks up its runs). */
  private readonly lastStatus = new Map<string, ServerMessageOf<'run.status'>>();
  /** Runs accepted whose JobRun does not exist yet (waiting for the services). */
  private reserved = 0;
  private sink: EventSink | null = null;
  private graceTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    id: string | undefined,
    private readonly limits: RunLimits,
    private readonly services: Promise<JobServices>,
    /** The session's Kafka view: the runtime's, or one of its own on a runtime learners share. */
    readonly topics: TopicsService,
    /** The session's PostgreSQL as the learner (the Database panel): like `topics`, the runtime's or one of its own. */
    readonly database: DatabaseService,
    /** Serving answers read through `database`, with their cache. */
    readonly serving: ServingService,
    private readonly queue: RunQueue,
    /** Folder of the runtime's checkpoints: each lesson's runs keep theirs in a folder of it. */
    private readonly checkpointsRoot: string,
    /** Called once the session's runs and tails have stopped; the session has closed when it settles. */
    private readonly onClosed: (session: Session) => void | Promise<void>,
  ) {
    this.id = id ?? randomUUID();
  }

  /** Attaches a socket; cancels a pending shutdown. */
  attach(sink: EventSink): void {
    this.sink = sink;
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.graceTimer = null;
  }

  /** Detaches the socket; everything stops after the grace period unless a socket attaches again. */
  detach(sink: EventSink): void {
    if (this.sink !== sink) return;
    this.sink = null;
    if (this.closed) return;
    this.graceTimer = setTimeout(() => void this.close(), this.limits.socketGraceMs);
    this.graceTimer.unref();
  }

  private emit(event: ServerEvent): void {
    if (event.kind === 'run.status') this.lastStatus.set(event.runId, event);
    this.sink?.(event);
  }

  /**
   * Says each run that has not ended, and its status, to the attached socket: a page that reattached
   * after a reload knows nothing of the runs its session has going, and shows them from this on. The
   * newest run is said first: a page follows the first live run of its lesson it hears, and a learner
   * who pressed Run twice is looking at the second.
   */
  repeatStatuses(): void {
    for (const runId of this.lastStatus.keys()) if (!this.runs.has(runId)) this.lastStatus.delete(runId);
    for (const runId of [...this.runs.keys()].reverse()) {
      const status = this.lastStatus.get(runId);
      if (!status) continue;
      const run = this.runs.get(runId)!;
      if (run.isOver()) this.lastStatus.delete(runId);
      else {
        const lessonId = this.lessonOf.get(runId);
        this.sink?.({ ...status, mode: run.mode, ...(run.mode === 'manual' ? { clockMs: run.clockMs() } : {}), ...(lessonId !== undefined ? { lessonId } : {}) });
      }
    }
  }

  /** Number of runs that have not ended (queued ones included). */
  activeRuns(): number {
    return this.reserved + [...this.runs.values()].filter((r) => !r.isOver()).length;
  }

  /**
   * Accepts a run: it starts when the runtime has a free slot. With a lesson's data plan, the run's
   * manual clock starts at the lesson's time and the data is played into the lesson's topics (made
   * ready before the learner's code starts). `lessonServices` adds what the lesson's Kafka requires
   * (SASL) to the runtime's services. `lake` (files by path) is written into a folder of the run's own,
   * which its `spark.read.csv` reads, and removed when the run ends.
   */
  async startRun(request: ClientMessageOf<'run.start'>, maxRowsCap: number, models: readonly JobModel[] = [], plan: LessonDataPlan | null = null, lessonServices: Partial<JobServices> = {}, lake: Record<string, string> | null = null): Promise<JobRun> {
    if (this.closed) throw new RequestError('unavailable', 'This session has ended; reconnect.');
    if (this.activeRuns() >= this.limits.maxRunsPerConnection) {
      throw new RequestError('busy', `At most ${this.limits.maxRunsPerConnection} runs at a time: stop one first.`);
    }
    this.reserved++;
    let services: JobServices;
    try {
      services = { ...(await this.services), ...lessonServices };
    } finally {
      this.reserved--;
    }
    const runId = `run-${randomUUID().slice(0, 8)}`;
    let ticket: RunTicket | null = null;
    const checkpointDir = lessonCheckpointDir(this.checkpointsRoot, request.lessonId);
    const warn = (text: string) => this.emit({ kind: 'run.log', runId, level: 'warn', text });
    const data = LessonRunData.plays(plan) ? new LessonRunData(plan, this.topics, request.mode, warn) : null;
    const dataDir = lake ? writeLake(lake) : null;
    const run = new JobRun({
      runId,
      files: request.files,
      entry: request.entry,
      mode: request.mode,
      maxRows: Math.min(request.maxRows ?? DEFAULT_ROWS_PER_BATCH, maxRowsCap),
      limits: this.limits,
      services,
      models,
      checkpointDir,
      learnerDir: this.checkpointsRoot,
      ...(dataDir ? { dataDir } : {}),
      ...data?.jobOptions(),
      onEvent: (e) => {
        if (e.kind === 'run.status' && (e.state === 'stopped' || e.state === 'finished' || e.state === 'failed')) {
          ticket?.release();
          data?.stop();
          if (dataDir) rmSync(dataDir, { recursive: true, force: true });
        }
        this.emit(e);
      },
    });
    this.runs.set(runId, run);
    if (data) this.data.set(runId, data);
    if (request.lessonId !== undefined) this.lessonOf.set(runId, request.lessonId);
    // Ended runs are forgotten once a newer one starts, so a long session does not pile them up.
    for (const [id, r] of this.runs) {
      if (id !== runId && r.isOver()) {
        this.runs.delete(id);
        this.data.delete(id);
        this.lessonOf.delete(id);
        this.lastStatus.delete(id);
      }
    }
    // After the reply: the client learns the run id before its first event.
    setImmediate(() => {
      if (run.isOver()) return;
      ticket = this.queue.enter((ahead) => {
        if (!run.isOver()) this.emit({ kind: 'run.status', runId, state: 'queued', ahead });
      });
      void ticket.admitted.then(async () => {
        if (run.isOver()) {
          ticket?.release();
          return;
        }
        // The lesson's topics and the data due at the start are in Kafka before the learner's code runs;
        // without Kafka the run still starts, and says why it has no data.
        // Making topics and emptying them can fail for a moment when many learners start at once: one more
        // try a second later, before the run starts without its data.
        const prepare = async (): Promise<string[]> => {
          try {
            return await data!.prepare();
          } catch {
            await new Promise((r) => setTimeout(r, 1000));
            return data!.prepare();
          }
        };
        const cleared = data ? await prepare().catch((e: unknown) => {
          warn(`The lesson's data could not be prepared: ${e instanceof Error ? e.message : String(e)}`);
          return [];
        }) : [];
        const forgot = await forgetStateOfEmptiedTopics(cleared, checkpointDir).catch(() => null);
        if (forgot) this.emit({ kind: 'run.log', runId, level: 'info', text: `Run ${forgot}.` });
        if (run.isOver()) {
          ticket?.release();
          return;
        }
        void run.start().catch((e: unknown) => {
          this.emit({ kind: 'run.error', runId, message: `The run could not start: ${e instanceof Error ? e.message : String(e)}`, code: 'internal', file: null, line: null, column: null, stack: '' });
          void run.stop();
        });
      });
    });
    return run;
  }

  /** The run with this id. */
  run(runId: string): JobRun {
    const run = this.runs.get(runId);
    if (!run) throw new RequestError('not-found', `No run ${runId} in this session.`);
    return run;
  }

  /** The lesson data a run plays. */
  runData(runId: string): { run: JobRun; data: LessonRunData } {
    const run = this.run(runId);
    const data = this.data.get(runId);
    if (!data) throw new RequestError('invalid-request', `Run ${runId} plays no lesson data: start it from a lesson that has some.`);
    if (run.isOver()) throw new RequestError('invalid-request', `Run ${runId} has ended; start it again to play the data.`);
    return { run, data };
  }

  /** Stops a run. */
  async stopRun(runId: string): Promise<void> {
    await this.run(runId).stop();
  }

  /** Forgets the saved state of a lesson's queries; resolves with how many query checkpoints were removed. */
  async resetCheckpoints(lessonId: string | undefined): Promise<number> {
    const dir = lessonCheckpointDir(this.checkpointsRoot, lessonId);
    const using = [...this.runs.values()].some((r) => !r.isOver() && r.checkpointDir === dir);
    if (using || this.reserved > 0) throw new RequestError('busy', 'Stop the run first: its queries are using the saved state.');
    return resetCheckpoints(dir);
  }

  /** Starts a tail whose records are sent to this session. */
  async tail(topic: string, from: 'earliest' | 'latest'): Promise<string> {
    const tailId = await this.topics.tail(topic, from, (id, r) => this.emit({ kind: 'topics.record', tailId: id, ...r }));
    this.tails.add(tailId);
    return tailId;
  }

  /** Stops a tail of this session. */
  async untail(tailId: string): Promise<void> {
    if (!this.tails.has(tailId)) throw new RequestError('not-found', `No tail ${tailId} in this session.`);
    this.tails.delete(tailId);
    await this.topics.untail(tailId);
  }

  /** Stops every run and tail now. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.graceTimer) clearTimeout(this.graceTimer);
    const runs = [...this.runs.values()];
    this.runs.clear();
    const tails = [...this.tails];
    this.tails.clear();
    await Promise.allSettled([...runs.map((r) => r.stop()), ...tails.map((t) => this.topics.untail(t))]);
    await this.onClosed(this);
  }
}

/** Writes a lesson's lake (files by path) into a new folder; its path. */
function writeLake(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'streamlab-lake-'));
  for (const [path, text] of Object.entries(files)) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return dir;
}
