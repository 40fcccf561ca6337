import { describe, expect, it } from 'vitest';
import { resolveKafkaConnection, TopicNames, KafkaOptionError } from '../../../runtime/src/connectors/kafka/kafka-connection.js';
import { reportDataLoss, KafkaDataLossError } from '../../../runtime/src/connectors/kafka/data-loss.js';
import { errorKind, isFatal, kafkaFailure, retrying, KafkaUnavailableError } from '../../../runtime/src/connectors/kafka/retry.js';
import { KafkaDirectInputFactory } from '../../../runtime/src/connectors/kafka/kafka-direct-input.js';


describe('Kafka connection resolution', () => {
  it('lets the runtime configuration win over the learner options', () => {
    const runtime = { brokers: ['10.0.0.1:9092'], topicPrefix: 'u7.' };
    expect(resolveKafkaConnection(runtime, { 'kafka.bootstrap.servers': 'evil:9092', 'kafka.client.id': 'mine' })).toEqual({
      brokers: ['10.0.0.1:9092'],
      topicPrefix: 'u7.',
      clientId: 'mine',
    });
  });

  it('maps the learner kafka.* options without a runtime, including SASL/SCRAM from a JAAS line', () => {
    expect(
      resolveKafkaConnection(undefined, {
        'kafka.bootstrap.servers': 'a:9092, b:9093',
        'kafka.security.protocol': 'SASL_SSL',
        'kafka.sasl.mechanism': 'SCRAM-SHA-512',
        'kafka.sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required username="alice" password="pw";',
      }),
    ).toEqual({
      brokers: ['a:9092', 'b:9093'],
      clientId: 'streamlab',
      ssl: true,
      sasl: { mechanism: 'scram-sha-512', username: 'alice', password: 'pw' },
    });
    expect(() => resolveKafkaConnection(undefined, {})).toThrow(
      new KafkaOptionError("Option 'kafka.bootstrap.servers' must be specified for configuring Kafka consumer"),
    );
    expect(() => resolveKafkaConnection(undefined, { 'kafka.bootstrap.servers': 'a:1', 'kafka.security.protocol': 'SASL_PLAINTEXT', 'kafka.sasl.mechanism': 'GSSAPI' })).toThrow(
      'sasl.mechanism is GSSAPI (Kerberos)',
    );
  });

  describe('on the runtime\'s Kafka', () => {
    const runtime = { brokers: ['127.0.0.1:9092'], saslBrokers: ['127.0.0.1:9093'] };
    const jaas = {
      'kafka.bootstrap.servers': 'somewhere:9092',
      'kafka.security.protocol': 'SASL_PLAINTEXT',
      'kafka.sasl.mechanism': 'SCRAM-SHA-512',
      'kafka.sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required username="spark-consumer" password="pw";',
    };

    it('keeps the runtime\'s address, and sends a learner who authenticates to the SASL listener with the learner\'s credentials', () => {
      expect(resolveKafkaConnection(runtime, { 'kafka.bootstrap.servers': 'somewhere:9092' })).toEqual({ ...runtime, clientId: 'streamlab' });
      expect(resolveKafkaConnection(runtime, jaas)).toEqual({ ...runtime, clientId: 'streamlab', brokers: ['127.0.0.1:9093'], sasl: { mechanism: 'scram-sha-512', username: 'spark-consumer', password: 'pw' } });
    });

    it('never lets a broken JAAS line pass: it fails as the Java client fails', () => {
      expect(() => resolveKafkaConnection(runtime, { ...jaas, 'kafka.sasl.jaas.config': jaas['kafka.sasl.jaas.config'].replace(';', '') })).toThrow('JAAS config entry not terminated by semi-colon');
      expect(() => resolveKafkaConnection(runtime, { ...jaas, 'kafka.sasl.jaas.config': '' })).toThrow("Could not find a 'KafkaClient' entry in the JAAS configuration");
    });

    it('disconnects code that does not authenticate when the lesson requires it, and refuses SASL where there is no SASL listener', () => {
      expect(() => resolveKafkaConnection({ ...runtime, learnerSasl: 'required' }, { 'kafka.bootstrap.servers': 'x:1' })).toThrow('Disconnected by the broker before authenticating');
      expect(() => resolveKafkaConnection({ brokers: ['127.0.0.1:9092'] }, jaas)).toThrow('Unexpected handshake request with client mechanism SCRAM-SHA-512, enabled mechanisms are []');
    });
  });

  it('maps topic names under a prefix', () => {
    const n = new TopicNames('s1.');
    expect(n.toBroker('report')).toBe('s1.report');
    expect(n.fromBroker('s1.report')).toBe('report');
    expect(n.fromBroker('s2.report')).toBeUndefined();
    expect(new TopicNames().fromBroker('x')).toBe('x');
  });
});

describe('data loss and retries', () => {
  it('throws with failOnDataLoss and warns without', () => {
    const warnings: string[] = [];
    expect(() => reportDataLoss(true, (m) => warnings.push(m), 'Cannot fetch offset 3', 't', 0)).toThrow(KafkaDataLossError);
    reportDataLoss(false, (m) => warnings.push(m), 'Cannot fetch offset 3', 't', 0);
    expect(warnings).toEqual([
      'Cannot fetch offset 3. Some data may have been lost because they are not available in Kafka any more; either the data was aged out by Kafka or the topic may have been deleted before all the data in the topic was processed. If you want your streaming query to fail on such cases, set the source option "failOnDataLoss" to "true".',
    ]);
  });

  it('retries transient errors and stops on fatal ones', async () => {
    let calls = 0;
    expect(
      await retrying(async () => {
        calls++;
        if (calls < 3) throw Object.assign(new Error('closed'), { name: 'KafkaJSConnectionError' });
        return 'ok';
      }),
    ).toBe('ok');
    expect(calls).toBe(3);
    const wrapped = Object.assign(new Error('outer'), { name: 'KafkaJSNumberOfRetriesExceeded', cause: Object.assign(new Error('auth'), { type: 'SASL_AUTHENTICATION_FAILED' }) });
    expect(errorKind(wrapped)).toBe('SASL_AUTHENTICATION_FAILED');
    expect(isFatal(wrapped)).toBe(true);
    let fatalCalls = 0;
    await expect(
      retrying(async () => {
        fatalCalls++;
        throw new TypeError('bug');
      }),
    ).rejects.toThrow('bug');
    expect(fatalCalls).toBe(1);
  });
});

describe('DStream direct input options and Kafka failures', () => {
  it('takes bootstrap.servers from kafkaParams and rejects an invalid auto.offset.reset', () => {
    const factory = new KafkaDirectInputFactory();
    expect(factory.createDirectInput(['sensors'], { 'bootstrap.servers': 'h:9092' }).name).toBe('kafka[sensors]');
    expect(() => factory.createDirectInput(['sensors'], { 'bootstrap.servers': 'h:9092', 'auto.offset.reset': 'none' })).toThrow(
      'Invalid value none for configuration auto.offset.reset: String must be one of: latest, earliest, none',
    );
    expect(() => factory.createDirectInput(['sensors'], {})).toThrow("Option 'kafka.bootstrap.servers' must be specified");
  });

  it('turns a final kafkajs error into one sentence and lets Spark-style errors through', () => {
    const refused = Object.assign(new Error('outer'), {
      name: 'KafkaJSNumberOfRetriesExceeded',
      cause: Object.assign(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9'), { name: 'KafkaJSConnectionError' }),
    });
    const wrapped = kafkaFailure(refused, ['127.0.0.1:9'], 'reading') as Error;
    expect(wrapped).toBeInstanceOf(KafkaUnavailableError);
    expect(wrapped.message).toBe('Kafka is not reachable at 127.0.0.1:9 while reading: Connection error: connect ECONNREFUSED 127.0.0.1:9');
    const loss = new KafkaDataLossError('Cannot fetch offset 3', 't', 0);
    expect(kafkaFailure(loss, ['h:1'], 'reading')).toBe(loss);
  });
});
