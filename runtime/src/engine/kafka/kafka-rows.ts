/**
 * A Kafka record as a row of the source's fixed schema (Spark's KafkaRecordToRowConverter):
 * `key, value, topic, partition, offset, timestamp, timestampType[, headers]`, timestamps in
 * engine microseconds. Streaming batches and static reads build their rows here, so the same
 * offsets always give the same rows.
 */
import type { Row } from '../expressions/compile.js';
import type { KafkaRecord } from './partition-reader.js';

/** The row of one record; `includeHeaders` adds the headers column (null when a record has none, as in Spark). */
export function kafkaRow(r: KafkaRecord, includeHeaders: boolean): Row {
  const row: Row = [r.key, r.value, r.topic, r.partition, r.offset, r.timestamp * 1000, r.timestampType];
  if (includeHeaders) row.push(r.headers && r.headers.length > 0 ? r.headers.map((h) => [h.key, h.value]) : null);
  return row;
}
