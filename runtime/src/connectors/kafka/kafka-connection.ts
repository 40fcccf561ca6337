import type { KafkaConfig, SASLOptions } from 'kafkajs';

/**
 * How the runtime reaches Kafka. The runtime's values always win over what a learner typed in
 * `kafka.*` options, so learners never see (or need) credentials and cannot point a shared
 * runtime at another cluster.
 */
export interface KafkaConnection {
  /** `host:port` list. */
  brokers: string[];
  clientId?: string;
  /** `true` for TLS with system CAs, or Node TLS options. */
  ssl?: KafkaConfig['ssl'];
  sasl?: SASLOptions;
  /** Prepended to every topic name a learner uses (per-learner isolation on a shared cluster). */
  topicPrefix?: string;
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
}

/** Thrown for an option Spark rejects or one this connector cannot honour. */
export class KafkaOptionError extends Error {
  /** Stable code for the workbench. */
  readonly code = 'KAFKA_OPTION';
  constructor(message: string) {
    super(message);
    this.name = 'IllegalArgumentException';
  }
}

/**
 * Resolves the connection from the runtime's configuration and the learner's `kafka.*` options.
 * With no runtime configuration (a standalone script) the learner's options are used, mapped
 * from Kafka's Java property names to kafkajs settings.
 */
export function resolveKafkaConnection(runtime: KafkaConnection | undefined, options: ReadonlyMap<string, string> | Record<string, string>): KafkaConnection {
  const get = (k: string): string | undefined => lookup(options, k);
  if (runtime) return { ...runtime, clientId: runtime.clientId ?? get('kafka.client.id') ?? 'streamlab' };
  const servers = get('kafka.bootstrap.servers');
  if (!servers) throw new KafkaOptionError('Option \'kafka.bootstrap.servers\' must be specified for configuring Kafka consumer');
  const conn: KafkaConnection = {
    brokers: servers.split(',').map((s) => s.trim()).filter((s) => s.length > 0),
    clientId: get('kafka.client.id') ?? 'streamlab',
  };
  const protocol = (get('kafka.security.protocol') ?? 'PLAINTEXT').toUpperCase();
  if (protocol === 'SSL' || protocol === 'SASL_SSL') conn.ssl = true;
  if (protocol === 'SASL_SSL' || protocol === 'SASL_PLAINTEXT') conn.sasl = saslFromOptions(get);
  const timeout = get('kafka.request.timeout.ms');
  if (timeout) conn.requestTimeoutMs = Number(timeout);
  return conn;
}

function saslFromOptions(get: (k: string) => string | undefined): SASLOptions {
  const mechanism = (get('kafka.sasl.mechanism') ?? 'PLAIN').toUpperCase();
  const jaas = get('kafka.sasl.jaas.config') ?? '';
  // Java's JAAS line: `org.apache...ScramLoginModule required username="u" password="p";`
  const username = /username\s*=\s*"([^"]*)"/.exec(jaas)?.[1] ?? get('kafka.sasl.username') ?? '';
  const password = /password\s*=\s*"([^"]*)"/.exec(jaas)?.[1] ?? get('kafka.sasl.password') ?? '';
  switch (mechanism) {
    case 'PLAIN':
      return { mechanism: 'plain', username, password };
    case 'SCRAM-SHA-256':
      return { mechanism: 'scram-sha-256', username, password };
    case 'SCRAM-SHA-512':
      return { mechanism: 'scram-sha-512', username, password };
    default:
      throw new KafkaOptionError(`Unsupported kafka.sasl.mechanism '${mechanism}': use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512`);
  }
}

function lookup(options: ReadonlyMap<string, string> | Record<string, string>, key: string): string | undefined {
  if (options instanceof Map) {
    for (const [k, v] of options) if (k.toLowerCase() === key) return v;
    return undefined;
  }
  for (const [k, v] of Object.entries(options)) if (k.toLowerCase() === key) return v;
  return undefined;
}

/** Maps the learner's topic names to the broker's and back, under an optional prefix. */
export class TopicNames {
  constructor(readonly prefix = '') {}

  /** The broker-side name of a learner topic. */
  toBroker(topic: string): string {
    return this.prefix + topic;
  }

  /** The learner-side name of a broker topic, or undefined when it is outside the prefix. */
  fromBroker(topic: string): string | undefined {
    if (!topic.startsWith(this.prefix)) return undefined;
    return topic.slice(this.prefix.length);
  }
}

/** The kafkajs client settings for a connection (kafkajs' own retries are short: we retry above it). */
export function kafkajsConfig(conn: KafkaConnection): KafkaConfig {
  return {
    brokers: conn.brokers,
    clientId: conn.clientId ?? 'streamlab',
    ssl: conn.ssl,
    sasl: conn.sasl,
    connectionTimeout: conn.connectionTimeoutMs ?? 3000,
    requestTimeout: conn.requestTimeoutMs ?? 30000,
    retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1000 },
  };
}
