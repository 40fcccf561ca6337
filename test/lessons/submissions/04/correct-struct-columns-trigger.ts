import { SparkSession, DataFrame, StreamingQuery, functions as F } from "streamlab";

const kafkaAuth: Record<string, string> = {
  "kafka.bootstrap.servers": "localhost:9092",
  "kafka.security.protocol": "SASL_PLAINTEXT",
  "kafka.sasl.mechanism": "SCRAM-SHA-512",
  // The JAAS line written over two lines, with other spacing.
  "kafka.sasl.jaas.config": `org.apache.kafka.common.security.scram.ScramLoginModule required
      username="spark-streaming"   password="c7Vq2mXe9LbR" ;`,
};

export function countByOrigin(spark: SparkSession): DataFrame {
  const events = spark.readStream.format("kafka").options(kafkaAuth).option("subscribe", "spark-streaming-store").option("startingOffsets", "earliest").load();
  const parsed = events.select(F.from_json(F.col("value").cast("string"), "timestamp TIMESTAMP, _id STRING, origin STRING, content STRING").alias("event"));
  return parsed.select(F.col("event.origin").alias("origin")).groupBy(F.col("origin")).count();
}

export function startConsole(spark: SparkSession): StreamingQuery {
  return countByOrigin(spark).writeStream.outputMode("complete").format("console").trigger({ processingTime: "5 seconds" }).start();
}

export function startReport(spark: SparkSession): StreamingQuery {
  const counts = countByOrigin(spark);
  return counts
    .select(F.col("origin").cast("string").alias("key"), F.to_json(F.struct(F.col("origin"), F.col("count"))).alias("value"))
    .writeStream.outputMode("update")
    .format("kafka")
    .options(kafkaAuth)
    .option("topic", "report")
    .option("checkpointLocation", "/tmp/cp-report")
    .trigger({ processingTime: "5 seconds" })
    .start();
}

export function events(spark: SparkSession): DataFrame {
  const records = spark.readStream.format("kafka").options(kafkaAuth).option("subscribe", "spark-streaming-store").option("startingOffsets", "earliest").load();
  const parsed = records.select(F.from_json(F.col("value").cast("string"), "timestamp DOUBLE, _id STRING, origin STRING, content STRING").alias("event"));
  return parsed.select(F.col("event.timestamp").cast("timestamp").alias("timestamp"), F.col("event.origin").alias("origin"));
}
