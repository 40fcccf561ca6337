/**
 * `KafkaUtils.createDirectStream(ssc, topics, kafkaParams)` against a real broker: the DStream
 * engine's {@link DirectInput} over the kafkajs partition reader.
 *
 *   start(restored)  positions = restored ?? per partition: earliest or latest (`auto.offset.reset`,
 *                    default latest, as the Kafka consumer's default)
 *   fetch(t)         per partition: read [position, latest now), position = latest now
 *                    (partitions that appear later start at their earliest offset)
 *   positions()      {topic: {partition: next offset}} — saved with the DStream checkpoint
 *
 * Records become `[key, value]` pairs of UTF-8 strings (key null when absent), as the JVM
 * StringDeserializer gives them. Nothing is committed to Kafka: the checkpoint owns the offsets.
 */
import type { DirectInput, DirectInputFactory } from '../../engine/dstream/direct-input.js';
import { kafka08WithoutSasl } from '../../engine/kafka-client/memory-kafka-cluster.js';
import { resolveKafkaConnection, type KafkaConnection, KafkaOptionError } from './kafka-connection.js';
import { KafkajsPartitionReader } from './partition-reader.js';
import type { OffsetRange } from './kafka-record.js';

type Positions = Record<string, Record<string, number>>;

const decoder = new TextDecoder('utf-8');

/** One direct input: a fixed topic list read from saved positions. */
export class KafkaDirectInput implements DirectInput<[string | null, string]> {
  readonly name: string;
  private readonly reader: KafkajsPartitionReader;
  private positionsByTopic: Positions = {};
  private readonly reset: 'earliest' | 'latest';

  constructor(
    private readonly topics: readonly string[],
    connection: KafkaConnection,
    kafkaParams: Readonly<Record<string, string>>,
  ) {
    this.name = `kafka[${topics.join(',')}]`;
    // `smallest`/`largest` are the names of the Kafka 0.8 consumer that PySpark's KafkaUtils used.
    const given = (kafkaParams['auto.offset.reset'] ?? 'latest').toLowerCase();
    const reset = given === 'smallest' ? 'earliest' : given === 'largest' ? 'latest' : given;
    if (reset !== 'earliest' && reset !== 'latest') {
      throw new KafkaOptionError(`Invalid value ${given} for configuration auto.offset.reset: String must be one of: latest, earliest, none (or the Kafka 0.8 names smallest, largest)`);
    }
    this.reset = reset;
    this.reader = new KafkajsPartitionReader(connection, { failOnDataLoss: false, warn: (m) => console.warn(`[${this.name}] ${m}`) });
  }

  async start(restored?: unknown): Promise<void> {
    if (restored && typeof restored === 'object') {
      this.positionsByTopic = structuredClone(restored as Positions);
      return;
    }
    for (const p of await this.reader.partitionOffsets(this.topics)) {
      (this.positionsByTopic[p.topic] ??= {})[String(p.partition)] = this.reset === 'earliest' ? p.earliest : p.latest;
    }
  }

  async fetch(_batchTimeMs: number): Promise<Array<Array<[string | null, string]>>> {
    const ranges: OffsetRange[] = [];
    for (const p of await this.reader.partitionOffsets(this.topics)) {
      const byPartition = (this.positionsByTopic[p.topic] ??= {});
      const from = Math.max(byPartition[String(p.partition)] ?? p.earliest, p.earliest);
      byPartition[String(p.partition)] = p.latest;
      ranges.push({ topic: p.topic, partition: p.partition, from, until: Math.max(from, p.latest) });
    }
    const records = await this.reader.readRanges(ranges);
    return records.map((part) =>
      part.map((r): [string | null, string] => [r.key === null ? null : decoder.decode(r.key), r.value === null ? '' : decoder.decode(r.value)]),
    );
  }

  positions(): unknown {
    return structuredClone(this.positionsByTopic);
  }

  async stop(): Promise<void> {
    await this.reader.close();
  }
}

/** The factory the runtime passes to `StreamingContext` so `createDirectStream` reads real Kafka. */
export class KafkaDirectInputFactory implements DirectInputFactory {
  constructor(private readonly runtime?: KafkaConnection) {}

  createDirectInput(topics: string[], kafkaParams: Record<string, string>): DirectInput<[string | null, string]> {
    if (this.runtime?.learnerSasl === 'required' || kafkaParams['security.protocol'] !== undefined) throw kafka08WithoutSasl();
    // Spark takes `bootstrap.servers` here (no `kafka.` prefix): map it for the connection resolver.
    const options: Record<string, string> = {};
    for (const [k, v] of Object.entries(kafkaParams)) options[`kafka.${k}`] = v;
    return new KafkaDirectInput(topics, resolveKafkaConnection(this.runtime, options), kafkaParams);
  }
}
