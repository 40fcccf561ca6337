/** Kafka rules shared by the engine and the kafkajs connector. */
export { KAFKA_SCHEMA, KAFKA_SCHEMA_WITH_HEADERS } from './kafka-schema.js';
export { parseKafkaSourceOptions, parseKafkaBatchOptions, checkForbiddenKafkaParams } from './kafka-options.js';
export type { KafkaSourceOptions, KafkaBatchOptions, KafkaSubscription, StartingOffsets, EndingOffsets } from './kafka-options.js';
export { rateLimit, flatten, unflatten, recordCount } from './offset-ranges.js';
export type { PartitionOffsets } from './offset-ranges.js';
export { InMemoryKafkaTopics } from './partition-reader.js';
export type { KafkaPartitionReader, KafkaSyncPartitionReader, KafkaOffsetRange, KafkaRecord, PartitionInfo } from './partition-reader.js';
export { kafkaRow } from './kafka-rows.js';
export { kafkaBatchSourceProvider, kafkaBatchSchema, resolveKafkaBatchRanges, assignedPartitions, KafkaAssertionError } from './kafka-batch-source.js';
export type { KafkaBatchHooks } from './kafka-batch-source.js';
export { KafkaDataLossError, reportDataLoss } from './data-loss.js';
export type { DataLossWarn } from './data-loss.js';
export { KafkaSource, kafkaSourceProvider } from './kafka-source.js';
export { validateKafkaSinkSchema, toKafkaRecords, kafkaSinkProvider } from './kafka-sink.js';
export type { KafkaOutputRecord, KafkaRecordWriter } from './kafka-sink.js';
