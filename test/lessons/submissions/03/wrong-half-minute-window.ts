// fails: update-averages, event-time-windows, late-kept, late-dropped, append-starts, append-waits, append-final, report-topic, unseen-day
import { SparkSession, DataFrame, functions as F, StreamingQuery } from "streamlab";

const schema = "node_name STRING, temperature DOUBLE, ts TIMESTAMP";

// 30-second windows instead of one minute.
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
    .groupBy(F.window("ts", "30 seconds"), "node_name")
    .agg(F.avg("temperature").alias("avg_temp"), F.count("*").alias("readings"));
}

export function main(): void {
  const spark = SparkSession.builder.appName("temperature-windows").getOrCreate();
  temperatureWindows(spark).writeStream.outputMode("update").format("console").start();
}

/** Each final window to report, keyed by sensor, as the dashboard reads it. */
export function startReport(spark: SparkSession): StreamingQuery {
  return temperatureWindows(spark)
    .select(F.col("node_name").alias("key"), F.to_json(F.struct("window", "node_name", F.round("avg_temp", 2).alias("avg"))).alias("value"))
    .writeStream.outputMode("append")
    .format("kafka")
    .option("kafka.bootstrap.servers", "localhost:9092")
    .option("topic", "report")
    .option("checkpointLocation", "/tmp/checkpoints/report")
    .start();
}
