import type { DStream } from './dstream.js';
import { defaultMemoryTopics } from './memory-topics.js';
import type { StreamingContext } from './streaming-context.js';

/** Kafka input for the DStream API (PySpark's `KafkaUtils`, spark-streaming-kafka). */
export class KafkaUtils {
  private constructor() {}

  /**
   * A receiver-less stream of `[key, value]` pairs from `topics`: each batch holds the records that
   * arrived since the previous batch, one RDD partition per topic partition. Records come from the
   * context's `kafka` input factory (a broker, via the Kafka connector) or, by default, from the
   * in-memory topics. `auto.offset.reset` (`latest` by default, or `earliest`) picks where a new
   * stream starts; a restarted context resumes from its checkpoint.
   */
  static createDirectStream(
    ssc: StreamingContext,
    topics: string[],
    kafkaParams: Record<string, string> = {},
  ): DStream<[string | null, string]> {
    const factory = ssc.kafkaFactory ?? defaultMemoryTopics();
    return ssc.graph.record('createDirectStream', 'input', [], { topics: [...topics], kafkaParams: { ...kafkaParams } }, {}, () =>
      ssc.directStream(factory.createDirectInput(topics, kafkaParams)),
    );
  }
}
