/**
 * Learner code that authenticates, through the runtime's connectors, against the embedded broker's
 * SASL listener and real Apache Kafka configured for SCRAM: Spark's source with the tutorial's
 * kafka.security.protocol / kafka.sasl.mechanism / kafka.sasl.jaas.config reads the topic, the sink
 * writes, KafkaProducer and KafkaConsumer authenticate with kafka-python's settings; a wrong password
 * fails with Spark's SaslAuthenticationException and the broker's message, on both brokers.
 */
import { FormatRegistry } from '../../../runtime/src/engine/formats.js';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerConnectors, type RegisteredConnectors } from '../../../runtime/src/connectors/index.js';
import { kafkajsClientFactory } from '../../../runtime/src/connectors/kafka/learner-clients.js';
import type { KafkaConnection } from '../../../runtime/src/connectors/kafka/kafka-connection.js';
import { ManualClock } from '../../../runtime/src/engine/clock.js';
import { setKafkaClientFactory } from '../../../runtime/src/engine/kafka-client/client-factory.js';
import { KafkaConsumer } from '../../../runtime/src/engine/kafka-client/kafka-consumer.js';
import { KafkaProducer } from '../../../runtime/src/engine/kafka-client/kafka-producer.js';
import { SparkSession } from '../../../runtime/src/engine/structured/index.js';
import { freshTopic } from '../../services/inject.js';
import { SCRAM_TARGETS, SCRAM_USERS, type ScramTarget } from '../broker/scram-targets.js';
import { createTopicReady } from '../../services/create-topic.js';

/** The formats this file's sessions know. */
const formats = FormatRegistry.withBuiltIns();

const USER = 'spark-consumer';
const PASSWORD = SCRAM_USERS[USER]!;
const SCRAM_FAILED = 'Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512';
const jaas = (password: string) => `org.apache.kafka.common.security.scram.ScramLoginModule required username="${USER}" password="${password}";`;

describe.each(SCRAM_TARGETS)('the connectors with learner SASL options: $name', (target: ScramTarget) => {
  let conn: KafkaConnection;
  let connectors: RegisteredConnectors;
  let admin: ReturnType<Kafka['admin']>;

  beforeAll(async () => {
    const { plaintext, sasl } = await target.start();
    conn = { brokers: [plaintext], saslBrokers: [sasl], clientId: 'sasl-connectors', learnerSasl: 'required' };
    connectors = registerConnectors(formats, { kafka: conn });
    admin = new Kafka({ brokers: [plaintext], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
  }, 180_000);
  afterAll(async () => {
    setKafkaClientFactory(null);
    await admin?.disconnect();
    await connectors?.close();
    await target.stop();
  });

  async function topicWith(values: string[]): Promise<string> {
    const topic = freshTopic('spark-streaming-store');
    await createTopicReady(admin, topic, 1);
    const producer = new Kafka({ brokers: conn.brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await producer.send({ topic, messages: values.map((value) => ({ value })) });
    await producer.disconnect();
    return topic;
  }

  /** Runs the tutorial's source with `password` into a memory sink; the rows, or the error as Spark names it. */
  async function read(topic: string, options: Record<string, string>): Promise<string[] | string> {
    const spark = SparkSession.builder.formats(formats).clock(new ManualClock(0)).getOrCreate();
    let reader = spark.readStream.format('kafka').option('kafka.bootstrap.servers', 'localhost:9092').option('subscribe', topic).option('startingOffsets', 'earliest');
    for (const [k, v] of Object.entries(options)) reader = reader.option(k, v);
    try {
      const q = reader.load().selectExpr('CAST(value AS STRING) AS v').writeStream.format('memory').queryName(`sasl_${Math.random().toString(36).slice(2)}`).start();
      try {
        await q.processAllAvailable();
        return (spark.memorySinks.get(q.name!)!.allRows() as [string][]).map(([v]) => v);
      } finally {
        await q.stop();
      }
    } catch (e) {
      // As in Spark: a StreamingQueryException whose cause is the Kafka client's exception.
      const cause = (e as { cause?: Error }).cause;
      return `${cause?.name ?? (e as Error).name}: ${cause?.message ?? (e as Error).message}`;
    }
  }

  const sasl = (password: string) => ({ 'kafka.security.protocol': 'SASL_PLAINTEXT', 'kafka.sasl.mechanism': 'SCRAM-SHA-512', 'kafka.sasl.jaas.config': jaas(password) });

  it('reads with the tutorial\'s SCRAM-SHA-512 options, and a wrong password fails as Spark fails against Kafka', async () => {
    const topic = await topicWith(['one', 'two']);
    expect(await read(topic, sasl(PASSWORD))).toEqual(['one', 'two']);
    expect(await read(topic, sasl('not-it'))).toBe(`SaslAuthenticationException: ${SCRAM_FAILED}`);
  });

  it('disconnects a query that does not authenticate, and refuses a broken JAAS line before connecting', async () => {
    const topic = await topicWith(['x']);
    expect(await read(topic, {})).toMatch(/^KafkaException: Disconnected by the broker before authenticating/);
    expect(await read(topic, { ...sasl(PASSWORD), 'kafka.sasl.jaas.config': jaas(PASSWORD).replace(';', '') })).toBe('IllegalArgumentException: JAAS config entry not terminated by semi-colon');
  });

  it('lets KafkaProducer and KafkaConsumer authenticate with kafka-python\'s settings', async () => {
    const topic = await topicWith([]);
    setKafkaClientFactory(kafkajsClientFactory(conn));
    const config = { security_protocol: 'SASL_PLAINTEXT', sasl_mechanism: 'SCRAM-SHA-512', sasl_plain_username: USER, sasl_plain_password: PASSWORD };
    const producer = new KafkaProducer(config);
    await producer.send(topic, { value: 'hello' });
    await producer.close();
    const consumer = new KafkaConsumer([topic], { ...config, auto_offset_reset: 'earliest' });
    const values: unknown[] = [];
    while (values.length === 0) values.push(...Object.values(await consumer.poll({ timeout_ms: 1000 })).flat().map((r) => r.value));
    await consumer.close();
    expect(values).toEqual(['hello']);
    const wrong = new KafkaProducer({ ...config, sasl_plain_password: 'not-it' });
    const err = await wrong.send(topic, { value: 'no' }).catch((e: Error) => `${e.name}: ${e.message}`);
    await wrong.close().catch(() => undefined);
    expect(err).toContain(SCRAM_FAILED);
  });
});
