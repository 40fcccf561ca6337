/**
 * Real Kafka clients with idempotence on (their default) against the embedded broker and real Apache
 * Kafka, with the same assertions: the Java producer Spark 3.5.7 ships (kafka-clients 3.4.1), Spark's
 * own Kafka sink, and kafka-python 3 (the temperature tutorial's client). Each writes every record
 * once, from a producer id with sequences 0, 1, 2, ... (read back from the stored batches).
 * Needs `npm run services:fetch` (PySpark and kafka-python venvs); a missing one fails with that.
 */
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pysparkProblem } from '../../parity/pyspark-dist.js';
import { freshTopic } from '../../services/inject.js';
import { kafkaPythonProblem } from '../../services/python-clients.js';
import { javaProducer, kafkaPython, sparkSink } from './client-programs.js';
import { storedBatches } from './stored-batches.js';
import { stopEmbedded, TARGETS, type Target } from './targets.js';

afterAll(stopEmbedded);

describe.each(TARGETS)('real clients with idempotence on: $name', (target: Target) => {
  let bootstrap: string;
  let kafka: Kafka;
  let admin: ReturnType<Kafka['admin']>;

  beforeAll(async () => {
    for (const problem of [pysparkProblem(), kafkaPythonProblem()]) if (problem) throw new Error(problem);
    bootstrap = await target.bootstrap();
    kafka = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
  });
  afterAll(() => admin?.disconnect());

  async function topic(): Promise<string> {
    const t = freshTopic('idem');
    await admin.createTopics({ topics: [{ topic: t, numPartitions: 1 }], waitForLeaders: true });
    return t;
  }

  /** The values of partition 0, read with kafkajs. */
  async function values(t: string, n: number): Promise<string[]> {
    const consumer = kafka.consumer({ groupId: `${t}-reader`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: t, fromBeginning: true });
    const seen: string[] = [];
    const done = new Promise<void>((resolve) => {
      void consumer.run({ eachMessage: async ({ message }) => {
        seen.push(String(message.value));
        if (seen.length === n) resolve();
      } });
    });
    await done;
    await consumer.disconnect();
    return seen;
  }

  /** Producer ids and sequences of the stored batches, as [batches from one id?, sequences]. */
  async function idempotence(t: string): Promise<{ oneProducer: boolean; sequences: number[] }> {
    const batches = await storedBatches(bootstrap, t);
    const ids = new Set(batches.map((b) => b.producerId));
    const sequences = batches.flatMap((b) => Array.from({ length: b.recordsCount }, (_, i) => b.baseSequence + i));
    return { oneProducer: ids.size === 1 && [...ids][0]! >= 0, sequences };
  }

  it('the Java producer Spark ships (kafka-clients 3.4.1) writes each record once, as an idempotent producer', async () => {
    const t = await topic();
    const run = await javaProducer(bootstrap, t, 5);
    expect(run.stdout.trim().split('\n'), run.stderr.slice(-2000)).toEqual(['0:0', '0:1', '0:2', '0:3', '0:4']);
    expect(await values(t, 5)).toEqual(['v0', 'v1', 'v2', 'v3', 'v4']);
    expect(await idempotence(t)).toEqual({ oneProducer: true, sequences: [0, 1, 2, 3, 4] });
  });

  it('Spark 3.5.7\'s Kafka sink writes a DataFrame through the same producer', async () => {
    const t = await topic();
    const run = await sparkSink(bootstrap, t, 4);
    expect(run.stdout.trim(), run.stderr.slice(-3000)).toBe('OK 4');
    expect((await values(t, 4)).sort()).toEqual(['v0', 'v1', 'v2', 'v3']);
    expect(await idempotence(t)).toEqual({ oneProducer: true, sequences: [0, 1, 2, 3] });
  });

  it('kafka-python 3 (the tutorial\'s client) produces with its defaults and reads the records back', async () => {
    const t = await topic();
    const run = await kafkaPython(bootstrap, t, 3);
    expect(run.stdout.trim().split('\n'), run.stderr.slice(-2000)).toEqual(['0:0', '0:1', '0:2', 'READ ["v0", "v1", "v2"]']);
    expect(await idempotence(t)).toEqual({ oneProducer: true, sequences: [0, 1, 2] });
  });
});
