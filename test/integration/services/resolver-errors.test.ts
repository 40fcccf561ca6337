/**
 * What a person reads when the test services cannot be had: every attempt, why it failed, how to fix
 * it. Cases that behave the same on every machine (no Docker needed, none assumed).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../services/free-port.js';
import { freshName, freshTopic } from '../../services/inject.js';
import { pins } from '../../services/kafka-dist.js';
import { startLocalKafka } from '../../services/local-kafka.js';
import { redactUrl, resolveKafka, resolvePostgres, servicesSetting, startTestServices } from '../../services/resolve.js';

const savedCacheDir = process.env.STREAMLAB_CACHE_DIR;
afterEach(() => {
  if (savedCacheDir === undefined) delete process.env.STREAMLAB_CACHE_DIR;
  else process.env.STREAMLAB_CACHE_DIR = savedCacheDir;
});

describe('test services resolver', () => {
  it('rejects an unknown STREAMLAB_SERVICES instead of guessing', () => {
    expect(() => servicesSetting({ STREAMLAB_SERVICES: 'docker' })).toThrow('STREAMLAB_SERVICES=docker is not one of auto, external, containers, local');
    expect(servicesSetting({})).toBe('auto');
    expect(servicesSetting({ STREAMLAB_SERVICES: ' local ' })).toBe('local');
  });

  it('in external mode without env names the variables to set', async () => {
    await expect(resolveKafka({ STREAMLAB_SERVICES: 'external' })).rejects.toThrow([
      'kafka: no working Kafka for the tests. Tried, in order:',
      '  - external: STREAMLAB_KAFKA / KAFKA_BROKERS not set',
      'How to fix:',
      '  * set STREAMLAB_KAFKA=host:port to a running broker (the tests then use only that broker)',
    ].join('\n'));
  });

  it('accepts KAFKA_BROKERS as the external Kafka and reports an unhealthy one without falling back', async () => {
    const closed = `127.0.0.1:${await freePort()}`;
    await expect(resolveKafka({ KAFKA_BROKERS: closed })).rejects.toThrow(`- external: KAFKA_BROKERS=${closed} is unhealthy:`);
  });

  it('reports an unreachable DATABASE_URL with its password hidden', async () => {
    const url = `postgres://app:s3cret@127.0.0.1:${await freePort()}/db`;
    const error = await resolvePostgres({ DATABASE_URL: url }).then(() => undefined, (e: Error) => e);
    expect(error?.message).toContain(`- external: DATABASE_URL=${redactUrl(url)} is unhealthy: connect ECONNREFUSED`);
    expect(error?.message).not.toContain('s3cret');
    expect(redactUrl(url)).toBe(url.replace('s3cret', '***'));
  });

  it('in local mode without cached jars says to run services:fetch', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'streamlab-empty-cache-'));
    process.env.STREAMLAB_CACHE_DIR = empty;
    try {
      await expect(startLocalKafka()).rejects.toThrow(`Kafka ${pins.kafka} jars are not in the cache`);
      await expect(resolveKafka({ STREAMLAB_SERVICES: 'local' })).rejects.toThrow(/- local: Kafka [\d.]+ jars are not in the cache \(.*\); run `npm run services:fetch`/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('fails the whole start with one message explaining every unavailable service', async () => {
    const closed = `127.0.0.1:${await freePort()}`;
    const pgClosed = `postgres://postgres@127.0.0.1:${await freePort()}/postgres`;
    const error = await startTestServices({ STREAMLAB_KAFKA: closed, DATABASE_URL: pgClosed }).then(() => undefined, (e: Error) => e);
    expect(error?.message.split('\n').filter((l) => /^\S/.test(l))).toEqual([
      'Streamlab test services are not available.',
      'kafka: no working Kafka for the tests. Tried, in order:',
      'How to fix:',
      'postgres: no working PostgreSQL for the tests. Tried, in order:',
      'How to fix:',
    ]);
  });
});

describe('fresh names', () => {
  it('makes distinct Kafka-legal topic names that keep the prefix', () => {
    const names = Array.from({ length: 50 }, () => freshTopic('orders/eu west'));
    expect(new Set(names).size).toBe(50);
    for (const name of names) expect(name).toMatch(/^orders-eu-west-[a-z0-9]+$/);
  });

  it('makes distinct SQL identifiers of at most 63 characters', () => {
    const names = Array.from({ length: 50 }, () => freshName(`9 Sensor-Readings ${'x'.repeat(80)}`));
    expect(new Set(names).size).toBe(50);
    for (const name of names) {
      expect(name).toMatch(/^_9_sensor_readings_x+_[a-z0-9]+$/);
      expect(name.length).toBeLessThanOrEqual(63);
    }
  });
});
