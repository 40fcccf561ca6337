/**
 * Which Kafka the learner's `KafkaProducer` and `KafkaConsumer` talk to. The host (the runtime's job
 * process, a lesson check) installs a factory before the learner's code runs; without one, clients use
 * a process-wide in-memory cluster so the code still runs offline.
 */
import type { KafkaClientFactory } from './client-types.js';
import { InMemoryKafkaCluster } from './memory-kafka-cluster.js';

let installed: KafkaClientFactory | null = null;
let fallback: InMemoryKafkaCluster | null = null;

/** Installs the factory new clients use (`null` goes back to the in-memory default). */
export function setKafkaClientFactory(factory: KafkaClientFactory | null): void {
  installed = factory;
}

/** The factory new clients use. */
export function kafkaClientFactory(): KafkaClientFactory {
  if (installed) return installed;
  fallback ??= new InMemoryKafkaCluster();
  return fallback;
}
