/**
 * `writeStream.format("kafka")` and `df.write.format("kafka")`: Spark's sink schema rules and the
 * row → record mapping, on top of {@link KafkaWriter}.
 *
 * Columns (KafkaWriter.scala): `value` string|binary (required), `key` string|binary, `topic` string
 * (required unless the `topic` option is set; the option wins), `partition` int, `headers`
 * array<struct<key:string,value:binary>>. Delivery is at-least-once.
 */
import { KafkaWriter, type KafkaOutRecord } from './kafka-writer.js';
import { resolveKafkaConnection, type KafkaConnection } from './kafka-connection.js';
import type { KafkaHeader } from './kafka-record.js';
import { ConnectorAnalysisError, option, type BatchShape, type SchemaShape, type SinkContextShape } from '../schema-shape.js';

const HEADERS_TYPE = 'array<struct<key:string,value:binary>>';

/** Checks the output schema against Spark's Kafka sink rules; throws AnalysisException with Spark's text. */
export function validateKafkaSinkSchema(schema: SchemaShape, topicOption: string | undefined): void {
  const type = (name: string) => schema.fields.find((f) => f.name.toLowerCase() === name)?.dataType.simpleString();
  const topic = type('topic');
  if (topicOption === undefined && topic === undefined) {
    throw new ConnectorAnalysisError(
      "topic option required when no 'topic' attribute is present. Use the topic option for setting a topic.",
      'KAFKA_SINK_SCHEMA',
    );
  }
  if (topic !== undefined && topic !== 'string' && topicOption === undefined) {
    throw new ConnectorAnalysisError('topic must be a(n) string', 'KAFKA_SINK_SCHEMA');
  }
  const value = type('value');
  if (value === undefined) throw new ConnectorAnalysisError("Required attribute 'value' not found", 'KAFKA_SINK_SCHEMA');
  if (value !== 'string' && value !== 'binary') throw new ConnectorAnalysisError('value must be a(n) string or binary', 'KAFKA_SINK_SCHEMA');
  const key = type('key');
  if (key !== undefined && key !== 'string' && key !== 'binary') throw new ConnectorAnalysisError('key must be a(n) string or binary', 'KAFKA_SINK_SCHEMA');
  const partition = type('partition');
  if (partition !== undefined && partition !== 'int') throw new ConnectorAnalysisError('partition must be a(n) int', 'KAFKA_SINK_SCHEMA');
  const headers = type('headers');
  if (headers !== undefined && headers.replace(/\s/g, '') !== HEADERS_TYPE) {
    throw new ConnectorAnalysisError(`headers must be a(n) ${HEADERS_TYPE}`, 'KAFKA_SINK_SCHEMA');
  }
}

/** Maps rows (values in schema order) to Kafka records. */
export function toKafkaRecords(schema: SchemaShape, rows: readonly (readonly unknown[])[]): KafkaOutRecord[] {
  const idx = (name: string) => schema.fields.findIndex((f) => f.name.toLowerCase() === name);
  const [t, k, v, p, h] = ['topic', 'key', 'value', 'partition', 'headers'].map(idx) as [number, number, number, number, number];
  return rows.map((row) => {
    const rec: KafkaOutRecord = { value: bytesOrString(row[v]) };
    if (t >= 0) rec.topic = row[t] === null || row[t] === undefined ? null : String(row[t]);
    if (k >= 0) rec.key = bytesOrString(row[k]);
    if (p >= 0 && row[p] !== null && row[p] !== undefined) rec.partition = Number(row[p]);
    if (h >= 0 && Array.isArray(row[h])) rec.headers = (row[h] as unknown[][]).map(toHeader);
    return rec;
  });
}

function bytesOrString(x: unknown): string | Uint8Array | null {
  if (x === null || x === undefined) return null;
  if (typeof x === 'string' || x instanceof Uint8Array) return x;
  return String(x);
}

/** A header struct is the engine's array of field values `[key, value]`. */
function toHeader(h: unknown[]): KafkaHeader {
  const v = h[1];
  return { key: String(h[0]), value: v instanceof Uint8Array ? v : v === null || v === undefined ? null : new TextEncoder().encode(String(v)) };
}

/** The Kafka sink (streaming and batch), writing through one producer per query. */
export class KafkaSink {
  private readonly writer: KafkaWriter;

  constructor(private readonly schema: SchemaShape, connection: KafkaConnection, topic: string | undefined) {
    this.writer = new KafkaWriter(connection, { topic });
  }

  /** Writes one batch; resolves when every record is acknowledged. */
  async addBatch(batch: BatchShape): Promise<void> {
    await this.writer.write(toKafkaRecords(batch.schema ?? this.schema, batch.rows));
  }

  async stop(): Promise<void> {
    await this.writer.close();
  }
}

/** The sink provider registered for `format("kafka")`. */
export function kafkaSinkProvider(runtime: KafkaConnection | undefined) {
  return {
    validate(ctx: SinkContextShape): void {
      validateKafkaSinkSchema(ctx.schema, option(ctx.options, 'topic'));
    },
    createSink(ctx: SinkContextShape): KafkaSink {
      validateKafkaSinkSchema(ctx.schema, option(ctx.options, 'topic'));
      return new KafkaSink(ctx.schema, resolveKafkaConnection(runtime, ctx.options), option(ctx.options, 'topic'));
    },
  };
}
