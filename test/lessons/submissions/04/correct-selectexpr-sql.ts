import { SparkSession, DataFrame, StreamingQuery, functions as F } from "streamlab";

const JAAS = 'org.apache.kafka.common.security.scram.ScramLoginModule required username="spark-streaming" password="c7Vq2mXe9LbR";';

// Options one by one, SQL strings for the cast, the count and the Kafka columns.
export function countByOrigin(spark: SparkSession): DataFrame {
  return spark.readStream
    .format("kafka")
    .option("kafka.bootstrap.servers", "localhost:9092")
    .option("kafka.security.protocol", "SASL_PLAINTEXT")
    .option("kafka.sasl.mechanism", "SCRAM-SHA-512")
    .option("kafka.sasl.jaas.config", JAAS)
    .option("subscribe", "spark-streaming-store")
    .load()
    .selectExpr("CAST(value AS STRING) AS json")
    .select(F.from_json(F.col("json"), "timestamp TIMESTAMP, _id STRING, origin STRING, content STRING").alias("e"))
    .groupBy(F.col("e.origin").alias("origin"))
    .agg(F.count("*").alias("count"));
}

export function startConsole(spark: SparkSession): StreamingQuery {
  return countByOrigin(spark).writeStream.format("console").outputMode("complete").option("truncate", "false").option("numRows", 100).start();
}

export function startReport(spark: SparkSession): StreamingQuery {
  return countByOrigin(spark)
    .selectExpr("origin AS key", "to_json(named_struct('origin', origin, 'count', count)) AS value")
    .writeStream.format("kafka")
    .outputMode("update")
    .option("kafka.bootstrap.servers", "localhost:9092")
    .option("kafka.security.protocol", "SASL_PLAINTEXT")
    .option("kafka.sasl.mechanism", "SCRAM-SHA-512")
    .option("kafka.sasl.jaas.config", JAAS)
    .option("topic", "report")
    .option("checkpointLocation", "checkpoints/report")
    .start();
}

export function main(): void {
  startConsole(SparkSession.builder.getOrCreate());
}

// The time read as text, as Spark prints the number ("1.707128717277745E9"), then cast twice in SQL.
export function events(spark: SparkSession): DataFrame {
  return spark.readStream
    .format("kafka")
    .option("kafka.bootstrap.servers", "localhost:9092")
    .option("kafka.security.protocol", "SASL_PLAINTEXT")
    .option("kafka.sasl.mechanism", "SCRAM-SHA-512")
    .option("kafka.sasl.jaas.config", JAAS)
    .option("subscribe", "spark-streaming-store")
    .load()
    .selectExpr("from_json(CAST(value AS STRING), 'timestamp STRING, _id STRING, origin STRING, content STRING') AS e")
    .selectExpr("e.origin", "CAST(CAST(e.timestamp AS DOUBLE) AS TIMESTAMP) AS timestamp", "e.content");
}
