/**
 * `export.pyspark` over the websocket: a lesson solution becomes a PySpark program; a program that
 * never reaches start() is reported without hurting the runtime (exports run in their own process).
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../runtime/src/config.js';
import { startRuntimeServer, type RuntimeServer } from '../../../runtime/src/server/runtime-server.js';
import { databaseUrl, kafkaBootstrap } from '../../services/inject.js';
import { TestClient } from './ws-client.js';

const TOKEN = 'export-test-token-0123456789';
let server: RuntimeServer;
let client: TestClient;

beforeAll(async () => {
  server = await startRuntimeServer({ config: resolveConfig({ port: 0, token: TOKEN }), services: { kafka: kafkaBootstrap(), pg: databaseUrl() } });
  client = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws?token=${TOKEN}`);
});

afterAll(async () => {
  await client?.close();
  await server?.close();
});

describe('export.pyspark', () => {
  it('is announced as a feature and exports lesson 03 as PySpark', async () => {
    expect(await client.hello()).toMatchObject({ kind: 'hello.ok', features: ['kafka', 'postgres', 'export.pyspark'] });
    const content = await readFile(new URL('../../../lessons/03-structured-windows/solution.ts', import.meta.url), 'utf8');
    const reply = await client.request({ kind: 'export.pyspark', lessonId: '03-structured-windows', files: [{ path: 'solution.ts', content }] });
    if (reply.kind !== 'export.pyspark.ok') throw new Error(JSON.stringify(reply));
    expect(reply.warnings).toEqual([]);
    expect(reply.source).toContain('lesson 03-structured-windows: exported from Streamlab to PySpark.');
    expect(reply.source).toContain('spark-submit --packages org.apache.spark:spark-sql-kafka-0-10_2.12:3.5.7,org.postgresql:postgresql:42.7.4 job.py');
    expect(reply.source).toContain('        .withWatermark("ts", "30 seconds")\n        .groupBy(F.window("ts", "1 minute"), "node_name")\n');
    expect(reply.source).toContain('    .outputMode("update")\n');
    // The solution runs two queries, the console and the report topic: the program waits for either.
    expect(reply.source).toContain('    .option("topic", "report")\n');
    expect(reply.source.trimEnd().endsWith('spark.streams.awaitAnyTermination()')).toBe(true);
  });

  it('reports a program that never reaches start(), and the runtime keeps answering', async () => {
    const content = 'import { SparkSession } from "streamlab";\nSparkSession.builder.getOrCreate();\nwhile (true) {}\n';
    const reply = await client.request({ kind: 'export.pyspark', files: [{ path: 'loop.ts', content }] });
    expect(reply).toMatchObject({ kind: 'error', code: 'invalid-request' });
    // The sandbox's loop guard names the loop.
    expect(reply.kind === 'error' && reply.message).toMatch(/^Your program could not be exported: This loop ran for more than 3 s without finishing, so the pipeline was stopped: check its condition\. \(loop\.ts:3:\d+\)$/);
    expect(await client.request({ kind: 'topics.list' })).toMatchObject({ kind: 'topics.list.ok' });
  });

  it('runs the program in the sandbox: no environment to read', async () => {
    process.env.STREAMLAB_EXPORT_TEST_SECRET = 'do-not-leak';
    try {
      const content = 'const leaked = JSON.stringify(process.env);\n'
        + 'import { SparkSession, MemoryStream } from "streamlab";\nconst spark = SparkSession.builder.getOrCreate();\n'
        + 'new MemoryStream("v INT", spark).toDF().writeStream.format("console").start();\n';
      const reply = await client.request({ kind: 'export.pyspark', files: [{ path: 'spy.ts', content }] });
      expect(reply).toMatchObject({
        kind: 'error', code: 'invalid-request',
        message: 'Your program could not be exported: Pipelines cannot read environment variables: the runtime connects Kafka and PostgreSQL for you. (spy.ts:1:39)',
      });
    } finally {
      delete process.env.STREAMLAB_EXPORT_TEST_SECRET;
    }
  });
});
