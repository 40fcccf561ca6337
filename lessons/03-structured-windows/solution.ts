import { SparkSession, DataFrame, StreamingQuery, functions as F } from "streamlab";

/** The readings' JSON, as the sensors publish it. */
const schema = "node_name STRING, temperature DOUBLE, ts TIMESTAMP";

/**
 * Average temperature per sensor over one-minute windows of *event time* (when the sensor measured),
 * with a 30-second watermark so late readings are accepted until their window is final.
 */
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
    .withWatermark("ts", "30 seconds")
    .groupBy(F.window("ts", "1 minute"), "node_name")
    .agg(F.avg("temperature").alias("avg_temp"), F.count("*").alias("readings"));
}

/**
 * Publishes each window to `report` for the dashboard once it is final (append mode): keyed by sensor,
 * `{"window":{"start":…,"end":…},"node_name":"sensor-1","avg":21.35}` with the average to two decimals.
 */
export function startReport(spark: SparkSession): StreamingQuery {
  return temperatureWindows(spark)
    .select(
      F.col("node_name").alias("key"),
      F.to_json(F.struct("window", "node_name", F.round("avg_temp", 2).alias("avg"))).alias("value"),
    )
    .writeStream.outputMode("append")
    .format("kafka")
    .option("kafka.bootstrap.servers", "localhost:9092")
    .option("topic", "report")
    .option("checkpointLocation", "/tmp/checkpoints/temperature-report")
    .start();
}

/** Runs the job: every batch prints the windows that changed, and final windows go to `report`. */
export function main(): void {
  const spark = SparkSession.builder.appName("temperature-windows").getOrCreate();
  temperatureWindows(spark)
    .writeStream.outputMode("update")
    .format("console")
    .option("truncate", false)
    .start();
  startReport(spark);
}
