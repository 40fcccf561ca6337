/**
 * The Sparks the exported scripts target. `SPARK_VERSION` and `POSTGRES_JDBC_VERSION` are kept equal
 * to `pyspark` and `postgresJdbc` in test/services/pins.json, which the parity tier provisions and
 * runs the scripts on (its test checks this).
 *
 * DStream programs that read Kafka through `KafkaUtils` cannot run on that Spark: PySpark's
 * `KafkaUtils` (the spark-streaming-kafka-0-8 integration) was removed in Spark 3.0, and the 0-10
 * integration that replaced it has no Python API. Such a job runs on Spark 2.4, the last release
 * with it; the DStream API itself (StreamingContext, queueStream, windows, updateStateByKey) is still
 * in PySpark 3.5, so DStream programs without Kafka run on `SPARK_VERSION`.
 */

/** Spark (and PySpark, and the Kafka connector) version. */
export const SPARK_VERSION = '3.5.7';
/** Scala suffix of the Kafka connector matching PyPI's Spark 3.5 build. */
export const SPARK_SCALA = '2.12';
/** org.postgresql:postgresql version for the JDBC sink. */
export const POSTGRES_JDBC_VERSION = '42.7.4';

/** The last Spark whose PySpark has `KafkaUtils` (spark-streaming-kafka-0-8). */
export const DSTREAM_KAFKA_SPARK_VERSION = '2.4.8';
/** Scala suffix of the Spark 2.4 builds (PyPI's pyspark 2.4 and the Apache downloads). */
export const DSTREAM_KAFKA_SCALA = '2.11';
/** The newest Python that PySpark 2.4 supports. */
export const DSTREAM_KAFKA_PYTHON = '3.7';

/** The exact command that runs an exported Structured Streaming script on a Spark installation. */
export function sparkSubmitLine(script: string): string {
  return `spark-submit --packages org.apache.spark:spark-sql-kafka-0-10_${SPARK_SCALA}:${SPARK_VERSION},org.postgresql:postgresql:${POSTGRES_JDBC_VERSION} ${script}`;
}

/** The exact command that runs an exported DStream script that uses `KafkaUtils`, on Spark 2.4. */
export function dstreamKafkaSubmitLine(script: string): string {
  return `spark-submit --packages org.apache.spark:spark-streaming-kafka-0-8_${DSTREAM_KAFKA_SCALA}:${DSTREAM_KAFKA_SPARK_VERSION} ${script}`;
}

/** The exact command that runs an exported DStream script without Kafka (no package needed). */
export function plainSubmitLine(script: string): string {
  return `spark-submit ${script}`;
}
