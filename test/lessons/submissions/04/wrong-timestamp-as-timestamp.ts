// fails: event-time, unseen-store
// The schema reads the epoch seconds as a TIMESTAMP: Spark parses a fractional number there as NULL.
import { SparkSession, DataFrame, StreamingQuery, functions as F } from "streamlab";

/**
 * The producers' events: `{"timestamp": 1707128717.277745, "_id": …, "origin": …, "content": …}`. The
 * time is epoch seconds with a fraction, a JSON number: read as a DOUBLE, converted below.
 */
const schema = "timestamp TIMESTAMP, _id STRING, origin STRING, content STRING";

/** The credentials the lesson gives for the store's Kafka (user `spark-streaming`). */
const USERNAME = "spark-streaming";
const PASSWORD = "c7Vq2mXe9LbR";

/** The Kafka client options of an authenticated connection, as the tutorial sets them. */
const SASL = {
  "kafka.security.protocol": "SASL_PLAINTEXT",
  "kafka.sasl.mechanism": "SCRAM-SHA-512",
  "kafka.sasl.jaas.config": `org.apache.kafka.common.security.scram.ScramLoginModule required username="${USERNAME}" password="${PASSWORD}";`,
};

/** The events, one row each, `timestamp` converted from epoch seconds to a TIMESTAMP (microseconds kept). */
export function events(spark: SparkSession): DataFrame {
  return spark.readStream
    .format("kafka")
    .option("kafka.bootstrap.servers", "localhost:9092")
    .options(SASL)
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

/** Prints the whole count table every batch: complete mode to the console. */
export function startConsole(spark: SparkSession): StreamingQuery {
  return countByOrigin(spark).writeStream.outputMode("complete").format("console").start();
}

/** Publishes the counts that changed to `report`, keyed by origin, the row as JSON: update mode. */
export function startReport(spark: SparkSession): StreamingQuery {
  return countByOrigin(spark)
    .select(F.col("origin").alias("key"), F.to_json(F.struct("*")).alias("value"))
    .writeStream.outputMode("update")
    .format("kafka")
    .option("kafka.bootstrap.servers", "localhost:9092")
    .options(SASL)
    .option("topic", "report")
    .option("checkpointLocation", "/tmp/checkpoints/origin-report")
    .start();
}

/** Runs the console query; start the report query too once it works. */
export function main(): void {
  const spark = SparkSession.builder.appName("origin-counts").getOrCreate();
  startConsole(spark);
}
