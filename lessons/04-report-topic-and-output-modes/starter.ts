import { SparkSession, DataFrame, StreamingQuery, functions as F } from "streamlab";

/** The producers' events: `{"timestamp": 1707128717.277745, "_id": …, "origin": …, "content": …}`. */
const schema = "timestamp TIMESTAMP, _id STRING, origin STRING, content STRING";

// The credentials the lesson gives for the store's Kafka: username spark-streaming, password c7Vq2mXe9LbR.

/**
 * The events, one row each: `timestamp` (a TIMESTAMP), `_id`, `origin`, `content`.
 * TODO: the store's Kafka accepts only authenticated clients. Connect as the tutorial does:
 * `kafka.security.protocol` SASL_PLAINTEXT, `kafka.sasl.mechanism` SCRAM-SHA-512 and a
 * `kafka.sasl.jaas.config` with the ScramLoginModule and the credentials above
 * (`org.apache.kafka.common.security.scram.ScramLoginModule required username="…" password="…";`) (the report's Kafka
 * sink needs the same options).
 * TODO: `timestamp` is epoch seconds with a fraction, a JSON number: read as a TIMESTAMP it is NULL.
 * Read it as a DOUBLE and convert it (`CAST(timestamp AS TIMESTAMP)` or `timestamp_seconds`).
 */
export function events(spark: SparkSession): DataFrame {
  return spark.readStream
    .format("kafka")
    .option("kafka.bootstrap.servers", "localhost:9092")
    .option("subscribe", "spark-streaming-store")
    .option("startingOffsets", "earliest")
    .load()
    .select(F.from_json(F.col("value").cast("string"), schema).alias("event"))
    .select("event.*");
}

/** A running count of events per origin. */
export function countByOrigin(spark: SparkSession): DataFrame {
  return events(spark).groupBy("origin").count();
}

/**
 * Prints the count table every batch.
 * TODO: Spark refuses this at start(): an aggregation without a watermark cannot run in append mode.
 * Pick the output mode that prints the whole table every batch.
 */
export function startConsole(spark: SparkSession): StreamingQuery {
  return countByOrigin(spark).writeStream.outputMode("append").format("console").start();
}

/**
 * Publishes the counts to `report`.
 * TODO: key each record by origin and send the whole row as JSON (`to_json(struct("*"))`); and publish
 * only the origins whose count changed, not the whole table every batch.
 */
export function startReport(spark: SparkSession): StreamingQuery {
  return countByOrigin(spark)
    .select(F.col("count").cast("string").alias("value"))
    .writeStream.outputMode("complete")
    .format("kafka")
    .option("kafka.bootstrap.servers", "localhost:9092")
    .option("topic", "report")
    .option("checkpointLocation", "/tmp/checkpoints/origin-report")
    .start();
}

/** Runs the console query; start the report query too once it works. */
export function main(): void {
  const spark = SparkSession.builder.appName("origin-counts").getOrCreate();
  startConsole(spark);
}
