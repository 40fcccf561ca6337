/**
 * Exactly-once where learners run: one windowed pipeline (Kafka with startingOffsets=latest → per
 * minute and sensor: sum, count, max → the PostgreSQL upsert sink, with a checkpointLocation) is run
 * alternately through the websocket's Run and through `streamlab run`, on one data directory, while
 * readings keep arriving. Twenty times its job process is killed with SIGKILL at a random point (some
 * runs are first crashed between a batch's write and its commit with `run.crash`), and the run is
 * started again each time. The table it leaves must equal the table of a run that was never
 * interrupted (started beside it, over the same input) and the aggregates computed here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../runtime/src/config.js';
import { learnerDatabase } from '../../../runtime/src/connectors/postgres/restricted-role.js';
import { startRuntimeServer, type RuntimeServer } from '../../../runtime/src/server/runtime-server.js';
import { databaseUrl, freshName, freshTopic, kafkaBootstrap } from '../../services/inject.js';
import { seededRandom } from '../../services/seeded-random.js';
import { TestClient } from './ws-client.js';
import { jobProcesses } from '../../services/job-processes.js';

const BIN = fileURLToPath(new URL('../../../runtime/bin/streamlab.js', import.meta.url));
const TOKEN = 'exactly-once-test-token-0123456789';
const KILLS = 20;
const dataDir = mkdtempSync(join(tmpdir(), 'streamlab-exactly-once-'));
const cliDir = join(dataDir, 'pipeline');
let server: RuntimeServer;
let db: pg.Client;
let producer: Producer;
const cliChildren = new Set<ChildProcess>();

/** The learner's pipeline, writing `table` and checkpointing at `location`. */
const pipeline = (topic: string, table: string, location: string) => `import { SparkSession, functions as F } from "streamlab";

const spark = SparkSession.builder.appName("readings-per-minute").getOrCreate();
spark.readStream
  .format("kafka")
  .option("kafka.bootstrap.servers", "localhost:9092")
  .option("subscribe", "${topic}")
  .option("startingOffsets", "latest")
  .option("maxOffsetsPerTrigger", 150)
  .load()
  .select(F.from_json(F.col("value").cast("string"), "node_name STRING, temperature INT, ts TIMESTAMP").alias("r"))
  .select("r.*")
  .groupBy(F.window("ts", "1 minute"), "node_name")
  .agg(F.sum("temperature").alias("total"), F.count("*").alias("n"), F.max("temperature").alias("hottest"))
  .select(F.col("window.start").alias("window_start"), "node_name", "total", "n", "hottest")
  .writeStream.format("postgres")
  .outputMode("update")
  .option("url", "jdbc:postgresql://localhost:5432/streamlab")
  .option("table", "${table}")
  .option("primaryKey", "window_start,node_name")
  .option("checkpointLocation", "${location}")
  .start();
`;

beforeAll(async () => {
  server = await startRuntimeServer({ config: resolveConfig({ port: 0, token: TOKEN, dataDir }), services: { kafka: kafkaBootstrap(), pg: databaseUrl() } });
  db = new pg.Client({ connectionString: databaseUrl() });
  await db.connect();
  producer = new Kafka({ brokers: [kafkaBootstrap()], logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  mkdirSync(cliDir);
});

afterAll(async () => {
  for (const child of cliChildren) child.kill('SIGKILL');
  await producer?.disconnect();
  await db?.end();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Waits until `test` holds, checking every 20 ms; false when `capMs` passed first. */
async function until(test: () => boolean, capMs: number): Promise<boolean> {
  const end = Date.now() + capMs;
  while (!test()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether the query checkpointed at `/checkpoints/<name>` has written its starting offsets. */
const startFixed = (name: string) => readdirSync(dataDir, { recursive: true, encoding: 'utf8' }).some((p) => p.endsWith(join('checkpoints', name, 'sources', '0', '0')));

interface Reading { node_name: string; temperature: number; ts: string }

describe('exactly-once into PostgreSQL on the product path', () => {
  it(`holds through ${KILLS} kill -9s of the job, via Run and streamlab run, with startingOffsets=latest`, async () => {
    const started = Date.now();
    const topic = freshTopic('exactly-once-readings');
    const crashTable = freshName('crashed');
    const refTable = freshName('uninterrupted');
    const admin = new Kafka({ brokers: [kafkaBootstrap()], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    await admin.disconnect();
    // Readings from before any run started: startingOffsets=latest must leave them out.
    await producer.send({ topic, acks: -1, messages: Array.from({ length: 30 }, (_, i) => ({ key: `old-${i % 3}`, value: JSON.stringify({ node_name: `old-${i % 3}`, temperature: 99, ts: '2023-06-01T00:00:00Z' }) })) });

    const t0 = Date.UTC(2024, 0, 1);
    const produced: Reading[] = [];
    const send = async (n: number) => {
      const batch = Array.from({ length: n }, (_, k) => {
        const i = produced.length + k;
        return { node_name: `node-${i % 5}`, temperature: (i * 7) % 40, ts: new Date(t0 + i * 250).toISOString() };
      });
      await producer.send({ topic, acks: -1, messages: batch.map((r) => ({ key: r.node_name, value: JSON.stringify(r) })) });
      produced.push(...batch);
    };

    const crashFiles = [{ path: 'readings.ts', content: pipeline(topic, crashTable, '/checkpoints/readings') }];
    writeFileSync(join(cliDir, 'readings.ts'), crashFiles[0]!.content);
    const url = `ws://127.0.0.1:${server.port}/ws?token=${TOKEN}`;
    const reference = await TestClient.connect(url);
    await reference.hello(undefined, [7]);
    const learner = await TestClient.connect(url);
    await learner.hello(undefined, [7]);

    const startRun = async (client: TestClient, files: { path: string; content: string }[]): Promise<string> => {
      const reply = await client.request({ kind: 'run.start', files, mode: 'system' });
      if (reply.kind !== 'run.start.ok') throw new Error(JSON.stringify(reply));
      return reply.runId;
    };
    const batchesOf = (client: TestClient, runId: string) => client.messages.filter((m) => m.kind === 'run.batch' && m.runId === runId).length;
    const errorsOf = (client: TestClient, runId: string) => client.messages.flatMap((m) => (m.kind === 'run.error' && m.runId === runId ? [m.message] : []));

    // The uninterrupted run, and the first run of the one to be killed, both start before any reading
    // arrives; one reading then reaches both, so both have fixed their starting offsets.
    const refRun = await startRun(reference, [{ path: 'readings.ts', content: pipeline(topic, refTable, '/checkpoints/uninterrupted') }]);
    await reference.waitFor((m) => m.kind === 'run.status' && m.runId === refRun && m.state === 'running');
    const refPid = await (async () => {
      await until(() => jobProcesses(process.pid).length === 1, 60_000);
      return jobProcesses(process.pid)[0]!;
    })();
    let wsRun = await startRun(learner, crashFiles);
    await learner.waitFor((m) => m.kind === 'run.status' && m.runId === wsRun && m.state === 'running');
    // A run is running before its query has asked the broker for the latest offsets; a reading sent
    // before that would lie behind both starts. Each query writes its start to its checkpoint
    // (`sources/0/0`) once it has them.
    expect(await until(() => startFixed('uninterrupted') && startFixed('readings'), 60_000)).toBe(true);
    await send(1);
    await reference.waitFor((m) => m.kind === 'run.batch' && m.runId === refRun);
    await learner.waitFor((m) => m.kind === 'run.batch' && m.runId === wsRun);

    // Readings keep arriving, 30 every 250 ms, until the last kill.
    let feeding = true;
    const feeder = (async () => {
      while (feeding) {
        await send(30);
        await sleep(250);
      }
    })();

    const random = seededRandom(20261207);
    const kills: { path: 'ws' | 'cli'; afterBatches: number; delayMs: number; crashed: boolean }[] = [];
    let crashes = 0;
    for (let kill = 0; kill < KILLS; kill++) {
      // The kill point: after 0–3 batches of this run, then 0–400 ms more (often inside a batch or its commit).
      const afterBatches = Math.floor(random() * 4);
      const delayMs = Math.floor(random() * 400);
      if (kill % 2 === 0) {
        if (kill > 0) wsRun = await startRun(learner, crashFiles);
        const runId = wsRun;
        // Every other websocket run first dies between a batch's write and its commit, inside its process
        // (its query must be running for that: after a batch).
        const crashed = kill % 4 === 2;
        await until(() => batchesOf(learner, runId) >= Math.max(afterBatches, crashed ? 1 : 0) || errorsOf(learner, runId).length > 0, 60_000);
        expect(errorsOf(learner, runId)).toEqual([]);
        if (crashed) {
          expect(await learner.request({ kind: 'run.crash', runId })).toMatchObject({ kind: 'run.crash.ok' });
          const restarted = await learner.waitFor((m) => m.kind === 'run.log' && m.runId === runId && m.text.startsWith('Killed query'));
          expect(restarted.kind === 'run.log' && restarted.text).toMatch(/^Killed query [0-9a-f]{8} after its sink wrote batch \d+ and before the batch was committed; restarted it from its checkpoint: batch \d+ runs again\.$/);
          crashes++;
        }
        await sleep(delayMs);
        let pids: number[] = [];
        expect(await until(() => (pids = jobProcesses(process.pid).filter((p) => p !== refPid)).length > 0, 60_000)).toBe(true);
        expect(pids).toHaveLength(1);
        process.kill(pids[0]!, 'SIGKILL');
        expect((await learner.runEnded(runId)).state).toBe('failed');
        expect(errorsOf(learner, runId)).toEqual(["The pipeline's process stopped unexpectedly (SIGKILL)."]);
        kills.push({ path: 'ws', afterBatches, delayMs, crashed });
      } else {
        const child = spawn(process.execPath, [BIN, 'run', 'readings.ts', '--data-dir', dataDir, '--kafka', kafkaBootstrap(), '--pg', databaseUrl()], { cwd: cliDir, stdio: ['ignore', 'pipe', 'pipe'] });
        cliChildren.add(child);
        let out = '';
        child.stdout!.on('data', (d) => (out += d));
        child.stderr!.on('data', (d) => (out += d));
        const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
        await until(() => (out.match(/^\[batch \d+\] /gm)?.length ?? 0) >= afterBatches || child.exitCode !== null, 60_000);
        expect(child.exitCode, out).toBe(null);
        await sleep(delayMs);
        let pids: number[] = [];
        expect(await until(() => (pids = jobProcesses(child.pid!)).length > 0 || child.exitCode !== null, 60_000), out).toBe(true);
        expect(pids, out).toHaveLength(1);
        process.kill(pids[0]!, 'SIGKILL');
        expect(await exited, out).toBe(1);
        cliChildren.delete(child);
        expect(out).toContain("The pipeline's process stopped unexpectedly (SIGKILL).");
        kills.push({ path: 'cli', afterBatches, delayMs, crashed: false });
      }
    }
    feeding = false;
    await feeder;

    // The last run takes what is left and stops: `streamlab run --until-idle`.
    const last = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'run', 'readings.ts', '--until-idle', '--data-dir', dataDir, '--kafka', kafkaBootstrap(), '--pg', databaseUrl()], { cwd: cliDir, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      child.on('exit', (code) => resolve({ code, out }));
    });
    expect(last.code, last.out).toBe(0);

    const { schema } = learnerDatabase(databaseUrl());
    const table = async (name: string) =>
      (await db.query({ text: `SELECT to_char(window_start, 'YYYY-MM-DD HH24:MI'), node_name, total, n, hottest FROM ${schema}.${name} ORDER BY 1, 2`, rowMode: 'array' })).rows as unknown[][];
    const counted = async (name: string) => Number((await db.query(`SELECT coalesce(sum(n), 0) AS c FROM ${schema}.${name}`)).rows[0].c);
    // The uninterrupted run has read everything once its table counts every reading.
    const end = Date.now() + 300_000;
    while ((await counted(refTable)) < produced.length && Date.now() < end) await sleep(200);
    expect(await reference.request({ kind: 'run.stop', runId: refRun })).toMatchObject({ kind: 'run.stop.ok' });
    expect(errorsOf(reference, refRun)).toEqual([]);

    const expected = new Map<string, unknown[]>();
    for (const r of produced) {
      const minute = `${r.ts.slice(0, 10)} ${r.ts.slice(11, 16)}`;
      const k = `${minute}|${r.node_name}`;
      const e = (expected.get(k) ?? [minute, r.node_name, 0, 0, -1]) as [string, string, number, number, number];
      e[2] += r.temperature;
      e[3] += 1;
      e[4] = Math.max(e[4], r.temperature);
      expected.set(k, e);
    }
    const independent = [...expected.keys()].sort().map((k) => {
      const [m, node, total, n, hottest] = expected.get(k) as [string, string, number, number, number];
      return [m, node, String(total), String(n), hottest];
    });
    const uninterrupted = await table(refTable);
    const crashed = await table(crashTable);
    expect(uninterrupted).toEqual(independent);
    expect(crashed).toEqual(uninterrupted);

    // Every batch of the killed query was committed exactly once, without gaps.
    const cp = join(dataDir, 'checkpoints', '_scratch', 'checkpoints', 'readings');
    const queryId = (JSON.parse(readFileSync(join(cp, 'metadata'), 'utf8')) as { id: string }).id;
    const commits = (await db.query({ text: `SELECT batch_id FROM ${schema}.streamlab_commits WHERE query_id = $1 ORDER BY batch_id`, values: [queryId], rowMode: 'array' })).rows.map((r) => Number(r[0]));
    expect(commits).toEqual(commits.map((_, i) => i));
    // (A kill between writing a checkpoint file's temporary copy and renaming it leaves the hidden copy behind.)
    const commitFiles = readdirSync(join(cp, 'commits'));
    expect(commitFiles.filter((f) => /^\d+$/.test(f)).map(Number).sort((a, b) => a - b)).toEqual(commits);
    expect(commitFiles.filter((f) => !/^\d+$/.test(f)).every((f) => /^\.\d+\.\d+\.\d+\.tmp$/.test(f))).toBe(true);

    console.log(`exactly-once: ${kills.length} kill -9s (${kills.filter((k) => k.path === 'ws').length} via Run, ${kills.filter((k) => k.path === 'cli').length} via streamlab run), `
      + `${crashes} run.crash, ${produced.length} readings, ${crashed.length} rows compared, ${commits.length} batches committed, ${commitFiles.length - commits.length} temporary commit files left by kills, ${((Date.now() - started) / 1000).toFixed(1)} s; `
      + `kill points (batches+ms): ${kills.map((k) => `${k.path}:${k.afterBatches}+${k.delayMs}${k.crashed ? '+crash' : ''}`).join(' ')}`);
    await reference.close();
    await learner.close();
  }, 1_200_000);
});
