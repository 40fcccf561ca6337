/**
 * The Spark the exported scripts target. Kept equal to `pyspark` and `postgresJdbc` in
 * test/services/pins.json, which the parity tier provisions and runs them on (its test checks this).
 */

/** Spark (and PySpark, and the Kafka connector) version. */
export const SPARK_VERSION = '3.5.7';
/** Scala suffix of the Kafka connector matching PyPI's Spark 3.5 build. */
export const SPARK_SCALA = '2.12';
/** org.postgresql:postgresql version for the JDBC sink. */
export const POSTGRES_JDBC_VERSION = '42.7.4';

/** The exact command that runs an exported script on a Spark installation. */
export function sparkSubmitLine(script: string): string {
  return `spark-submit --packages org.apache.spark:spark-sql-kafka-0-10_${SPARK_SCALA}:${SPARK_VERSION},org.postgresql:postgresql:${POSTGRES_JDBC_VERSION} ${script}`;
}
