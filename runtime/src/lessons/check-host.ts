/**
 * What a lesson's `check.test.ts` runs the learner's code against: a ManualClock, a Kafka wired into
 * every layer (see check-kafka.ts: in memory, or the run's broker when `STREAMLAB_KAFKA` is set), and
 * an active SparkSession whose printed text is captured. The learner's files are compiled with the
 * runtime's own compiler (esbuild, `streamlab` external) and evaluated with `require("streamlab")`
 * bound to the very module instance the check uses, so the host's session is the one
 * `getOrCreate()` returns.
 */
import { compileLearnerFiles, type LearnerFile } from '../jobs/compile.js';
import { ManualClock } from '../engine/clock.js';
import { SparkSession } from '../engine/structured/session.js';
import { StreamingContext } from '../engine/dstream/streaming-context.js';
import * as streamlab from '../streamlab.js';
import { brokerCheckKafka, memoryCheckKafka, type CheckKafka } from './check-kafka.js';
import { submissionFiles } from './submission-files.js';

/** Env variable naming the Kafka bootstrap servers checks run on (in memory when unset). */
export const CHECK_KAFKA_ENV = 'STREAMLAB_KAFKA';

/** Options of {@link createCheckHost}. */
export interface CheckHostOptions {
  /** Processing time the clock starts at, epoch ms. */
  startMs: number;
  /** Topics to create up front with their partition counts. */
  topics?: Record<string, number>;
  /** The check process's environment (default `process.env`): `STREAMLAB_KAFKA` picks a real broker. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** One check's world. */
export interface CheckHost {
  readonly clock: ManualClock;
  readonly kafka: CheckKafka;
  readonly spark: SparkSession;
  /** Text the learner's code printed (console.log, console sink, pprint), in order. */
  readonly output: string[];
  /** The printed text joined as it appeared on stdout. */
  text(): string;
  /** A StreamingContext on the host's clock and Kafka, with pprint captured. */
  streamingContext(batchSeconds: number): StreamingContext;
  /** Evaluates the submission in this host and returns its exports. */
  load<T>(): T;
  /** Stops every query and context this host started and closes its Kafka clients. */
  close(): Promise<void>;
}

/** The compiled submission (CommonJS). */
export interface CompiledSubmission {
  code: string;
  entry: string;
}

/** Compiles the submission named by the environment (or the lesson's solution). */
export async function compileSubmission(lessonDir: string, env: Readonly<Record<string, string | undefined>>): Promise<CompiledSubmission> {
  const { files, entry } = await submissionFiles(lessonDir, env);
  return compileFiles(files, entry);
}

/** Compiles learner files; throws an Error whose message is the learner-facing compile error. */
export async function compileFiles(files: readonly LearnerFile[], entry: string): Promise<CompiledSubmission> {
  const result = await compileLearnerFiles(files, entry);
  if (!result.ok) throw new Error(`Your code does not compile: ${result.error.stack}`);
  return { code: result.pipeline.code, entry };
}

function formatArgs(args: unknown[]): string {
  return args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? a.stack ?? a.message : JSON.stringify(a) ?? String(a))).join(' ');
}

/** Creates a fresh host; `submission` is evaluated on `load()`. */
export async function createCheckHost(submission: CompiledSubmission, options: CheckHostOptions): Promise<CheckHost> {
  const clock = new ManualClock(options.startMs);
  const env = options.env ?? process.env;
  const brokers = env[CHECK_KAFKA_ENV];
  const kafka = brokers ? await brokerCheckKafka(brokers, clock, options.topics ?? {}) : memoryCheckKafka(clock, options.topics ?? {});
  const output: string[] = [];
  const print = (line: string) => output.push(line.endsWith('\n') ? line : `${line}\n`);
  await SparkSession.getActiveSession()?.stop();
  const spark = SparkSession.builder.appName('check').clock(clock).output(print).create();
  const contexts: StreamingContext[] = [];
  const learnerConsole = { ...globalThis.console, log: (...a: unknown[]) => print(formatArgs(a)), info: (...a: unknown[]) => print(formatArgs(a)) };
  return {
    clock,
    kafka,
    spark,
    output,
    text: () => output.join(''),
    streamingContext(batchSeconds) {
      const ssc = new StreamingContext(spark.sparkContext, batchSeconds, { clock, kafka: kafka.dstream, stdout: print });
      contexts.push(ssc);
      return ssc;
    },
    load<T>(): T {
      const module = { exports: {} as Record<string, unknown> };
      const require = (name: string): unknown => {
        if (name === 'streamlab') return streamlab;
        throw new Error(`Cannot import "${name}" in a lesson submission`);
      };
      // The compiled code is CommonJS; `console` is the host's so printed lines are captured per check.
      const run = new Function('require', 'module', 'exports', 'console', submission.code) as (...a: unknown[]) => void;
      run(require, module, module.exports, learnerConsole);
      return module.exports as T;
    },
    async close() {
      for (const ssc of contexts) ssc.stop(false);
      await spark.stop();
      await kafka.close();
    },
  };
}
