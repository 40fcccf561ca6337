/**
 * What a run's Web Worker needs of this package in the workbench's static build: the engine's side of a
 * run, its wall clock (System mode), the formats and Kafka client factory it binds to the in-memory broker
 * and the broker's SASL listener (a lesson whose Kafka requires it), the lessons' data player,
 * the endless-loop guard, and check mode's operations on a loaded program (a check's worker). All of
 * it is pure: no `node:*`, so a worker can load it.
 */
export { bindEngineCore, type EngineBinding, type EngineObserver } from './jobs/child/engine-core.js';
export { FormatRegistry } from './engine/formats.js';
export { setKafkaClientFactory } from './engine/kafka-client/client-factory.js';
export { registerMemoryKafka } from './engine/kafka-client/memory-kafka-format.js';
export { InMemoryKafkaCluster } from './engine/kafka-client/memory-kafka-cluster.js';
export { saslListener } from './engine/kafka/kafka-security.js';
export { SystemClock } from './jobs/system-clock.js';
export { DataPlayer } from './lessons/data-player.js';
export { createLoopGuardOn, LOOP_GUARD_NAME } from './jobs/loop-guard-core.js';
export { AWAIT_TRACKER_NAME, createAwaitTracker, hangingAwait } from './jobs/await-tracker.js';
export { SparkSession } from './engine/structured/session.js';
export { checkCluster, printInto, runCheckOp, type CheckWorld, type WorldOp } from './jobs/child/check-ops.js';
export type { CheckOp, CheckSasl } from './jobs/check-ipc.js';
