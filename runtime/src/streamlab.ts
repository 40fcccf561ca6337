/**
 * The one import path learners use:
 *
 *   import { SparkSession, functions as F, types as T } from "streamlab";
 *
 * Names mirror PySpark (`SparkSession.builder.appName(..).getOrCreate()`, `F.window`, `T.StructType`);
 * the DStream API (`StreamingContext`, `KafkaUtils`, ...) comes from the same module, and so does the
 * flow API with Apache Pekko Streams' names (`ActorSystem`, `Source`, `Flow`, `Sink`, `Keep`, ...).
 */
export { ManualClock } from './engine/clock.js';
export type { Clock } from './engine/clock.js';
export * from './engine/structured/index.js';
export * as functions from './engine/structured/functions.js';
export * as types from './engine/types.js';
export {
  AnalysisException, ParseException, StreamingQueryException, IllegalArgumentException, ValueError, StreamlabError,
} from './engine/errors.js';
export type { RowObject } from './engine/rows.js';
export type { StreamingQueryProgress } from './engine/execution/progress.js';
export type { BatchTrace } from './engine/execution/trace.js';
export * from './engine/dstream/index.js';
export { KafkaProducer, KafkaConsumer, type ConsumerRecord, type RecordMetadata, type TopicPartition } from './engine/kafka-client/index.js';
// MessagePack values for the Kafka clients (`value_serializer: msgpack.packb`), as the temperature tutorial suggests for smaller messages.
export { msgpack, type Msgpack, type MsgpackBytes } from './engine/kafka-client/index.js';

// Spark ML's inference subset (`pyspark.ml`): `ml.PipelineModel.load(...)`, `ml.feature`, `ml.classification`,
// `ml.linalg.Vectors`, `ml.functions.vector_to_array`.
export * as ml from './engine/ml/index.js';

// The flow API (Apache Pekko Streams' names and semantics).
export {
  ActorSystem, Materializer, Source, Flow, Sink, RunnableGraph, Keep, NotUsed, Done, OverflowStrategy, ThrottleMode,
  Supervision, ActorAttributes, Attributes, QueueOfferResult, BufferOverflowException, RateExceededException,
  NoSuchElementException, AbruptTerminationException, StreamDetachedException,
  Consumer, ConsumerSettings, Subscriptions, StringDeserializer, ByteArrayDeserializer, Committer, CommitterSettings,
  Slick, SlickSession, sql, sqlu,
} from './engine/flow/index.js';
export type {
  SourceQueueWithComplete, Cancellable, FlowDuration, AsyncResult, Decider, Directive, CommittableMessage, CommittableOffset,
  Control, DrainingControl, Committable, Deserializer, SqlAction,
} from './engine/flow/index.js';

// Latency from produce to sink, per micro-batch query and per flow (the Latency panel's numbers).
export { LatencyMeter } from './engine/latency/latency-meter.js';
export type { LatencySummary, PipelineLatency } from './engine/latency/latency-meter.js';
export type { LatencyStats } from './engine/latency/latency-stats.js';
