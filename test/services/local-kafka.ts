/**
 * A real Apache Kafka 4.x broker on the JVM, in KRaft combined mode (one process is broker and
 * controller), on 127.0.0.1, from the jars cached by `npm run services:fetch`.
 *
 * Lifecycle:
 *   pick two free ports (broker P, controller C) here, because the static voter list embeds C
 *   write server.properties + log4j2.properties into a fresh temp dir
 *   format the log dir once (kafka.tools.StorageTool format -t <id>), unless it already holds meta.properties
 *   spawn `java … kafka.Kafka server.properties`
 *   ready = the log line "Kafka Server started", then a describeCluster that answers; 60 s cap
 *   stop = SIGTERM (controlled shutdown), SIGKILL after 10 s; temp dirs removed unless given by the caller
 *   restart = stop, run the caller's `whileStopped`, spawn again on the same ports and log dir (data survives)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from './free-port.js';
import { kafkaJarsProblem, kafkaLibs, pins } from './kafka-dist.js';
import { checkKafka } from './kafka-health.js';

/** Options for {@link startLocalKafka}. */
export interface LocalKafkaOptions {
  /** Log dir of the broker (kept on stop when given); a fresh temp dir when omitted. */
  dataDir?: string;
  /** Broker (PLAINTEXT) port on 127.0.0.1; a free one when omitted. */
  port?: number;
  /** Cap on spawn → ready (default 60 s). */
  readyTimeoutMs?: number;
  /**
   * Also a SASL_PLAINTEXT listener (SCRAM-SHA-256, SCRAM-SHA-512 and PLAIN) with these users, name →
   * password: SCRAM credentials are added when the log dir is formatted, PLAIN users in the listener's
   * JAAS config. Passwords must not contain quotes.
   */
  sasl?: { users: Readonly<Record<string, string>> };
}

/** A running local broker. */
export interface LocalKafka {
  /** Bootstrap servers, `127.0.0.1:<port>`. */
  bootstrap: string;
  port: number;
  /** The SASL_PLAINTEXT listener's bootstrap, when `sasl` was asked for. */
  saslBootstrap?: string;
  /** The Apache Kafka version that runs. */
  version: string;
  dataDir: string;
  /** Milliseconds from spawning the JVM to the first answered admin call, for the latest (re)start. */
  startMs: number;
  /** Stops the broker and removes the temp dirs it created. Safe to call twice. */
  stop(): Promise<void>;
  /**
   * Stops the broker and starts it again on the same port and log dir; topics and offsets survive.
   * `whileStopped` runs once the broker has exited and before it is started again.
   */
  restart(whileStopped?: () => void | Promise<void>): Promise<void>;
}

const READY_LINE = 'Kafka Server started';
const LOG_LINES_KEPT = 60;
const KILL_AFTER_MS = 10_000;

/**
 * Brokers still running, killed (and their temp dirs removed) synchronously if this Node process
 * exits without stopping them, e.g. when another library's signal handler calls process.exit().
 */
const running = new Map<ChildProcess, () => void>();
let exitHookInstalled = false;
function trackForExit(child: ChildProcess, cleanup: () => void): void {
  running.set(child, cleanup);
  child.once('exit', () => running.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const [c, clean] of running) {
      c.kill('SIGKILL');
      clean();
    }
  });
}

function javaCommand(): string {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

/** Kafka 4.x needs Java 17+. Returns the problem in words, or undefined. */
async function javaProblem(): Promise<string | undefined> {
  const { code, output } = await runToEnd(javaCommand(), ['-version']);
  if (code === -1) return `Java is not installed (\`${javaCommand()} -version\` failed: ${output.trim()}); install Java 17+`;
  const major = /version "(\d+)/.exec(output)?.[1];
  if (!major) return `cannot read the Java version from: ${output.trim().split('\n')[0]}`;
  if (Number(major) < 17) return `Java ${major} is too old for Kafka ${pins.kafka}; install Java 17+ (or set JAVA_HOME)`;
  return undefined;
}

function runToEnd(command: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('error', (error) => resolve({ code: -1, output: error.message }));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

function serverProperties(port: number, controllerPort: number, logDir: string, sasl?: { port: number; users: Readonly<Record<string, string>> }): string {
  const listeners = [`PLAINTEXT://127.0.0.1:${port}`, ...(sasl ? [`SASL_PLAINTEXT://127.0.0.1:${sasl.port}`] : [])];
  const saslLines = sasl
    ? [
        'sasl.enabled.mechanisms=SCRAM-SHA-256,SCRAM-SHA-512,PLAIN',
        'listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
        'listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
        `listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required ${Object.entries(sasl.users).map(([u, p]) => `user_${u}="${p}"`).join(' ')};`,
      ]
    : [];
  return [
    '# Single-node KRaft (broker + controller), static voters, loopback only. Written by test/services/local-kafka.ts.',
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=${listeners.join(',')},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=${listeners.join(',')}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    `listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT${sasl ? ',SASL_PLAINTEXT:SASL_PLAINTEXT' : ''}`,
    ...saslLines,
    `log.dirs=${logDir}`,
    'num.partitions=1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    // Without this every consumer group waits 3 s before its first assignment.
    'group.initial.rebalance.delay.ms=0',
    // Tests create their topics explicitly, as production code should.
    'auto.create.topics.enable=false',
    '',
  ].join('\n');
}

// WARN and above from everything, plus the one INFO line that says the server is up.
const LOG4J2 = [
  'appender.console.type=Console',
  'appender.console.name=STDOUT',
  'appender.console.layout.type=PatternLayout',
  'appender.console.layout.pattern=[%d] %p %m (%c)%n',
  'rootLogger.level=WARN',
  'rootLogger.appenderRef.stdout.ref=STDOUT',
  'logger.raft.name=kafka.server.KafkaRaftServer',
  'logger.raft.level=INFO',
  '',
].join('\n');

/**
 * Starts a real Kafka broker as a JVM child process. Rejects within the ready cap with the tail of
 * the broker's log when it does not come up, and when Java or the cached jars are missing.
 */
export async function startLocalKafka(options: LocalKafkaOptions = {}): Promise<LocalKafka> {
  const jars = kafkaJarsProblem();
  if (jars) throw new Error(jars);
  const java = await javaProblem();
  if (java) throw new Error(java);

  const workDir = mkdtempSync(join(tmpdir(), 'streamlab-kafka-'));
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? join(workDir, 'kraft');
  const [port, controllerPort] = options.port === undefined
    ? await freePorts(2)
    : [options.port, (await freePorts(2)).find((p) => p !== options.port)!];
  const saslPort = options.sasl ? (await freePorts(3)).find((p) => p !== port && p !== controllerPort)! : undefined;
  const sasl = options.sasl && saslPort !== undefined ? { port: saslPort, users: options.sasl.users } : undefined;
  const propsFile = join(workDir, 'server.properties');
  const log4jFile = join(workDir, 'log4j2.properties');
  writeFileSync(propsFile, serverProperties(port!, controllerPort!, dataDir, sasl));
  writeFileSync(log4jFile, LOG4J2);
  const classpath = `${kafkaLibs()}/*`;
  const logFlag = `-Dlog4j2.configurationFile=${log4jFile}`;
  const cleanup = () => {
    rmSync(workDir, { recursive: true, force: true });
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
  };

  if (!existsSync(join(dataDir, 'meta.properties'))) {
    // A cluster id is 16 random bytes in base64url (22 characters), what StorageTool random-uuid prints.
    // Like Kafka's own Uuid.randomUuid, never one starting with '-': the tool would read it as an option.
    let clusterId = randomBytes(16).toString('base64url');
    while (clusterId.startsWith('-')) clusterId = randomBytes(16).toString('base64url');
    const scram = Object.entries(sasl?.users ?? {}).flatMap(([name, password]) =>
      ['SCRAM-SHA-256', 'SCRAM-SHA-512'].flatMap((m) => ['--add-scram', `${m}=[name=${name},password=${password}]`]));
    const format = await runToEnd(javaCommand(), [logFlag, '-cp', classpath, 'kafka.tools.StorageTool', 'format',
      '-t', clusterId, '-c', propsFile, ...scram]);
    if (format.code !== 0) {
      cleanup();
      throw new Error(`formatting the Kafka log dir ${dataDir} failed (exit ${format.code}):\n${format.output.trim()}`);
    }
  }

  let child: ChildProcess | undefined;
  const log: string[] = [];
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;

  const launch = async (): Promise<number> => {
    log.length = 0;
    const spawnedAt = performance.now();
    const jvm = spawn(javaCommand(), ['-Xms256m', '-Xmx512m', '-XX:+UseG1GC', '-XX:TieredStopAtLevel=1',
      '-Djava.awt.headless=true', logFlag, '-cp', classpath, 'kafka.Kafka', propsFile],
    { stdio: ['ignore', 'pipe', 'pipe'] });
    child = jvm;
    trackForExit(jvm, cleanup);
    const tail = () => log.slice(-30).join('\n') || '(no output)';
    let sawReadyLine: () => void = () => undefined;
    const readyLine = new Promise<void>((resolve) => { sawReadyLine = resolve; });
    let pending = '';
    const onData = (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line.includes(READY_LINE)) sawReadyLine();
        log.push(line);
      }
      if (log.length > LOG_LINES_KEPT) log.splice(0, log.length - LOG_LINES_KEPT);
    };
    jvm.stdout!.on('data', onData);
    jvm.stderr!.on('data', onData);
    const exited = new Promise<never>((_, reject) => {
      jvm.once('error', (error) => reject(new Error(`could not spawn ${javaCommand()}: ${error.message}`)));
      jvm.once('exit', (code, signal) => reject(new Error(`the broker exited early (code ${code}, signal ${signal})`)));
    });
    exited.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`not ready within ${readyTimeoutMs / 1000} s`)), readyTimeoutMs);
    });
    try {
      await Promise.race([readyLine, exited, timeout]);
      const left = Math.max(1_000, readyTimeoutMs - (performance.now() - spawnedAt));
      await Promise.race([checkKafka(`127.0.0.1:${port}`, left), exited, timeout]);
      return Math.round(performance.now() - spawnedAt);
    } catch (error) {
      await terminate(jvm);
      throw new Error(`local Kafka ${pins.kafka} on 127.0.0.1:${port} failed: ${(error as Error).message}\n`
        + `--- last broker output ---\n${tail()}`);
    } finally {
      clearTimeout(timer);
    }
  };

  let startMs: number;
  try {
    startMs = await launch();
  } catch (error) {
    cleanup();
    throw error;
  }

  let stopped: Promise<void> | undefined;
  const handle: LocalKafka = {
    bootstrap: `127.0.0.1:${port}`,
    port: port!,
    ...(sasl ? { saslBootstrap: `127.0.0.1:${sasl.port}` } : {}),
    version: pins.kafka,
    dataDir,
    startMs,
    stop() {
      stopped ??= (async () => {
        if (child) await terminate(child);
        cleanup();
      })();
      return stopped;
    },
    async restart(whileStopped) {
      if (stopped) throw new Error('restart() after stop(): the broker and its data are gone');
      if (child) await terminate(child);
      await whileStopped?.();
      handle.startMs = await launch();
    },
  };
  return handle;
}

/** SIGTERM lets Kafka shut down cleanly; a broker that hangs in shutdown is killed after 10 s. */
async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
  await exited;
  clearTimeout(timer);
}
