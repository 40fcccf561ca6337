/**
 * The embedded broker against real Apache Kafka in one run, as ratios (embedded ÷ Kafka, higher is
 * better for the embedded broker), plus the embedded broker's start time.
 *
 *   node --import tsx bench/broker.bench.ts [messages]
 *
 * Both brokers run side by side; after a warm-up the two are measured alternately, three rounds
 * each, and the best round of each is compared.
 *
 * Workload: kafkajs 2.2.4, 100-byte JSON messages, acks=-1 sends of 500 messages each over
 * 3 partitions, then one consumer group reading everything from the beginning. The embedded broker
 * runs in its own Node process with segment files (as `streamlab broker --data-dir` does), so it
 * does not share the client's event loop. Real Kafka: `STREAMLAB_KAFKA` when set, else a private
 * local JVM broker from the cached jars (`npm run services:fetch`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker } from '../runtime/src/broker/index.js';
import { startLocalKafka, type LocalKafka } from '../test/services/local-kafka.js';

const N = Number(process.argv[2] ?? 100_000);
const BATCH = 500;
const ROUNDS = 3;
const PARTITIONS = 3;
const BROKER_SCRIPT = fileURLToPath(new URL('../test/integration/broker/broker-process.ts', import.meta.url));

/** A 100-byte JSON message. */
function message(i: number): string {
  const base = JSON.stringify({ id: i, sensor: `s-${i % 50}`, ts: 1_700_000_000_000 + i, v: 0, pad: '' });
  return JSON.stringify({ id: i, sensor: `s-${i % 50}`, ts: 1_700_000_000_000 + i, v: 0, pad: 'x'.repeat(Math.max(0, 100 - base.length)) });
}

interface Result {
  produceMsgsPerSec: number;
  consumeMsgsPerSec: number;
}

async function run(bootstrap: string): Promise<Result> {
  const kafka = new Kafka({ brokers: [bootstrap], clientId: 'bench', logLevel: logLevel.NOTHING });
  const topic = `bench-broker-${Date.now().toString(36)}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  const values = Array.from({ length: N }, (_, i) => message(i));
  const t0 = performance.now();
  for (let i = 0; i < N; i += BATCH) {
    await producer.send({ topic, acks: -1, messages: values.slice(i, i + BATCH).map((value, j) => ({ key: String(i + j), value })) });
  }
  const produceMs = performance.now() - t0;
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId: `${topic}-g`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const t1 = performance.now();
  await consumer.run({
    eachBatch: async ({ batch }) => {
      seen += batch.messages.length;
      if (seen >= N) done();
    },
  });
  await finished;
  const consumeMs = performance.now() - t1;
  await consumer.disconnect();
  return { produceMsgsPerSec: (N / produceMs) * 1000, consumeMsgsPerSec: (N / consumeMs) * 1000 };
}

async function embeddedProcess(dataDir: string): Promise<{ child: ChildProcess; bootstrap: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', BROKER_SCRIPT, '0', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /READY (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`embedded broker exited with ${code}`)));
  });
  return { child, bootstrap: `127.0.0.1:${port}` };
}

async function startTimes(): Promise<{ memoryMs: number; diskMs: number }> {
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const memory: number[] = [];
  const disk: number[] = [];
  for (let i = 0; i < 21; i++) {
    let t = performance.now();
    const b = await startBroker();
    memory.push(performance.now() - t);
    await b.close();
    const dir = mkdtempSync(join(tmpdir(), 'bench-broker-start-'));
    t = performance.now();
    const d = await startBroker({ dataDir: dir });
    disk.push(performance.now() - t);
    await d.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return { memoryMs: median(memory), diskMs: median(disk) };
}

async function main(): Promise<void> {
  const start = await startTimes();
  console.log(`embedded start (median of 21, in-process): in memory ${start.memoryMs.toFixed(2)} ms, with data dir ${start.diskMs.toFixed(2)} ms`);

  const dataDir = mkdtempSync(join(tmpdir(), 'bench-broker-'));
  const embedded = await embeddedProcess(dataDir);
  let local: LocalKafka | undefined;
  try {
    const realBootstrap = process.env.STREAMLAB_KAFKA ?? (local = await startLocalKafka()).bootstrap;
    // Warm-up (JIT, connections), then alternate the two brokers so that load from other processes
    // on the machine hits both alike; the best of the rounds is reported for each.
    await run(embedded.bootstrap);
    await run(realBootstrap);
    const e: Result[] = [];
    const k: Result[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      e.push(await run(embedded.bootstrap));
      k.push(await run(realBootstrap));
    }
    const best = (rs: Result[]): Result => ({
      produceMsgsPerSec: Math.max(...rs.map((r) => r.produceMsgsPerSec)),
      consumeMsgsPerSec: Math.max(...rs.map((r) => r.consumeMsgsPerSec)),
    });
    const [be, bk] = [best(e), best(k)];
    const fmt = (r: Result) => `produce ${Math.round(r.produceMsgsPerSec)} msg/s, consume ${Math.round(r.consumeMsgsPerSec)} msg/s`;
    console.log(`embedded: ${fmt(be)} (best of ${ROUNDS})`);
    console.log(`kafka:    ${fmt(bk)} (best of ${ROUNDS}${local ? `, local JVM ${local.version}` : ''})`);
    console.log(
      `ratio embedded/kafka: produce ${(be.produceMsgsPerSec / bk.produceMsgsPerSec).toFixed(2)}, consume ${(be.consumeMsgsPerSec / bk.consumeMsgsPerSec).toFixed(2)} (${N} messages of 100 bytes, batches of ${BATCH})`,
    );
  } finally {
    embedded.child.kill('SIGTERM');
    await local?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
