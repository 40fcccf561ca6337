import { SparkSession, DataFrame, functions as F, types as T, StreamingQuery } from "streamlab";

// A StructType schema with the time as text, turned into a timestamp afterwards.
const schema = new T.StructType([
  new T.StructField("node_name", T.StringType()),
  new T.StructField("temperature", T.DoubleType()),
  new T.StructField("ts", T.StringType()),
]);

export function temperatureWindows(spark: SparkSession): DataFrame {
  const raw = spark.readStream
    .format("kafka")
    .option("kafka.bootstrap.servers", "localhost:9092")
    .option("subscribe", "sensors.temperature")
    .option("startingOffsets", "earliest")
    .load();
  const readings = raw
    .withColumn("data", F.from_json(F.expr("CAST(value AS STRING)"), schema))
    .select(F.col("data.node_name").alias("node_name"), F.col("data.temperature").alias("temperature"), F.to_timestamp(F.col("data.ts")).alias("ts"));
  return readings
    .withWatermark("ts", "interval 30 seconds")
    .groupBy(F.window(readings.col("ts"), "1 minute").alias("window"), readings.col("node_name"))
    .agg(F.avg("temperature").alias("avg_temp"), F.count("*").alias("readings"));
}

export function main(): void {
  const spark = SparkSession.builder.appName("w").getOrCreate();
  temperatureWindows(spark).writeStream.outputMode("update").format("console").option("truncate", "false").start();
}

// The report's fields in another order, the rounded average added as a column first.
export function startReport(spark: SparkSession): StreamingQuery {
  return temperatureWindows(spark)
    .withColumn("avg", F.round("avg_temp", 2))
    .select(F.col("node_name").alias("key"), F.to_json(F.struct("avg", "node_name", "window")).alias("value"))
    .writeStream.outputMode("append")
    .format("kafka")
    .option("kafka.bootstrap.servers", "localhost:9092")
    .option("topic", "report")
    .option("checkpointLocation", "/tmp/checkpoints/report")
    .start();
}
