/**
 * startLocalKafka is what tests use when they need a broker of their own (restarts mid-run, the
 * embedded-broker conformance suite). Proves restart keeps address and data, stop cleans up, and a
 * caller-owned data dir outlives the broker.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { freshName, freshTopic } from '../../services/inject.js';
import { startLocalKafka } from '../../services/local-kafka.js';
import { createTopicReady } from '../../services/create-topic.js';

async function produce(bootstrap: string, topic: string, values: string[]): Promise<void> {
  const producer = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  try {
    await producer.send({ topic, messages: values.map((value) => ({ value })) });
  } finally {
    await producer.disconnect();
  }
}

async function readAll(bootstrap: string, topic: string, count: number): Promise<[number, string][]> {
  const consumer = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING }).consumer({ groupId: freshName('restart_group') });
  const seen: [number, string][] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer.run({
        eachMessage: async ({ message }) => {
          seen.push([Number(message.offset), message.value!.toString()]);
          if (seen.length === count) resolve();
        },
      }).catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(false); });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

describe('startLocalKafka', () => {
  it('restarts on the same address with its topics and offsets, and removes its temp dirs on stop', async () => {
    const broker = await startLocalKafka();
    try {
      expect(broker.bootstrap).toBe(`127.0.0.1:${broker.port}`);
      const topic = freshTopic('restart');
      const admin = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      await createTopicReady(admin, topic, 1);
      await admin.disconnect();
      await produce(broker.bootstrap, topic, ['a', 'b', 'c']);

      await broker.restart();

      await produce(broker.bootstrap, topic, ['d', 'e']);
      expect(await readAll(broker.bootstrap, topic, 5)).toEqual([[0, 'a'], [1, 'b'], [2, 'c'], [3, 'd'], [4, 'e']]);
    } finally {
      await broker.stop();
    }
    expect(existsSync(broker.dataDir)).toBe(false);
    expect(await refused(broker.port)).toBe(true);
  });

  it('leaves a caller-owned data dir in place, so a new broker on it sees the old data', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'streamlab-kafka-test-')), 'kraft');
    try {
      const first = await startLocalKafka({ dataDir });
      const topic = freshTopic('kept');
      try {
        const admin = new Kafka({ brokers: [first.bootstrap], logLevel: logLevel.NOTHING }).admin();
        await admin.connect();
        await createTopicReady(admin, topic, 1);
        await admin.disconnect();
        await produce(first.bootstrap, topic, ['x', 'y']);
      } finally {
        await first.stop();
      }
      expect(existsSync(join(dataDir, 'meta.properties'))).toBe(true);

      const second = await startLocalKafka({ dataDir });
      try {
        expect(await readAll(second.bootstrap, topic, 2)).toEqual([[0, 'x'], [1, 'y']]);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(join(dataDir, '..'), { recursive: true, force: true });
    }
  });
});
