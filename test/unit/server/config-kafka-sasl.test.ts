/** The runtime's Kafka SASL listener setting: flag over environment, and only with an external Kafka. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../runtime/src/config.js';

describe('kafkaSasl', () => {
  it('comes from STREAMLAB_KAFKA_SASL, and --kafka-sasl wins over it', () => {
    const env = { STREAMLAB_KAFKA: 'kafka:9092', STREAMLAB_KAFKA_SASL: 'kafka:9095' };
    expect(loadConfig({}, env).kafkaSasl).toBe('kafka:9095');
    expect(loadConfig({ kafkaSasl: 'broker-1:9096,broker-2:9096' }, env).kafkaSasl).toBe('broker-1:9096,broker-2:9096');
    expect(loadConfig({}, { STREAMLAB_KAFKA: 'kafka:9092' }).kafkaSasl).toBeUndefined();
  });

  it('refuses an empty listener', () => {
    expect(() => loadConfig({ kafkaSasl: '' }, {})).toThrow(/kafkaSasl/);
  });
});
