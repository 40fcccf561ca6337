import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { murmur2, partitionForKey } from './murmur2.js';

// kafkajs's Java-compatible default partitioner hash, to compare with a real client's choice.
const kafkajsMurmur2 = createRequire(import.meta.url)('kafkajs/src/producer/partitioners/default/murmur2.js') as (key: Buffer) => number;

describe('murmur2', () => {
  it("matches the Java client's Utils.murmur2 test vector", () => {
    expect(murmur2(new TextEncoder().encode('21'))).toBe(-973932308);
  });

  it("agrees with kafkajs's default partitioner for keys of every tail length", () => {
    const keys = ['', 'a', 'ab', 'abc', 'abcd', 'sensor-1', 'sensor-2', 'sensor-3', 'sensor-gateway-1 (10.1.0.17)', 'ünïcødé-ключ'];
    expect(keys.map((k) => murmur2(new TextEncoder().encode(k)))).toEqual(keys.map((k) => kafkajsMurmur2(Buffer.from(k))));
  });

  it('puts the lesson sensors where Kafka puts them on three partitions', () => {
    expect(['sensor-1', 'sensor-2', 'sensor-3'].map((k) => partitionForKey(k, 3))).toEqual([1, 1, 2]);
  });
});
