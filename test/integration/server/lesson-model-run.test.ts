/**
 * A run of lesson 06 through the real server and job process: the runtime reads the lesson's saved
 * model and hands it to the job, whose own permissions allow no file reads; `PipelineModel.load("model")`
 * works there, vector columns reach the Output panel as their values, and nothing else can be loaded.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { resolveConfig } from '../../../runtime/src/config.js';
import type { ServerMessageOf, StructuredBatchEvent } from '../../../runtime/src/protocol/index.js';
import { startRuntimeServer, type RuntimeServer } from '../../../runtime/src/server/runtime-server.js';
import { databaseUrl, kafkaBootstrap } from '../../services/inject.js';
import { TestClient } from './ws-client.js';

const TOKEN = 'lesson-model-run-token-0123456789';
const LESSONS = fileURLToPath(new URL('../../../lessons/', import.meta.url));
let server: RuntimeServer;
let client: TestClient;

beforeAll(async () => {
  server = await startRuntimeServer({ config: resolveConfig({ port: 0, token: TOKEN, lessonsDir: LESSONS }), services: { kafka: kafkaBootstrap(), pg: databaseUrl() } });
  client = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws?token=${TOKEN}`);
  expect(await client.hello(undefined, [1, 2, 3, 4])).toMatchObject({ kind: 'hello.ok', version: 4 });
});

afterAll(async () => {
  await client?.close();
  await server?.close();
});

const PIPELINE = `import { SparkSession, MemoryStream, functions as F, ml } from "streamlab";

export function main(): void {
  const spark = SparkSession.builder.appName("inference").getOrCreate();
  const rows = new MemoryStream("id INT, temperature DOUBLE, vibration DOUBLE, pressure DOUBLE, rpm DOUBLE", spark);
  rows.addData([9000, 56.6, 2.83, 82.5, 1427.0], [9040, 0, 0, 0, 1500]);
  ml.PipelineModel.load("model").transform(rows.toDF())
    .select("id", "raw_features", "probability", "prediction")
    .writeStream.format("console").queryName("inferences").start();
}
`;

async function run(content: string, lessonId?: string): Promise<string> {
  const reply = await client.request({ kind: 'run.start', ...(lessonId ? { lessonId } : {}), files: [{ path: 'pipeline.ts', content }], mode: 'manual' });
  if (reply.kind !== 'run.start.ok') throw new Error(JSON.stringify(reply));
  return reply.runId;
}

it('runs the lesson model in the job process and sends vectors as their values', async () => {
  const runId = await run(PIPELINE, '06-stream-inference');
  const batch = await client.waitFor((m) => m.kind === 'run.batch' && m.runId === runId) as StructuredBatchEvent;
  expect(batch.schema).toEqual([
    { name: 'id', type: 'int' }, { name: 'raw_features', type: 'vector' }, { name: 'probability', type: 'vector' }, { name: 'prediction', type: 'double' },
  ]);
  // Spark 3.5.7 gave [0.9527991418057538,0.04536565680780694,0.001835201386439191] for row 9000 (probe row 0 of train.py).
  expect(batch.rows[0]).toEqual({ id: 9000, raw_features: { values: [56.6, 2.83, 82.5, 1427] }, probability: { values: [0.9527991418057538, 0.04536565680780694, 0.001835201386439191] }, prediction: 0 });
  expect(batch.rows[1]).toMatchObject({ id: 9040, raw_features: { size: 4, indices: [3], values: [1500] } });
  const log = await client.waitFor((m) => m.kind === 'run.log' && m.runId === runId) as ServerMessageOf<'run.log'>;
  // The console truncates cells to 20 characters, as Spark's does.
  expect(log.text).toContain('|9000|[56.6,2.83,82.5,1...|[0.95279914180575...|       0.0|\n|9040|    (4,[3],[1500.0])|[0.99999887995030...|       0.0|');
  await client.request({ kind: 'run.stop', runId });
  expect((await client.runEnded(runId)).state).toBe('stopped');
});

it('finds no model outside the lesson, and no file through a model path', async () => {
  for (const [lessonId, path] of [[undefined, 'model'], ['06-stream-inference', '../06-stream-inference/model'], ['06-stream-inference', '/etc']] as const) {
    const runId = await run(PIPELINE.replace('load("model")', `load(${JSON.stringify(path)})`), lessonId);
    expect((await client.runEnded(runId)).state).toBe('failed');
    const error = client.messages.find((m) => m.kind === 'run.error' && m.runId === runId);
    expect(error, `${lessonId} ${path}`).toMatchObject({ kind: 'run.error', message: expect.stringContaining(`[PATH_NOT_FOUND] Path does not exist: ${path}.`), line: 7 });
  }
});
