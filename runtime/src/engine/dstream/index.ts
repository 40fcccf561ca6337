/** The DStream (Spark Streaming) API, PySpark names. */
export { SparkContext } from './spark-context.js';
export type { SparkContextOptions } from './spark-context.js';
export { RDD } from './rdd.js';
export { DStream } from './dstream.js';
export { StreamingContext } from './streaming-context.js';
export type { StreamingContextOptions } from './streaming-context.js';
export { KafkaUtils } from './kafka-utils.js';
export { Duration, Seconds, Milliseconds, Minutes } from './duration.js';
export type { DurationLike } from './duration.js';
