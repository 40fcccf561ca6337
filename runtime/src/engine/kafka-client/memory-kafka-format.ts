/**
 * `format("kafka")` over an {@link InMemoryKafkaCluster}: the engine's own Kafka source, static source and sink
 * (Spark's options, schema and offset rules) reading and writing the cluster's partitions, so lesson
 * checks see exactly what the kafkajs connector would give them on a broker.
 */
import { kafkaBatchSourceProvider, kafkaSinkProvider, kafkaSourceProvider, type KafkaPartitionReader, type KafkaRecord, type KafkaSyncPartitionReader, type PartitionInfo } from '../kafka/index.js';
import type { BatchSourceProvider, FormatRegistry } from '../formats.js';
import type { SinkProvider } from '../sinks/sink.js';
import type { SourceProvider } from '../sources/source.js';
import { javaClientSecurity } from '../kafka/kafka-security.js';
import type { InMemoryKafkaCluster } from './memory-kafka-cluster.js';

/** The engine's synchronous reader interface over the cluster (static reads). */
export function clusterSyncPartitionReader(cluster: InMemoryKafkaCluster): KafkaSyncPartitionReader {
  const read = (topic: string, partition: number, from: number, until: number): KafkaRecord[] =>
    cluster.read(topic, partition, from, until).map((r) => ({
      topic: r.topic, partition: r.partition, offset: r.offset, key: r.key, value: r.value, timestamp: r.timestamp, timestampType: 0,
      headers: r.headers.map(([key, value]) => ({ key, value })),
    }));
  return {
    listPartitionsSync(query): PartitionInfo[] {
      const names = query.pattern !== undefined
        ? cluster.listTopics().filter((t) => new RegExp(`^(?:${query.pattern})$`).test(t))
        : (query.topics ?? []).filter((t) => cluster.listTopics().includes(t));
      return names.sort().flatMap((topic) => cluster.endOffsets(topic).map((latest, partition) => ({ topic, partition, earliest: 0, latest })));
    },
    readRangesSync: (ranges) => ranges.map((r) => read(r.topic, r.partition, r.from, r.until)),
  };
}

/** The engine's partition reader interface over the cluster. */
export function clusterPartitionReader(cluster: InMemoryKafkaCluster): KafkaPartitionReader {
  const sync = clusterSyncPartitionReader(cluster);
  return {
    async listPartitions(query): Promise<PartitionInfo[]> {
      return sync.listPartitionsSync(query);
    },
    async read(topic, partition, from, until): Promise<KafkaRecord[]> {
      return sync.readRangesSync([{ topic, partition, from, until }])[0]!;
    },
  };
}

/** The static source for `spark.read.format("kafka")` over `cluster`. */
export function memoryKafkaBatchSourceProvider(cluster: InMemoryKafkaCluster): BatchSourceProvider {
  return kafkaBatchSourceProvider((options) => {
    cluster.authenticate(javaClientSecurity((p) => options.kafkaParams[p]));
    return clusterSyncPartitionReader(cluster);
  });
}

/** The source provider for `readStream.format("kafka")` over `cluster`. */
export function memoryKafkaSourceProvider(cluster: InMemoryKafkaCluster): SourceProvider {
  return kafkaSourceProvider((options) => {
    cluster.authenticate(javaClientSecurity((p) => options.kafkaParams[p]));
    return clusterPartitionReader(cluster);
  }, { onNewData: (listener) => cluster.onAppend(listener) });
}

/** The sink provider for `writeStream.format("kafka")` over `cluster`. */
export function memoryKafkaSinkProvider(cluster: InMemoryKafkaCluster): SinkProvider {
  return kafkaSinkProvider((options) => {
    cluster.authenticate(javaClientSecurity((p) => options[`kafka.${p}`]));
    return (records) => {
      for (const r of records) {
        cluster.append({
          topic: r.topic,
          key: r.key,
          value: r.value,
          ...(r.partition === null ? {} : { partition: r.partition }),
          headers: (r.headers ?? []).map((h) => [h.key, h.value] as [string, Uint8Array | null]),
        });
      }
    };
  });
}

/** Registers `format("kafka")` over `cluster` for streaming reads, static reads and writes. */
export function registerMemoryKafka(formats: FormatRegistry, cluster: InMemoryKafkaCluster): FormatRegistry {
  return formats
    .registerSource('kafka', memoryKafkaSourceProvider(cluster))
    .registerBatchSource('kafka', memoryKafkaBatchSourceProvider(cluster))
    .registerSink('kafka', memoryKafkaSinkProvider(cluster));
}
