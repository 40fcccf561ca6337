/**
 * Plugs kafkajs into the engine's Kafka rules: the engine's `KafkaSource` reads through
 * {@link KafkajsReaderAdapter}, its static Kafka reads through {@link SyncKafkaReader} (the same
 * adapter in a worker thread) and its Kafka sink writes through {@link KafkaWriter}. The streaming
 * source and the sink are wrapped so that stopping a query also closes its Kafka connections (the
 * engine's source and sink hold no I/O and so have nothing to close themselves).
 */
import {
  kafkaBatchSourceProvider as engineKafkaBatchSourceProvider,
  kafkaSinkProvider as engineKafkaSinkProvider,
  kafkaSourceProvider as engineKafkaSourceProvider,
  parseKafkaSourceOptions,
  type KafkaPartitionReader,
  type KafkaRecord as EngineKafkaRecord,
  type PartitionInfo,
} from '../../engine/kafka/index.js';
import type { BatchSourceProvider } from '../../engine/formats.js';
import type { SinkProvider } from '../../engine/sinks/sink.js';
import type { SourceProvider } from '../../engine/sources/source.js';
import { KafkajsPartitionReader, type PartitionReaderOptions } from './partition-reader.js';
import { KafkaWriter } from './kafka-writer.js';
import { resolveKafkaConnection, type KafkaConnection } from './kafka-connection.js';
import { reportDataLoss } from './data-loss.js';
import { SyncKafkaReader } from './sync-kafka-reader.js';

/** The engine's reader interface over the kafkajs partition reader. */
export class KafkajsReaderAdapter implements KafkaPartitionReader {
  private readonly reader: KafkajsPartitionReader;
  /** Partitions listed before, to notice deleted ones (Spark: "… are gone"). */
  private readonly seen = new Set<string>();

  constructor(connection: KafkaConnection, private readonly options: PartitionReaderOptions = {}) {
    this.reader = new KafkajsPartitionReader(connection, options);
  }

  async listPartitions(query: { topics?: readonly string[]; pattern?: string }): Promise<PartitionInfo[]> {
    let parts: PartitionInfo[];
    if (query.pattern !== undefined) {
      // Spark's subscribePattern is a Java regex matched against the whole topic name.
      const re = new RegExp(`^(?:${query.pattern})$`);
      parts = await this.reader.partitionOffsets((await this.reader.listTopics()).filter((t) => re.test(t)));
    } else {
      parts = await this.reader.partitionOffsets(query.topics ?? []);
    }
    const now = new Set(parts.map((p) => `${p.topic}-${p.partition}`));
    const gone = [...this.seen].filter((k) => !now.has(k));
    for (const k of gone) this.seen.delete(k);
    for (const k of now) this.seen.add(k);
    if (gone.length > 0) {
      const [topic, partition] = splitPartitionKey(gone[0]!);
      reportDataLoss(this.options.failOnDataLoss ?? true, this.options.warn ?? ((m) => console.warn(m)), `Partitions [${gone.join(', ')}] are gone`, topic, partition);
    }
    return parts;
  }

  async read(topic: string, partition: number, from: number, until: number): Promise<EngineKafkaRecord[]> {
    return this.reader.read({ topic, partition, from, until });
  }

  /** All partitions of a batch in one request per leader. */
  async readRanges(ranges: readonly { topic: string; partition: number; from: number; until: number }[]): Promise<EngineKafkaRecord[][]> {
    return this.reader.readRanges(ranges);
  }

  /** Closes the connections (reopened on the next call). */
  async close(): Promise<void> {
    await this.reader.close();
  }
}

/** `readStream.format("kafka")`: the engine's source over kafkajs; the runtime's connection wins. */
export function kafkaSourceProvider(runtime: KafkaConnection | undefined): SourceProvider {
  return {
    sourceSchema: (options, userSchema) => engineKafkaSourceProvider(() => unused()).sourceSchema(options, userSchema),
    async createSource(ctx) {
      for (const w of parseKafkaSourceOptions(ctx.options).warnings) console.warn(`[kafka source] ${w}`);
      let adapter: KafkajsReaderAdapter | undefined;
      const provider = engineKafkaSourceProvider((parsed) => {
        adapter = new KafkajsReaderAdapter(resolveKafkaConnection(runtime, ctx.options), {
          // Micro-batches read consecutive ranges: fetch the next one while this one is processed.
          readAhead: true,
          failOnDataLoss: parsed.failOnDataLoss,
          warn: (m) => console.warn(`[kafka source] ${m}`),
        });
        return adapter;
      });
      const source = await provider.createSource(ctx);
      const stop = source.stop.bind(source);
      source.stop = async () => {
        await stop();
        await adapter?.close();
      };
      return source;
    },
  };
}

/** Options of {@link kafkaBatchSourceProvider}. */
export interface KafkaBatchReadOptions {
  /** How long listing partitions, and then reading the records, may each take (default 60 s). */
  timeoutMs?: number;
}

/**
 * `spark.read.format("kafka")`: the engine's static-read rules over kafkajs, blocking until the
 * records are read; the runtime's connection wins over the learner's bootstrap servers.
 */
export function kafkaBatchSourceProvider(runtime: KafkaConnection | undefined, options: KafkaBatchReadOptions = {}): BatchSourceProvider {
  const warn = (m: string) => console.warn(`[kafka source] ${m}`);
  return {
    read(sourceOptions, userSchema) {
      return engineKafkaBatchSourceProvider(
        (parsed) => new SyncKafkaReader(resolveKafkaConnection(runtime, sourceOptions), { failOnDataLoss: parsed.failOnDataLoss, warn, ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}) }),
        { warn },
      ).read(sourceOptions, userSchema);
    },
  };
}

/** `writeStream.format("kafka")` / `df.write.format("kafka")`: the engine's sink rules over kafkajs. */
export function kafkaSinkProvider(runtime: KafkaConnection | undefined): SinkProvider {
  const rules = engineKafkaSinkProvider(() => () => undefined);
  return {
    validate: rules.validate,
    supportedModes: rules.supportedModes,
    async createSink(ctx) {
      // The engine's records carry the topic already resolved (the `topic` option wins).
      const writer = new KafkaWriter(resolveKafkaConnection(runtime, ctx.options));
      const sink = await engineKafkaSinkProvider(() => (records) =>
        writer.write(records.map((r) => ({ topic: r.topic, key: r.key, value: r.value, partition: r.partition, headers: r.headers ? [...r.headers] : null }))),
      ).createSink(ctx);
      return {
        addBatch: (batch) => sink.addBatch(batch),
        stop: async () => {
          await sink.stop?.();
          await writer.close();
        },
      };
    },
  };
}

function splitPartitionKey(key: string): [string, number] {
  const dash = key.lastIndexOf('-');
  return [key.slice(0, dash), Number(key.slice(dash + 1))];
}

function unused(): never {
  throw new Error('sourceSchema does not read');
}
