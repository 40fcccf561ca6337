/**
 * A flow pipeline (Pekko Streams' API) through the real server and job process: Run starts the
 * learner's code in the sandbox; its Consumer source reads the run's Kafka, its Slick statements write
 * the run's PostgreSQL, its Committer commits; a failing stream fails the run at the learner's line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { Kafka, logLevel } from 'kafkajs';
import { resolveConfig } from '../../../runtime/src/config.js';
import { startRuntimeServer, type RuntimeServer } from '../../../runtime/src/server/runtime-server.js';
import { databaseUrl, freshName, freshTopic, kafkaBootstrap } from '../../services/inject.js';
import type { ServerMessageOf } from '../../../runtime/src/protocol/index.js';
import { TestClient } from './ws-client.js';
import { learnerDatabase } from '../../../runtime/src/connectors/postgres/restricted-role.js';
import { createTopicReady } from '../../services/create-topic.js';

const TOKEN = 'flow-pipeline-token-0123456789';
let server: RuntimeServer;
let client: TestClient;
let db: pg.Client;

beforeAll(async () => {
  server = await startRuntimeServer({ config: resolveConfig({ port: 0, token: TOKEN }), services: { kafka: kafkaBootstrap(), pg: databaseUrl() } });
  client = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws?token=${TOKEN}`);
  await client.hello(undefined, [6]);
  // The learner's own connection: runs write as the learner role, into the learner's schema.
  db = new pg.Client({ connectionString: learnerDatabase(databaseUrl()).url });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await client?.close();
  await server?.close();
});

async function start(content: string, mode: 'system' | 'manual'): Promise<string> {
  const reply = await client.request({ kind: 'run.start', files: [{ path: 'pipeline.ts', content }], mode });
  if (reply.kind !== 'run.start.ok') throw new Error(JSON.stringify(reply));
  return reply.runId;
}

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a flow pipeline in a run', () => {
  it('reads Kafka, writes PostgreSQL and commits, in the sandbox', async () => {
    const topic = freshTopic('flow-run');
    const table = freshName('flow_run');
    const kafka = new Kafka({ brokers: [kafkaBootstrap()], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await createTopicReady(admin, topic, 1);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: 20 }, (_, i) => ({ key: `d${i % 3}`, value: JSON.stringify({ device_id: `d${i % 3}`, n: String(i) }) })) });
    await producer.disconnect();
    await db.query(`create table ${table} (device_id text, n integer)`);
    const runId = await start(`import { ActorSystem, Consumer, ConsumerSettings, Subscriptions, StringDeserializer, Committer, CommitterSettings, Slick, SlickSession, sqlu } from "streamlab";

export function main(): void {
  const system = ActorSystem.create("locations");
  const session = SlickSession.forConfig("slick-postgres");
  const settings = ConsumerSettings.create(system, new StringDeserializer(), new StringDeserializer())
    .withBootstrapServers("localhost:9092")
    .withGroupId("${table}")
    .withProperty("auto.offset.reset", "earliest");
  Consumer.committableSource(settings, Subscriptions.topics("${topic}"))
    .map((msg) => ({ fix: JSON.parse(msg.record.value ?? "{}"), offset: msg.committableOffset }))
    .via(Slick.flowWithPassThrough(session, 4, ({ fix, offset }) =>
      sqlu\`INSERT INTO ${table} VALUES (\${fix.device_id}, \${Number(fix.n)})\`.map(() => offset)))
    .toMat(Committer.sink(CommitterSettings.create(system).withMaxBatch(5)), Consumer.DrainingControl.apply)
    .run(system);
}
`, 'system');
    await until(() => db.query(`select count(*)::int as n from ${table}`), (r) => r.rows[0].n === 20);
    const rows = await db.query(`select device_id, n from ${table} order by n`);
    expect(rows.rows).toEqual(Array.from({ length: 20 }, (_, i) => ({ device_id: `d${i % 3}`, n: i })));
    const committed = await until(async () => (await admin.fetchOffsets({ groupId: table, topics: [topic] }))[0]!.partitions, (ps) => ps.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0) === 20);
    await admin.disconnect();
    expect(committed.map((p) => Number(p.offset))).toEqual([20]);
    expect(client.eventsOf(runId).filter((m) => m.kind === 'run.error')).toEqual([]);
    expect(await client.request({ kind: 'run.stop', runId })).toMatchObject({ kind: 'run.stop.ok' });
    expect((await client.runEnded(runId)).state).toBe('stopped');
    // The stopped run's consumer left its group: the next run's flow in the group gets the partitions at
    // once instead of waiting for the old member's session to time out.
    const after = kafka.admin();
    await after.connect();
    const { groups } = await after.describeGroups([table]);
    await after.disconnect();
    expect(groups.map((g) => [g.groupId, g.state, g.members.length])).toEqual([[table, 'Empty', 0]]);
  });

  it('sends each pipeline\'s latency (run.latency), and run.crash makes the append job write a batch twice', async () => {
    const topic = freshTopic('flow-latency');
    const table = freshName('crash_append');
    const kafka = new Kafka({ brokers: [kafkaBootstrap()], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await createTopicReady(admin, topic, 1);
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    const send = (from: number, n: number) => producer.send({ topic, messages: Array.from({ length: n }, (_, i) => ({ value: JSON.stringify({ n: from + i }) })) });
    const runId = await start(`import { SparkSession, functions as F, ActorSystem, Consumer, ConsumerSettings, Subscriptions, StringDeserializer, Sink } from "streamlab";

export function main(): void {
  const spark = SparkSession.builder.getOrCreate();
  spark.readStream.format("kafka").option("kafka.bootstrap.servers", "localhost:9092").option("subscribe", "${topic}")
    .option("startingOffsets", "earliest").load()
    .select(F.from_json(F.col("value").cast("string"), "n INT").alias("r")).select("r.n")
    .writeStream.queryName("numbers").option("checkpointLocation", "/checkpoints/${table}").trigger({ processingTime: "100 milliseconds" })
    .foreachBatch(async (df: any) => { await df.write.jdbc("jdbc:postgresql://localhost:5432/streamlab", "${table}", "append", {}); })
    .start();
  const system = ActorSystem.create("numbers");
  const settings = ConsumerSettings.create(system, new StringDeserializer(), new StringDeserializer()).withGroupId("${table}").withProperty("auto.offset.reset", "earliest");
  Consumer.plainSource(settings, Subscriptions.topics("${topic}")).runWith(Sink.ignore(), system);
}
`, 'system');
    await send(0, 5);
    await until(async () => db.query(`select count(*)::int as n from ${table}`).catch(() => ({ rows: [{ n: 0 }] })), (r) => r.rows[0].n === 5);
    const latency = await client.waitFor((m) => m.kind === 'run.latency' && m.runId === runId && m.pipelines.length === 2 && m.pipelines.every((p) => p.count === 5)) as ServerMessageOf<'run.latency'>;
    expect(latency.pipelines.map((p) => [p.name, p.kind, p.trigger ?? null, p.count, p.histogram.reduce((a, b) => a + b, 0)]).sort()).toEqual([
      ['numbers (flow)', 'flow', null, 5, 5],
      ['numbers (trigger 100 milliseconds)', 'micro-batch', '100 milliseconds', 5, 5],
    ]);
    for (const p of latency.pipelines) expect(p.p50 <= p.p95 && p.p95 <= p.p99 && p.p99 <= p.max && p.startupMs !== null).toBe(true);
    expect(await client.request({ kind: 'run.crash', runId })).toMatchObject({ kind: 'run.crash.ok', runId });
    await client.waitFor((m) => m.kind === 'run.log' && m.runId === runId && m.text.startsWith('Crash mid-batch: the query dies'));
    await send(5, 3);
    const killed = await client.waitFor((m) => m.kind === 'run.log' && m.runId === runId && m.text.startsWith('Killed query "numbers"')) as ServerMessageOf<'run.log'>;
    expect(killed.text).toMatch(/^Killed query "numbers" after its sink wrote batch \d+ and before the batch was committed; restarted it from its checkpoint: batch \d+ runs again\.$/);
    // The three new records were written, then written again by the replayed batch.
    await until(() => db.query(`select n, count(*)::int as c from ${table} group by n order by n`), (r) => r.rows.length === 8 && r.rows.slice(5).every((x) => x.c === 2));
    const rows = await db.query(`select n, count(*)::int as c from ${table} group by n order by n`);
    expect(rows.rows).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((n) => ({ n, c: n < 5 ? 1 : 2 })));
    await producer.disconnect();
    expect(client.eventsOf(runId).filter((m) => m.kind === 'run.error')).toEqual([]);
    await client.request({ kind: 'run.stop', runId });
    await client.runEnded(runId);
  });

  it('fails the run when a stream fails, pointing at the learner line', async () => {
    const runId = await start(`import { ActorSystem, Source, Sink } from "streamlab";
const system = ActorSystem.create("broken");
Source.from([1, 2, 3]).map((n) => {
  if (n === 2) throw new Error("fix " + n + " has no position");
  return n;
}).runWith(Sink.ignore(), system);
`, 'manual');
    expect((await client.runEnded(runId)).state).toBe('failed');
    const error = client.messages.find((m) => m.kind === 'run.error' && m.runId === runId);
    expect(error).toMatchObject({ kind: 'run.error', runId, message: 'fix 2 has no position', file: 'pipeline.ts', line: 4 });
  });

  it('finishes a run whose streams all completed', async () => {
    const runId = await start(`import { ActorSystem, Source, Sink } from "streamlab";
const system = ActorSystem.create("done");
Source.range(1, 4).grouped(2).runWith(Sink.foreach((g) => console.log(JSON.stringify(g))), system);
`, 'manual');
    expect((await client.runEnded(runId)).state).toBe('finished');
    const logs = client.eventsOf(runId).filter((m) => m.kind === 'run.log').map((m) => (m as { text: string }).text);
    expect(logs).toEqual(['[1,2]', '[3,4]']);
  });
});
