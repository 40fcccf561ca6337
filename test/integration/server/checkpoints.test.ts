/**
 * Learner runs keep their checkpoints on disk in the data directory, one folder per lesson: a query
 * run again resumes after the last batch it committed, `checkpoints.reset` forgets that, and a
 * `checkpointLocation` cannot point the job anywhere else.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../runtime/src/config.js';
import type { ServerMessageOf } from '../../../runtime/src/protocol/index.js';
import { startRuntimeServer, type RuntimeServer } from '../../../runtime/src/server/runtime-server.js';
import { kafkaBootstrap } from '../../services/inject.js';
import { topicWithMessages } from '../../services/kafka-topics.js';
import { TestClient } from './ws-client.js';

const TOKEN = 'checkpoints-test-token-0123456789';
const LESSON = '01-kafka-basics';
const LESSONS = fileURLToPath(new URL('../../../lessons', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'streamlab-checkpoints-test-'));
let server: RuntimeServer;
let client: TestClient;
let topic: string;

beforeAll(async () => {
  topic = await topicWithMessages('server-checkpoints', 1, [{ key: 's1', value: '21.5' }, { key: 's2', value: '19.0' }]);
  server = await startRuntimeServer({ config: resolveConfig({ port: 0, token: TOKEN, dataDir, lessonsDir: LESSONS }), services: { kafka: kafkaBootstrap() } });
  client = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws?token=${TOKEN}`);
  await client.hello(undefined, [5]);
});

afterAll(async () => {
  await client?.close();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const pipeline = (location: string) => `import { SparkSession, functions as F } from "streamlab";
const spark = SparkSession.builder.getOrCreate();
spark.readStream.format("kafka")
  .option("kafka.bootstrap.servers", "ignored:9092")
  .option("subscribe", "${topic}")
  .option("startingOffsets", "earliest")
  .load()
  .select(F.col("key").cast("string").alias("sensor"), "offset")
  .writeStream.format("console").queryName("readings")
  .option("checkpointLocation", "${location}")
  .start();
`;

type StructuredBatch = Extract<ServerMessageOf<'run.batch'>, { api: 'structured' }>;

/** Runs the pipeline until its first batch, stops it, and returns that batch. */
async function firstBatch(location = '/tmp/checkpoints/readings'): Promise<StructuredBatch> {
  const reply = await client.request({ kind: 'run.start', lessonId: LESSON, files: [{ path: 'pipeline.ts', content: pipeline(location) }], mode: 'system' });
  if (reply.kind !== 'run.start.ok') throw new Error(JSON.stringify(reply));
  const first = await client.waitFor((m) => (m.kind === 'run.batch' || m.kind === 'run.error') && m.runId === reply.runId);
  if (first.kind !== 'run.batch' || !('api' in first) || first.api !== 'structured') throw new Error(JSON.stringify(first));
  expect(await client.request({ kind: 'run.stop', runId: reply.runId })).toMatchObject({ kind: 'run.stop.ok' });
  expect((await client.runEnded(reply.runId)).state).toBe('stopped');
  return first;
}

async function produce(key: string, value: string): Promise<void> {
  const producer = new Kafka({ brokers: [kafkaBootstrap()], logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  await producer.send({ topic, messages: [{ key, value }] });
  await producer.disconnect();
}

describe('learner checkpoints', () => {
  it('are on disk in the lesson folder, and a second run resumes after the committed batch', async () => {
    const first = await firstBatch();
    expect([first.batchId, first.rows]).toEqual([0, [{ sensor: 's1', offset: 0 }, { sensor: 's2', offset: 1 }]]);
    const cp = join(dataDir, 'checkpoints', LESSON, 'tmp', 'checkpoints', 'readings');
    expect(readdirSync(join(cp, 'commits'))).toEqual(['0']);
    expect(existsSync(join(cp, 'metadata'))).toBe(true);

    await produce('s3', '22.0');
    const second = await firstBatch();
    expect([second.batchId, second.rows, second.progress.id]).toEqual([1, [{ sensor: 's3', offset: 2 }], first.progress.id]);
  });

  it('checkpoints.reset forgets them: the next run starts from the beginning', async () => {
    expect(await client.request({ kind: 'checkpoints.reset', lessonId: LESSON })).toEqual({ kind: 'checkpoints.reset.ok', id: expect.any(String), lessonId: LESSON, removed: 1 });
    expect(existsSync(join(dataDir, 'checkpoints', LESSON))).toBe(false);
    const again = await firstBatch();
    expect([again.batchId, again.rows]).toEqual([0, [{ sensor: 's1', offset: 0 }, { sensor: 's2', offset: 1 }, { sensor: 's3', offset: 2 }]]);
  });

  it('refuses to reset while a run of the lesson is going', async () => {
    const reply = await client.request({ kind: 'run.start', lessonId: LESSON, files: [{ path: 'pipeline.ts', content: pipeline('/tmp/checkpoints/readings') }], mode: 'system' });
    if (reply.kind !== 'run.start.ok') throw new Error(JSON.stringify(reply));
    await client.waitFor((m) => m.kind === 'run.status' && m.runId === reply.runId && m.state === 'running');
    expect(await client.request({ kind: 'checkpoints.reset', lessonId: LESSON })).toMatchObject({
      kind: 'error', code: 'busy', message: 'Stop the run first: its queries are using the saved state.',
    });
    await client.request({ kind: 'run.stop', runId: reply.runId });
    await client.runEnded(reply.runId);
  });

  it('keeps a checkpointLocation that climbs out inside the lesson folder', async () => {
    await firstBatch('../../../../../../escaped');
    expect(existsSync(join(dataDir, 'checkpoints', LESSON, 'escaped', 'commits', '0'))).toBe(true);
    expect(existsSync(join(dataDir, '..', 'escaped'))).toBe(false);
    expect(client.invalid).toEqual([]);
  });
});
