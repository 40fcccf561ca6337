/**
 * A query on a Kafka topic that does not exist yet says that it is waiting for it (in the run's
 * output, which the workbench's console and `streamlab run` show), and starts reading once it exists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { resolveConfig } from '../../../runtime/src/config.js';
import { startRuntimeServer, type RuntimeServer } from '../../../runtime/src/server/runtime-server.js';
import { freshTopic, kafkaBootstrap } from '../../services/inject.js';
import { TestClient } from './ws-client.js';
import { createTopicReady } from '../../services/create-topic.js';

const TOKEN = 'missing-topic-token-0123456789';
let server: RuntimeServer;
let client: TestClient;

beforeAll(async () => {
  server = await startRuntimeServer({ config: resolveConfig({ port: 0, token: TOKEN }), services: { kafka: kafkaBootstrap() } });
  client = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws?token=${TOKEN}`);
  await client.hello(undefined, [6]);
});

afterAll(async () => {
  await client?.close();
  await server?.close();
});

describe('a query on a missing topic', () => {
  it('says it is waiting for the topic, then reads it once it exists', async () => {
    const topic = freshTopic('not-yet');
    const started = await client.request({
      kind: 'run.start', mode: 'system', files: [{ path: 'pipeline.ts', content: `import { SparkSession } from "streamlab";

export function main(): void {
  const spark = SparkSession.builder.getOrCreate();
  spark.readStream.format("kafka").option("kafka.bootstrap.servers", "localhost:9092").option("subscribe", "${topic}")
    .option("startingOffsets", "earliest").load()
    .selectExpr("CAST(value AS STRING) AS v")
    .writeStream.format("memory").queryName("seen").trigger({ processingTime: "200 milliseconds" }).start();
}
` }],
    });
    if (started.kind !== 'run.start.ok') throw new Error(JSON.stringify(started));
    const logs = () => client.eventsOf(started.runId).flatMap((e) => (e.kind === 'run.log' ? [e.text] : []));
    await client.waitFor((m) => m.kind === 'run.log' && m.runId === started.runId);
    expect(logs()).toEqual([`Waiting for topic "${topic}": it does not exist yet. Create it in the Topics panel or produce to it, and this query starts reading it.`]);

    const kafka = new Kafka({ brokers: [kafkaBootstrap()], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await createTopicReady(admin, topic, 1);
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'hello' }] });
    await producer.disconnect();

    const rowsOf = (m: unknown) => (m as { rows?: unknown[] }).rows ?? [];
    const batch = await client.waitFor((m) => m.kind === 'run.batch' && m.runId === started.runId && rowsOf(m).length > 0);
    expect(rowsOf(batch)).toEqual([{ v: 'hello' }]);
    expect(logs()).toEqual([
      `Waiting for topic "${topic}": it does not exist yet. Create it in the Topics panel or produce to it, and this query starts reading it.`,
      `Topic "${topic}" exists now: reading it.`,
    ]);
    expect(client.eventsOf(started.runId).filter((e) => e.kind === 'run.error')).toEqual([]);
    await client.request({ kind: 'run.stop', runId: started.runId });
    expect((await client.runEnded(started.runId)).state).toBe('stopped');
  });
});
