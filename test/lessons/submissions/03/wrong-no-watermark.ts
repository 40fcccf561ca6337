// fails: update-averages, late-dropped, append-starts, append-waits, append-final
import { SparkSession, DataFrame, functions as F } from "streamlab";

const schema = "node_name STRING, temperature DOUBLE, ts TIMESTAMP";

// No watermark: late readings are never dropped, and append mode is refused.
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
    .groupBy(F.window("ts", "1 minute"), "node_name")
    .agg(F.avg("temperature").alias("avg_temp"), F.count("*").alias("readings"));
}

export function main(): void {
  const spark = SparkSession.builder.appName("temperature-windows").getOrCreate();
  temperatureWindows(spark).writeStream.outputMode("update").format("console").start();
}
