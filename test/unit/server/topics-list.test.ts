/**
 * `topics.list` against a real (embedded) broker whose answers change under it: a topic deleted
 * between the metadata and the offsets request gets UNKNOWN_TOPIC_OR_PARTITION, an error Kafka calls
 * retriable; the list is taken again on fresh metadata instead of failing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startBroker, type RunningBroker } from '../../../runtime/src/broker/index.js';
import { ApiKey } from '../../../runtime/src/broker/protocol/api-keys.js';
import { TopicsService } from '../../../runtime/src/server/topics-service.js';

let broker: RunningBroker | undefined;
let topics: TopicsService | undefined;

afterEach(async () => {
  await topics?.close();
  await broker?.close();
});

describe('topics.list', () => {
  it('retries a retriable Kafka error on fresh metadata instead of failing', async () => {
    let deleted = false;
    broker = await startBroker({
      hooks: {
        onRequest(header) {
          // Another client deletes a topic while the list is being taken.
          if (header.apiKey === ApiKey.ListOffsets && !deleted) {
            deleted = true;
            broker!.store.deleteTopic('gone');
          }
        },
      },
    });
    broker.store.createTopic('kept', 2);
    broker.store.createTopic('gone', 1);
    topics = new TopicsService(broker.bootstrap);
    expect(await topics.list()).toEqual([{ name: 'kept', partitions: 2, endOffsets: ['0', '0'] }]);
    expect(deleted).toBe(true);
  });
});
