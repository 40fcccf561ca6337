/** Learner-facing Kafka clients (kafka-python names) and the in-memory cluster behind lessons and tests. */
export { KafkaProducer } from './kafka-producer.js';
export { KafkaConsumer } from './kafka-consumer.js';
export { msgpack } from './msgpack.js';
export type { Msgpack, MsgpackBytes } from './msgpack.js';
export type { TopicPartition } from './kafka-consumer.js';
export { setKafkaClientFactory, kafkaClientFactory } from './client-factory.js';
export { InMemoryKafkaCluster } from './memory-kafka-cluster.js';
export type { StoredRecord, InMemoryKafkaOptions } from './memory-kafka-cluster.js';
export { memoryKafkaSourceProvider, memoryKafkaBatchSourceProvider, memoryKafkaSinkProvider, registerMemoryKafka, clusterPartitionReader, clusterSyncPartitionReader } from './memory-kafka-format.js';
export { murmur2, partitionForKey, toPositive } from './murmur2.js';
export type {
  ConsumerConfig, ConsumerRecord, KafkaClientFactory, ProducerConfig, RecordMetadata, SendOptions, KafkaBytes,
  ProducerBackend, ConsumerBackend, RawRecord, RawSend, KafkaHeaderTuple,
} from './client-types.js';
