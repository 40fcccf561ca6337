/**
 * Streamlab's embedded broker: a single-node server that speaks the Kafka wire protocol (the
 * pre-flexible profile of apis/broker-apis.ts), so kafkajs and librdkafka tools such as kcat work
 * against it unchanged. Storage and group logic live behind LogStore and GroupCoordinator; this
 * module wires them to a TCP listener on 127.0.0.1.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { DEFAULT_COORDINATOR_CONFIG, GroupCoordinator, type CoordinatorConfig } from './group/group-coordinator.js';
import { OffsetStore } from './group/offset-store.js';
import { Dispatcher } from './dispatcher.js';
import { FileLogStore, type LogStore } from './log/log-store.js';
import { ProducerIdAllocator } from './producer/producer-ids.js';
import { createBrokerServer, type ServerHooks } from './server.js';
import { SASL_MECHANISMS, type SaslMechanism } from './auth/sasl-session.js';
import { UserStore } from './auth/user-store.js';
import { isRecord, readJsonFile } from './json-file.js';

export { FileLogStore, isValidTopicName, type LogStore, type Topic } from './log/log-store.js';
export { GroupCoordinator, type GroupState } from './group/group-coordinator.js';
export { ApiKey } from './protocol/api-keys.js';
export { API_VERSIONS, BROKER_APIS } from './apis/broker-apis.js';
export { SASL_MECHANISMS, type SaslMechanism } from './auth/sasl-session.js';
export { UserStore } from './auth/user-store.js';

/** Options of {@link startBroker}. */
export interface BrokerOptions {
  /** TCP port; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Interface to bind; loopback by default (the broker parses untrusted bytes). */
  readonly host?: string;
  /** Where segment files and committed offsets live; omitted keeps everything in memory. */
  readonly dataDir?: string;
  /** Create unknown topics named in Metadata requests (Kafka's auto.create.topics.enable). */
  readonly autoCreateTopics?: boolean;
  /** Partitions of auto-created topics (Kafka's num.partitions). */
  readonly defaultPartitions?: number;
  /** Largest accepted batch in bytes (Kafka's message.max.bytes, default 1048588). */
  readonly maxMessageBytes?: number;
  /** Group coordinator settings (session bounds, initial rebalance delay). */
  readonly coordinator?: Partial<CoordinatorConfig>;
  /** How often retention runs, in ms (Kafka's log.retention.check.interval.ms). */
  readonly retentionCheckIntervalMs?: number;
  /** Logging and test hooks. */
  readonly hooks?: ServerHooks;
  /** Where recovery reports a torn tail it cut or a damaged partition it stopped. */
  readonly log?: (line: string) => void;
  /**
   * A second listener, SASL_PLAINTEXT, next to the PLAINTEXT one: its connections authenticate
   * with one of `mechanisms` (all three by default) as a user of `users`. Port 0 picks a free one.
   */
  readonly sasl?: { readonly port?: number; readonly mechanisms?: readonly SaslMechanism[] };
  /** SASL users to create or reset at start, name → password (kept as SCRAM credentials). */
  readonly users?: Readonly<Record<string, string>>;
}

/** A running broker. */
export interface RunningBroker {
  readonly port: number;
  readonly host: string;
  /** `host:port`, ready for a client's `brokers` list. */
  readonly bootstrap: string;
  /** The SASL_PLAINTEXT listener's `host:port`, when `sasl` was given. */
  readonly saslBootstrap?: string;
  /** SASL users (add, reset or remove them while the broker runs). */
  readonly users: UserStore;
  /** The storage core, for the workbench UI and tests. */
  readonly store: LogStore;
  readonly coordinator: GroupCoordinator;
  /** Stops listening, drops connections, cancels timers and closes files. */
  close(): Promise<void>;
}

function clusterIdFor(dataDir: string | undefined): string {
  if (!dataDir) return randomBytes(16).toString('base64url');
  const path = join(dataDir, 'cluster.json');
  if (existsSync(path)) {
    return readJsonFile(path, 'the broker\'s cluster id', (v): v is { clusterId: string } => isRecord(v) && typeof v.clusterId === 'string').clusterId;
  }
  const clusterId = randomBytes(16).toString('base64url');
  writeFileSync(path, JSON.stringify({ clusterId }));
  return clusterId;
}

/** Starts the broker and resolves once it accepts connections. */
export async function startBroker(options: BrokerOptions = {}): Promise<RunningBroker> {
  const host = options.host ?? '127.0.0.1';
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const store = new FileLogStore(options.dataDir, options.log);
  const offsets = new OffsetStore(options.dataDir);
  const coordinator = new GroupCoordinator(
    offsets,
    (topic, partition) => store.partition(topic, partition) !== undefined,
    { ...DEFAULT_COORDINATOR_CONFIG, ...options.coordinator },
  );
  const config = {
    nodeId: 1,
    clusterId: clusterIdFor(options.dataDir),
    advertisedHost: host,
    autoCreateTopics: options.autoCreateTopics ?? true,
    defaultPartitions: options.defaultPartitions ?? 1,
    maxMessageBytes: options.maxMessageBytes ?? 1_048_588,
  };
  const users = new UserStore(options.dataDir);
  for (const [name, password] of Object.entries(options.users ?? {})) users.upsert(name, password);
  const dispatcher = new Dispatcher(store, coordinator, config, new ProducerIdAllocator(options.dataDir));
  const listen = async (port: number, saslMechanisms?: readonly SaslMechanism[]) => {
    let bound = 0;
    const { server, sockets } = createBrokerServer(dispatcher, { security: { saslMechanisms, users }, advertisedPort: () => bound }, options.hooks);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    bound = typeof address === 'object' && address ? address.port : 0;
    return { server, sockets, port: bound };
  };
  const listeners = [await listen(options.port ?? 0)];
  if (options.sasl) listeners.push(await listen(options.sasl.port ?? 0, options.sasl.mechanisms ?? SASL_MECHANISMS));
  const port = listeners[0]!.port;
  const retention = setInterval(() => store.enforceRetention(Date.now()), options.retentionCheckIntervalMs ?? 60_000);
  retention.unref();

  let closing: Promise<void> | undefined;
  return {
    port,
    host,
    bootstrap: `${host}:${port}`,
    ...(listeners[1] ? { saslBootstrap: `${host}:${listeners[1].port}` } : {}),
    users,
    store,
    coordinator,
    close() {
      closing ??= new Promise<void>((resolve) => {
        clearInterval(retention);
        let open = listeners.length;
        for (const l of listeners) l.server.close(() => (--open === 0 ? resolve() : undefined));
        dispatcher.close();
        coordinator.close();
        for (const l of listeners) for (const s of l.sockets) s.destroy();
        store.close();
        offsets.close();
      });
      return closing;
    },
  };
}

/** True when `port` can be bound on `host` right now. */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

/** Kafka's conventional port, used by `streamlab broker` when it is free. */
export const DEFAULT_KAFKA_PORT = 9092;

const USAGE = 'usage: streamlab broker [--port N] [--host H] [--data-dir DIR] [--partitions N] [--no-auto-create]';

/**
 * `streamlab broker [--port] [--data-dir]`: runs the broker in the foreground until SIGINT or
 * SIGTERM, printing one ready line. Without `--port` it takes 9092 when free, else a free port.
 * Resolves to the process exit code.
 */
export async function runBrokerCommand(argv: string[]): Promise<number> {
  const opts: { port?: number; host?: string; dataDir?: string; defaultPartitions?: number; autoCreateTopics?: boolean } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    try {
      if (arg === '--port') opts.port = Number(value());
      else if (arg === '--host') opts.host = value();
      else if (arg === '--data-dir') opts.dataDir = value();
      else if (arg === '--partitions') opts.defaultPartitions = Number(value());
      else if (arg === '--no-auto-create') opts.autoCreateTopics = false;
      else if (arg === '--help' || arg === '-h') {
        console.log(USAGE);
        return 0;
      } else throw new Error(`unknown option ${arg}`);
    } catch (err) {
      console.error(`${(err as Error).message}\n${USAGE}`);
      return 2;
    }
  }
  if (opts.port !== undefined && (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535)) {
    console.error(`invalid port\n${USAGE}`);
    return 2;
  }
  // Without --port, Kafka's usual 9092 when it is free, so `kcat -b 127.0.0.1:9092` just works.
  if (opts.port === undefined) opts.port = (await isPortFree(DEFAULT_KAFKA_PORT, opts.host)) ? DEFAULT_KAFKA_PORT : 0;
  let broker: RunningBroker;
  try {
    broker = await startBroker({ ...opts, log: (line) => console.error(line) });
  } catch (err) {
    console.error(`broker failed to start: ${(err as Error).message}`);
    return 1;
  }
  console.log(`streamlab broker listening on ${broker.bootstrap}${opts.dataDir ? ` (data in ${opts.dataDir})` : ' (in memory)'}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await broker.close();
  return 0;
}
