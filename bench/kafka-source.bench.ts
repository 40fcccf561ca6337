/**
 * Kafka source throughput, as ratios measured side by side in one run on the same topic:
 *
 *   bare      a kafkajs consumer (its own group, fromBeginning) counting records — the yardstick
 *   reader    the source's partition reader fetching every offset range directly
 *   pipeline  Kafka source → from_json → 1-minute window avg per sensor → memory sink, all
 *             available data in micro-batches of at most 50,000 offsets
 *
 * Kafka: `STREAMLAB_KAFKA` (host:port) when set, else a private local JVM broker from the cached jars
 * (`npm run services:fetch`). Size: `BENCH_RECORDS` (default 200000) JSON readings over 3 partitions.
 */
import { Kafka, logLevel } from 'kafkajs';
import { KafkaWriter } from '../runtime/src/connectors/kafka/kafka-writer.js';
import { KafkajsPartitionReader } from '../runtime/src/connectors/kafka/partition-reader.js';
import type { KafkaConnection } from '../runtime/src/connectors/kafka/kafka-connection.js';
import { startLocalKafka, type LocalKafka } from '../test/services/local-kafka.js';
import { registerConnectors } from '../runtime/src/connectors/index.js';
import { ManualClock } from '../runtime/src/engine/clock.js';
import { SparkSession } from '../runtime/src/engine/structured/index.js';
import * as F from '../runtime/src/engine/structured/functions.js';

const N = Number(process.env.BENCH_RECORDS ?? 200_000);
const PARTITIONS = 3;

async function main(): Promise<void> {
  let local: LocalKafka | undefined;
  const bootstrap = process.env.STREAMLAB_KAFKA ?? (local = await startLocalKafka()).bootstrap;
  try {
    const conn: KafkaConnection = { brokers: [bootstrap], clientId: 'bench' };
    const topic = `bench-readings-${Date.now().toString(36)}`;
    const admin = new Kafka({ brokers: conn.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true });
    await admin.disconnect();

    const t0 = Date.UTC(2024, 0, 1);
    const writer = new KafkaWriter(conn, { topic });
    const produceStart = performance.now();
    const rows = function* () {
      for (let i = 0; i < N; i++) {
        const node = `node-${i % 50}`;
        yield { key: node, partition: i % PARTITIONS, value: JSON.stringify({ node_name: node, temperature: 15 + (i % 20), ts: new Date(t0 + i * 100).toISOString() }) };
      }
    };
    await writer.write(rows());
    await writer.close();
    console.log(`produced ${N} records in ${Math.round(performance.now() - produceStart)} ms`);

    // Warm every path once (JIT, connections), then measure.
    await readerOnly(conn, topic);
    await pipeline(conn, topic, 'warmup');
    const reader = await readerOnly(conn, topic);
    const bare = await bareConsumer(conn, topic);
    const query = await pipeline(conn, topic, 'measured');
    // The consumer prefetches while its first batch is handled, so "from its first record" flatters
    // it and "from run()" charges it a group join: both yardsticks are printed.
    const report = (name: string, ms: number) => {
      const rate = Math.round((N / ms) * 1000);
      console.log(
        `${name.padEnd(22)} ${String(rate).padStart(9)} events/s  (${Math.round(ms)} ms)  ` +
          `ratio to bare consumer: ${(bare.fromFirst / ms).toFixed(2)} (from its first record), ${(bare.fromRun / ms).toFixed(2)} (from run())`,
      );
    };
    report('bare (from 1st record)', bare.fromFirst);
    report('bare (from run())', bare.fromRun);
    report('reader', reader);
    report('pipeline', query);
  } finally {
    await local?.stop();
  }
}

/** A plain kafkajs consumer reading the topic from the beginning (its own fresh group). */
async function bareConsumer(conn: KafkaConnection, topic: string): Promise<{ fromFirst: number; fromRun: number }> {
  const consumer = new Kafka({ brokers: conn.brokers, logLevel: logLevel.NOTHING }).consumer({ groupId: `bench-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let count = 0;
  let first = 0;
  const run = performance.now();
  const elapsed = await new Promise<{ fromFirst: number; fromRun: number }>((resolve) => {
    void consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        if (count === 0) first = performance.now();
        for (const m of batch.messages) if (m.value) count++;
        if (count >= N) resolve({ fromFirst: performance.now() - first, fromRun: performance.now() - run });
      },
    });
  });
  await consumer.disconnect();
  return elapsed;
}

/** The Structured pipeline over the registered Kafka source, timed from start to all data processed. */
async function pipeline(conn: KafkaConnection, topic: string, name: string): Promise<number> {
  const connectors = registerConnectors({ kafka: conn });
  const spark = SparkSession.builder.clock(new ManualClock(0)).getOrCreate();
  const start = performance.now();
  const q = spark.readStream
    .format('kafka')
    .option('kafka.bootstrap.servers', conn.brokers.join(','))
    .option('subscribe', topic)
    .option('startingOffsets', 'earliest')
    .option('maxOffsetsPerTrigger', 50_000)
    .load()
    .select(F.from_json(F.col('value').cast('string'), 'node_name STRING, temperature DOUBLE, ts TIMESTAMP').alias('r'))
    .select('r.node_name', 'r.temperature', 'r.ts')
    .groupBy(F.window('ts', '1 minute'), 'node_name')
    .agg(F.avg('temperature').alias('avg_temp'), F.count('*').alias('n'))
    .writeStream.format('memory')
    .queryName(`bench_${name}`)
    .outputMode('complete')
    .start();
  await q.processAllAvailable();
  const ms = performance.now() - start;
  await q.stop();
  await connectors.close();
  const rows = spark.memorySinks.get(`bench_${name}`)!.allRows();
  const total = rows.reduce((s, r) => s + Number(r[3]), 0);
  if (total !== N) throw new Error(`pipeline counted ${total} records, expected ${N}`);
  return ms;
}

/** The source's reader fetching all ranges in 10 equal steps (as 10 micro-batches would). */
async function readerOnly(conn: KafkaConnection, topic: string): Promise<number> {
  const reader = new KafkajsPartitionReader(conn);
  const start = performance.now();
  const offsets = await reader.partitionOffsets([topic]);
  let count = 0;
  const steps = 10;
  for (let s = 0; s < steps; s++) {
    const ranges = offsets.map((o) => ({
      topic,
      partition: o.partition,
      from: Math.floor((o.latest * s) / steps),
      until: Math.floor((o.latest * (s + 1)) / steps),
    }));
    const ts = performance.now();
    for (const part of await reader.readRanges(ranges)) count += part.length;
    if (process.env.BENCH_DEBUG) console.log(`step ${s}: ${Math.round(performance.now() - ts)} ms`);
  }
  const ms = performance.now() - start;
  await reader.close();
  if (count !== N) throw new Error(`reader read ${count} records, expected ${N}`);
  return ms;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
