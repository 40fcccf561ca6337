/**
 * The broker parses untrusted bytes: mutated and truncated versions of real kafkajs requests must
 * never take it down. Each mutated frame goes out on its own connection; afterwards the broker must
 * still answer a well-formed request, and nothing may have been created from absurd sizes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type RunningBroker } from '../../../runtime/src/broker/index.js';
import { RawClient } from '../../integration/broker/raw-client.js';
import { kafkajsDecodeResponse, kafkajsRequestFrame } from './kafkajs-protocol.js';
import { seededRandom } from '../../services/seeded-random.js';

let broker: RunningBroker;
beforeAll(async () => {
  broker = await startBroker({ autoCreateTopics: false });
  broker.store.createTopic('t', 1);
});
afterAll(() => broker.close());

describe('garbage frames', () => {
  it('survive 400 mutated and truncated requests', async () => {
    const seeds = await Promise.all([
      kafkajsRequestFrame('Metadata', 6, { topics: ['t'], allowAutoTopicCreation: false }),
      kafkajsRequestFrame('Produce', 7, { acks: 1, timeout: 1000, topicData: [{ topic: 't', partitions: [{ partition: 0, firstSequence: 0, messages: [{ value: 'v' }] }] }] }),
      kafkajsRequestFrame('ListOffsets', 3, { replicaId: -1, isolationLevel: 1, topics: [{ topic: 't', partitions: [{ partition: 0, timestamp: -1 }] }] }),
      kafkajsRequestFrame('OffsetFetch', 4, { groupId: 'g', topics: [{ topic: 't', partitions: [{ partition: 0 }] }] }),
      kafkajsRequestFrame('CreateTopics', 3, { topics: [{ topic: 'x', numPartitions: 1, replicationFactor: 1 }], timeout: 1000 }),
      kafkajsRequestFrame('DescribeGroups', 2, { groupIds: ['g'] }),
    ]);
    const rand = seededRandom(20261121);
    const clients: RawClient[] = [];
    for (let i = 0; i < 400; i++) {
      const frame = Buffer.from(seeds[i % seeds.length]);
      // Keep the api key and version (bytes 4-7) so the body decoders are what gets exercised.
      const flips = 1 + Math.floor(rand() * 4);
      for (let f = 0; f < flips; f++) frame[8 + Math.floor(rand() * (frame.length - 8))] = Math.floor(rand() * 256);
      const cut = rand() < 0.3 ? 8 + Math.floor(rand() * (frame.length - 8)) : frame.length;
      const sent = frame.subarray(0, cut);
      sent.writeInt32BE(sent.length - 4, 0);
      const c = await RawClient.connect(broker.bootstrap);
      clients.push(c);
      c.send(sent).catch(() => undefined);
    }
    for (const c of clients) c.close();
    const ok = await RawClient.connect(broker.bootstrap);
    const res = await ok.send(await kafkajsRequestFrame('ApiVersions', 2, {}, 99));
    ok.close();
    expect(res.correlationId).toBe(99);
    expect((await kafkajsDecodeResponse('ApiVersions', 2, res.body)).errorCode).toBe(0);
    expect(broker.store.topics().every((t) => t.partitions.length <= 1000)).toBe(true);
  });
});
