/**
 * `streamlab run FILE.ts`: runs a pipeline headless in the same isolated job process the workbench uses,
 * printing console output and one progress line per batch.
 *
 *   files := FILE.ts plus the other .ts files beside it (not tests), so relative imports work
 *   start → print run.log text and a summary per run.batch
 *   --max-batches N: stop after N batches;  --until-idle: process what is available now, then stop
 *   --lesson ID: the lesson's topics are made and its data played in (lesson-run-data.ts) before the
 *   learner's code starts, as Run in the workbench does; --until-idle then waits for the whole data set
 *   checkpoints: each `checkpointLocation` is a folder inside `checkpointDir` (on disk, so a run
 *   started again, even after kill -9, resumes after its last committed batch); --fresh empties it first
 *   without Kafka, an error about Kafka is followed by one line saying how to give the run one
 *   exit 0 when stopped or finished, 1 when the run failed (the error printed with the learner position)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SHIPPED_LESSONS_DIR } from '../runtime-paths.js';
import { removeInterruptedWrites, resetCheckpoints } from '../checkpoint/learner-checkpoints.js';
import type { RuntimeConfig } from '../config.js';
import type { LessonDataPlan } from '../lessons/lesson-data.js';
import { DEFAULT_ROWS_PER_BATCH, type ServerEvent, type ServerMessageOf } from '../protocol/index.js';
import { forgetStateOfEmptiedTopics, LessonRunData } from '../server/lesson-run-data.js';
import { LessonsService } from '../server/lessons-service.js';
import { TopicsService } from '../server/topics-service.js';
import { JobRun } from './job-run.js';
import type { JobModel, JobServices } from './ipc.js';

/** What a lesson gives a headless run: its data, its models and what its Kafka needs. */
export interface RunLesson {
  id: string;
  plan: LessonDataPlan | null;
  models: JobModel[];
  services: Partial<JobServices>;
}

/**
 * The lesson `lessonId` of the configured lessons directory (the repository's own by default), ready
 * for a run; a string says why there is none.
 */
export async function lessonForRun(lessonId: string, config: RuntimeConfig, services: JobServices): Promise<RunLesson | string> {
  const lessons = new LessonsService(config.lessonsDir ?? SHIPPED_LESSONS_DIR);
  try {
    await lessons.lesson(lessonId);
    const plan = await lessons.dataPlan(lessonId);
    if (plan && plan.datasets.length > 0 && !services.kafka) return `lesson ${lessonId} plays its data into Kafka, and this run has none: start 'streamlab start' first, or give --kafka host:port.`;
    return { id: lessonId, plan, models: await lessons.models(lessonId), services: await lessons.runServices(lessonId) };
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** Options of a headless run. */
export interface RunCommandOptions {
  file: string;
  maxBatches?: number;
  untilIdle: boolean;
  manual: boolean;
  /** Said after an error about Kafka when the run has none: how to give it one. */
  noKafkaHint?: string;
  /** The lesson whose data the run plays (`--lesson`). */
  lesson?: RunLesson;
  /** Where the run's queries keep their checkpoints; without it they are kept in memory. */
  checkpointDir?: string;
  /** Forget the saved state in `checkpointDir` before the run starts. */
  fresh?: boolean;
}

/** Runs the file; resolves with the exit code. */
export async function runPipelineFile(options: RunCommandOptions, config: RuntimeConfig, services: JobServices, io: { out(line: string): void; err(line: string): void }): Promise<number> {
  let entryContent: string;
  try {
    entryContent = readFileSync(options.file, 'utf8');
  } catch {
    io.err(`streamlab run: cannot read ${options.file}`);
    return 2;
  }
  const dir = dirname(options.file);
  const entry = basename(options.file);
  const files = [{ path: entry, content: entryContent }];
  for (const name of readdirSync(dir).sort()) {
    if (name === entry || !name.endsWith('.ts') || name.endsWith('.test.ts') || name.endsWith('.d.ts')) continue;
    files.push({ path: name, content: readFileSync(join(dir, name), 'utf8') });
  }
  // A run killed between a checkpoint file's write and its rename left a hidden temporary file.
  if (options.checkpointDir) removeInterruptedWrites(options.checkpointDir);
  if (options.fresh && options.checkpointDir) {
    const removed = await resetCheckpoints(options.checkpointDir);
    io.err(`streamlab run: forgot the saved state of ${removed} ${removed === 1 ? 'query' : 'queries'} (${options.checkpointDir})`);
  }
  const mode = options.manual ? 'manual' : 'system';
  const plan = options.lesson?.plan;
  const topics = LessonRunData.plays(plan) ? new TopicsService(services.kafka, config.topicPrefix) : null;
  let dataFailed = false;
  const data = plan && topics ? new LessonRunData(plan, topics, mode, (m) => {
    dataFailed = true;
    io.err(`streamlab run: ${m}`);
  }) : null;
  let batches = 0;
  let failed = false;
  let run: JobRun | null = null;
  let stopping = false;
  const ended = new Promise<void>((resolve) => {
    const onEvent = (e: ServerEvent): void => {
      switch (e.kind) {
        case 'run.log':
          for (const line of e.text.replace(/\n$/, '').split('\n')) (e.level === 'error' || e.level === 'warn' ? io.err : io.out)(line);
          break;
        case 'run.batch': {
          batches++;
          io.out(batchLine(e));
          if (options.maxBatches !== undefined && batches >= options.maxBatches && !stopping) {
            stopping = true;
            void run?.stop();
          }
          break;
        }
        case 'run.error': {
          failed = true;
          const where = e.file ? `${e.file}:${e.line}:${e.column}: ` : '';
          io.err(`${where}${e.message}`);
          const frames = e.stack.split('\n').slice(1);
          for (const f of frames) io.err(f);
          if (options.noKafkaHint && /kafka/i.test(e.message)) io.err(options.noKafkaHint);
          break;
        }
        case 'run.status':
          if (e.state === 'running' && options.untilIdle && !stopping) {
            stopping = true;
            void (data ? allPlayed(data, mode, () => dataFailed || Boolean(run?.isOver())) : Promise.resolve()).then(() => run?.drain()).then(() => run?.stop(), () => run?.stop());
          }
          if (e.state === 'stopped' || e.state === 'finished' || e.state === 'failed') {
            data?.stop();
            resolve();
          }
          break;
        default:
          break;
      }
    };
    run = new JobRun({
      runId: 'cli', files, entry, mode, maxRows: Math.min(DEFAULT_ROWS_PER_BATCH, config.limits.maxRowsPerBatch), limits: config.limits,
      services: { ...services, ...(config.topicPrefix ? { topicPrefix: config.topicPrefix } : {}), ...options.lesson?.services }, models: options.lesson?.models ?? [], onEvent,
      ...(options.checkpointDir ? { checkpointDir: options.checkpointDir } : {}),
      ...data?.jobOptions(),
    });
  });
  const onSignal = () => void run?.stop();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (data) {
      // The lesson's topics and the records due at the start are in Kafka before the learner's code runs.
      try {
        const cleared = await data.prepare();
        io.err(`streamlab run: playing lesson ${options.lesson!.id}'s data: ${data.progress().total} records into ${[...new Set(plan!.datasets.map((d) => d.topic))].join(', ')}${mode === 'manual' ? ', each as the manual clock reaches its arrival' : ''}`);
        const forgot = options.checkpointDir ? await forgetStateOfEmptiedTopics(cleared, options.checkpointDir) : null;
        if (forgot) io.err(`streamlab run: ${forgot}`);
      } catch (e) {
        io.err(`streamlab run: the lesson's data could not be prepared: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    await run!.start();
    await ended;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    data?.stop();
    await topics?.close().catch(() => undefined);
  }
  return failed ? 1 : 0;
}

/**
 * Resolves once the system clock's player has produced every record (the manual clock plays on steps),
 * or as soon as `givenUp()` says no more will come (a produce failed, the run ended).
 */
async function allPlayed(data: LessonRunData, mode: 'manual' | 'system', givenUp: () => boolean): Promise<void> {
  if (mode === 'manual') return;
  for (;;) {
    const { produced, total } = data.progress();
    if (produced >= total || givenUp()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The one line printed per batch: what went in and out, and the watermark the batch ran with. */
function batchLine(e: ServerMessageOf<'run.batch'>): string {
  if (e.api === 'dstream') {
    // Input streams of one name read the same topics (a job that creates its stream once per output):
    // the batch received those records once.
    const byName = new Map<string, number>();
    for (const i of e.trace.inputs) byName.set(i.name, Math.max(byName.get(i.name) ?? 0, i.records));
    return `[batch ${e.batchId} ${e.trace.batchTime}] ${[...byName.values()].reduce((n, r) => n + r, 0)} input rows`;
  }
  const watermark = e.trace.watermark ? `, watermark ${new Date(e.trace.watermark.beforeMs).toISOString()}` : '';
  return `[batch ${e.batchId}${e.queryName ? ` ${e.queryName}` : ''}] ${e.progress.numInputRows} input rows, ${e.totalRows} output rows${watermark}`;
}
