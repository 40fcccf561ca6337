/**
 * File sources and sinks in a learner's Run: paths resolve inside the run's own folder (the lesson's
 * folder in the data directory, next to its checkpoints) whatever they say. A hostile pipeline that
 * names another learner's files, the runtime's state file, a lesson's solution, `/etc`, `..`, a file
 * URL, or a symbolic link planted in its folder that leads out of it reads none of them; a file sink
 * told to write above its folder writes inside it.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../runtime/src/config.js';
import { startRuntimeServer, type RuntimeServer } from '../../../runtime/src/server/runtime-server.js';
import { kafkaBootstrap } from '../../services/inject.js';
import { TestClient } from './ws-client.js';

const TOKEN = 'file-sources-test-token-0123456789';
const LESSONS = fileURLToPath(new URL('../../../lessons', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'streamlab-file-sources-test-'));
const workspace = join(dataDir, 'checkpoints', '_scratch');
const SECRET = 'secret-of-the-runtime-0123456789';
let server: RuntimeServer;
let client: TestClient;

beforeAll(async () => {
  // What a hostile learner would like to read: the runtime's state file, another learner's files.
  writeFileSync(join(dataDir, 'runtime.json'), JSON.stringify({ token: SECRET }));
  mkdirSync(join(dataDir, 'checkpoints', 'learners', 'learner-abc', '_scratch', 'in'), { recursive: true });
  writeFileSync(join(dataDir, 'checkpoints', 'learners', 'learner-abc', '_scratch', 'in', 'secret.txt'), `${SECRET}\n`);
  // The learner's own folder, with links out of it planted in it.
  mkdirSync(join(workspace, 'in'), { recursive: true });
  writeFileSync(join(workspace, 'in', 'mine.txt'), 'mine\n');
  symlinkSync(join(dataDir, 'runtime.json'), join(workspace, 'in', 'link.txt'));
  symlinkSync(join(dataDir, 'checkpoints', 'learners', 'learner-abc', '_scratch', 'in'), join(workspace, 'in2'));
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
  '../learners/learner-abc/_scratch/in/secret.txt',
  '../../runtime.json',
  '/etc/hostname',
  'file:///etc/hostname',
  `${LESSONS}/03-structured-windows/solution.ts`,
  'in/link.txt',
  'in2/secret.txt',
  'in2',
];

const pipeline = `import { SparkSession } from "streamlab";
const spark = SparkSession.builder.getOrCreate();
for (const path of ${JSON.stringify(ATTACKS)}) {
  for (const format of ["text", "json"]) {
    try {
      console.log("READ " + format + " " + path + " => " + JSON.stringify(spark.read.format(format).load(path).collect()));
    } catch (e) {
      console.log("READ " + format + " " + path + " => " + (e as Error).message);
    }
  }
  try {
    spark.readStream.text(path);
    console.log("STREAM " + path + " => opened");
  } catch (e) {
    console.log("STREAM " + path + " => " + (e as Error).message);
  }
}
spark.readStream.text("in").writeStream.format("console").queryName("lines").option("checkpointLocation", "cp/lines").start();
spark.readStream.text("in").writeStream.format("json").queryName("escape").option("path", "../../../../escaped").option("checkpointLocation", "cp/escape").start();
`;

describe('file sources and sinks in a Run', () => {
  it('read and write inside the learner folder only', async () => {
    const reply = await client.request({ kind: 'run.start', files: [{ path: 'pipeline.ts', content: pipeline }], mode: 'system' });
    if (reply.kind !== 'run.start.ok') throw new Error(JSON.stringify(reply));
    const runId = reply.runId;
    const batchOf = (name: string) => client.waitFor((m) => (m.kind === 'run.batch' && m.runId === runId && 'queryName' in m && m.queryName === name) || (m.kind === 'run.error' && m.runId === runId) || (m.kind === 'run.status' && m.runId === runId && m.state === 'failed'));
    const lines = await batchOf('lines');
    expect(lines).toMatchObject({ kind: 'run.batch', batchId: 0, rows: [{ value: 'mine' }] });
    const escape = await batchOf('escape');
    expect(escape).toMatchObject({ kind: 'run.batch', batchId: 0 });
    const logs = client.eventsOf(runId).map((m) => (m.kind === 'run.log' ? m.text : '')).filter((t) => /^(READ|STREAM) /.test(t));
    const expected: string[] = [];
    for (const path of ATTACKS) {
      for (const format of ['text', 'json']) expected.push(`READ ${format} ${path} => [PATH_NOT_FOUND] Path does not exist: ${path.startsWith('/') ? `file:${path}` : path}.`);
      expected.push(`STREAM ${path} => [PATH_NOT_FOUND] Path does not exist: ${path}.`);
    }
    expect(logs).toEqual(expected);
    expect(logs.join('\n')).not.toContain(SECRET);
    expect(await client.request({ kind: 'run.stop', runId })).toMatchObject({ kind: 'run.stop.ok' });
    expect((await client.runEnded(runId)).state).toBe('stopped');
    // The sink wrote into the learner's folder, nowhere above it.
    expect(existsSync(join(dataDir, 'escaped'))).toBe(false);
    expect(existsSync(join(tmpdir(), 'escaped'))).toBe(false);
    expect(readdirSync(join(workspace, 'escaped', '_spark_metadata'))).toContain('0');
    const part = readdirSync(join(workspace, 'escaped')).filter((n) => n.startsWith('part-'));
    expect(part.map((n) => readFileSync(join(workspace, 'escaped', n), 'utf8'))).toEqual(['{"value":"mine"}\n']);
  }, 300_000);

  it("runs Spark's socket word count against a server on this machine", async () => {
    let accepted!: (s: Socket) => void;
    const connection = new Promise<Socket>((resolve) => (accepted = resolve));
    const tcp: Server = createServer((s) => accepted(s));
    const port = await new Promise<number>((resolve) => tcp.listen(0, '127.0.0.1', () => resolve((tcp.address() as { port: number }).port)));
    const wordCount = `import { SparkSession, functions as F } from "streamlab";
const spark = SparkSession.builder.getOrCreate();
const lines = spark.readStream.format("socket").option("host", "localhost").option("port", ${port}).load();
const words = lines.select(F.explode(F.split(lines.col("value"), " ")).alias("word"));
words.groupBy("word").count().writeStream.outputMode("complete").format("console").queryName("counts").start();
`;
    const reply = await client.request({ kind: 'run.start', files: [{ path: 'pipeline.ts', content: wordCount }], mode: 'system' });
    if (reply.kind !== 'run.start.ok') throw new Error(JSON.stringify(reply));
    const runId = reply.runId;
    const socket = await connection;
    socket.write('apache spark\napache hadoop\n');
    const rowsOf = (m: object): Array<Record<string, unknown>> => ('rows' in m ? (m.rows as Array<Record<string, unknown>>) : []);
    const batch = await client.waitFor((m) => (m.kind === 'run.batch' && m.runId === runId && rowsOf(m).length > 0) || (m.kind === 'run.error' && m.runId === runId));
    if (batch.kind !== 'run.batch') throw new Error(JSON.stringify(batch));
    const counts = Object.fromEntries(rowsOf(batch).map((r) => [r.word, r.count]));
    // The lines may arrive in one batch or two; complete mode shows every count so far.
    if (Object.keys(counts).length < 3) {
      const next = await client.waitFor((m) => m.kind === 'run.batch' && m.runId === runId && m.batchId > batch.batchId);
      Object.assign(counts, Object.fromEntries(rowsOf(next).map((r) => [r.word, r.count])));
    }
    expect(counts).toEqual({ apache: 2, spark: 1, hadoop: 1 });
    expect(await client.request({ kind: 'run.stop', runId })).toMatchObject({ kind: 'run.stop.ok' });
    expect((await client.runEnded(runId)).state).toBe('stopped');
    socket.destroy();
    await new Promise<void>((resolve) => tcp.close(() => resolve()));
  }, 300_000);
});
