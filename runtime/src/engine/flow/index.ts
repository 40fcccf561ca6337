/**
 * The flow API: Apache Pekko Streams' names and semantics (the Apache-licensed continuation of Akka
 * Streams), on the engine's injected clock. Exported from the `streamlab` module.
 */
export { ActorSystem, Materializer, setFlowHost, addStreamListener } from './actor-system.js';
export type { ActorSystemOptions, FlowHost, MaterializerLike, StreamListener } from './actor-system.js';
export { ActorAttributes, Attributes, Supervision } from './attributes.js';
export type { Decider, Directive } from './attributes.js';
export type { FlowDuration } from './duration.js';
export {
  AbruptStageTerminationException, AbruptTerminationException, BufferOverflowException, NoSuchElementException,
  RateExceededException, StreamDetachedException,
} from './errors.js';
export { Done, NotUsed } from './graph.js';
export { Keep } from './keep.js';
export { OverflowStrategy } from './overflow-strategy.js';
export { ThrottleMode } from './throttle-mode.js';
export { Source } from './source.js';
export { Flow } from './flow.js';
export { Sink } from './sink.js';
export { RunnableGraph } from './runnable-graph.js';
export { QueueOfferResult } from './stages/queue-source.js';
export type { SourceQueueWithComplete } from './stages/queue-source.js';
export type { Cancellable } from './stages/sources.js';
export type { AsyncResult } from './stages/async-result.js';
export { Consumer } from './kafka/consumer.js';
export type { CommittableMessage, CommittableOffset, Control, DrainingControl, PartitionOffset } from './kafka/consumer.js';
export { ConsumerSettings, Subscriptions, StringDeserializer, ByteArrayDeserializer } from './kafka/consumer-settings.js';
export type { Deserializer, Subscription } from './kafka/consumer-settings.js';
export { Committer } from './kafka/committer.js';
export type { Committable } from './kafka/committer.js';
export { CommitterSettings } from './kafka/committer-settings.js';
export { Slick, SlickSession, SqlAction, sql, sqlu } from './slick/slick.js';
export { setSqlExecutorFactory } from './slick/sql-executor.js';
export type { SqlExecutor, SqlExecutorFactory, SqlResult, SqlStatement } from './slick/sql-executor.js';
