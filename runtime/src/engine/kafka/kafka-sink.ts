/**
 * The Kafka sink's rules (Spark's KafkaWriter): schema validation with Spark's messages, and the
 * conversion of output rows to records. The connector supplies the writer that produces them.
 */
import type { Row } from '../expressions/compile.js';
import { AnalysisException } from '../errors.js';
import type { SinkProvider } from '../sinks/sink.js';
import type { DataType, StructType } from '../types.js';
import { toSparkString, utf8 } from '../values.js';
import { checkForbiddenKafkaParams } from './kafka-options.js';

/** A record to produce. */
export interface KafkaOutputRecord {
  readonly topic: string;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly partition: number | null;
  readonly headers: readonly { readonly key: string; readonly value: Uint8Array | null }[] | null;
}

/** Produces the records of one micro-batch (idempotence is the writer's concern: Kafka is at-least-once). */
export type KafkaRecordWriter = (records: readonly KafkaOutputRecord[], batchId: number) => Promise<void> | void;

function field(schema: StructType, name: string): { index: number; type: DataType } | null {
  const i = schema.fields.findIndex((f) => f.name.toLowerCase() === name);
  return i < 0 ? null : { index: i, type: schema.fields[i].dataType };
}

function isStringOrBinary(t: DataType): boolean {
  return t.kind === 'atomic' && (t.name === 'string' || t.name === 'binary');
}

function fail(message: string): never {
  throw new AnalysisException(message, { code: 'KAFKA_SINK_SCHEMA' });
}

/**
 * Checks the output schema and options in Spark's order (topic, key, value, headers, partition);
 * throws AnalysisException with KafkaWriter's messages.
 */
export function validateKafkaSinkSchema(schema: StructType, options: Readonly<Record<string, string>>): void {
  checkForbiddenKafkaParams(options, true);
  const unsupported = (name: string, t: DataType, wanted: string): never => fail(`${name} attribute unsupported type ${t.simpleString()}. ${name} must be a(n) ${wanted}`);
  const topicOption = Object.entries(options).find(([k]) => k.toLowerCase() === 'topic')?.[1];
  const topic = field(schema, 'topic');
  if (topicOption === undefined) {
    if (!topic) fail("topic option required when no 'topic' attribute is present. Use the topic option for setting a topic.");
    if (!(topic.type.kind === 'atomic' && topic.type.name === 'string')) unsupported('topic', topic.type, 'string');
  }
  const key = field(schema, 'key');
  if (key && !isStringOrBinary(key.type)) unsupported('key', key.type, 'string or binary');
  const value = field(schema, 'value');
  if (!value) fail("Required attribute 'value' not found");
  if (!isStringOrBinary(value.type)) unsupported('value', value.type, 'string or binary');
  const headers = field(schema, 'headers');
  if (headers && headers.type.simpleString() !== 'array<struct<key:string,value:binary>>') unsupported('headers', headers.type, 'array<struct<key:string,value:binary>>');
  const partition = field(schema, 'partition');
  if (partition && !(partition.type.kind === 'atomic' && partition.type.name === 'int')) unsupported('partition', partition.type, 'int');
}

/** Converts output rows to records (the `topic` option overrides the column). */
export function toKafkaRecords(schema: StructType, rows: readonly Row[], options: Readonly<Record<string, string>>): KafkaOutputRecord[] {
  const topicOption = Object.entries(options).find(([k]) => k.toLowerCase() === 'topic')?.[1];
  const topic = field(schema, 'topic');
  const key = field(schema, 'key');
  const value = field(schema, 'value')!;
  const partition = field(schema, 'partition');
  const headers = field(schema, 'headers');
  const bytes = (v: unknown, t: DataType): Uint8Array | null => (v === null ? null : v instanceof Uint8Array ? v : utf8(toSparkString(v, t)));
  return rows.map((r) => {
    const t = topicOption ?? (topic ? (r[topic.index] as string | null) : null);
    if (t === null) throw new AnalysisException('The topic of a record is null: set the topic option or a non-null topic column.', { code: 'KAFKA_NULL_TOPIC' });
    return {
      topic: t,
      key: key ? bytes(r[key.index], key.type) : null,
      value: bytes(r[value.index], value.type),
      partition: partition ? (r[partition.index] as number | null) : null,
      headers: headers ? ((r[headers.index] as unknown[][] | null)?.map((h) => ({ key: h[0] as string, value: h[1] as Uint8Array | null })) ?? null) : null,
    };
  });
}

/** A `format("kafka")` sink provider producing through `writer`. */
export function kafkaSinkProvider(writer: (options: Readonly<Record<string, string>>) => KafkaRecordWriter): SinkProvider {
  return {
    validate: (ctx) => validateKafkaSinkSchema(ctx.schema, ctx.options),
    createSink(ctx) {
      const write = writer(ctx.options);
      return { addBatch: (batch) => write(toKafkaRecords(batch.schema, batch.rows, ctx.options), batch.batchId) };
    },
  };
}
