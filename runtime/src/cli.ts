/**
 * The `streamlab` command line. `main(argv)` returns the process exit code; errors are one clear line
 * on stderr and a non-zero code.
 *
 *   streamlab [start] [--port N] [--host H] [--kafka H:P] [--kafka-sasl H:P] [--pg URL] [--data-dir DIR] [--lessons DIR] [--no-open] [--token T] [--isolate-learners]
 *   streamlab run FILE.ts [--kafka H:P] [--pg URL] [--data-dir DIR] [--max-batches N] [--until-idle] [--manual] [--lesson ID] [--fresh]
 *   streamlab topics list|create|delete|tail|produce ...
 *   streamlab broker ...          (the embedded Kafka-protocol broker on its own)
 *   streamlab export --lesson ID [--file F.ts] [--out job.py] [--k8s app.yaml]
 *   streamlab grade --lesson NN (--file F.ts | --dir DIR) [--seed N] [--hidden-seed N] [--jobs N] [--json F] [--junit F] [--csv F] [--state F] [--fresh] [--feedback DIR] [--self-check] [--pg URL]
 */
import { dirname, join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, loadConfig, type ConfigInput } from './config.js';

const HELP: Record<string, string> = {
  main: `Usage: streamlab <command> [options]

Commands:
  start     Start the runtime and the workbench (the default command)
  run       Run a pipeline file headless
  topics    List, create, delete, tail and produce to Kafka topics
  broker    Run the embedded Kafka-protocol broker on its own
  grade     Grade submissions against a lesson's checks
  export    Export a pipeline to a PySpark program for a real Spark cluster

Run 'streamlab <command> --help' for a command's options.`,
  export: `Usage: streamlab export --lesson ID [--file submission.ts] [--out job.py] [--k8s app.yaml]

Writes the lesson's solution (or the given file) as a PySpark program, with the spark-submit line
for the Kafka connector and the PostgreSQL driver. Functions with no PySpark equivalent become
marked stubs, listed on stderr.

Options:
  --lesson ID      Lesson number or folder name
  --file F.ts      Export this file instead of the lesson's solution
  --out job.py     Write the program to a file (default: stdout)
  --k8s app.yaml   Also write the job for Spark on Kubernetes: a claim for its checkpoints, a ConfigMap
                   with the program (using the classroom's Kafka and PostgreSQL) and a SparkApplication
                   for the Spark operator
  --namespace NS   (with --k8s) the namespace (default streamlab)
  --kafka H:P      (with --k8s) Kafka inside the cluster (default kafka.streamlab.svc.cluster.local:9092)
  --jdbc-url URL   (with --k8s) PostgreSQL inside the cluster (default the classroom's, user streamlab;
                   the password comes from the streamlab-secrets Secret as PGPASSWORD)
  -h, --help       Show this help`,
  grade: `Usage: streamlab grade --lesson NN (--file submission.ts | --dir submissions/) [options]

Runs a lesson's checks against one submission (--file) or a folder with one file or folder per
student (--dir), prints each check and ends with 'N passed, M failed'. Exits 0 only if all pass.

Options:
  --lesson NN      Lesson number or folder name (e.g. 03 or 03-structured-windows)
  --file F.ts      One submission
  --dir DIR        A folder of submissions, one .ts file or sub-folder per student
  --jobs N         With --dir: grade N submissions at once (default and most: one per CPU, as many
                   as the free memory holds)
  --seed N         The seed of the visible checks' random cases (default: a fresh one; printed)
  --hidden-seed N  The seed of the hidden checks' inputs (default: a fresh one; printed, never in
                   the students' feedback). Both seeds of a grade reproduce it
  --json F         Also write the results as JSON
  --junit F        Also write JUnit XML
  --csv F          With --dir: one row per student (passed, total, points, each check)
  --state F        With --dir: what was graded so far (default: beside the CSV, grades.state.jsonl);
                   run the same command again after an interruption to go on from there
  --fresh          With --dir: grade every submission again, ignoring the state
  --feedback DIR   With --dir: one <student>.txt per student as they may see it (hidden checks
                   show only their category)
  --self-check     With --file: the visible checks only, as the learner sees them; not a grade
  --lessons DIR    Lessons folder (default: the lessons shipped with Streamlab)
  --pg URL         PostgreSQL for lessons whose checks write tables (env STREAMLAB_PG; default: an
                   embedded one for the run). Each check gets a schema and a role of its own there.
  -h, --help       Show this help`,
  start: `Usage: streamlab start [options]

Starts the runtime, an embedded Kafka broker and an embedded PostgreSQL (unless real ones are given),
serves the workbench and prints one line: Streamlab ready: http://127.0.0.1:PORT/?token=TOKEN

Options:
  --port N         Port to listen on (default 5170; a free one when taken)
  --host H         Interface to bind (default 127.0.0.1)
  --kafka H:P      Use this Kafka instead of the embedded broker (env STREAMLAB_KAFKA)
  --kafka-sasl H:P That Kafka's SASL_PLAINTEXT listener, where the lessons' users exist
                   (env STREAMLAB_KAFKA_SASL)
  --pg URL         Use this PostgreSQL instead of the embedded one (env STREAMLAB_PG)
  --data-dir DIR   Keep the embedded services' data here (default: temporary)
  --lessons DIR    Lessons directory (default: the repository's lessons/)
  --token T        Use this token instead of a random one (env STREAMLAB_TOKEN)
  --no-open        Do not open a browser
  --isolate-learners
                   Several learners share this runtime: each browser session gets topics, saved
                   query state and a PostgreSQL schema and role of its own, removed when it ends
                   (env STREAMLAB_ISOLATE_LEARNERS=1)
  -h, --help       Show this help`,
  run: `Usage: streamlab run FILE.ts [options]

Runs a pipeline headless in an isolated job process, printing console output and one line per batch.
Other .ts files beside FILE.ts can be imported with relative paths.

Without --kafka and --pg it uses the services of the running 'streamlab start' of the same data
directory (--data-dir, or the default one of a start without it).

Options:
  --kafka H:P        Kafka for the pipeline's Kafka sources and sinks (env STREAMLAB_KAFKA)
  --pg URL           PostgreSQL for the pipeline's sinks (env STREAMLAB_PG)
  --data-dir DIR     Find the running 'streamlab start --data-dir DIR' (env STREAMLAB_DATA_DIR);
                     checkpoints are kept in its checkpoints/<lesson> (or checkpoints/_scratch)
                     folder, where the workbench's runs keep theirs
  --max-batches N    Stop after N batches
  --until-idle       Process the data available now, then stop (with --lesson: once the lesson's
                     data has all been played)
  --manual           Run on a manual clock starting at 0, or at the lesson's time with --lesson
                     (processing-time triggers never fire)
  --lesson ID        Play the lesson's data into its topics as Run in the workbench does (making the
                     topics first), and give the run the lesson's models and Kafka settings
  --fresh            Forget the saved state (checkpoints) first: queries start from their
                     startingOffsets again
  -h, --help         Show this help`,
  topics: `Usage: streamlab topics <action> [TOPIC] [options]

Actions:
  list                         Topics and their partition counts
  create TOPIC [--partitions N]
  delete TOPIC
  tail TOPIC [--from earliest|latest]   Print records (partition, offset, key, value) until Ctrl-C
  produce TOPIC [--key K] [VALUE ...]   Produce the values, or one record per line of stdin

Options:
  --kafka H:P      Kafka to talk to (env STREAMLAB_KAFKA); without it, the Kafka of the running
                   'streamlab start' of the same data directory
  --data-dir DIR   Find the running 'streamlab start --data-dir DIR' (env STREAMLAB_DATA_DIR)
  -h, --help       Show this help`,
};

type Io = { out(line: string): void; err(line: string): void };
const stdio: Io = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) };

/** Runs the command line; resolves with the exit code. */
export async function main(argv: string[], io: Io = stdio): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first.startsWith('-')) {
    if (first === '-h' || first === '--help') return help('main', io);
    if (first === '--version' || first === '-v') {
      io.out('streamlab 0.1.0');
      return 0;
    }
    return start(argv, io);
  }
  try {
    switch (first) {
      case 'start':
        return await start(rest, io);
      case 'run':
        return await run(rest, io);
      case 'topics':
        return await topics(rest, io);
      case 'broker':
        return await broker(rest, io);
      case 'export': {
        if (rest.includes('-h') || rest.includes('--help')) return help('export', io);
        const { runExportCommand } = await import('./export/index.js');
        return await runExportCommand(rest);
      }
      case 'grade': {
        if (rest.includes('-h') || rest.includes('--help')) return help('grade', io);
        const { runGradeCommand } = await import('./lessons/grade-command.js');
        // A terminal gets one progress line that updates in place; a pipe or a log gets plain lines.
        const tty = io === stdio && process.stderr.isTTY;
        const status = (t: string) => process.stderr.write(`\r\u001b[K${t.slice(0, Math.max(20, (process.stderr.columns || 100) - 1))}`);
        return await runGradeCommand(rest, {
          stdout: (t) => io.out(t.replace(/\n$/, '')), stderr: (t) => io.err(t.replace(/\n$/, '')), interruptible: io === stdio, ...(tty ? { status } : {}),
        });
      }
      case 'help':
        return help(rest[0] && HELP[rest[0]] ? rest[0] : 'main', io);
      default:
        io.err(`streamlab: unknown command '${first}'. Try: streamlab --help`);
        return 2;
    }
  } catch (e) {
    io.err(`streamlab ${first}: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

function help(topic: string, io: Io): number {
  io.out(HELP[topic] ?? HELP.main!);
  return 0;
}

function parse<T extends NonNullable<ParseArgsConfig['options']>>(command: string, args: string[], options: T, io: Io) {
  try {
    return parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    const message = e instanceof Error ? e.message.split('\n')[0]!.replace(/\. To specify a positional.*$/, '') : String(e);
    io.err(`streamlab ${command}: ${message}. Try: streamlab ${command} --help`);
    return null;
  }
}

function config(command: string, overrides: ConfigInput, io: Io): ReturnType<typeof loadConfig> | null {
  try {
    return loadConfig(overrides);
  } catch (e) {
    if (e instanceof ConfigError) {
      io.err(`streamlab ${command}: ${e.message}`);
      return null;
    }
    throw e;
  }
}

function int(command: string, name: string, value: string | undefined, io: Io): number | undefined | null {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    io.err(`streamlab ${command}: --${name} must be a non-negative integer, got '${value}'`);
    return null;
  }
  return n;
}

async function start(args: string[], io: Io): Promise<number> {
  const parsed = parse('start', args, {
    port: { type: 'string' }, host: { type: 'string' }, kafka: { type: 'string' }, 'kafka-sasl': { type: 'string' }, pg: { type: 'string' },
    'data-dir': { type: 'string' }, lessons: { type: 'string' }, token: { type: 'string' }, 'no-open': { type: 'boolean' },
    'isolate-learners': { type: 'boolean' },
  }, io);
  if (!parsed) return 2;
  const v = parsed.values;
  if (v.help) return help('start', io);
  if (parsed.positionals.length > 0) {
    io.err(`streamlab start: unexpected argument '${parsed.positionals[0]}'. Try: streamlab start --help`);
    return 2;
  }
  const port = int('start', 'port', v.port as string | undefined, io);
  if (port === null) return 2;
  const cfg = config('start', {
    port, host: v.host as string | undefined, kafka: v.kafka as string | undefined, kafkaSasl: v['kafka-sasl'] as string | undefined, pg: v.pg as string | undefined,
    dataDir: v['data-dir'] as string | undefined, lessonsDir: v.lessons as string | undefined, token: v.token as string | undefined,
    open: v['no-open'] ? false : undefined, isolateLearners: v['isolate-learners'] ? true : undefined,
  }, io);
  if (!cfg) return 2;
  const { startRuntime } = await import('./server/start-command.js');
  let runtime;
  try {
    runtime = await startRuntime(cfg, io);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    io.err(`streamlab start: ${code === 'EADDRINUSE' ? `port ${cfg.port} is in use` : code === 'EADDRNOTAVAIL' ? `cannot listen on ${cfg.host}` : e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await runtime.close();
  return 0;
}

async function run(args: string[], io: Io): Promise<number> {
  const parsed = parse('run', args, {
    kafka: { type: 'string' }, pg: { type: 'string' }, 'data-dir': { type: 'string' }, 'max-batches': { type: 'string' }, 'until-idle': { type: 'boolean' }, manual: { type: 'boolean' },
    lesson: { type: 'string' }, fresh: { type: 'boolean' },
  }, io);
  if (!parsed) return 2;
  const v = parsed.values;
  if (v.help) return help('run', io);
  const lessonId = v.lesson as string | undefined;
  const file = parsed.positionals[0];
  if (!file || parsed.positionals.length > 1 || !file.endsWith('.ts')) {
    io.err('streamlab run: give exactly one pipeline file ending in .ts. Try: streamlab run --help');
    return 2;
  }
  const maxBatches = int('run', 'max-batches', v['max-batches'] as string | undefined, io);
  if (maxBatches === null) return 2;
  const cfg = config('run', { kafka: v.kafka as string | undefined, pg: v.pg as string | undefined, dataDir: v['data-dir'] as string | undefined }, io);
  if (!cfg) return 2;
  const { pg: admin, ...services } = await runningServices(cfg);
  // Learner code reaches PostgreSQL as the learner role, here as in the workbench, never as the admin.
  const { learnerUrl } = await import('./connectors/postgres/restricted-role.js');
  const pg = admin ? await learnerUrl(admin, io.err) : undefined;
  const { noKafkaLine, runtimeStateFile } = await import('./server/runtime-state.js');
  const { runPipelineFile, lessonForRun } = await import('./jobs/run-command.js');
  let lesson;
  if (lessonId !== undefined) {
    lesson = await lessonForRun(lessonId, cfg, services);
    if (typeof lesson === 'string') {
      io.err(`streamlab run: ${lesson}`);
      return 2;
    }
  }
  // Beside the data directory's other state (the default one without --data-dir), in the lesson's
  // folder, or that of runs outside a lesson: where the workbench's runs keep theirs.
  const { lessonCheckpointDir } = await import('./checkpoint/learner-checkpoints.js');
  const checkpointDir = lessonCheckpointDir(join(dirname(runtimeStateFile(cfg.dataDir)), 'checkpoints'), lesson?.id);
  return runPipelineFile(
    {
      file, ...(maxBatches !== undefined ? { maxBatches } : {}), untilIdle: Boolean(v['until-idle']), manual: Boolean(v.manual),
      ...(services.kafka ? {} : { noKafkaHint: noKafkaLine('run', cfg.dataDir) }),
      ...(lesson ? { lesson } : {}),
      checkpointDir, fresh: Boolean(v.fresh),
    },
    cfg,
    { ...services, ...(pg ? { pg } : {}) },
    io,
  );
}

async function topics(args: string[], io: Io): Promise<number> {
  const parsed = parse('topics', args, {
    kafka: { type: 'string' }, 'data-dir': { type: 'string' }, partitions: { type: 'string' }, from: { type: 'string' }, key: { type: 'string' },
  }, io);
  if (!parsed) return 2;
  const v = parsed.values;
  const [action, topic, ...values] = parsed.positionals;
  if (v.help || !action) return help('topics', io);
  const partitions = int('topics', 'partitions', v.partitions as string | undefined, io);
  if (partitions === null) return 2;
  const from = (v.from as string | undefined) ?? 'latest';
  if (from !== 'earliest' && from !== 'latest') {
    io.err(`streamlab topics: --from must be earliest or latest, got '${from}'`);
    return 2;
  }
  const cfg = config('topics', { kafka: v.kafka as string | undefined, dataDir: v['data-dir'] as string | undefined }, io);
  if (!cfg) return 2;
  const { kafka } = await runningServices(cfg);
  if (!kafka) {
    const { noKafkaLine } = await import('./server/runtime-state.js');
    io.err(noKafkaLine('topics', cfg.dataDir));
    return 2;
  }
  const { runTopicsCommand } = await import('./server/topics-command.js');
  return runTopicsCommand({ action, topic, partitions: partitions ?? 1, from, key: v.key as string | undefined, values }, kafka, io);
}

/** The services a command uses: the ones given (flags, env), else those of the running `streamlab start` of the same data directory. */
async function runningServices(cfg: { kafka?: string; pg?: string; dataDir?: string }): Promise<{ kafka?: string; pg?: string }> {
  const { findRunningRuntime } = await import('./server/runtime-state.js');
  const running = cfg.kafka && cfg.pg ? null : findRunningRuntime(cfg.dataDir);
  const kafka = cfg.kafka ?? running?.kafka;
  const pg = cfg.pg ?? running?.pg;
  return { ...(kafka ? { kafka } : {}), ...(pg ? { pg } : {}) };
}

async function broker(args: string[], io: Io): Promise<number> {
  let mod: { runBrokerCommand?: (argv: string[]) => Promise<number> };
  try {
    mod = await import('./broker/index.js');
  } catch {
    mod = {};
  }
  if (typeof mod.runBrokerCommand !== 'function') {
    io.err('streamlab broker: the embedded Kafka broker is missing in this build; point Streamlab at a real Kafka with --kafka host:port.');
    return 1;
  }
  return mod.runBrokerCommand(args);
}
