/**
 * Export to PySpark: a learner's program (what its `main()` would start) as a runnable PySpark
 * script, with the `spark-submit` line to run it on a real cluster. TypeScript functions with no
 * PySpark equivalent become marked stubs, listed at the top of the script and in `stubs`.
 *
 *   exportPySpark(program)                 CapturedProgram → { code, stubs }
 *   exportProgramFiles(files, entry)       learner files → { code, stubs }
 *   runExportCommand(argv)                 `streamlab export --lesson ID [--file f.ts] [--out job.py] [--k8s app.yaml]`
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { SHIPPED_LESSONS_DIR } from '../runtime-paths.js';
import type { LearnerFile } from '../jobs/compile.js';
import type { JobModel } from '../jobs/ipc.js';
import { provideSavedModel } from '../engine/ml/saved-model.js';
import { nodeModelFiles } from '../connectors/ml/node-model-files.js';
import { readSavedModel } from '../connectors/ml/saved-model-reader.js';
import { findLesson, loadLessons } from '../lessons/load-lessons.js';
import { readLearnerFiles } from '../lessons/submission-files.js';
import { compileLearnerFiles } from '../jobs/compile.js';
import { captureProgram } from './capture.js';
import { exportPySpark, type ExportOptions, type PySparkExport } from './pyspark-program.js';
import { exportInChildProcess } from './isolated-export.js';
import { k8sName, scriptForCluster, sparkApplicationManifest } from './spark-application.js';

export type { CapturedProgram, QuerySpec, NamedPipeline } from './capture.js';
export { captureProgram, captureStarts, evaluateProgram, ProgramTimers } from './capture.js';
export { exportPySpark, type ExportOptions, type PySparkExport } from './pyspark-program.js';
export { columnCode, sqlText } from './column-code.js';
export { planChain, type PlanContext } from './plan-code.js';
export { StubCollector, type Stub } from './python-text.js';
export { DSTREAM_KAFKA_SPARK_VERSION, dstreamKafkaSubmitLine, plainSubmitLine, POSTGRES_JDBC_VERSION, SPARK_VERSION, sparkSubmitLine } from './versions.js';
export { dstreamCode, dstreamStatements, usesKafkaUtils, type DStreamCodeOptions } from './dstream-export.js';
export { CLASSROOM_TARGET, k8sName, scriptForCluster, SPARK_IMAGE, sparkApplicationManifest, type ClusterTarget } from './spark-application.js';

/** Compiles files into a CommonJS module body; throws with the learner-facing message. */
export async function compileProgram(files: readonly LearnerFile[], entry: string): Promise<string> {
  const result = await compileLearnerFiles(files, entry);
  if (!result.ok) {
    const { message, file, line, column } = result.error;
    const where = file ? ` (${file}${line !== null ? `:${line}${column !== null ? `:${column}` : ''}` : ''})` : '';
    throw new Error(`The code does not compile: ${message.split('\n')[0]}${where}`);
  }
  return result.pipeline.code;
}

/**
 * Compiles files, runs their `main()` far enough to see what it starts, and exports it, in this
 * process: for the project's own programs (tests). Learner programs go through `exportInChildProcess`.
 */
export async function exportProgramFiles(files: readonly LearnerFile[], entry: string, options: ExportOptions = {}): Promise<PySparkExport> {
  for (const m of options.models ?? []) provideSavedModel(m.name, m.model);
  const code = await compileProgram(files, entry);
  const program = await captureProgram(code);
  return exportPySpark(program, options);
}

function lessonsRoot(): string {
  return SHIPPED_LESSONS_DIR;
}

function flag(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  if (i >= 0) return argv[i + 1];
  const eq = argv.find((a) => a.startsWith(`${name}=`));
  return eq ? eq.slice(name.length + 1) : undefined;
}

/**
 * `streamlab export --lesson ID [--file submission.ts] [--out job.py] [--k8s app.yaml]`: exports the
 * lesson's solution, or the given file, to PySpark; prints the script (or writes it to `--out`) and
 * names every stub on stderr. `--k8s` also writes the job as Kubernetes objects for the Spark operator
 * (a claim for its checkpoints, a ConfigMap with the script, addressed to the classroom's Kafka and PostgreSQL — or `--namespace`,
 * `--kafka`, `--jdbc-url` — and a SparkApplication). Returns the exit code (0, or 1 with a message).
 */
export async function runExportCommand(argv: readonly string[]): Promise<number> {
  const lessonId = flag(argv, '--lesson');
  const file = flag(argv, '--file');
  const out = flag(argv, '--out');
  const k8s = flag(argv, '--k8s');
  if (!lessonId && !file) {
    process.stderr.write('usage: streamlab export --lesson ID [--file submission.ts] [--out job.py] [--k8s app.yaml [--namespace NS] [--kafka HOST:PORT] [--jdbc-url URL]]\n');
    return 1;
  }
  try {
    let files: LearnerFile[];
    let entry: string;
    let title: string;
    const models: JobModel[] = [];
    if (lessonId) {
      const lesson = findLesson(await loadLessons(lessonsRoot()), lessonId);
      for (const name of lesson?.models ?? []) models.push({ name, model: await readSavedModel(nodeModelFiles(), join(lessonsRoot(), lesson!.id, name)) });
    }
    if (file) {
      files = [{ path: basename(file), content: await readFile(file, 'utf8') }];
      entry = basename(file);
      title = lessonId ? `lesson ${lessonId}, ${basename(file)}` : basename(file);
    } else {
      const lesson = findLesson(await loadLessons(lessonsRoot()), lessonId!);
      if (!lesson) throw new Error(`no lesson "${lessonId}" in ${lessonsRoot()}`);
      files = (await readLearnerFiles(join(lessonsRoot(), lesson.id))).filter((f) => f.path !== 'starter.ts');
      entry = 'solution.ts';
      title = `lesson ${lesson.id}`;
    }
    // The program runs in the sandbox, as every learner program does.
    const result = await exportInChildProcess(files, entry, { title, models });
    if (out) {
      await writeFile(out, result.code);
      process.stderr.write(`export: wrote ${out}\n`);
    } else {
      process.stdout.write(result.code);
    }
    for (const line of result.submit) process.stderr.write(`export: run it with: ${line.replace(/ job\.py$/, ` ${out ?? 'job.py'}`)}\n`);
    if (k8s) {
      if (!result.code.includes('.writeStream')) throw new Error('--k8s needs a Structured Streaming job (writeStream…start()); this program has none');
      const name = k8sName(/\.appName\("((?:[^"\\]|\\.)*)"\)/.exec(result.code)?.[1] ?? lessonId ?? 'streamlab-job');
      const target = { ...(flag(argv, '--namespace') ? { namespace: flag(argv, '--namespace')! } : {}), ...(flag(argv, '--kafka') ? { kafka: flag(argv, '--kafka')! } : {}), ...(flag(argv, '--jdbc-url') ? { jdbcUrl: flag(argv, '--jdbc-url')! } : {}) };
      await writeFile(k8s, sparkApplicationManifest({ name, script: scriptForCluster(result.code, target), ...target }));
      process.stderr.write(`export: wrote ${k8s} (PersistentVolumeClaim ${name}-checkpoints, ConfigMap ${name}-job, SparkApplication ${name}); apply it with: kubectl apply -f ${k8s}\n`);
    }
    if (result.stubs.length > 0) {
      process.stderr.write(`export: ${result.stubs.length} stub${result.stubs.length === 1 ? '' : 's'} to write by hand (TypeScript with no PySpark equivalent):\n`);
      for (const s of result.stubs) process.stderr.write(`export:   ${s.name} (${s.where})\n`);
    }
    return 0;
  } catch (error) {
    process.stderr.write(`export: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
