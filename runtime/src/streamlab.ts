/**
 * The one import path learners use: `import { SparkSession, functions as F, types as T } from "streamlab"`.
 * Names mirror PySpark.
 */
export { ManualClock } from './engine/clock.js';
export type { Clock } from './engine/clock.js';
