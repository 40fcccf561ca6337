/**
 * The Kafka a lesson check runs on: the in-memory cluster (default), or the run's real broker when the
 * check process has `STREAMLAB_KAFKA`, with a fresh topic prefix per check so runs never see each
 * other's records. Either way every layer is wired to it: the learner's KafkaProducer/KafkaConsumer,
 * `format("kafka")`, and the DStream direct stream; the check produces and reads through it too.
 */
import { randomBytes } from 'node:crypto';
import { Kafka, Partitioners, logLevel, type Producer } from 'kafkajs';
import type { Clock } from '../engine/clock.js';
import { registerBatchSourceProvider, registerSinkProvider, registerSourceProvider } from '../engine/formats.js';
import type { DirectInputFactory } from '../engine/dstream/direct-input.js';
import { setKafkaClientFactory } from '../engine/kafka-client/client-factory.js';
import { InMemoryKafkaCluster } from '../engine/kafka-client/memory-kafka-cluster.js';
import { memoryKafkaBatchSourceProvider, memoryKafkaSinkProvider, memoryKafkaSourceProvider } from '../engine/kafka-client/memory-kafka-format.js';
import { registerConnectors } from '../connectors/index.js';
import { kafkajsConfig, type KafkaConnection } from '../connectors/kafka/kafka-connection.js';
import { KafkajsPartitionReader } from '../connectors/kafka/partition-reader.js';
import { kafkajsClientFactory } from '../connectors/kafka/learner-clients.js';

/** A record as a check reads it back. */
export interface CheckRecord {
  partition: number;
  offset: number;
  key: string | null;
  value: string | null;
  /** Epoch ms. */
  timestamp: number;
}

/** What checks do with Kafka. */
export interface CheckKafka {
  /** `memory` or `broker`. */
  readonly kind: 'memory' | 'broker';
  /** The DStream direct-input factory for `new StreamingContext(.., { kafka })`. */
  readonly dstream: DirectInputFactory;
  /** Appends a text record, timestamped with the check's clock; keyed records use the default partitioner. */
  produce(topic: string, value: string, options?: { key?: string | null }): Promise<void>;
  /** Appends several records at once, so no batch can start between them. */
  produceAll(topic: string, records: readonly { key?: string | null; value: string }[]): Promise<void>;
  /** Every record of a topic, by partition then offset. */
  records(topic: string): Promise<CheckRecord[]>;
  close(): Promise<void>;
}

const decoder = new TextDecoder();
const text = (b: Uint8Array | null): string | null => (b === null ? null : decoder.decode(b));

/** The in-memory cluster behind every layer. */
export function memoryCheckKafka(clock: Clock, topics: Record<string, number>): CheckKafka {
  const cluster = new InMemoryKafkaCluster({ clock });
  for (const [t, n] of Object.entries(topics)) cluster.createTopic(t, n);
  setKafkaClientFactory(cluster);
  registerSourceProvider('kafka', memoryKafkaSourceProvider(cluster));
  registerBatchSourceProvider('kafka', memoryKafkaBatchSourceProvider(cluster));
  registerSinkProvider('kafka', memoryKafkaSinkProvider(cluster));
  return {
    kind: 'memory',
    dstream: cluster,
    async produce(topic, value, options = {}) {
      cluster.produce(topic, value, { key: options.key ?? null });
    },
    async produceAll(topic, records) {
      for (const r of records) cluster.produce(topic, r.value, { key: r.key ?? null });
    },
    async records(topic) {
      return cluster.records(topic).map((r) => ({ partition: r.partition, offset: r.offset, key: text(r.key), value: text(r.value), timestamp: r.timestamp }));
    },
    async close() {
      setKafkaClientFactory(null);
    },
  };
}

/** The run's broker, under a fresh topic prefix, behind every layer. */
export async function brokerCheckKafka(brokers: string, clock: Clock, topics: Record<string, number>): Promise<CheckKafka> {
  const prefix = `check-${randomBytes(6).toString('hex')}.`;
  const connection: KafkaConnection = { brokers: brokers.split(',').map((b) => b.trim()), clientId: 'streamlab-check', topicPrefix: prefix };
  const kafka = new Kafka({ ...kafkajsConfig(connection), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    // Checks run on a manual clock set to the lesson's dates; Kafka 4 refuses timestamps more than an hour
    // ahead of the broker's clock unless the topic allows them.
    const configEntries = [{ name: 'message.timestamp.after.max.ms', value: String(Number.MAX_SAFE_INTEGER) }];
    await admin.createTopics({ topics: Object.entries(topics).map(([t, n]) => ({ topic: prefix + t, numPartitions: n, configEntries })), waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
  const registered = registerConnectors({ kafka: connection });
  setKafkaClientFactory(kafkajsClientFactory(connection, { now: () => clock.now() }));
  const producer: Producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const reader = new KafkajsPartitionReader(connection);
  return {
    kind: 'broker',
    dstream: registered.dstreamKafka,
    async produce(topic, value, options = {}) {
      await producer.send({ topic: prefix + topic, messages: [{ key: options.key ?? null, value, timestamp: String(clock.now()) }] });
    },
    async produceAll(topic, records) {
      // One request: each partition appends the records together, so a batch sees all of them or none.
      await producer.send({ topic: prefix + topic, messages: records.map((r) => ({ key: r.key ?? null, value: r.value, timestamp: String(clock.now()) })) });
    },
    async records(topic) {
      const out: CheckRecord[] = [];
      for (const p of await reader.partitionOffsets([topic])) {
        for (const r of await reader.read({ topic, partition: p.partition, from: p.earliest, until: p.latest })) {
          out.push({ partition: r.partition, offset: r.offset, key: text(r.key), value: text(r.value), timestamp: r.timestamp });
        }
      }
      return out;
    },
    async close() {
      setKafkaClientFactory(null);
      await Promise.allSettled([producer.disconnect(), reader.close(), registered.close()]);
    },
  };
}
