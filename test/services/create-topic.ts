/**
 * Creates a topic and waits until every partition has a leader, on any Kafka the tests use.
 *
 * kafkajs's `createTopics({ waitForLeaders: true })` retries only "leader not available": a real
 * broker that is still propagating a new topic on a busy machine answers "does not host this
 * topic-partition" for a moment, and kafkajs gives up on that. This waits through both, up to a
 * deadline, so a test starts on a topic that is ready.
 */
import type { Admin } from 'kafkajs';

/** Kafka's answers that mean "not yet" for a topic just created. */
const NOT_YET = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE', 'NOT_LEADER_OR_FOLLOWER']);

/** Creates `topic` with `partitions` partitions (when it does not exist) and resolves once each has a leader. */
export async function createTopicReady(admin: Admin, topic: string, partitions: number, deadlineMs = 60_000): Promise<void> {
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: false });
  const until = Date.now() + deadlineMs;
  let last = 'no metadata yet';
  for (;;) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      const found = topics.find((t) => t.name === topic)?.partitions ?? [];
      if (found.length === partitions && found.every((p) => p.leader >= 0)) return;
      last = `${found.length} of ${partitions} partitions with a leader`;
    } catch (e) {
      const type = (e as { type?: string }).type ?? '';
      if (!NOT_YET.has(type)) throw e;
      last = type;
    }
    if (Date.now() > until) throw new Error(`Topic ${topic} was not ready within ${deadlineMs} ms (${last}).`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
