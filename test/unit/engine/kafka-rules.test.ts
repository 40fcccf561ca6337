/** Spark's Kafka rules as pure code: rate limiting, option validation, sink schema checks. */
import { describe, expect, it } from 'vitest';
import { functions as F, ManualClock, MemoryStream, SparkSession } from 'streamlab';
import { FormatRegistry } from '../../../runtime/src/engine/formats.js';
import {
  InMemoryKafkaTopics, kafkaSinkProvider, kafkaSourceProvider, parseKafkaSourceOptions, rateLimit, validateKafkaSinkSchema, type KafkaOutputRecord,
} from '../../../runtime/src/engine/kafka/index.js';
import { parseSchema } from '../../../runtime/src/engine/types.js';
import { InMemoryCheckpointStore } from '../../../runtime/src/engine/state/checkpoint-store.js';

/** The formats this file's sessions know. */
const formats = FormatRegistry.withBuiltIns();

const tp = (p: number) => `t\u0000${p}`;

describe('maxOffsetsPerTrigger', () => {
  it('prorates by backlog, flooring shares >= 1 and ceiling shares < 1 (KafkaMicroBatchSourceSuite)', () => {
    const from = new Map([[tp(0), 0], [tp(1), 0], [tp(2), 0]]);
    const until = new Map([[tp(0), 101], [tp(1), 11], [tp(2), 1]]);
    const b0 = rateLimit(from, until, 10);
    expect([...b0.values()]).toEqual([8, 1, 1]);
    const b1 = rateLimit(b0, until, 10);
    expect([...b1.values()]).toEqual([17, 2, 1]);
  });

  it('cuts micro-batches of a source with the limit and resumes them across triggers', async () => {
    const topics = new InMemoryKafkaTopics();
    topics.createTopic('t', 2);
    for (let i = 0; i < 6; i++) topics.produce('t', 0, `a${i}`);
    topics.produce('t', 1, 'b0');
    formats.registerSource('kafka', kafkaSourceProvider(() => topics));
    const spark = SparkSession.builder.formats(formats).output(() => undefined).create();
    const df = spark.readStream.format('kafka').option('kafka.bootstrap.servers', 'x').option('subscribe', 't')
      .option('startingOffsets', 'earliest').option('maxOffsetsPerTrigger', 4).load()
      .selectExpr('CAST(value AS STRING) AS v', 'partition', 'offset');
    expect(df.columns).toEqual(['v', 'partition', 'offset']);
    const batches: string[][] = [];
    const q = df.writeStream.foreachBatch((b) => void batches.push(b.collect().map((r) => String(r.v)))).start();
    await q.processAllAvailable();
    expect(batches).toEqual([['a0', 'a1', 'a2', 'b0'], ['a3', 'a4', 'a5']]);
    expect(q.lastProgress?.sources[0].endOffset).toEqual({ t: { 0: 6, 1: 1 } });
    await q.stop();
  });
});

describe('Kafka source options', () => {
  it("rejects missing and conflicting subscriptions and forbidden consumer params with Spark's messages", () => {
    expect(() => parseKafkaSourceOptions({ 'kafka.bootstrap.servers': 'x' })).toThrow('One of the following options must be specified for Kafka source: subscribe, subscribepattern, assign.');
    expect(() => parseKafkaSourceOptions({ 'kafka.bootstrap.servers': 'x', subscribe: 't', assign: '{"t":[0]}' })).toThrow('Only one of the following options can be specified for Kafka source: subscribe, subscribepattern, assign.');
    expect(() => parseKafkaSourceOptions({ subscribe: 't' })).toThrow("Option 'kafka.bootstrap.servers' must be specified for configuring Kafka consumer");
    expect(() => parseKafkaSourceOptions({ 'kafka.bootstrap.servers': 'x', subscribe: 't', 'kafka.auto.offset.reset': 'earliest' })).toThrow("Kafka option 'auto.offset.reset' is not supported.");
    expect(() => parseKafkaSourceOptions({ 'kafka.bootstrap.servers': 'x', subscribe: 't', 'kafka.enable.auto.commit': 'true' })).toThrow("Kafka option 'enable.auto.commit' is not supported");
    expect(parseKafkaSourceOptions({ 'kafka.bootstrap.servers': 'x', subscribe: 'a, b', startingOffsets: '{"a":{"0":-2}}' })).toMatchObject({
      subscription: { kind: 'subscribe', topics: ['a', 'b'] }, startingOffsets: { a: { 0: -2 } }, maxTriggerDelayMs: 900_000, failOnDataLoss: true,
    });
  });
});

describe('kafka.group.id', () => {
  it("is accepted with Spark's warning (and groupIdPrefix is then ignored), for streams and static reads", async () => {
    const { parseKafkaBatchOptions, CUSTOM_GROUP_ID_WARNING } = await import('../../../runtime/src/engine/kafka/kafka-options.js');
    const base = { 'kafka.bootstrap.servers': 'x', subscribe: 't' };
    expect(parseKafkaSourceOptions(base).warnings).toEqual([]);
    expect(parseKafkaSourceOptions({ ...base, 'kafka.group.id': 'mine' }).warnings).toEqual([CUSTOM_GROUP_ID_WARNING]);
    expect(parseKafkaBatchOptions({ ...base, 'kafka.group.id': 'mine', groupIdPrefix: 'p' }).warnings).toEqual([
      CUSTOM_GROUP_ID_WARNING, 'Option groupIdPrefix will be ignored as option kafka.group.id has been set.',
    ]);
    expect(CUSTOM_GROUP_ID_WARNING).toMatch(/^Kafka option 'kafka.group.id' has been set on this query, it is not recommended to set this option\./);
  });
});

describe('Kafka sink', () => {
  it("validates the output schema with Spark's messages", () => {
    expect(() => validateKafkaSinkSchema(parseSchema('key STRING, value STRING'), {})).toThrow("topic option required when no 'topic' attribute is present");
    expect(() => validateKafkaSinkSchema(parseSchema('topic STRING, key STRING'), {})).toThrow("Required attribute 'value' not found");
    expect(() => validateKafkaSinkSchema(parseSchema('topic INT, value STRING'), {})).toThrow('topic attribute unsupported type int. topic must be a(n) string');
    expect(() => validateKafkaSinkSchema(parseSchema('value INT'), { topic: 't' })).toThrow('value must be a(n) string or binary');
    expect(() => validateKafkaSinkSchema(parseSchema('value STRING, key INT'), { topic: 't' })).toThrow('key must be a(n) string or binary');
    expect(() => validateKafkaSinkSchema(parseSchema('value STRING, partition STRING'), { topic: 't' })).toThrow('partition must be a(n) int');
  });

  it('writes records (the topic option overrides the column) and fails at start() on a bad schema', async () => {
    const written: KafkaOutputRecord[] = [];
    formats.registerSink('kafka', kafkaSinkProvider(() => (records) => void written.push(...records)));
    const spark = SparkSession.builder.formats(formats).clock(new ManualClock()).output(() => undefined).create();
    const input = new MemoryStream('k STRING, v INT', spark);
    const q = input.toDF().select(F.col('k').alias('key'), F.col('v').cast('string').alias('value'), F.lit('ignored').alias('topic'))
      .writeStream.format('kafka').option('kafka.bootstrap.servers', 'x').option('topic', 'report').start();
    input.addData([['a', 1], [null, 2]]);
    await q.processAllAvailable();
    await q.stop();
    const dec = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));
    expect(written.map((r) => [r.topic, dec(r.key), dec(r.value), r.partition])).toEqual([['report', 'a', '1', null], ['report', null, '2', null]]);
    expect(() => input.toDF().writeStream.format('kafka').start()).toThrow("topic option required when no 'topic' attribute is present");
  });
});

describe('minOffsetsPerTrigger', () => {
  it('skips triggers with too little data until maxTriggerDelay has passed since the last batch', async () => {
    const topics = new InMemoryKafkaTopics();
    topics.createTopic('m', 1);
    formats.registerSource('kafka', kafkaSourceProvider(() => topics));
    const clock = new ManualClock(0);
    const spark = SparkSession.builder.formats(formats).clock(clock).output(() => undefined).create();
    const q = spark.readStream.format('kafka').option('kafka.bootstrap.servers', 'x').option('subscribe', 'm')
      .option('startingOffsets', 'earliest').option('minOffsetsPerTrigger', 5).option('maxTriggerDelay', '10s').load()
      .selectExpr('CAST(value AS STRING) AS v').writeStream.format('memory').queryName('minoff').start();
    for (const v of ['a', 'b', 'c']) topics.produce('m', 0, v);
    await q.processAllAvailable();
    expect(q.recentProgress).toHaveLength(0);
    clock.advance(10_000);
    await q.processAllAvailable();
    expect(q.recentProgress.map((p) => p.numInputRows)).toEqual([3]);
    for (const v of ['d', 'e', 'f', 'g', 'h']) topics.produce('m', 0, v);
    await q.processAllAvailable();
    expect(q.recentProgress.map((p) => p.numInputRows)).toEqual([3, 5]);
    await q.stop();
  });
});

describe('startingOffsets=latest across a crash in batch 0', () => {
  it('replays batch 0 from the start offsets kept in the checkpoint, not from a new "latest"', async () => {
    const topics = new InMemoryKafkaTopics();
    topics.createTopic('t', 1);
    for (let i = 0; i < 5; i++) topics.produce('t', 0, `old${i}`);
    formats.registerSource('kafka', kafkaSourceProvider(() => topics));
    const stores = new Map<string, InMemoryCheckpointStore>();
    const spark = SparkSession.builder.formats(formats).output(() => undefined)
      .checkpointResolver((loc) => stores.get(loc) ?? stores.set(loc, new InMemoryCheckpointStore()).get(loc)!).create();
    const seen: Array<[number, string[]]> = [];
    let failBatches = true;
    const start = () => spark.readStream.format('kafka').option('kafka.bootstrap.servers', 'x').option('subscribe', 't')
      .option('startingOffsets', 'latest').load()
      .selectExpr('CAST(value AS STRING) AS v')
      .writeStream.option('checkpointLocation', 'ckpt')
      .foreachBatch((b, id) => {
        seen.push([id, b.collect().map((r) => String(r.v))]);
        if (failBatches) throw new Error('sink down');
      })
      .start();

    const q1 = start();
    await q1.processAllAvailable(); // starts at latest = offset 5; nothing new yet
    for (let i = 0; i < 3; i++) topics.produce('t', 0, `new${i}`);
    await expect(q1.processAllAvailable()).rejects.toThrow('sink down');
    await expect(stores.get('ckpt')!.readSourceMetadata(0)).resolves.toEqual({ t: { 0: 5 } });
    // More data arrives while the query is down; "latest" is now 10.
    topics.produce('t', 0, 'later0');
    topics.produce('t', 0, 'later1');
    failBatches = false;
    const q2 = start();
    await q2.processAllAvailable();
    await q2.stop();
    expect(seen).toEqual([
      [0, ['new0', 'new1', 'new2']],
      [0, ['new0', 'new1', 'new2']], // the replay: same offsets [5, 8)
      [1, ['later0', 'later1']],
    ]);
  });
});

describe('a partition that now ends before the query stopped', () => {
  const run = async (failOnDataLoss: boolean) => {
    const topics = new InMemoryKafkaTopics();
    for (let i = 0; i < 4; i++) topics.produce('t', 0, `old${i}`);
    const logs: string[] = [];
    const registry = FormatRegistry.withBuiltIns().registerSource('kafka', kafkaSourceProvider(() => topics));
    const stores = new Map<string, InMemoryCheckpointStore>();
    const spark = SparkSession.builder.formats(registry).output((l) => void logs.push(l))
      .checkpointResolver((loc) => stores.get(loc) ?? stores.set(loc, new InMemoryCheckpointStore()).get(loc)!).create();
    const seen: Array<[number, string[]]> = [];
    const start = () => spark.readStream.format('kafka').option('kafka.bootstrap.servers', 'x').option('subscribe', 't')
      .option('startingOffsets', 'earliest').option('failOnDataLoss', String(failOnDataLoss)).load()
      .selectExpr('CAST(value AS STRING) AS v')
      .writeStream.option('checkpointLocation', 'ckpt')
      .foreachBatch((b, id) => void seen.push([id, b.collect().map((r) => String(r.v))]))
      .start();
    const q1 = start();
    await q1.processAllAvailable();
    await q1.stop();
    // The topic is deleted and made again with fewer records than the query had read.
    topics.deleteTopic('t');
    for (let i = 0; i < 2; i++) topics.produce('t', 0, `new${i}`);
    const q2 = start();
    return { topics, q2, seen, logs };
  };

  it("fails the query with Spark's data-loss message by default, instead of waiting for offset 4", async () => {
    const { q2, seen } = await run(true);
    await expect(q2.processAllAvailable()).rejects.toThrow(
      "Partition t-0's offset was changed from 4 to 2, some data may have been missed\nSome data may have been lost because they are not available in Kafka any more; either the data was aged out by Kafka or the topic may have been deleted before all the data in the topic was processed. If you don't want your streaming query to fail on such cases, set the source option \"failOnDataLoss\" to \"false\".",
    );
    expect(seen).toEqual([[0, ['old0', 'old1', 'old2', 'old3']]]);
  });

  it('with failOnDataLoss=false warns, skips to the new end and reads what comes after it', async () => {
    const { topics, q2, seen, logs } = await run(false);
    await q2.processAllAvailable();
    topics.produce('t', 0, 'new2');
    await q2.processAllAvailable();
    await q2.stop();
    expect(seen).toEqual([[0, ['old0', 'old1', 'old2', 'old3']], [1, []], [2, ['new2']]]);
    expect(logs.filter((l) => l.includes('offset was changed'))).toEqual([
      "Partition t-0's offset was changed from 4 to 2, some data may have been missed. Some data may have been lost because they are not available in Kafka any more; either the data was aged out by Kafka or the topic may have been deleted before all the data in the topic was processed. If you want your streaming query to fail on such cases, set the source option \"failOnDataLoss\" to \"true\".",
    ]);
  });
});
