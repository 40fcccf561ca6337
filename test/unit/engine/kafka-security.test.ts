/**
 * Client security settings read as the Java client and kafka-python read them, and a SASL listener's
 * checks, including through the in-memory cluster every lesson check uses: Spark's Kafka source and
 * sink, KafkaProducer/KafkaConsumer, and KafkaUtils (which cannot authenticate at all).
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../runtime/src/engine/clock.js';
import { authenticateClient, javaClientSecurity, parseJaasConfig, pythonClientSecurity, type KafkaListenerSecurity } from '../../../runtime/src/engine/kafka/kafka-security.js';
import { InMemoryKafkaCluster } from '../../../runtime/src/engine/kafka-client/memory-kafka-cluster.js';
import { memoryKafkaSinkProvider, memoryKafkaSourceProvider } from '../../../runtime/src/engine/kafka-client/memory-kafka-format.js';
import { parseKafkaSourceOptions } from '../../../runtime/src/engine/kafka/kafka-options.js';

const SCRAM = 'org.apache.kafka.common.security.scram.ScramLoginModule';
const props = (p: Record<string, string>) => (k: string) => p[k];
const thrown = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
  return 'no error';
};

const LISTENER: KafkaListenerSecurity = { mechanisms: ['SCRAM-SHA-512'], verify: (u, p) => u === 'spark-consumer' && p === 's3cret' };

describe('JAAS config, as Kafka\'s JaasConfig reads it', () => {
  it('reads the tutorial\'s ScramLoginModule line, quoted and unquoted values, and comments', () => {
    expect(parseJaasConfig(`${SCRAM} required username="spark-consumer" password='s3cret';`)).toEqual([
      { loginModule: SCRAM, controlFlag: 'required', options: { username: 'spark-consumer', password: 's3cret' } },
    ]);
    expect(parseJaasConfig(`/* tutorial */ ${SCRAM} REQUIRED // the user\n username=alice password="p w";`)[0]!.options).toEqual({ username: 'alice', password: 'p w' });
  });

  it('fails as Kafka fails: no semicolon, a bad flag, a key without a value, a bare number, two modules', () => {
    expect(thrown(() => parseJaasConfig(`${SCRAM} required username="a" password="b"`))).toBe('IllegalArgumentException: JAAS config entry not terminated by semi-colon');
    expect(thrown(() => parseJaasConfig(`${SCRAM} mandatory username="a";`))).toBe("IllegalArgumentException: Invalid login module control flag 'mandatory' in JAAS config");
    expect(thrown(() => parseJaasConfig(`${SCRAM} required username;`))).toBe("IllegalArgumentException: Value not specified for key 'username' in JAAS config");
    expect(thrown(() => parseJaasConfig(`${SCRAM} required password=12345;`))).toBe("IllegalArgumentException: Value not specified for key 'password' in JAAS config");
    expect(thrown(() => javaClientSecurity(props({ 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'SCRAM-SHA-512', 'sasl.jaas.config': `${SCRAM} required username="a" password="b"; ${SCRAM} required username="c" password="d";` }))))
      .toBe('IllegalArgumentException: JAAS config property contains 2 login modules, should be 1 module');
  });
});

describe('client security from Java properties (Spark\'s kafka.* options)', () => {
  it('is PLAINTEXT by default and reads SASL_PLAINTEXT with SCRAM-SHA-512', () => {
    expect(javaClientSecurity(props({}))).toEqual({ protocol: 'PLAINTEXT' });
    expect(javaClientSecurity(props({ 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'SCRAM-SHA-512', 'sasl.jaas.config': `${SCRAM} required username="u" password="p";` })))
      .toEqual({ protocol: 'SASL_PLAINTEXT', mechanism: 'SCRAM-SHA-512', username: 'u', password: 'p' });
  });

  it('refuses what the Java client refuses: a bad protocol, no JAAS config, an unknown login module, GSSAPI by default', () => {
    expect(thrown(() => javaClientSecurity(props({ 'security.protocol': 'SASL' })))).toBe('ConfigException: Invalid value SASL for configuration security.protocol: String must be one of: PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL');
    expect(thrown(() => javaClientSecurity(props({ 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'SCRAM-SHA-512' }))))
      .toBe("IllegalArgumentException: Could not find a 'KafkaClient' entry in the JAAS configuration. System property 'java.security.auth.login.config' is not set");
    expect(thrown(() => javaClientSecurity(props({ 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'SCRAM-SHA-512', 'sasl.jaas.config': 'org.example.Scram required username="u" password="p";' }))))
      .toBe('LoginException: unable to find LoginModule class: org.example.Scram');
    expect(thrown(() => javaClientSecurity(props({ 'security.protocol': 'SASL_PLAINTEXT', 'sasl.jaas.config': `${SCRAM} required username="u" password="p";` })))).toMatch(/^IllegalArgumentException: sasl.mechanism is GSSAPI/);
  });
});

describe('a SASL listener', () => {
  const client = (mechanism: 'SCRAM-SHA-512' | 'PLAIN', password: string) => ({ protocol: 'SASL_PLAINTEXT' as const, mechanism, username: 'spark-consumer', password });

  it('accepts the right password and refuses the rest with Kafka\'s errors', () => {
    expect(authenticateClient(LISTENER, client('SCRAM-SHA-512', 's3cret'))).toBe('User:spark-consumer');
    expect(thrown(() => authenticateClient(LISTENER, client('SCRAM-SHA-512', 'nope')))).toBe('SaslAuthenticationException: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512');
    expect(thrown(() => authenticateClient(LISTENER, client('PLAIN', 's3cret')))).toBe("UnsupportedSaslMechanismException: Client SASL mechanism 'PLAIN' not enabled in the server, enabled mechanisms are [SCRAM-SHA-512]");
    expect(thrown(() => authenticateClient(LISTENER, { protocol: 'PLAINTEXT' }))).toMatch(/^KafkaException: Disconnected by the broker before authenticating/);
  });
});

describe('the in-memory cluster with a SASL listener', () => {
  const jaas = (password: string) => ({ 'kafka.security.protocol': 'SASL_PLAINTEXT', 'kafka.sasl.mechanism': 'SCRAM-SHA-512', 'kafka.sasl.jaas.config': `${SCRAM} required username="spark-consumer" password="${password}";` });
  const sourceOptions = (extra: Record<string, string>) => ({ 'kafka.bootstrap.servers': 'localhost:9092', subscribe: 'spark-streaming-store', ...extra });

  it('opens Spark\'s source and sink only with the right credentials', () => {
    const cluster = new InMemoryKafkaCluster({ clock: new ManualClock(0), security: LISTENER });
    const source = memoryKafkaSourceProvider(cluster);
    const create = (extra: Record<string, string>) => () => source.createSource({ options: sourceOptions(extra), clock: new ManualClock(0) } as never);
    expect(thrown(create(jaas('s3cret')))).toBe('no error');
    expect(thrown(create(jaas('wrong')))).toBe('SaslAuthenticationException: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512');
    expect(thrown(create({}))).toMatch(/^KafkaException: Disconnected by the broker/);
    expect(parseKafkaSourceOptions(sourceOptions(jaas('x'))).kafkaParams['sasl.mechanism']).toBe('SCRAM-SHA-512');
    const sink = memoryKafkaSinkProvider(cluster);
    expect(thrown(() => sink.createSink({ options: { topic: 'report', ...jaas('wrong') } } as never))).toMatch(/^SaslAuthenticationException/);
  });

  it('authenticates kafka-python style clients, and refuses KafkaUtils, which has no SASL', () => {
    const cluster = new InMemoryKafkaCluster({ security: LISTENER });
    const cfg = (password: string) => ({ security_protocol: 'SASL_PLAINTEXT', sasl_mechanism: 'SCRAM-SHA-512', sasl_plain_username: 'spark-consumer', sasl_plain_password: password });
    expect(thrown(() => cluster.producer(cfg('s3cret')))).toBe('no error');
    expect(thrown(() => cluster.consumer(cfg('wrong')))).toMatch(/^SaslAuthenticationException/);
    expect(thrown(() => cluster.consumer({}))).toMatch(/^KafkaException: Disconnected/);
    expect(thrown(() => cluster.createDirectInput(['spark-streaming-store'], {}))).toMatch(/^IllegalArgumentException: KafkaUtils.createDirectStream \(spark-streaming-kafka-0-8\)/);
    expect(thrown(() => pythonClientSecurity({ security_protocol: 'SASL_PLAINTEXT', sasl_mechanism: 'SCRAM-SHA-512' }))).toBe('IllegalArgumentException: sasl_plain_username and sasl_plain_password are required for SCRAM-SHA-512');
  });

  it('refuses a SASL client on a cluster without SASL, as a PLAINTEXT listener refuses the handshake', () => {
    const cluster = new InMemoryKafkaCluster();
    expect(thrown(() => cluster.producer({ security_protocol: 'SASL_PLAINTEXT', sasl_mechanism: 'PLAIN', sasl_plain_username: 'a', sasl_plain_password: 'b' })))
      .toBe('IllegalSaslStateException: Unexpected handshake request with client mechanism PLAIN, enabled mechanisms are []');
  });
});
