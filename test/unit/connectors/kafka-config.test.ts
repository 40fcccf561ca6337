import { describe, expect, it } from 'vitest';
import { resolveKafkaConnection, TopicNames, KafkaOptionError } from '../../../runtime/src/connectors/kafka/kafka-connection.js';
import { reportDataLoss, KafkaDataLossError } from '../../../runtime/src/connectors/kafka/data-loss.js';
import { errorKind, isFatal, retrying } from '../../../runtime/src/connectors/kafka/retry.js';


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
      "Unsupported kafka.sasl.mechanism 'GSSAPI'",
    );
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
