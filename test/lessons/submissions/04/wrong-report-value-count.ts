// fails: report-keyed-json, report-update, unseen-store
import { SparkSession, DataFrame, StreamingQuery, functions as F } from "streamlab";

const schema = "timestamp TIMESTAMP, _id STRING, origin STRING, content STRING";
const SASL = {
  "kafka.security.protocol": "SASL_PLAINTEXT",
  "kafka.sasl.mechanism": "SCRAM-SHA-512",
  "kafka.sasl.jaas.config": 'org.apache.kafka.common.security.scram.ScramLoginModule required username="spark-streaming" password="c7Vq2mXe9LbR";',
};

// The value is only the count, not the row as JSON.
export function countByOrigin(spark: SparkSession): DataFrame {
  return spark.readStream
    .format("kafka")
    .option("kafka.bootstrap.servers", "localhost:9092")
    .options(SASL)
    .option("subscribe", "spark-streaming-store")
    .option("startingOffsets", "earliest")
    .load()
    .select(F.from_json(F.col("value").cast("string"), schema).alias("event"))
    .select("event.origin")
    .groupBy("origin")
    .count();
}

export function startConsole(spark: SparkSession): StreamingQuery {
  return countByOrigin(spark).writeStream.outputMode("complete").format("console").start();
}

export function startReport(spark: SparkSession): StreamingQuery {
  return countByOrigin(spark)
    .select(F.col("origin").alias("key"), F.col("count").cast("string").alias("value"))
    .writeStream.outputMode("update")
    .format("kafka")
    .option("kafka.bootstrap.servers", "localhost:9092")
    .options(SASL)
    .option("topic", "report")
    .option("checkpointLocation", "/tmp/checkpoints/origin-report")
    .start();
}

/** The events, `timestamp` read as epoch seconds and converted to a TIMESTAMP. */
export function events(spark: SparkSession): DataFrame {
  return spark.readStream
    .format("kafka")
    .option("kafka.bootstrap.servers", "localhost:9092")
    .options(SASL)
    .option("subscribe", "spark-streaming-store")
    .option("startingOffsets", "earliest")
    .load()
    .select(F.from_json(F.col("value").cast("string"), "timestamp DOUBLE, _id STRING, origin STRING, content STRING").alias("event"))
    .select("event.*")
    .withColumn("timestamp", F.col("timestamp").cast("timestamp"));
}
