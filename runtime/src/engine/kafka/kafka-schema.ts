/** The fixed schema of the Kafka source (Spark's `KafkaRecordToRowConverter`). */
import { ArrayType, BINARY, INT, LONG, STRING, StructField, StructType, TIMESTAMP } from '../types.js';

const BASE = [
  new StructField('key', BINARY, true),
  new StructField('value', BINARY, true),
  new StructField('topic', STRING, true),
  new StructField('partition', INT, true),
  new StructField('offset', LONG, true),
  new StructField('timestamp', TIMESTAMP, true),
  new StructField('timestampType', INT, true),
];

/** `key, value, topic, partition, offset, timestamp, timestampType`. */
export const KAFKA_SCHEMA = new StructType(BASE);

/** The same plus `headers array<struct<key:string,value:binary>>` (`includeHeaders=true`). */
export const KAFKA_SCHEMA_WITH_HEADERS = new StructType([
  ...BASE,
  new StructField('headers', new ArrayType(new StructType([new StructField('key', STRING, true), new StructField('value', BINARY, true)]), true), true),
]);
