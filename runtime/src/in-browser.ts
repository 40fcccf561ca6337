/**
 * What a runtime in the browser needs of this package (the workbench's static build), on the page:
 * the in-memory Kafka cluster as the broker, the lessons' data planner, and how learner files are
 * bundled and guarded, by the rules a Run keeps wherever it runs. What a run's Web Worker needs is
 * `./in-browser-worker.ts`. All of it is pure: no `node:*`.
 */
export { InMemoryKafkaCluster } from './engine/kafka-client/memory-kafka-cluster.js';
export { planLessonData, type LessonDataPlan } from './lessons/lesson-data.js';
export type { Lesson } from './lessons/lesson-schema.js';
export { bundleLearnerFiles, missingEntry, normaliseLearnerPath, type BundledPipeline, type EsbuildBuild } from './jobs/learner-bundle.js';
export { instrumentLoops } from './jobs/loop-insert.js';
export type { LearnerError } from './jobs/learner-error.js';
