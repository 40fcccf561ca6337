/**
 * Where an element came from, for measuring latency: elements made from a Kafka record (the record
 * itself, a committable message, its committable offset) carry the record's Kafka timestamp under a
 * symbol. When such an element reaches the end of a stream (a sink, or a Committer), the stream records
 * `now - timestamp`: the record's latency from produce to sink.
 */
const KAFKA_TIMESTAMP: unique symbol = Symbol.for('streamlab.flow.kafkaTimestamp');

/** Marks `element` as made from a record produced at `timestampMs`; returns it. */
export function tagKafkaTimestamp<T extends object>(element: T, timestampMs: number): T {
  Object.defineProperty(element, KAFKA_TIMESTAMP, { value: timestampMs, enumerable: false });
  return element;
}

/** The Kafka timestamp an element carries, if any. */
export function kafkaTimestampOf(element: unknown): number | undefined {
  if (element === null || typeof element !== 'object') return undefined;
  const t = (element as { [KAFKA_TIMESTAMP]?: unknown })[KAFKA_TIMESTAMP];
  return typeof t === 'number' ? t : undefined;
}
