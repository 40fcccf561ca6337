/** Kafka rules shared by the engine and the kafkajs connector. */
export { KAFKA_SCHEMA, KAFKA_SCHEMA_WITH_HEADERS } from './kafka-schema.js';
export { parseKafkaSourceOptions, checkForbiddenKafkaParams } from './kafka-options.js';
export type { KafkaSourceOptions, KafkaSubscription, StartingOffsets } from './kafka-options.js';
export { rateLimit, flatten, unflatten, recordCount } from './offset-ranges.js';
export type { PartitionOffsets } from './offset-ranges.js';
export { InMemoryKafkaTopics } from './partition-reader.js';
export type { KafkaPartitionReader, KafkaRecord, PartitionInfo } from './partition-reader.js';
export { KafkaSource, kafkaSourceProvider } from './kafka-source.js';
export { validateKafkaSinkSchema, toKafkaRecords, kafkaSinkProvider } from './kafka-sink.js';
export type { KafkaOutputRecord, KafkaRecordWriter } from './kafka-sink.js';
