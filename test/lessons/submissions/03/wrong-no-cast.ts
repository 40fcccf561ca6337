// fails: update-averages, event-time-windows, late-kept, late-dropped, append-starts, append-waits, append-final
import { SparkSession, DataFrame, functions as F } from "streamlab";

const schema = "node_name STRING, temperature DOUBLE, ts TIMESTAMP";

// from_json straight on the binary value.
export function temperatureWindows(spark: SparkSession): DataFrame {
  const readings = spark.readStream
    .format("kafka")
    .option("kafka.bootstrap.servers", "localhost:9092")
    .option("subscribe", "sensors.temperature")
    .option("startingOffsets", "earliest")
    .load()
    .select(F.from_json(F.col("value"), schema).alias("data"))
    .select("data.*");

  return readings
    .withWatermark("ts", "30 seconds")
    .groupBy(F.window("ts", "1 minute"), "node_name")
    .agg(F.avg("temperature").alias("avg_temp"), F.count("*").alias("readings"));
}

export function main(): void {
  const spark = SparkSession.builder.appName("temperature-windows").getOrCreate();
  temperatureWindows(spark).writeStream.outputMode("update").format("console").start();
}
