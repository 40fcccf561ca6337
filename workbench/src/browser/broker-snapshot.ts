/**
 * The in-memory broker's records crossing between the page and a run's worker: the page holds the
 * broker while no run goes, a run's worker holds it while the run goes, and each hands the other every
 * topic's records (run-messages.ts). Offsets stay dense and keep their values, since records are
 * appended again partition by partition, in order.
 */
import type { Clock } from '@streamlab/runtime/engine';
import { InMemoryKafkaCluster, type KafkaListenerSecurity } from '@streamlab/runtime/in-browser';
import type { BrokerSnapshot } from './run-messages.js';

/** Every topic's records. */
export function snapshotOf(cluster: InMemoryKafkaCluster): BrokerSnapshot {
  return cluster.listTopics().map((name) => {
    const partitions = cluster.endOffsets(name).map((end, p) => cluster.read(name, p, 0, end).map((r) => ({
      key: r.key, value: r.value, timestamp: r.timestamp, headers: r.headers,
    })));
    return { name, partitions };
  });
}

/**
 * A broker holding the snapshot's topics and records, on `clock`; the topics in `empty` keep their
 * partitions and lose their records. With `security`, its clients must authenticate.
 */
export function clusterFrom(snapshot: BrokerSnapshot, clock?: Clock, empty: ReadonlySet<string> = new Set(), security?: KafkaListenerSecurity): InMemoryKafkaCluster {
  const cluster = new InMemoryKafkaCluster({ ...(clock ? { clock } : {}), ...(security ? { security } : {}) });
  for (const topic of snapshot) {
    cluster.createTopic(topic.name, topic.partitions.length);
    if (empty.has(topic.name)) continue;
    topic.partitions.forEach((records, partition) => {
      for (const r of records) cluster.append({ topic: topic.name, partition, key: r.key, value: r.value, timestamp: r.timestamp, headers: r.headers });
    });
  }
  return cluster;
}
