/**
 * What a runtime in the browser needs of this package (the workbench's static build), on the page:
 * the in-memory Kafka cluster as the broker, the lessons' data planner, and how learner files are
 * bundled and guarded, by the rules a Run keeps wherever it runs. What a run's Web Worker needs is
 * `./in-browser-worker.ts`. All of it is pure: no `node:*`. The check harness's host-free part too: the
 * browser runs a lesson's checks in the page, each program in a worker of its own.
 */
export { InMemoryKafkaCluster } from './engine/kafka-client/memory-kafka-cluster.js';
export type { KafkaListenerSecurity } from './engine/kafka/kafka-security.js';
export { planLessonData, type LessonDataPlan } from './lessons/lesson-data.js';
export type { Lesson } from './lessons/lesson-schema.js';
export { bundleLearnerFiles, missingEntry, normaliseLearnerPath, type BundledPipeline, type EsbuildBuild } from './jobs/learner-bundle.js';
export { dynamicImportAt, instrumentAwaitsAt, instrumentLoops, sourceMapLookup } from './jobs/loop-insert.js';
export type { LearnerError } from './jobs/learner-error.js';
export {
  ActorSystemRef, asFailure, opTimeoutMessage, CheckFailure, ContextRef, ControlRef, DataFrameRef, entryFile, expectLines, expectRows, fail, faultLines, hash, LearnerCodeError, MeterRef, ms,
  ProgramBase, QueryRef, Sandbox, seededRandom, StreamRef,
  type CheckChannel, type CheckFailureInfo, type CheckRecord, type CheckSasl, type Fault, type LessonChecks, type PlanSummary, type Random, type RowDiff, type SparkArg,
  type World,
} from './lessons/check-core.js';
export { gradeFromReport, type ReportedCheck } from './lessons/grade-from-report.js';
export type { GradeResult } from './lessons/grade-types.js';
export type { LearnerFile } from './jobs/compile.js';
export type { CheckOp } from './jobs/check-ipc.js';
