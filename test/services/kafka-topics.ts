/**
 * A fresh topic on the run's Kafka, created and optionally filled in one call, for tests that need
 * records in place before the code under test starts.
 */
import { Kafka, logLevel, type Message } from 'kafkajs';
import { freshTopic, kafkaBootstrap } from './inject.js';
import { createTopicReady } from './create-topic.js';

/** Creates a topic named after `prefix` with `partitions` partitions, sends `messages`, and returns its name. */
export async function topicWithMessages(prefix: string, partitions: number, messages: Message[] = []): Promise<string> {
  const topic = freshTopic(prefix);
  const kafka = new Kafka({ brokers: [kafkaBootstrap()], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await createTopicReady(admin, topic, partitions);
  } finally {
    await admin.disconnect();
  }
  if (messages.length > 0) {
    // Idempotent: on a loaded machine a send kafkajs retries could otherwise append its batch twice,
    // and tests that read the topic's offsets would count each record twice.
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      await producer.send({ topic, messages });
    } finally {
      await producer.disconnect();
    }
  }
  return topic;
}
