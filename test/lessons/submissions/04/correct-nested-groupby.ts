import { SparkSession, DataFrame, StreamingQuery, functions as F } from "streamlab";

const auth = {
  "kafka.bootstrap.servers": "localhost:9092",
  "kafka.security.protocol": "SASL_PLAINTEXT",
  "kafka.sasl.mechanism": "SCRAM-SHA-512",
  "kafka.sasl.jaas.config": 'org.apache.kafka.common.security.scram.ScramLoginModule required username="spark-streaming" password="c7Vq2mXe9LbR";',
};

// Grouped on the nested field straight away: the column is named origin, as in Spark.
export function countByOrigin(spark: SparkSession): DataFrame {
  return spark.readStream.format("kafka").options(auth).option("subscribe", "spark-streaming-store").option("startingOffsets", "earliest").load()
    .withColumn("event", F.from_json(F.col("value").cast("string"), "timestamp TIMESTAMP, _id STRING, origin STRING, content STRING"))
    .groupBy("event.origin")
    .count();
}

export function startConsole(spark: SparkSession): StreamingQuery {
  const query = countByOrigin(spark).writeStream.outputMode("complete").format("console").option("numRows", 20).option("truncate", true).start();
  return query;
}

export function startReport(spark: SparkSession): StreamingQuery {
  return countByOrigin(spark)
    .withColumn("value", F.to_json(F.struct("origin", "count")))
    .withColumnRenamed("origin", "key")
    .select("key", "value")
    .writeStream.outputMode("update")
    .format("kafka")
    .options(auth)
    .option("topic", "report")
    .option("checkpointLocation", "/tmp/origin-report")
    .start();
}

// The seconds converted with timestamp_seconds, in the struct before it is flattened.
export function events(spark: SparkSession): DataFrame {
  return spark.readStream.format("kafka").options(auth).option("subscribe", "spark-streaming-store").option("startingOffsets", "earliest").load()
    .withColumn("event", F.from_json(F.col("value").cast("string"), "timestamp DOUBLE, _id STRING, origin STRING, content STRING"))
    .select(F.timestamp_seconds("event.timestamp").alias("timestamp"), "event._id", "event.origin", "event.content");
}
