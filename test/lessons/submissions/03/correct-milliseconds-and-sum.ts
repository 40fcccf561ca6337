import { SparkSession, DataFrame, functions as F, StreamingQuery } from "streamlab";

const schema = "node_name STRING, temperature DOUBLE, ts TIMESTAMP";

// The watermark in milliseconds, the average as sum / count, selected into the lesson's columns.
export function temperatureWindows(spark: SparkSession): DataFrame {
  const readings = spark.readStream
    .format("kafka")
    .option("kafka.bootstrap.servers", "localhost:9092")
    .option("subscribe", "sensors.temperature")
    .option("startingOffsets", "earliest")
    .load()
    .select(F.from_json(F.col("value").cast("string"), schema).alias("data"))
    .select("data.*");

  return readings
    .withWatermark("ts", "30000 milliseconds")
    .groupBy(F.window(F.col("ts"), "1 minute"), F.col("node_name"))
    .agg(F.sum("temperature").alias("total"), F.count(F.lit(1)).alias("readings"))
    .select("window", "node_name", F.col("total").divide(F.col("readings")).alias("avg_temp"), "readings");
}

export function main(): void {
  const spark = SparkSession.builder.appName("temperature-windows").getOrCreate();
  temperatureWindows(spark).writeStream.outputMode("append").format("console").start();
}

// The report with column objects and a cast key.
export function startReport(spark: SparkSession): StreamingQuery {
  return temperatureWindows(spark)
    .select(
      F.col("node_name").cast("string").alias("key"),
      F.to_json(F.struct(F.col("window"), F.col("node_name"), F.round(F.col("avg_temp"), 2).alias("avg"))).alias("value"),
    )
    .writeStream.format("kafka")
    .option("kafka.bootstrap.servers", "localhost:9092")
    .option("topic", "report")
    .option("checkpointLocation", "/tmp/cp/report")
    .outputMode("append")
    .start();
}
