/**
 * `spark.read.format("kafka")` over the in-memory topics: Spark's batch option rules and messages,
 * offset range resolution, and rows identical to the streaming source's for the same offsets.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, SparkSession } from 'streamlab';
import { FormatRegistry } from '../../../runtime/src/engine/formats.js';
import {
  InMemoryKafkaTopics, KafkaDataLossError, KafkaSource, kafkaBatchSourceProvider, kafkaSourceProvider, parseKafkaBatchOptions, parseKafkaSourceOptions,
  resolveKafkaBatchRanges, type PartitionInfo,
} from '../../../runtime/src/engine/kafka/index.js';
import type { Offset } from '../../../runtime/src/engine/sources/source.js';
import type { LogicalPlan } from '../../../runtime/src/engine/plans/plan.js';

/** The formats this file's sessions know. */
const formats = FormatRegistry.withBuiltIns();

const base = { 'kafka.bootstrap.servers': 'in-memory', subscribe: 't' };

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

let topics: InMemoryKafkaTopics;
let warnings: string[];
let spark: SparkSession;

beforeEach(() => {
  topics = new InMemoryKafkaTopics();
  topics.createTopic('t', 3);
  // partition p holds p0-0, p0-1, ... with keys, headers on partition 1 and distinct timestamps
  for (let p = 0; p < 3; p++) {
    for (let i = 0; i < 5; i++) {
      topics.produce('t', p, `p${p}-${i}`, { key: `k${i}`, timestamp: 1_000 * (10 * p + i), ...(p === 1 ? { headers: [{ key: 'h', value: new TextEncoder().encode(`v${i}`) }] } : {}) });
    }
  }
  topics.createTopic('other', 1);
  topics.produce('other', 0, 'o-0');
  warnings = [];
  formats.registerSource('kafka', kafkaSourceProvider(() => topics));
  formats.registerBatchSource('kafka', kafkaBatchSourceProvider(() => topics, { warn: (m) => warnings.push(m) }));
  spark = SparkSession.builder.formats(formats).clock(new ManualClock(0)).output(() => undefined).create();
});

function read(options: Record<string, string>) {
  return spark.read.format('kafka').options({ ...base, ...options }).load();
}

function values(options: Record<string, string>): string[] {
  return read(options).selectExpr('CAST(value AS STRING) AS v').collect().map((r) => r.v as string);
}

describe('static Kafka read options', () => {
  it("rejects latest starting offsets and earliest ending offsets with Spark's messages", () => {
    const cases: [Record<string, string>, string][] = [
      [{ startingOffsets: 'latest' }, "starting offset can't be latest for batch queries on Kafka"],
      [{ startingOffsets: ' LATEST ' }, "starting offset can't be latest for batch queries on Kafka"],
      [{ startingOffsets: '{"t":{"0":0,"1":-1,"2":0}}' }, "startingOffsets for t-1 can't be latest for batch queries on Kafka"],
      [{ endingOffsets: 'earliest' }, "ending offset can't be earliest for batch queries on Kafka"],
      [{ endingOffsets: '{"t":{"0":-1,"1":3,"2":-2}}' }, "ending offset for t-2 can't be earliest for batch queries on Kafka"],
      [{ endingOffsets: '{"t":' }, 'Expected e.g. {"topicA":{"0":23,"1":-1},"topicB":{"0":-2}}, got {"t":'],
    ];
    for (const [options, message] of cases) {
      const e = thrown(() => read(options));
      expect(e.name).toBe('IllegalArgumentException');
      expect(e.message).toBe(message);
    }
  });

  it('checks the offsets before the subscription, as validateBatchOptions does', () => {
    expect(thrown(() => parseKafkaBatchOptions({ startingOffsets: 'latest' })).message).toBe("starting offset can't be latest for batch queries on Kafka");
    expect(thrown(() => parseKafkaBatchOptions({ 'kafka.bootstrap.servers': 'x' })).message).toBe(
      'One of the following options must be specified for Kafka source: subscribe, subscribepattern, assign. See the docs for more details.',
    );
  });

  it('rejects endingOffsets (and endingOffsetsByTimestamp) on readStream', () => {
    const e = thrown(() => spark.readStream.format('kafka').options({ ...base, endingOffsets: 'latest' }).load());
    expect([e.name, e.message]).toEqual(['IllegalArgumentException', 'ending offset not valid in streaming queries']);
    // Spark checks the stream-only options first, before the subscription.
    expect(thrown(() => parseKafkaSourceOptions({ endingOffsets: '{"t":{"0":1}}' })).message).toBe('ending offset not valid in streaming queries');
    expect(thrown(() => parseKafkaSourceOptions({ ...base, endingOffsetsByTimestamp: '{"t":{"0":1}}' })).message).toBe('ending timestamp not valid in streaming queries');
  });

  it('ignores the rate limits in batch queries, with Spark\'s warnings', () => {
    const all = values({ maxOffsetsPerTrigger: '2', minOffsetsPerTrigger: '1', maxTriggerDelay: '5s' });
    expect(all).toHaveLength(15);
    expect(warnings).toEqual([
      'maxOffsetsPerTrigger option ignored in batch queries',
      'minOffsetsPerTrigger option ignored in batch queries',
      'maxTriggerDelay option ignored in batch queries',
    ]);
  });

  it('refuses a user schema other than the fixed one', () => {
    const e = thrown(() => spark.read.format('kafka').schema('value STRING').options(base).load());
    expect(e.name).toBe('AnalysisException');
    expect(e.message.split('\n')[0]).toBe("The user-specified schema doesn't match the actual schema:");
    expect(spark.read.format('kafka').schema(read({}).schema).options(base).load().count()).toBe(15);
  });
});

describe('static Kafka offset ranges', () => {
  const parts: PartitionInfo[] = [
    { topic: 't', partition: 1, earliest: 0, latest: 4 },
    { topic: 't', partition: 0, earliest: 2, latest: 9 },
  ];
  const ranges = (options: Record<string, string>, warn?: (m: string) => void) => resolveKafkaBatchRanges(parseKafkaBatchOptions({ ...base, ...options }), parts, warn);

  it('defaults to earliest..latest per partition, sorted by partition', () => {
    expect(ranges({})).toEqual([
      { topic: 't', partition: 0, from: 2, until: 9 },
      { topic: 't', partition: 1, from: 0, until: 4 },
    ]);
  });

  it('resolves -2 to earliest and -1 to latest in per-partition JSON', () => {
    expect(ranges({ startingOffsets: '{"t":{"0":-2,"1":1}}', endingOffsets: '{"t":{"0":5,"1":-1}}' })).toEqual([
      { topic: 't', partition: 0, from: 2, until: 5 },
      { topic: 't', partition: 1, from: 1, until: 4 },
    ]);
  });

  it("asserts that specific offsets name exactly the assigned partitions (Spark's message)", () => {
    const e = thrown(() => ranges({ startingOffsets: '{"t":{"0":3}}' }));
    expect(e.name).toBe('AssertionError');
    expect(e.message).toBe('assertion failed: If startingOffsets contains specific offsets, you must specify all TopicPartitions.\nUse -1 for latest, -2 for earliest.\nSpecified: Set(t-0) Assigned: Set(t-0, t-1)');
    expect(thrown(() => ranges({ endingOffsets: '{"t":{"0":3,"1":2,"2":1}}' })).message).toContain('Specified: Set(t-0, t-1, t-2) Assigned: Set(t-0, t-1)');
  });

  it('fails when a resolved start is after its end', () => {
    expect(thrown(() => ranges({ startingOffsets: '{"t":{"0":6,"1":0}}', endingOffsets: '{"t":{"0":4,"1":-1}}' })).message).toBe(
      'assertion failed: Beginning offset 6 is after the ending offset 4 for topic t partition 0. You either provided an invalid fromOffset, or the Kafka topic has been damaged',
    );
  });

  it('treats offsets Kafka does not have as data loss: fail by default, warn and clamp with failOnDataLoss=false', () => {
    const e = thrown(() => ranges({ startingOffsets: '{"t":{"0":0,"1":0}}' }));
    expect(e).toBeInstanceOf(KafkaDataLossError);
    expect(e.message.split('\n')[0]).toBe('Cannot fetch offset 0 (TopicPartition: t-0); the earliest available offset is 2');
    expect(thrown(() => ranges({ endingOffsets: '{"t":{"0":-1,"1":7}}' })).message.split('\n')[0]).toBe('Cannot fetch records in [4, 7) of t-1: the partition ends at 4');
    const warned: string[] = [];
    expect(ranges({ startingOffsets: '{"t":{"0":0,"1":0}}', endingOffsets: '{"t":{"0":-1,"1":7}}', failOnDataLoss: 'false' }, (m) => warned.push(m))).toEqual([
      { topic: 't', partition: 0, from: 2, until: 9 },
      { topic: 't', partition: 1, from: 0, until: 4 },
    ]);
    expect(warned.map((w) => w.split('. Some data')[0])).toEqual([
      'Cannot fetch offset 0 (TopicPartition: t-0); the earliest available offset is 2',
      'Cannot fetch records in [4, 7) of t-1: the partition ends at 4',
    ]);
  });
});

describe('static Kafka read rows', () => {
  it('reads exactly the per-partition ranges, partition by partition', () => {
    expect(values({ startingOffsets: '{"t":{"0":1,"1":-2,"2":3}}', endingOffsets: '{"t":{"0":3,"1":1,"2":-1}}' })).toEqual(['p0-1', 'p0-2', 'p1-0', 'p2-3', 'p2-4']);
  });

  it('reads everything from earliest to latest by default; count() and CAST(value AS STRING) work as on any DataFrame', () => {
    const df = read({});
    expect(df.isStreaming).toBe(false);
    expect(df.count()).toBe(15);
    const rows = df.selectExpr('CAST(key AS STRING) AS k', 'CAST(value AS STRING) AS v', 'partition', 'offset').filter('partition = 2').collect();
    expect(rows).toEqual([0, 1, 2, 3, 4].map((i) => ({ k: `k${i}`, v: `p2-${i}`, partition: 2, offset: i })));
  });

  it('subscribePattern and assign pick their partitions', () => {
    expect(spark.read.format('kafka').options({ 'kafka.bootstrap.servers': 'x', subscribePattern: 'oth.*' }).load().selectExpr('CAST(value AS STRING) AS v').collect()).toEqual([{ v: 'o-0' }]);
    expect(spark.read.format('kafka').options({ 'kafka.bootstrap.servers': 'x', assign: '{"t":[2]}', endingOffsets: '{"t":{"2":2}}' }).load().selectExpr('CAST(value AS STRING) AS v').collect()).toEqual([{ v: 'p2-0' }, { v: 'p2-1' }]);
  });

  for (const includeHeaders of [false, true]) {
    it(`gives the streaming source's rows for the same offsets (includeHeaders=${includeHeaders})`, async () => {
      const start = { t: { 0: 1, 1: 0, 2: 2 } };
      const end = { t: { 0: 4, 1: 5, 2: 3 } };
      const options = { ...base, includeHeaders: String(includeHeaders) };
      const df = read({ includeHeaders: String(includeHeaders), startingOffsets: JSON.stringify(start), endingOffsets: JSON.stringify(end) });
      const plan = df.plan as Extract<LogicalPlan, { kind: 'LocalRelation' }>;
      const source = new KafkaSource(topics, parseKafkaSourceOptions(options), { clock: new ManualClock(0) });
      const streamed = await source.getBatch(start as unknown as Offset, end as unknown as Offset);
      expect(streamed).toHaveLength(9);
      expect(plan.rows).toEqual(streamed);
      expect(df.schema.simpleString()).toBe(source.schema.simpleString());
    });
  }

  it('shows headers as an array of key/value structs', () => {
    const df = spark.read.format('kafka').options({ 'kafka.bootstrap.servers': 'x', includeHeaders: 'true', assign: '{"t":[1]}', endingOffsets: '{"t":{"1":1}}' }).load();
    const row = df.selectExpr('headers[0].key AS hk', 'CAST(headers[0].value AS STRING) AS hv', 'timestamp').collect();
    expect(row).toEqual([{ hk: 'h', hv: 'v0', timestamp: new Date(10_000) }]);
  });
});
