/**
 * `spark.sql` in a learner's Run over the websocket protocol, from a fresh data directory: a query
 * over a streaming view (a text source in the learner's folder) is a streaming query whose batches
 * reach the client, and SQL text that names a file by path (`json.\`/etc/hostname\``) or another
 * learner's file reads nothing: Streamlab refuses path queries and says what to write instead.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../runtime/src/config.js';
import { startRuntimeServer, type RuntimeServer } from '../../../runtime/src/server/runtime-server.js';
import { kafkaBootstrap } from '../../services/inject.js';
import { TestClient } from './ws-client.js';

const TOKEN = 'spark-sql-run-test-token-0123456789';
const LESSONS = fileURLToPath(new URL('../../../lessons', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'streamlab-spark-sql-test-'));
const workspace = join(dataDir, 'checkpoints', '_scratch');
const SECRET = 'secret-of-another-learner-0123456789';
let server: RuntimeServer;
let client: TestClient;

beforeAll(async () => {
  mkdirSync(join(dataDir, 'checkpoints', 'learners', 'learner-abc', '_scratch', 'in'), { recursive: true });
  writeFileSync(join(dataDir, 'checkpoints', 'learners', 'learner-abc', '_scratch', 'in', 'secret.txt'), `${SECRET}\n`);
  mkdirSync(join(workspace, 'in'), { recursive: true });
  writeFileSync(join(workspace, 'in', 'words.txt'), 'alpha\nskip\nbeta\n');
  server = await startRuntimeServer({ config: resolveConfig({ port: 0, token: TOKEN, dataDir, lessonsDir: LESSONS }), services: { kafka: kafkaBootstrap() } });
  client = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws?token=${TOKEN}`);
  await client.hello(undefined, [5]);
});

afterAll(async () => {
  await client?.close();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const ATTACKS = [
  'SELECT * FROM json.`/etc/hostname`',
  'SELECT * FROM text.`../learners/learner-abc/_scratch/in/secret.txt`',
  'SELECT * FROM nope',
];

const pipeline = `import { SparkSession } from "streamlab";
const spark = SparkSession.builder.getOrCreate();
spark.readStream.text("in").createOrReplaceTempView("lines");
for (const q of ${JSON.stringify(ATTACKS)}) {
  try {
    console.log("SQL " + JSON.stringify(spark.sql(q).collect()));
  } catch (e) {
    console.log("SQL " + (e as Error).message.split("\\n")[0]);
  }
}
const words = spark.sql("SELECT upper(value) AS word, length(value) AS n FROM lines WHERE value <> 'skip'");
console.log("STREAMING " + words.isStreaming);
words.writeStream.format("console").queryName("words").option("checkpointLocation", "cp/words").start();
`;

describe('spark.sql in a Run', () => {
  it('streams a query over a streaming view and reads no file by path', async () => {
    const reply = await client.request({ kind: 'run.start', files: [{ path: 'pipeline.ts', content: pipeline }], mode: 'system' });
    if (reply.kind !== 'run.start.ok') throw new Error(JSON.stringify(reply));
    const runId = reply.runId;
    const batch = await client.waitFor((m) => (m.kind === 'run.batch' && m.runId === runId && 'queryName' in m && m.queryName === 'words') || (m.kind === 'run.error' && m.runId === runId) || (m.kind === 'run.status' && m.runId === runId && m.state === 'failed'));
    expect(batch).toMatchObject({ kind: 'run.batch', batchId: 0, rows: [{ word: 'ALPHA', n: 5 }, { word: 'BETA', n: 4 }] });
    const logs = client.eventsOf(runId).map((m) => (m.kind === 'run.log' ? m.text : '')).filter((t) => /^(SQL|STREAMING) /.test(t));
    expect(logs).toEqual([
      "SQL [UNSUPPORTED_FEATURE] Querying files by path (json.`/etc/hostname`) is not supported by Streamlab's spark.sql: read them with spark.read.json(path) and register the DataFrame with createOrReplaceTempView.; line 1 pos 14",
      "SQL [UNSUPPORTED_FEATURE] Querying files by path (text.`../learners/learner-abc/_scratch/in/secret.txt`) is not supported by Streamlab's spark.sql: read them with spark.read.text(path) and register the DataFrame with createOrReplaceTempView.; line 1 pos 14",
      'SQL [TABLE_OR_VIEW_NOT_FOUND] The table or view `nope` cannot be found. Verify the spelling and correctness of the schema and catalog.',
      'STREAMING true',
    ]);
    expect(JSON.stringify(client.eventsOf(runId))).not.toContain(SECRET);
    expect(await client.request({ kind: 'run.stop', runId })).toMatchObject({ kind: 'run.stop.ok' });
    expect((await client.runEnded(runId)).state).toBe('stopped');
  }, 300_000);
});
