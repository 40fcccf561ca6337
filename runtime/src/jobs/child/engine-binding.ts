/**
 * The seam between a job process and the engine (its pure half is engine-core.ts): which module `require("streamlab")` returns, how the
 * run's clock, output and services reach the engine, and how batches, query failures and activity are
 * observed. Everything engine-specific the job process needs is here.
 *
 *   before the learner's code:  register the connectors with the runtime's services; create the active
 *                               SparkSession on the run's clock with output → run.log and checkpoints on
 *                               disk in the run's checkpoint folder, so the learner's
 *                               `SparkSession.builder.getOrCreate()` returns it
 *   each started query:         report its trigger; subscribe to its batches (progress, trace, output
 *                               rows and their schema)
 *   each StreamingContext:      defaults to the run's clock, output and Kafka; its batch duration is
 *                               reported when it starts, its batches (trace, no rows) after each batch, and
 *                               it counts as active until stopped
 *   a query failing:            report its exception (whose cause is the learner's error, with its stack)
 *   each flow (ActorSystem):     defaults to the run's clock and output; a running stream counts as active;
 *                               a stream that fails is reported like a failing query; Consumer sources read
 *                               the runtime's Kafka (the learner clients' factory), SlickSession writes to
 *                               its PostgreSQL
 */
import type { Clock } from '../../engine/clock.js';
import type { JobServices } from '../ipc.js';
import { registerConnectors, type RegisteredConnectors } from '../../connectors/index.js';
import { kafkajsClientFactory } from '../../connectors/kafka/learner-clients.js';
import type { KafkaConnection } from '../../connectors/kafka/kafka-connection.js';
import { setKafkaClientFactory } from '../../engine/kafka-client/client-factory.js';
import { FormatRegistry } from '../../engine/formats.js';
import type { InMemoryKafkaCluster } from '../../engine/kafka-client/memory-kafka-cluster.js';
import { registerMemoryKafka } from '../../engine/kafka-client/memory-kafka-format.js';
import { csvSourceProvider } from '../../engine/csv-source.js';
import { dataFolderFiles } from '../../connectors/files/local-files.js';
import { workspaceArea, type WorkspaceLimit } from '../../connectors/files/workspace.js';
import { registerFileFormats } from '../../engine/files/index.js';
import { socketSourceProvider } from '../../engine/sources/socket-source.js';
import { loopbackSocketConnector } from '../../connectors/socket/socket-connector.js';
import { consumersClosed } from '../../engine/flow/kafka/consumer-handle.js';
import { setSqlExecutorFactory } from '../../engine/flow/slick/sql-executor.js';
import { pgSqlExecutorFactory } from '../../connectors/postgres/flow-sql.js';
import { learnerCheckpointResolver } from '../../checkpoint/learner-checkpoints.js';
import { bindEngineCore, type EngineBinding, type EngineObserver } from './engine-core.js';

export type { BatchReport, EngineBinding, EngineObserver, QueryReport } from './engine-core.js';
export { toJson, triggerInfo } from './engine-core.js';

/** How long stopping a run waits for its flows' Kafka consumers to close (the host allows 1.5 s in all). */
const CONSUMER_CLOSE_MS = 1000;

/** Options of `bindEngine`. */
export interface BindOptions {
  clock: Clock;
  observer: EngineObserver;
  services: JobServices;
  /** Where `checkpointLocation`s live on disk; in memory without it. */
  checkpointDir?: string;
  /** How much the learner's files may take (see WorkspaceLimit); unlimited without it. */
  workspaceLimit?: WorkspaceLimit;
  /** The folder `spark.read.csv` reads from (relative paths resolve inside it); no CSV without it. */
  dataDir?: string;
  /**
   * An in-memory Kafka behind every layer instead of the services' broker (check mode): the learner's
   * KafkaProducer/KafkaConsumer, `format("kafka")` and the DStream direct stream all use it.
   */
  memoryKafka?: InMemoryKafkaCluster;
  /**
   * When the run began (Run pressed, on the run's system clock): the Latency panel's start-up times
   * count from there, so they include compiling the code and starting the job process, as the learner
   * waits for them. From the binding's creation without it.
   */
  runStartedAtMs?: number;
  /** Output rows a batch report carries at most (see `EngineCoreOptions.maxRows`). */
  maxRows?: number;
}

/** Binds the engine for one run. */
export function bindEngine(options: BindOptions): EngineBinding {
  const { observer } = options;
  let connectors: RegisteredConnectors | null = null;
  const { services } = options;
  const list = (s: string) => s.split(',').map((b) => b.trim());
  const kafka: KafkaConnection | undefined = services.kafka
    ? {
      brokers: list(services.kafka),
      clientId: 'streamlab-job',
      ...(services.topicPrefix ? { topicPrefix: services.topicPrefix } : {}),
      ...(services.kafkaSasl ? { saslBrokers: list(services.kafkaSasl) } : {}),
      ...(services.kafkaSaslRequired ? { learnerSasl: 'required' as const } : {}),
    }
    : undefined;
  // The run's session knows the built-in formats and the connectors wired to the run's services.
  const formats = FormatRegistry.withBuiltIns();
  if (kafka || options.services.pg) {
    connectors = registerConnectors(formats, {
      ...(kafka ? { kafka } : {}),
      ...(options.services.pg ? { postgres: { url: options.services.pg } } : {}),
    });
  }
  // The learner's KafkaProducer/KafkaConsumer talk to the runtime's Kafka, stamping records with the run's clock.
  if (kafka) setKafkaClientFactory(kafkajsClientFactory(kafka, { now: () => options.clock.now() }));
  const memory = options.memoryKafka;
  if (memory) {
    setKafkaClientFactory(memory);
    registerMemoryKafka(formats, memory);
  }
  if (options.dataDir) formats.registerBatchSource('csv', csvSourceProvider(dataFolderFiles(options.dataDir)));
  // File sources and sinks: a Run's files live in its lesson folder (next to its checkpoints), which it
  // may read and write; a check reads its data folder and writes nothing.
  // The socket source of Spark's word count, in Run only, to servers on this machine.
  if (options.checkpointDir) formats.registerSource('socket', socketSourceProvider(loopbackSocketConnector));
  const workspace = options.checkpointDir ?? options.dataDir;
  if (workspace) {
    registerFileFormats(formats, workspaceArea(workspace, { writable: options.checkpointDir !== undefined, ...(options.checkpointDir && options.workspaceLimit ? { limit: options.workspaceLimit } : {}) }));
  }
  // SlickSession statements run on the runtime's PostgreSQL.
  if (options.services.pg) setSqlExecutorFactory(pgSqlExecutorFactory(options.services.pg));
  return bindEngineCore({
    clock: options.clock,
    observer,
    formats,
    ...(memory ?? connectors?.dstreamKafka ? { dstreamKafka: memory ?? connectors?.dstreamKafka } : {}),
    // A checkpointLocation is a folder in the run's checkpoint folder, so a restarted run resumes where it stopped.
    ...(options.checkpointDir ? { checkpointResolver: learnerCheckpointResolver(options.checkpointDir) } : {}),
    ...(options.runStartedAtMs === undefined ? {} : { runStartedAtMs: options.runStartedAtMs }),
    ...(options.maxRows === undefined ? {} : { maxRows: options.maxRows }),
    close: async () => {
      // The flows' Kafka consumers leave their groups before the process ends (within the stop's grace):
      // a member that never left holds its partitions until its session times out, and the next
      // run's flow in the same group would wait that long for its first record.
      await Promise.race([consumersClosed(), new Promise((r) => setTimeout(r, CONSUMER_CLOSE_MS).unref())]);
      await connectors?.close();
    },
  });
}
