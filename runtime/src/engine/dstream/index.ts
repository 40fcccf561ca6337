/** The DStream (Spark Streaming) API, PySpark names. */
export { SparkContext } from './spark-context.js';
export type { SparkConfReader, SparkContextOptions } from './spark-context.js';
export { RDD } from './rdd.js';
export { DStream } from './dstream.js';
export type { DStreamPlan, DStreamPlanKind, DStreamPlanNode } from './dstream-plan.js';
export type { AnyPair, KeyOf, Pair, ValueOf } from './pair.js';
export type { RddOrTime } from './dstream.js';
export { StreamingContext } from './streaming-context.js';
export type { StreamingContextOptions } from './streaming-context.js';
export type { StreamingContextState, DStreamSemantics } from './dstream-graph.js';
export { KafkaUtils } from './kafka-utils.js';
export { MemoryTopics } from './memory-topics.js';
export type { MemoryTopicRecord, MemoryProduceOptions } from './memory-topics.js';
export type { DirectInput, DirectInputFactory, SocketInputFactory } from './direct-input.js';
export type { InputSource } from './input-source.js';
export { InMemoryCheckpointStore } from './checkpoint-store.js';
export type { CheckpointStore, DStreamCheckpoint, StreamCheckpoint } from './checkpoint-store.js';
export type {
  DStreamBatchTrace,
  DStreamInputTrace,
  DStreamListener,
  DStreamStateTrace,
  DStreamWindowSpan,
  DStreamWindowTrace,
} from './trace.js';
export { Duration, Seconds, Milliseconds, Minutes } from './duration.js';
export type { DurationLike } from './duration.js';
