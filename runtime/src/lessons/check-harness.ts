/**
 * What a lesson's `check.test.ts` is written with. The checks run in a trusted vitest process that never
 * evaluates learner code: the submission (and, for the expected results of random cases, the lesson's
 * own solution) runs in sandboxed job processes in check mode, driven from here in the spirit of
 * Spark's `testStream`:
 *
 *   const { check, submission, solution, random } = lessonChecks(import.meta.dirname);
 *
 *   check('update-averages', 'averages each sensor over one-minute windows (update mode)', async () => {
 *     const rows = (p: Program) => p.run({ start: '2026-11-21T10:00:00Z', topics: { readings: 1 } }, async (s) => {
 *       const q = await s.startStream(await s.dataFrame('temperatureWindows', s.spark), 'update');
 *       await s.addData('readings', ['{"node_name":"sensor-1",…}']);   // one Kafka append
 *       await s.advanceClock('10 seconds');                                // the manual clock
 *       await q.processAllAvailable();
 *       return q.batches();                                                // rows written per batch
 *     });
 *     expectRows('the windows your query wrote', table(await rows(submission)), table(await rows(solution)));
 *   });
 *
 * A check passes when its body returns; `expectRows`/`expectLines`/`fail` fail it with a message in the
 * learner's words and, for rows, a diff (missing, unexpected) the workbench draws as a table. An error
 * in the learner's code fails it with the learner's message and line.
 */
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { readFile } from 'node:fs/promises';
import { it } from 'vitest';
import type { LearnerFile } from '../jobs/compile.js';
import type { JobModel } from '../jobs/ipc.js';
import { nodeModelFiles } from '../connectors/ml/node-model-files.js';
import { readSavedModel } from '../connectors/ml/saved-model-reader.js';
import { openCheckDatabase } from './check-database.js';
import { checkPointsProblems } from './check-points.js';
import { asFailure, hash, ms, ProgramBase, Sandbox, seededRandom, type LessonChecks, type PlanSummary, type World } from './check-core.js';
import { CheckSandbox, compileProgram, defaultLimits, killAllSandboxes, type CompiledProgram } from './check-sandbox.js';
import { ownFolders, watchGrader } from './grader-watch.js';
import { splitFrontMatter } from './load-lessons.js';
import { HIDDEN_SEED_ENV, readLearnerFiles, SEED_ENV, SKIP_CHECKS_ENV, submissionFiles, SUBMISSION_ENV } from './submission-files.js';

export { HIDDEN_SEED_ENV, SEED_ENV } from './submission-files.js';
export {
  ActorSystemRef, CheckFailure, ContextRef, ControlRef, DataFrameRef, expectLines, expectRows, fail, faultLines, LearnerCodeError, MeterRef, QueryRef, Sandbox,
  seededRandom, StreamRef,
  type CheckFailureInfo, type CheckRecord, type CheckSasl, type Fault, type LessonChecks, type PlanSummary, type Random, type RowDiff, type SparkArg, type World,
} from './check-core.js';

declare module 'vitest' {
  interface TaskMeta {
    /** The check's stable identity (see `lessonChecks().check`). */
    checkId?: string;
    /** The submission's plans the checks saw so far, by function (the reporter hands them to the grader). */
    plans?: Record<string, PlanSummary>;
  }
}


/** The submission or the lesson's solution. */
export class Program extends ProgramBase {
  private compiled: Promise<CompiledProgram> | null = null;

  constructor(
    label: string,
    private readonly load: () => Promise<{ files: LearnerFile[]; entry: string }>,
    private readonly models: (names: readonly string[]) => Promise<JobModel[]> = async () => [],
  ) {
    super(label);
  }

  /** The compiled program (compiled once). */
  program(): Promise<CompiledProgram> {
    this.compiled ??= this.load().then(({ files, entry }) => compileProgram(this.label, files, entry));
    return this.compiled;
  }

  /** Opens a sandbox on `world`, runs `body` in it and closes it, whatever happens. */
  async run<T>(world: World, body: (s: Sandbox) => Promise<T>): Promise<T> {
    const models = world.models?.length ? await this.models(world.models) : undefined;
    const program = await this.program();
    const db = world.database ? await openCheckDatabase() : null;
    const lake = world.lake ? writeLake(world.lake) : null;
    try {
      const sandbox = await CheckSandbox.open(program, { startMs: ms(world.start), topics: world.topics, ...(models ? { models } : {}), ...(db ? { database: db.sandboxUrl } : {}), ...(world.sasl ? { sasl: world.sasl } : {}), ...(lake ? { dataDir: lake } : {}) }, defaultLimits());
      try {
        return await body(new Sandbox(sandbox, this, db));
      } finally {
        await sandbox.close();
      }
    } finally {
      if (lake) {
        rmSync(lake, { recursive: true, force: true });
        ownFolders.delete(lake);
      }
      await db?.close();
    }
  }

  protected compiledFiles(): Promise<{ files: readonly LearnerFile[]; entry: string } | null> {
    return this.program();
  }
}

/** Sets up a lesson's checks; call once at the top of `check.test.ts` with `import.meta.dirname`. */
export function lessonChecks(lessonDir: string, env: Readonly<Record<string, string | undefined>> = process.env): LessonChecks<Program> {
  // Graded: the checks end with the grader, even one killed outright.
  watchGrader(killAllSandboxes, env);
  const seedFrom = (text: string | undefined) => (text && /^\d+$/.test(text) ? Number(text) >>> 0 : randomBytes(4).readUInt32BE(0));
  const seed = seedFrom(env[SEED_ENV]);
  const hiddenSeed = seedFrom(env[HIDDEN_SEED_ENV]);
  // The lesson's saved models, read here (the sandbox reads no files) once, and sent with each sandbox.
  const cache = new Map<string, Promise<JobModel>>();
  const models = (names: readonly string[]) => Promise.all(names.map((name) => {
    let m = cache.get(name);
    if (!m) cache.set(name, (m = readSavedModel(nodeModelFiles(), join(lessonDir, name)).then((model) => ({ name, model }))));
    return m;
  }));
  const solution = new Program('the solution', async () => ({ files: (await readLearnerFiles(lessonDir)).filter((f) => f.path !== 'starter.ts'), entry: 'solution.ts' }), models);
  const submission = env[SUBMISSION_ENV] ? new Program('yours', () => submissionFiles(lessonDir, env), models) : solution;
  submission.plans = new Map();
  const memos = new Map<string, Promise<unknown>>();
  const points = frontMatterPoints(lessonDir);
  const declared: string[] = [];
  const skipped = new Set((env[SKIP_CHECKS_ENV] ?? '').split(',').filter(Boolean));
  return {
    submission,
    solution,
    seed,
    random: (label) => seededRandom(seed ^ hash(label)),
    hiddenRandom: (label) => seededRandom(hiddenSeed ^ hash(label)),
    memo<T>(key: string, fn: () => Promise<T>): Promise<T> {
      let p = memos.get(key) as Promise<T> | undefined;
      if (!p) memos.set(key, (p = fn()));
      return p;
    },
    check(id, title, body) {
      declared.push(id);
      const problem = checkPointsProblems(declared, points).find((p) => p.startsWith(`check "${id}" `));
      if (problem) throw new Error(`${problem}: give it points there, or keep its old id`);
      (skipped.has(id) ? it.skip : it)(title, { meta: { checkId: id } }, async ({ task }) => {
        submission.lastCalled = null;
        try {
          await body();
        } catch (e) {
          throw await asFailure(e, submission, solution);
        } finally {
          // The reporter (in vitest's main process) reads the submission's plans from here.
          if (submission.plans && submission.plans.size > 0) task.meta.plans = Object.fromEntries(submission.plans);
        }
      });
    },
  };
}

/** The points of the lesson's front matter, by check id (`{}` when it gives none). */
function frontMatterPoints(lessonDir: string): Record<string, number> {
  const { data } = splitFrontMatter(readFileSync(join(lessonDir, 'lesson.md'), 'utf8'), 'lesson.md');
  const points = (data as { points?: unknown } | null)?.points;
  return points && typeof points === 'object' ? points as Record<string, number> : {};
}

/** Writes a world's lake into a new folder (files by path inside it); its path. */
function writeLake(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'streamlab-check-lake-'));
  ownFolders.add(dir);
  for (const [path, text] of Object.entries(files)) {
    const file = join(dir, path);
    if (!file.startsWith(`${dir}/`)) throw new Error(`A lake file must stay inside the lake: ${path}`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return dir;
}

/** Reads a lesson file the check needs (fixtures beside it). */
export function lessonFile(lessonDir: string, name: string): Promise<string> {
  return readFile(`${lessonDir}/${name}`, 'utf8');
}
