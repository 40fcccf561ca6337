/**
 * Kafka source throughput, as ratios measured side by side in one run on the same topic:
 *
 *   bare      a kafkajs consumer (its own group, fromBeginning) doing what any consumer must: take
 *             every record's value and offset (values are not decoded) — the yardstick
 *   reader    the source's partition reader fetching every offset range directly (10 steps)
 *   pipeline  the temperature job: Kafka source → from_json(CAST(value AS STRING)) → watermark
 *             30 s → 1-minute window avg and count per sensor → memory sink in update mode, all
 *             available data in micro-batches of at most 50,000 offsets, timed from start()
 *             (connecting and listing offsets included) to all data processed
 *
 * The bare consumer is timed three ways, and every other line is printed as a ratio to each:
 *
 *   from run()          includes joining a consumer group (coordinator, join, sync, offset fetch),
 *                       which the source never does: flatters the source
 *   from 1st fetch      from the consumer's first Fetch request (group joined, positions known) to
 *                       its last record: the same work the source's reader does — the honest one
 *   from 1st record     from the first delivered batch: leaves out the first Fetch round trip and
 *                       overlaps later fetches with nothing to do: flatters the consumer
 *
 * Each round measures reader, bare and pipeline once, after a warm-up of every path; rounds
 * (`BENCH_ROUNDS`, default 3) show the spread, and the summary gives the median of each ratio.
 * Kafka: `STREAMLAB_KAFKA` (host:port) when set, else a private local JVM broker from the cached jars
 * (`npm run services:fetch`). Size: `BENCH_RECORDS` (default 200000) JSON readings over 3
 * partitions. Windows behind the watermark leave the state, so a larger N keeps the state small.
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
    await bareConsumer(conn, topic);
    await pipeline(conn, topic, 'warmup');
    const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
    const ratios = new Map<string, number[]>();
    for (let round = 1; round <= rounds; round++) {
      const reader = await readerOnly(conn, topic);
      const bare = await bareConsumer(conn, topic);
      const query = await pipeline(conn, topic, `measured${round}`);
      console.log(`round ${round}`);
      const report = (name: string, ms: number) => {
        const rate = Math.round((N / ms) * 1000);
        const r = { run: bare.fromRun / ms, fetch: bare.fromFetch / ms, first: bare.fromFirst / ms };
        for (const [k, v] of Object.entries(r)) ratios.set(`${name} ${k}`, [...(ratios.get(`${name} ${k}`) ?? []), v]);
        console.log(
          `${name.padEnd(22)} ${String(rate).padStart(9)} events/s  (${String(Math.round(ms)).padStart(5)} ms)  ` +
            `ratio to bare: ${r.run.toFixed(2)} (from run()), ${r.fetch.toFixed(2)} (from 1st fetch), ${r.first.toFixed(2)} (from 1st record)`,
        );
      };
      report('bare (from run())', bare.fromRun);
      report('bare (from 1st fetch)', bare.fromFetch);
      report('bare (from 1st record)', bare.fromFirst);
      report('reader', reader);
      report('pipeline', query);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const spread = (name: string, k: string) => {
      const xs = ratios.get(`${name} ${k}`)!;
      return `${median(xs).toFixed(2)} [${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}]`;
    };
    console.log(`median [min–max] of ${rounds} rounds, N=${N}:`);
    for (const name of ['reader', 'pipeline']) {
      console.log(`${name.padEnd(22)} ratio to bare: ${spread(name, 'run')} (from run()), ${spread(name, 'fetch')} (from 1st fetch), ${spread(name, 'first')} (from 1st record)`);
    }
  } finally {
    await local?.stop();
  }
}

/**
 * A plain kafkajs consumer reading the topic from the beginning (its own fresh group). Per record it
 * takes the value and the offset, as a consumer that tracks its position must; it decodes nothing.
 */
async function bareConsumer(conn: KafkaConnection, topic: string): Promise<{ fromRun: number; fromFetch: number; fromFirst: number }> {
  const consumer = new Kafka({ brokers: conn.brokers, logLevel: logLevel.NOTHING }).consumer({ groupId: `bench-${Date.now()}-${Math.random().toString(36).slice(2)}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let count = 0;
  let bytes = 0;
  let first = 0;
  let firstFetch = 0;
  const positions = new Map<number, string>();
  consumer.on(consumer.events.FETCH_START, () => {
    if (firstFetch === 0) firstFetch = performance.now();
  });
  const run = performance.now();
  const elapsed = await new Promise<{ fromRun: number; fromFetch: number; fromFirst: number }>((resolve) => {
    void consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        if (count === 0) first = performance.now();
        for (const m of batch.messages) {
          if (m.value) bytes += m.value.length;
          count++;
        }
        positions.set(batch.partition, batch.lastOffset());
        if (count >= N) {
          const end = performance.now();
          resolve({ fromRun: end - run, fromFetch: end - firstFetch, fromFirst: end - first });
        }
      },
    });
  });
  await consumer.disconnect();
  if (bytes === 0 || positions.size !== PARTITIONS) throw new Error('bare consumer saw no values or not every partition');
  return elapsed;
}

/** The Structured pipeline over the registered Kafka source, timed from start to all data processed. */
async function pipeline(conn: KafkaConnection, topic: string, name: string): Promise<number> {
  const spark = SparkSession.builder.clock(new ManualClock(0)).getOrCreate();
  const connectors = registerConnectors(spark.formats, { kafka: conn });
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
    .withWatermark('ts', '30 seconds')
    .groupBy(F.window('ts', '1 minute'), 'node_name')
    .agg(F.avg('temperature').alias('avg_temp'), F.count('*').alias('n'))
    .writeStream.format('memory')
    .queryName(`bench_${name}`)
    .outputMode('update')
    .start();
  await q.processAllAvailable();
  const ms = performance.now() - start;
  await q.stop();
  await connectors.close();
  // Update mode appends each group's new value per batch: the last one per (window, sensor) counts.
  const latest = new Map<string, number>();
  for (const r of spark.memorySinks.get(`bench_${name}`)!.allRows()) latest.set(JSON.stringify([r[0], r[1]]), Number(r[3]));
  let total = 0;
  for (const n of latest.values()) total += n;
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
