/**
 * Layer A of the conformance plan: raw requests (encoded by kafkajs's own encoders, or by hand
 * where librdkafka's flexible ApiVersions v3 is needed) sent to the embedded broker and to real
 * Apache Kafka, with the same assertions on both.
 */
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_VERSIONS } from '../../../runtime/src/broker/apis/broker-apis.js';
import { crc32c } from '../../../runtime/src/broker/protocol/crc32c.js';
import { Reader } from '../../../runtime/src/broker/protocol/reader.js';
import { freshTopic } from '../../services/inject.js';
import { kafkajsDecodeResponse, kafkajsRequestFrame } from '../../unit/broker/kafkajs-protocol.js';
import { RawClient } from './raw-client.js';
import { stopEmbedded, TARGETS, type Target } from './targets.js';

afterAll(stopEmbedded);

/** (api key, version) pairs kafkajs 2.2.4 and librdkafka 2.0.2 (kcat) send, from the design note §2. */
const CLIENT_VERSIONS: ReadonlyArray<[number, number]> = [
  [0, 7], [1, 11], [2, 3], [2, 2], [3, 6], [3, 4], [8, 5], [8, 7], [9, 4], [9, 5], [10, 2], [11, 5],
  [12, 3], [13, 3], [13, 1], [14, 3], [15, 2], [16, 2], [18, 2], [18, 3], [19, 3], [20, 1],
];

/** A frame ApiVersions v3 as librdkafka sends it (flexible header v2 and body). */
function apiVersionsV3Frame(correlationId: number): Buffer {
  const hex = '00000000' + '00120003' + correlationId.toString(16).padStart(8, '0') + '00046b636174' + '00' + '056b636174' + '06312e372e31' + '00';
  const frame = Buffer.from(hex, 'hex');
  frame.writeInt32BE(frame.length - 4, 0);
  return frame;
}

async function produceFrame(topic: string, partition: number, values: string[], correlationId = 2): Promise<Buffer> {
  return kafkajsRequestFrame(
    'Produce',
    7,
    {
      acks: -1,
      timeout: 5000,
      topicData: [{ topic, partitions: [{ partition, firstSequence: 0, messages: values.map((v, i) => ({ value: v, timestamp: 1_000_000 + i * 10 })) }] }],
    },
    correlationId,
  );
}

const fetchFrame = (topic: string, offset: number, maxWaitTime = 0, correlationId = 3) =>
  kafkajsRequestFrame(
    'Fetch',
    11,
    { replicaId: -1, maxWaitTime, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 1, topics: [{ topic, partitions: [{ partition: 0, fetchOffset: String(offset), maxBytes: 1 << 20 }] }] },
    correlationId,
  );

describe.each(TARGETS)('wire level: $name', (target: Target) => {
  let bootstrap: string;
  let client: RawClient;
  const topic = freshTopic('wire');

  beforeAll(async () => {
    bootstrap = await target.bootstrap();
    const admin = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    client = await RawClient.connect(bootstrap);
  });
  afterAll(() => client?.close());

  it('ApiVersions v2 covers every version both clients send', async () => {
    const res = await client.send(await kafkajsRequestFrame('ApiVersions', 2, {}, 11));
    expect(res.correlationId).toBe(11);
    const d = await kafkajsDecodeResponse('ApiVersions', 2, res.body);
    expect(d.errorCode).toBe(0);
    const byKey = new Map<number, { minVersion: number; maxVersion: number }>(d.apiVersions.map((v: any) => [v.apiKey, v]));
    const missing = CLIENT_VERSIONS.filter(([k, v]) => {
      const r = byKey.get(k);
      return !r || v < r.minVersion || v > r.maxVersion;
    });
    expect(missing).toEqual([]);
    // librdkafka's feature checks (design note §1): the advertised ranges must overlap these.
    const overlaps = (k: number, lo: number, hi: number) => {
      const r = byKey.get(k);
      return !!r && r.minVersion <= hi && r.maxVersion >= lo;
    };
    expect({
      msgVer2: overlaps(0, 3, 3) && overlaps(1, 4, 4),
      compression: overlaps(0, 0, 0),
      lz4: overlaps(0, 0, 0) && overlaps(10, 0, 0),
      zstd: overlaps(0, 7, 7) && overlaps(1, 10, 10),
      offsetTime: overlaps(2, 1, 1),
    }).toEqual({ msgVer2: true, compression: true, lz4: true, zstd: true, offsetTime: true });
  });

  it('ApiVersions v3 (flexible) is answered with header v0 and a compact array', async () => {
    const res = await client.send(apiVersionsV3Frame(12));
    expect(res.correlationId).toBe(12);
    const r = new Reader(res.body);
    expect(r.int16()).toBe(0);
    const keys = r.compactArray((r2) => {
      const k = { apiKey: r2.int16(), min: r2.int16(), max: r2.int16() };
      r2.skipTags();
      return k;
    })!;
    expect(keys.find((k) => k.apiKey === 18)).toMatchObject({ min: 0 });
    expect(keys.find((k) => k.apiKey === 18)!.max).toBeGreaterThanOrEqual(3);
    r.int32();
    r.skipTags();
    expect(r.remaining).toBe(0);
  });

  it('ApiVersions at an unknown (flexible) version gets UNSUPPORTED_VERSION in the v0 format', async () => {
    const c = await RawClient.connect(bootstrap);
    const frame = apiVersionsV3Frame(13);
    frame.writeInt16BE(99, 6);
    const res = await c.send(frame);
    c.close();
    expect(res.correlationId).toBe(13);
    const r = new Reader(res.body);
    expect(r.int16()).toBe(35);
    const keys = r.array((r2) => ({ apiKey: r2.int16(), min: r2.int16(), max: r2.int16() }));
    expect(keys.find((k) => k.apiKey === 18)).toMatchObject({ min: 0 });
  });

  it('Produce answers base offsets; a fetch from inside a batch returns the whole batch', async () => {
    const p1 = await kafkajsDecodeResponse('Produce', 7, (await client.send(await produceFrame(topic, 0, ['a', 'b', 'c']))).body);
    expect(p1.topics[0].partitions[0]).toMatchObject({ errorCode: 0, baseOffset: '0' });
    const p2 = await kafkajsDecodeResponse('Produce', 7, (await client.send(await produceFrame(topic, 0, ['d']))).body);
    expect(p2.topics[0].partitions[0]).toMatchObject({ errorCode: 0, baseOffset: '3' });
    const f = await kafkajsDecodeResponse('Fetch', 11, (await client.send(await fetchFrame(topic, 1))).body);
    const part = f.responses[0].partitions[0];
    expect(part.errorCode).toBe(0);
    expect(part.highWatermark).toBe('4');
    expect(part.messages.map((m: any) => [m.offset, m.value.toString(), m.timestamp])).toEqual([
      ['0', 'a', '1000000'],
      ['1', 'b', '1000010'],
      ['2', 'c', '1000020'],
      ['3', 'd', '1000000'],
    ]);
  });

  it('ListOffsets answers earliest, latest and by timestamp', async () => {
    const frame = await kafkajsRequestFrame('ListOffsets', 3, {
      replicaId: -1,
      isolationLevel: 1,
      topics: [{ topic, partitions: [{ partition: 0, timestamp: -2 }] }],
    });
    const earliest = await kafkajsDecodeResponse('ListOffsets', 3, (await client.send(frame)).body);
    expect(earliest.responses[0].partitions[0]).toMatchObject({ errorCode: 0, offset: '0' });
    const byTime = await kafkajsDecodeResponse(
      'ListOffsets',
      3,
      (await client.send(await kafkajsRequestFrame('ListOffsets', 3, { replicaId: -1, isolationLevel: 1, topics: [{ topic, partitions: [{ partition: 0, timestamp: 1_000_005 }] }] }))).body,
    );
    expect(byTime.responses[0].partitions[0]).toMatchObject({ errorCode: 0, offset: '1', timestamp: '1000010' });
    const latest = await kafkajsDecodeResponse(
      'ListOffsets',
      3,
      (await client.send(await kafkajsRequestFrame('ListOffsets', 3, { replicaId: -1, isolationLevel: 1, topics: [{ topic, partitions: [{ partition: 0, timestamp: -1 }] }] }))).body,
    );
    expect(latest.responses[0].partitions[0]).toMatchObject({ errorCode: 0, offset: '4' });
  });

  it('rejects a flipped CRC bit (CORRUPT_MESSAGE) and two batches in one partition (INVALID_RECORD)', async () => {
    const frame = await produceFrame(topic, 0, ['x'], 21);
    frame[frame.length - 3] ^= 0x01; // inside the record bytes, covered by the CRC
    const bad = (await client.send(frame)).body;
    // Produce v7 body: [topics] name, [partitions] index errorCode ...
    const errorOf = (body: Buffer) => {
      const r = new Reader(body);
      r.int32();
      r.string();
      r.int32();
      r.int32();
      return r.int16();
    };
    expect(errorOf(bad)).toBe(2);

    const one = await produceFrame(topic, 0, ['y'], 22);
    // Rebuild the frame with the record set doubled: ... records(int32 len + batch)
    const r = new Reader(one, 4);
    r.int16();
    r.int16();
    r.int32();
    r.nullableString();
    r.nullableString();
    r.int16();
    r.int32();
    r.int32();
    r.string();
    r.int32();
    r.int32();
    const recordsAt = r.offset;
    const batch = r.bytes();
    const doubled = Buffer.concat([one.subarray(0, recordsAt), Buffer.alloc(4), batch, batch]);
    doubled.writeInt32BE(batch.length * 2, recordsAt);
    doubled.writeInt32BE(doubled.length - 4, 0);
    expect(errorOf((await client.send(doubled)).body)).toBe(87);
    // Neither request changed the log.
    const latest = await kafkajsDecodeResponse(
      'ListOffsets',
      3,
      (await client.send(await kafkajsRequestFrame('ListOffsets', 3, { replicaId: -1, isolationLevel: 1, topics: [{ topic, partitions: [{ partition: 0, timestamp: -1 }] }] }))).body,
    );
    expect(latest.responses[0].partitions[0].offset).toBe('4');
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('Fetch beyond the log end is OFFSET_OUT_OF_RANGE; unknown topics are UNKNOWN_TOPIC_OR_PARTITION', async () => {
    const f = (await client.send(await fetchFrame(topic, 99))).body;
    const r = new Reader(f);
    r.int32();
    r.int16();
    r.int32();
    r.int32();
    r.string();
    r.int32();
    r.int32();
    expect(r.int16()).toBe(1);
    const meta = await kafkajsDecodeResponse(
      'Metadata',
      6,
      (await client.send(await kafkajsRequestFrame('Metadata', 6, { topics: [freshTopic('absent')], allowAutoTopicCreation: false }))).body,
    );
    expect(meta.topicMetadata.map((t: any) => [t.topicErrorCode, t.partitionMetadata])).toEqual([[3, []]]);
  });

  it('a long-poll Fetch at the log end is woken by a produce on another connection', async () => {
    const waiting = client.send(await fetchFrame(topic, 4, 30_000, 31));
    const other = await RawClient.connect(bootstrap);
    await other.send(await produceFrame(topic, 0, ['late']));
    other.close();
    const f = await kafkajsDecodeResponse('Fetch', 11, (await waiting).body);
    expect(f.responses[0].partitions[0].messages.map((m: any) => [m.offset, m.value.toString()])).toEqual([['4', 'late']]);
  });

  it('an unsupported version of another API closes the connection', async () => {
    const c = await RawClient.connect(bootstrap);
    const frame = await kafkajsRequestFrame('Metadata', 6, { topics: [topic] });
    frame.writeInt16BE(99, 6);
    expect(await c.sendExpectingClose(frame, 10_000)).toBe('closed');
    c.close();
  });
});

describe('the advertised profile', () => {
  it('stays inside real Kafka\'s ranges, apart from the listed librdkafka minimums', async () => {
    const c = await RawClient.connect(await TARGETS[1].bootstrap());
    const d = await kafkajsDecodeResponse('ApiVersions', 2, (await c.send(await kafkajsRequestFrame('ApiVersions', 2, {}))).body);
    c.close();
    const real = new Map<number, { minVersion: number; maxVersion: number }>(d.apiVersions.map((v: any) => [v.apiKey, v]));
    const aboveMax = API_VERSIONS.filter((ours) => ours.maxVersion > (real.get(ours.apiKey)?.maxVersion ?? -1)).map((o) => o.apiKey);
    expect(aboveMax).toEqual([]);
    // Lower minimums we keep on purpose so librdkafka's feature checks pass (design note §1-2).
    const belowMin = API_VERSIONS.filter((ours) => ours.minVersion < real.get(ours.apiKey)!.minVersion).map((o) => [o.apiKey, o.minVersion, real.get(o.apiKey)!.minVersion]);
    expect(belowMin).toEqual(EXPECTED_LOWER_MINIMUMS);
  });
});

/** [apiKey, our min, Kafka 4.3.1's min], observed against Kafka 4.3.1. */
const EXPECTED_LOWER_MINIMUMS: Array<[number, number, number]> = [
  [19, 0, 2], // CreateTopics: KIP-896 removed v0-v1 in Kafka 4.0
  [20, 0, 1], // DeleteTopics: KIP-896 removed v0 in Kafka 4.0
];
