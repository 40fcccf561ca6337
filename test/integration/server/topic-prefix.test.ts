/**
 * A runtime with a topic prefix (one learner on a shared classroom Kafka): the learner's topics live
 * under the prefix on the broker, topics outside it are invisible, and runs read the prefixed topics
 * under their short names.
 */
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../runtime/src/config.js';
import { startRuntimeServer, type RuntimeServer } from '../../../runtime/src/server/runtime-server.js';
import { databaseUrl, freshName, freshTopic, kafkaBootstrap } from '../../services/inject.js';
import { TestClient } from './ws-client.js';
import { createTopicReady } from '../../services/create-topic.js';

const TOKEN = 'prefix-test-token-0123456789';
const PREFIX = `${freshName('ada')}.`;
const kafka = new Kafka({ brokers: [kafkaBootstrap()], logLevel: logLevel.NOTHING });
let server: RuntimeServer;
let client: TestClient;

beforeAll(async () => {
  server = await startRuntimeServer({ config: resolveConfig({ port: 0, token: TOKEN, topicPrefix: PREFIX }), services: { kafka: kafkaBootstrap(), pg: databaseUrl() } });
  client = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws?token=${TOKEN}`);
  await client.hello();
});

afterAll(async () => {
  await client?.close();
  await server?.close();
});

describe('topic prefix', () => {
  it('creates the learner topic under the prefix and hides topics outside it', async () => {
    const admin = kafka.admin();
    await admin.connect();
    const outside = freshTopic('someone-else');
    await createTopicReady(admin, outside, 1);

    // A short name no other test makes on the shared broker, so its absence there is the prefix's doing.
    const short = freshName('report');
    expect(await client.request({ kind: 'topics.create', topic: short, partitions: 2 })).toMatchObject({ kind: 'topics.create.ok', topic: short });
    const onBroker = await admin.listTopics();
    expect(onBroker).toContain(`${PREFIX}${short}`);
    expect(onBroker).not.toContain(short);

    const list = await client.request({ kind: 'topics.list' });
    if (list.kind !== 'topics.list.ok') throw new Error(JSON.stringify(list));
    expect(list.topics).toEqual([{ name: short, partitions: 2, endOffsets: ['0', '0'] }]);
    expect(await client.request({ kind: 'topics.tail', topic: outside, from: 'earliest' })).toMatchObject({ kind: 'error', code: 'not-found' });
    await admin.disconnect();
  });

  it('runs read the prefixed topic under its short name', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await createTopicReady(admin, `${PREFIX}readings`, 1);
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: `${PREFIX}readings`, messages: [{ key: 's1', value: '21.5' }] });
    await producer.disconnect();
    const content = `import { SparkSession, functions as F } from "streamlab";
const spark = SparkSession.builder.getOrCreate();
spark.readStream.format("kafka").option("kafka.bootstrap.servers", "localhost:9092").option("subscribe", "readings")
  .option("startingOffsets", "earliest").load()
  .select(F.col("topic"), F.col("key").cast("string").alias("sensor"), F.col("value").cast("string").cast("double").alias("temp"))
  .writeStream.format("console").queryName("readings").start();
`;
    const reply = await client.request({ kind: 'run.start', files: [{ path: 'pipeline.ts', content }], mode: 'system' });
    if (reply.kind !== 'run.start.ok') throw new Error(JSON.stringify(reply));
    const first = await client.waitFor((m) => (m.kind === 'run.batch' || m.kind === 'run.error') && m.runId === reply.runId);
    expect(first).toMatchObject({ kind: 'run.batch', batchId: 0, rows: [{ topic: 'readings', sensor: 's1', temp: 21.5 }], totalRows: 1 });
    expect(await client.request({ kind: 'run.stop', runId: reply.runId })).toMatchObject({ kind: 'run.stop.ok' });
  });
});
