import type { KafkaConfig, SASLOptions } from 'kafkajs';
import { KafkaSecurityError, javaClientSecurity, type KafkaClientSecurity } from '../../engine/kafka/kafka-security.js';

/**
 * How the runtime reaches Kafka. The runtime's address always wins over what a learner typed in
 * `kafka.*` options, so learners cannot point a shared runtime at another cluster. Credentials are
 * the exception, because authenticating is part of what a lesson teaches: a learner who sets
 * `kafka.security.protocol=SASL_PLAINTEXT` (or kafka-python's `security_protocol`) connects to the
 * runtime Kafka's SASL listener with the credentials the code gives, and the broker checks them;
 * when `learnerSasl` is `required` (a lesson whose Kafka has only a SASL listener), code that does
 * not authenticate is disconnected as that broker would disconnect it.
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
  /** The same Kafka's SASL_PLAINTEXT listener, for learner code that authenticates. */
  saslBrokers?: string[];
  /** Whether learner code must authenticate (default `optional`). */
  learnerSasl?: 'optional' | 'required';
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
 * Resolves the connection from the runtime's configuration and the learner's `kafka.*` options
 * (Spark's source and sink, read with the Java client's rules). With no runtime configuration (a
 * standalone script) the learner's options are used, mapped from Kafka's Java property names to
 * kafkajs settings.
 */
export function resolveKafkaConnection(runtime: KafkaConnection | undefined, options: ReadonlyMap<string, string> | Record<string, string>): KafkaConnection {
  const get = (k: string): string | undefined => lookup(options, k);
  if (runtime) return learnerConnection({ ...runtime, clientId: runtime.clientId ?? get('kafka.client.id') ?? 'streamlab' }, javaClientSecurity((p) => get(`kafka.${p}`)));
  const servers = get('kafka.bootstrap.servers');
  if (!servers) throw new KafkaOptionError('Option \'kafka.bootstrap.servers\' must be specified for configuring Kafka consumer');
  const conn: KafkaConnection = {
    brokers: servers.split(',').map((s) => s.trim()).filter((s) => s.length > 0),
    clientId: get('kafka.client.id') ?? 'streamlab',
  };
  // A standalone script talks to the Kafka it names, which may offer TLS: only SASL is read here.
  const protocol = (get('kafka.security.protocol') ?? 'PLAINTEXT').toUpperCase();
  if (protocol === 'SSL' || protocol === 'SASL_SSL') conn.ssl = true;
  const security = javaClientSecurity((p) => (p === 'security.protocol' ? protocol.replace('SASL_SSL', 'SASL_PLAINTEXT').replace(/^SSL$/, 'PLAINTEXT') : get(`kafka.${p}`)));
  if (security.protocol === 'SASL_PLAINTEXT') conn.sasl = kafkajsSasl(security);
  const timeout = get('kafka.request.timeout.ms');
  if (timeout) conn.requestTimeoutMs = Number(timeout);
  return conn;
}

/**
 * The connection learner code with `security` gets on the runtime's Kafka: the SASL listener with
 * its own credentials, the runtime's address without any, or the error that Kafka's listeners give.
 */
export function learnerConnection(runtime: KafkaConnection, security: KafkaClientSecurity): KafkaConnection {
  if (security.protocol === 'SASL_PLAINTEXT') {
    if (!runtime.saslBrokers || runtime.saslBrokers.length === 0) {
      // What a PLAINTEXT listener answers to a SaslHandshake.
      throw new KafkaSecurityError('IllegalSaslStateException', `Unexpected handshake request with client mechanism ${security.mechanism}, enabled mechanisms are []`);
    }
    return { ...runtime, brokers: runtime.saslBrokers, sasl: kafkajsSasl(security) };
  }
  if (runtime.learnerSasl === 'required') {
    throw new KafkaSecurityError(
      'KafkaException',
      'Disconnected by the broker before authenticating: its listener requires SASL, and the client connected with security.protocol PLAINTEXT. '
        + 'Set kafka.security.protocol=SASL_PLAINTEXT, kafka.sasl.mechanism and kafka.sasl.jaas.config (kafka-python: security_protocol, sasl_mechanism, sasl_plain_username, sasl_plain_password).',
    );
  }
  return runtime;
}

function kafkajsSasl(security: Extract<KafkaClientSecurity, { protocol: 'SASL_PLAINTEXT' }>): SASLOptions {
  const { username, password } = security;
  switch (security.mechanism) {
    case 'PLAIN':
      return { mechanism: 'plain', username, password };
    case 'SCRAM-SHA-256':
      return { mechanism: 'scram-sha-256', username, password };
    case 'SCRAM-SHA-512':
      return { mechanism: 'scram-sha-512', username, password };
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
