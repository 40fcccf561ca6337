/**
 * The pluggable "direct" input behind `KafkaUtils.createDirectStream`: no receivers; at each batch
 * time the stream asks its input for every record that arrived up to that time and was not handed
 * out before (Spark's offset range [current, latest-at-batch-time) per partition). The in-memory
 * topics here implement it for lessons and tests; the Kafka connector implements it against a broker.
 */

/** One source of records for a direct input stream. */
export interface DirectInput<T> {
  /** Shown in traces, e.g. `kafka[sensors]`. */
  readonly name: string;
  /**
   * Called once before the first batch. `restored` is what `positions()` returned at the last
   * checkpointed batch, when the context resumes from a checkpoint.
   */
  start(restored?: unknown): Promise<void>;
  /** Records that arrived at or before `batchTimeMs` and were not fetched yet; one array per partition. */
  fetch(batchTimeMs: number): Promise<T[][]>;
  /** JSON-serialisable positions after the last fetch, saved with the checkpoint. */
  positions(): unknown;
  /** Releases connections; called when the context stops. */
  stop(): Promise<void>;
}

/** Creates direct inputs for topic subscriptions; what `StreamingContextOptions.kafka` takes. */
export interface DirectInputFactory {
  createDirectInput(topics: string[], kafkaParams: Record<string, string>): DirectInput<[string | null, string]>;
}

/** Creates the input of `ssc.socketTextStream(hostname, port)`: one line of text per record. */
export interface SocketInputFactory {
  createSocketInput(hostname: string, port: number): DirectInput<string>;
}
