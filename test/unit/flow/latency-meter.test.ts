import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../runtime/src/engine/clock.js';
import { setKafkaClientFactory } from '../../../runtime/src/engine/kafka-client/client-factory.js';
import { InMemoryKafkaCluster } from '../../../runtime/src/engine/kafka-client/memory-kafka-cluster.js';
import { ActorSystem, Consumer, ConsumerSettings, Keep, Sink, StringDeserializer, Subscriptions } from '../../../runtime/src/engine/flow/index.js';
import { LatencyMeter } from '../../../runtime/src/engine/latency/latency-meter.js';
import { latencyStats, percentile } from '../../../runtime/src/engine/latency/latency-stats.js';
import { SparkSession } from '../../../runtime/src/engine/structured/index.js';
import { FormatRegistry } from '../../../runtime/src/engine/formats.js';
import { memoryKafkaSourceProvider } from '../../../runtime/src/engine/kafka-client/memory-kafka-format.js';
import { advanceInOrder } from '../../../runtime/src/testing/flow/run-flow-scenario.js';

/** The formats this file's sessions know. */
const formats = FormatRegistry.withBuiltIns();

afterEach(() => setKafkaClientFactory(null));

describe('latency statistics', () => {
  it('takes percentiles by the nearest rank and fills the histogram buckets', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99)).toBe(10);
    const s = latencyStats([0.5, 3, 3, 40, 1500, 60_000, -2]);
    expect([s.count, s.p50, s.p95, s.max]).toEqual([7, 3, 60_000, 60_000]);
    expect(s.histogram).toEqual([2, 0, 2, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
  });
});

describe('LatencyMeter', () => {
  it('measures a micro-batch query from Kafka timestamp to sink write, and a flow to its sink, with start-up times', async () => {
    const clock = new ManualClock(1_000_000);
    const cluster = new InMemoryKafkaCluster({ clock });
    cluster.createTopic('fixes', 1);
    setKafkaClientFactory(cluster);
    formats.registerSource('kafka', memoryKafkaSourceProvider(cluster));
    const spark = SparkSession.builder.formats(formats).clock(clock).create();
    const system = ActorSystem.create('fleet', { clock });
    const meter = LatencyMeter.start(spark);
    const query = spark.readStream.format('kafka').option('kafka.bootstrap.servers', 'localhost:9092').option('subscribe', 'fixes').option('startingOffsets', 'earliest').load()
      .writeStream.format('memory').queryName('fixes_mem').trigger({ processingTime: '1 second' }).start();
    const settings = ConsumerSettings.create(system, new StringDeserializer(), new StringDeserializer()).withGroupId('g').withProperty('auto.offset.reset', 'earliest');
    const [, seen] = Consumer.plainSource(settings, Subscriptions.topics('fixes')).take(3).toMat(Sink.seq(), Keep.both).run(system);
    const producer = cluster.producer({});
    // Records at +200 ms, +700 ms and +1900 ms; the query runs at +1 s and +2 s.
    for (const at of [200, 700, 1900]) {
      await advanceInOrder(clock, 1_000_000 + at - clock.now());
      await producer.send({ topic: 'fixes', key: null, value: new TextEncoder().encode(String(at)), headers: [] });
      await query.awaitIdle();
    }
    await seen;
    await advanceInOrder(clock, 2000 - 1900);
    await query.awaitIdle();
    const m = meter.summary();
    expect(Object.keys(m).sort()).toEqual(['fixes_mem (trigger 1 second)', 'fleet (flow)']);
    const q = m['fixes_mem (trigger 1 second)']!;
    expect([q.kind, q.trigger, q.count, q.p50, q.p99, q.startupMs]).toEqual(['micro-batch', '1 second', 3, 300, 800, 1000]);
    const f = m['fleet (flow)']!;
    expect([f.kind, f.count, f.p50, f.p99, f.startupMs]).toEqual(['flow', 3, 0, 0, 200]);
    meter.stop();
    await query.stop();
    await system.terminate();
    await spark.stop();
  });

  it('counts start-up from the moment given, as a run counts it from Run (compiling and booting the job included)', async () => {
    const clock = new ManualClock(1_000_000);
    const cluster = new InMemoryKafkaCluster({ clock });
    cluster.createTopic('fixes', 1);
    setKafkaClientFactory(cluster);
    const spark = SparkSession.builder.formats(formats).clock(clock).create();
    const system = ActorSystem.create('fleet', { clock });
    // Run was pressed 4 s before the meter started.
    const meter = LatencyMeter.start(spark, { startedAtMs: clock.now() - 4000 });
    const settings = ConsumerSettings.create(system, new StringDeserializer(), new StringDeserializer()).withGroupId('g').withProperty('auto.offset.reset', 'earliest');
    const [, seen] = Consumer.plainSource(settings, Subscriptions.topics('fixes')).take(1).toMat(Sink.seq(), Keep.both).run(system);
    await advanceInOrder(clock, 300);
    await cluster.producer({}).send({ topic: 'fixes', key: null, value: new TextEncoder().encode('x'), headers: [] });
    await seen;
    const f = meter.summary()['fleet (flow)']!;
    expect([f.count, f.p50, f.startupMs]).toEqual([1, 0, 4300]);
    meter.stop();
    await system.terminate();
    await spark.stop();
  });
});
