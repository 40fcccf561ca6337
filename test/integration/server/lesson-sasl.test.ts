/**
 * A lesson whose Kafka requires SASL, through `streamlab start`'s own wiring: the embedded broker opens
 * a SASL_PLAINTEXT listener where the users of the lessons' front matter exist, and a run of lesson 04
 * (whose front matter says `kafka.sasl`) authenticates there with the learner's own options. Code that
 * does not authenticate is disconnected, and a wrong password is refused with Kafka's message.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../runtime/src/config.js';
import type { ServerMessageOf } from '../../../runtime/src/protocol/index.js';
import { startRuntime, type StartedRuntime } from '../../../runtime/src/server/start-command.js';
import { databaseUrl, freshTopic } from '../../services/inject.js';
import { TestClient } from './ws-client.js';

const TOKEN = 'lesson-sasl-test-token-0123456789';
const LESSON = '04-report-topic-and-output-modes';
const LESSONS = fileURLToPath(new URL('../../../lessons', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'streamlab-lesson-sasl-'));
const topic = freshTopic('store');
let runtime: StartedRuntime;
let client: TestClient;
const stderr: string[] = [];

beforeAll(async () => {
  runtime = await startRuntime(resolveConfig({ port: 0, token: TOKEN, dataDir, lessonsDir: LESSONS, pg: databaseUrl(), open: false }), { out: () => {}, err: (l) => stderr.push(l) });
  // The runtime's own tools use the PLAINTEXT listener, as Kafka's admin clients inside a cluster do.
  const bootstrap = /embedded broker at (\S+)/.exec(stderr.join('\n'))![1]!;
  const kafka = new Kafka({ brokers: [bootstrap], clientId: 'lesson-sasl-test', logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: ['gw-1', 'gw-2', 'gw-1'].map((origin) => ({ value: JSON.stringify({ origin }) })) });
  await producer.disconnect();
  client = await TestClient.connect(`ws://127.0.0.1:${runtime.server.port}/ws?token=${TOKEN}`);
  await client.hello(undefined, [5]);
});

afterAll(async () => {
  await client?.close();
  await runtime?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const JAAS = (mechanism: string, password: string) =>
  `${mechanism === 'PLAIN' ? 'org.apache.kafka.common.security.plain.PlainLoginModule' : 'org.apache.kafka.common.security.scram.ScramLoginModule'} required username="spark-streaming" password="${password}";`;

/** Lesson 04's count by origin over this test's topic, with `sasl` options (none: PLAINTEXT). */
const pipeline = (sasl: { mechanism: string; password: string } | null) => `import { SparkSession, functions as F } from "streamlab";
const spark = SparkSession.builder.getOrCreate();
spark.readStream.format("kafka")
  .option("kafka.bootstrap.servers", "localhost:9092")
  ${sasl ? `.option("kafka.security.protocol", "SASL_PLAINTEXT").option("kafka.sasl.mechanism", "${sasl.mechanism}").option("kafka.sasl.jaas.config", ${JSON.stringify(JAAS(sasl.mechanism, sasl.password))})` : ''}
  .option("subscribe", "${topic}")
  .option("startingOffsets", "earliest")
  .load()
  .select(F.from_json(F.col("value").cast("string"), "origin STRING").alias("e"))
  .groupBy("e.origin").count()
  .writeStream.outputMode("complete").format("console").start();
`;

type Outcome = ServerMessageOf<'run.batch'> | ServerMessageOf<'run.error'>;

async function firstOutcome(lessonId: string, sasl: { mechanism: string; password: string } | null): Promise<Outcome> {
  const reply = await client.request({ kind: 'run.start', lessonId, files: [{ path: 'pipeline.ts', content: pipeline(sasl) }], mode: 'system' });
  if (reply.kind !== 'run.start.ok') throw new Error(JSON.stringify(reply));
  const first = await client.waitFor((m) => (m.kind === 'run.batch' || m.kind === 'run.error') && m.runId === reply.runId) as Outcome;
  await client.request({ kind: 'run.stop', runId: reply.runId });
  return first;
}

const rows = (o: Outcome) => (o.kind === 'run.batch' && 'rows' in o ? o.rows.map((r) => [r.origin, r.count]) : JSON.stringify(o));

describe('a lesson whose Kafka requires SASL, on streamlab start\'s embedded broker', () => {
  it('says where the SASL listener is', () => {
    expect(stderr.join('\n')).toMatch(/its SASL_PLAINTEXT listener \(PLAIN, SCRAM-SHA-256, SCRAM-SHA-512\) is at 127\.0\.0\.1:\d+/);
  });

  it('runs code that authenticates with SCRAM-SHA-512 as the lesson\'s user', async () => {
    const first = await firstOutcome(LESSON, { mechanism: 'SCRAM-SHA-512', password: 'c7Vq2mXe9LbR' });
    expect(rows(first)).toEqual([['gw-1', 2], ['gw-2', 1]]);
  });

  it('disconnects code that does not authenticate, as a SASL-only listener does', async () => {
    const first = await firstOutcome(LESSON, null);
    expect(first.kind === 'run.error' && first.message).toContain('Disconnected by the broker before authenticating: its listener requires SASL');
  });

  it('refuses a wrong password with Kafka\'s message', async () => {
    const first = await firstOutcome(LESSON, { mechanism: 'SCRAM-SHA-512', password: 'not-the-password' });
    expect(first.kind === 'run.error' && first.message).toContain('Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512');
  });

  it('lets code of a lesson without SASL connect without it', async () => {
    const first = await firstOutcome('03-structured-windows', null);
    expect(rows(first)).toEqual([['gw-1', 2], ['gw-2', 1]]);
  });
});
