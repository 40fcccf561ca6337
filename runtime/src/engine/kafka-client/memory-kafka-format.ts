/**
 * `format("kafka")` for the structured engine over an {@link InMemoryKafkaCluster}: the source yields
 * Spark's Kafka source schema (`key`, `value` binary, `topic`, `partition`, `offset`, `timestamp`,
 * `timestampType`) and the sink writes `key`/`value` (string or binary) to the `topic` option or the
 * `topic` column. Offsets are `{topic: {partition: nextOffset}}`, Spark's JSON offset form.
 */
import type { Row } from '../compile.js';
import { AnalysisException, IllegalArgumentException } from '../errors.js';
import { toInternalRow } from '../rows.js';
import type { Sink, SinkProvider } from '../sinks/sink.js';
import type { Offset, Source, SourceProvider } from '../sources/source.js';
import { BINARY, INT, LONG, STRING, StructField, StructType, TIMESTAMP } from '../types.js';
import { tpKey, type InMemoryKafkaCluster } from './memory-kafka-cluster.js';

/** Spark's fixed schema of the Kafka source. */
export const KAFKA_SOURCE_SCHEMA = new StructType([
  new StructField('key', BINARY),
  new StructField('value', BINARY),
  new StructField('topic', STRING),
  new StructField('partition', INT),
  new StructField('offset', LONG),
  new StructField('timestamp', TIMESTAMP),
  new StructField('timestampType', INT),
]);

type KafkaOffsets = Record<string, Record<string, number>>;

function opt(options: Readonly<Record<string, string>>, key: string): string | undefined {
  const k = Object.keys(options).find((o) => o.toLowerCase() === key.toLowerCase());
  return k === undefined ? undefined : options[k];
}

function topicsOf(options: Readonly<Record<string, string>>): string[] {
  const subscribe = opt(options, 'subscribe');
  if (subscribe === undefined) {
    throw new IllegalArgumentException('Option \'subscribe\' must be specified for configuring Kafka consumer', { code: 'KAFKA_OPTIONS' });
  }
  return subscribe.split(',').map((t) => t.trim()).filter((t) => t.length > 0);
}

/** The source provider for `readStream.format("kafka")` over `cluster`. */
export function memoryKafkaSourceProvider(cluster: InMemoryKafkaCluster): SourceProvider {
  return {
    sourceSchema(options, userSchema) {
      if (userSchema) throw new AnalysisException('Kafka source has a fixed schema and cannot be set with a custom one', { code: 'KAFKA_SCHEMA' });
      topicsOf(options);
      return KAFKA_SOURCE_SCHEMA;
    },
    createSource(ctx): Source {
      const topics = topicsOf(ctx.options);
      const starting = (opt(ctx.options, 'startingOffsets') ?? 'latest').toLowerCase();
      const ends = (): KafkaOffsets => Object.fromEntries(topics.map((t) => {
        cluster.createTopic(t);
        return [t, Object.fromEntries(cluster.endOffsets(t).map((end, p) => [String(p), end]))];
      }));
      return {
        schema: KAFKA_SOURCE_SCHEMA,
        async initialOffset() {
          const e = ends();
          if (starting === 'earliest') for (const t of Object.keys(e)) for (const p of Object.keys(e[t]!)) e[t]![p] = 0;
          return e as Offset;
        },
        defaultReadLimit: () => ({ kind: 'allAvailable' }),
        async latestOffset() {
          return ends() as Offset;
        },
        async getBatch(start, end) {
          const s = start as KafkaOffsets;
          const e = end as KafkaOffsets;
          const rows: Row[] = [];
          for (const t of Object.keys(e).sort()) {
            for (const p of Object.keys(e[t]!).sort((a, b) => Number(a) - Number(b))) {
              for (const r of cluster.read(t, Number(p), s[t]?.[p] ?? 0, e[t]![p])) {
                rows.push(toInternalRow({
                  key: r.key, value: r.value, topic: r.topic, partition: r.partition, offset: r.offset, timestamp: new Date(r.timestamp), timestampType: 0,
                }, KAFKA_SOURCE_SCHEMA));
              }
            }
          }
          return rows;
        },
        async commit() {},
        async stop() {},
        onNewData: (listener) => cluster.onAppend(listener),
      };
    },
  };
}

const encoder = new TextEncoder();

function bytes(v: unknown): Uint8Array | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Uint8Array) return v;
  return encoder.encode(String(v));
}

/** The sink provider for `writeStream.format("kafka")` over `cluster`. */
export function memoryKafkaSinkProvider(cluster: InMemoryKafkaCluster): SinkProvider {
  const check = (schema: StructType, topicOption: string | undefined): void => {
    const type = (name: string) => schema.fields.find((f) => f.name.toLowerCase() === name)?.dataType;
    if (topicOption === undefined && type('topic') === undefined) {
      throw new AnalysisException("topic option required when no 'topic' attribute is present. Use the topic option for setting a topic.", { code: 'KAFKA_SINK_SCHEMA' });
    }
    const value = type('value');
    if (value === undefined) throw new AnalysisException("Required attribute 'value' not found", { code: 'KAFKA_SINK_SCHEMA' });
    if (value !== STRING && value !== BINARY) throw new AnalysisException('value must be a(n) string or binary', { code: 'KAFKA_SINK_SCHEMA' });
    const key = type('key');
    if (key !== undefined && key !== STRING && key !== BINARY) throw new AnalysisException('key must be a(n) string or binary', { code: 'KAFKA_SINK_SCHEMA' });
  };
  return {
    validate(ctx) {
      check(ctx.schema, opt(ctx.options, 'topic'));
    },
    createSink(ctx): Sink {
      const topicOption = opt(ctx.options, 'topic');
      check(ctx.schema, topicOption);
      const idx = (name: string) => ctx.schema.fields.findIndex((f) => f.name.toLowerCase() === name);
      const [t, k, v, p] = ['topic', 'key', 'value', 'partition'].map(idx) as [number, number, number, number];
      return {
        addBatch(batch) {
          for (const row of batch.rows) {
            const topic = topicOption ?? (row[t] === null || row[t] === undefined ? null : String(row[t]));
            if (topic === null) throw new IllegalArgumentException('null topic present in the data. Use the topic option for setting a topic.', { code: 'KAFKA_NULL_TOPIC' });
            const partition = p >= 0 && row[p] !== null && row[p] !== undefined ? Number(row[p]) : undefined;
            cluster.append({ topic, key: k >= 0 ? bytes(row[k]) : null, value: bytes(row[v]), ...(partition === undefined ? {} : { partition }), headers: [] });
          }
        },
      };
    },
  };
}

export { tpKey };
