/**
 * Container providers, used only when a Docker daemon answers.
 *
 * testcontainers is imported lazily: v12 crashes at import time on Node 20, and even v11 should cost
 * nothing on machines without a daemon. `@testcontainers/kafka` targets Confluent images only, so
 * Kafka runs from `apache/kafka` as a GenericContainer. The broker must advertise the address
 * clients will use before it starts, hence a host port chosen here and bound fixed.
 */
import pg from 'pg';
import { freePort } from './free-port.js';
import { pins } from './kafka-dist.js';
import { checkKafka } from './kafka-health.js';
import type { ServiceHandle } from './service.js';

let probe: Promise<string> | undefined;

/** The images to run: the official ones, unless KAFKA_IMAGE / POSTGRES_IMAGE name others (stand-ins). */
export function containerImages(env: NodeJS.ProcessEnv = process.env): { kafka: string; postgres: string } {
  return { kafka: env.KAFKA_IMAGE || pins.kafkaImage, postgres: env.POSTGRES_IMAGE || pins.postgresImage };
}

/**
 * Resolves with the daemon's host when a container runtime answers, rejects with testcontainers'
 * reason otherwise (about 3 ms without a daemon).
 */
export function containerRuntimeHost(): Promise<string> {
  probe ??= (async () => {
    const { getContainerRuntimeClient } = await import('testcontainers');
    const client = await getContainerRuntimeClient();
    return client.info.containerRuntime.host;
  })();
  return probe;
}

/** Starts `apache/kafka` (or KAFKA_IMAGE) in KRaft combined mode, reachable at `<daemon host>:<free port>`. */
export async function startKafkaContainer(): Promise<ServiceHandle> {
  const host = await containerRuntimeHost();
  const { GenericContainer, Wait } = await import('testcontainers');
  const hostPort = await freePort();
  const startedAt = performance.now();
  const image = containerImages().kafka;
  const container = await new GenericContainer(image)
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'PLAINTEXT://0.0.0.0:9092,CONTROLLER://0.0.0.0:9093',
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://${host}:${hostPort}`,
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
      KAFKA_NUM_PARTITIONS: '1',
    })
    .withExposedPorts({ container: 9092, host: hostPort })
    .withWaitStrategy(Wait.forLogMessage('Kafka Server started'))
    .withStartupTimeout(180_000)
    .start();
  const bootstrap = `${host}:${hostPort}`;
  try {
    await checkKafka(bootstrap);
  } catch (error) {
    await container.stop().catch(() => undefined);
    throw error;
  }
  return {
    kind: 'kafka',
    mode: 'containers',
    label: 'container',
    version: image.split(':')[1] ?? '?',
    address: bootstrap,
    value: bootstrap,
    startMs: Math.round(performance.now() - startedAt),
    async stop() { await container.stop(); },
  };
}

/** Starts the official `postgres` image (or POSTGRES_IMAGE) with a password and waits until it accepts queries. */
export async function startPostgresContainer(): Promise<ServiceHandle> {
  await containerRuntimeHost();
  const { GenericContainer, Wait } = await import('testcontainers');
  const startedAt = performance.now();
  const container = await new GenericContainer(containerImages().postgres)
    .withEnvironment({ POSTGRES_PASSWORD: 'streamlab' })
    .withExposedPorts(5432)
    // The image's init script starts the server once, stops it and starts it again: wait for the second.
    .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
    .withStartupTimeout(180_000)
    .start();
  const address = `${container.getHost()}:${container.getMappedPort(5432)}`;
  const url = `postgres://postgres:streamlab@${address}/postgres`;
  const client = new pg.Client({ connectionString: url });
  let version: string;
  try {
    await client.connect();
    version = (await client.query<{ server_version: string }>('show server_version')).rows[0]!.server_version.split(' ')[0]!;
  } catch (error) {
    await container.stop().catch(() => undefined);
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
  return {
    kind: 'postgres',
    mode: 'containers',
    label: 'container',
    version,
    address,
    value: url,
    startMs: Math.round(performance.now() - startedAt),
    async stop() { await container.stop(); },
  };
}
