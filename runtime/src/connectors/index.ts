/**
 * The connectors' entry point (package subpath `@streamlab/runtime/connectors`).
 *
 * `registerConnectors(formats, config)` plugs the real Kafka and PostgreSQL implementations into a
 * session's format registry (`spark.formats`, or one given to the session's builder); the runtime (or a job process) calls it once with its own connection
 * settings, which then win over whatever bootstrap servers, URL or credentials a learner typed:
 *
 *   readStream.format("kafka")            the engine's Kafka source rules reading through kafkajs
 *                                         (direct partition fetches)
 *   read.format("kafka")                  static read of an offset range: the same reader in a worker
 *                                         thread, the caller blocked until the records are there
 *   writeStream.format("kafka")           the engine's Kafka sink rules writing through kafkajs
 *                                         (at-least-once)
 *   writeStream.format("postgres")        PostgreSQL upsert sink (exactly-once per batch id)
 *   StreamingContext({ kafka })           DStream direct input: `dstreamKafka` in the result
 *   df.write.format("jdbc")…save()        PostgreSQL batch write with Spark's save modes
 *                                         (also callable directly as `writeJdbc` in the result)
 */
import type { FormatRegistry } from '../engine/formats.js';
import type { SinkProvider } from '../engine/sinks/sink.js';
import { kafkaBatchSourceProvider, kafkaSinkProvider, kafkaSourceProvider, type KafkaBatchReadOptions } from './kafka/kafka-formats.js';
import { KafkaDirectInputFactory } from './kafka/kafka-direct-input.js';
import type { KafkaConnection } from './kafka/kafka-connection.js';
import { postgresConnectors, type PostgresConnection } from './postgres/postgres-sinks.js';

export type { KafkaConnection } from './kafka/kafka-connection.js';
export type { PostgresConnection } from './postgres/postgres-sinks.js';
export { KafkajsPartitionReader } from './kafka/partition-reader.js';
export { KafkaWriter } from './kafka/kafka-writer.js';
export { KafkaDirectInputFactory } from './kafka/kafka-direct-input.js';
export { KafkaDataLossError } from './kafka/data-loss.js';
export { KafkaReadTimeoutError, SyncKafkaReader } from './kafka/sync-kafka-reader.js';
export type { KafkaBatchReadOptions } from './kafka/kafka-formats.js';
export { PostgresWriteError } from './postgres/pg-errors.js';
export { parsePostgresUrl } from './postgres/jdbc-url.js';
export { localFiles, registerLocalCsv } from './files/local-files.js';

/** Connection settings of the runtime; omit one to use the learner's options for it. */
export interface ConnectorsConfig {
  kafka?: KafkaConnection;
  postgres?: PostgresConnection;
  /** Static Kafka reads (`spark.read.format("kafka")`). */
  kafkaBatchRead?: KafkaBatchReadOptions;
}

/** What registration returns: the DStream factory, the batch JDBC writer, and `close()`. */
export interface RegisteredConnectors {
  /** Pass as `new StreamingContext(sc, batch, { kafka: dstreamKafka })`. */
  dstreamKafka: KafkaDirectInputFactory;
  /** `df.write.format("jdbc")…save()` / `df.write.jdbc(url, table, mode, properties)`. */
  writeJdbc: ReturnType<typeof postgresConnectors>['writeBatch'];
  /** Closes PostgreSQL pools (Kafka clients close with their queries). */
  close(): Promise<void>;
}

/** Registers the Kafka and PostgreSQL formats into a session's registry. */
export function registerConnectors(formats: FormatRegistry, config: ConnectorsConfig = {}): RegisteredConnectors {
  formats
    .registerSource('kafka', kafkaSourceProvider(config.kafka))
    .registerBatchSource('kafka', kafkaBatchSourceProvider(config.kafka, config.kafkaBatchRead))
    .registerSink('kafka', kafkaSinkProvider(config.kafka));
  const pg = postgresConnectors(config.postgres);
  formats.registerSink('postgres', pg.sinkProvider as SinkProvider).registerSink('jdbc', pg.jdbcSinkProvider as SinkProvider);
  return {
    dstreamKafka: new KafkaDirectInputFactory(config.kafka),
    writeJdbc: (req) => pg.writeBatch(req),
    close: () => pg.pools.close(),
  };
}
