import { SparkSession, DataFrame, StreamingQuery, functions as F } from "streamlab";

/** The readings' JSON, as the sensors publish it. */
const schema = "node_name STRING, temperature DOUBLE, ts TIMESTAMP";

/**
 * Average temperature per sensor over one-minute windows.
 *
 * TODO: this groups by Kafka's `timestamp` — the time each record *arrived* — just like the DStream
 * batches of lesson 02. Group by the time each reading was *measured* (`ts`) instead, and declare a
 * watermark so late readings are handled and append mode is allowed.
 */
export function temperatureWindows(spark: SparkSession): DataFrame {
  const readings = spark.readStream
    .format("kafka")
    .option("kafka.bootstrap.servers", "localhost:9092")
    .option("subscribe", "sensors.temperature")
    .option("startingOffsets", "earliest")
    .load()
    .select(F.col("timestamp"), F.from_json(F.col("value").cast("string"), schema).alias("data"))
    .select("timestamp", "data.*");

  return readings
    .groupBy(F.window("timestamp", "1 minute"), "node_name")
    .agg(F.avg("temperature").alias("avg_temp"), F.count("*").alias("readings"));
}

/**
 * Publishes the windows to `report` for the dashboard.
 * TODO: this sends every changed window every batch, without a key, with the whole row as the value.
 * The dashboard wants each window once, when it is final (append mode), keyed by sensor, with the value
 * `{"window":{"start":…,"end":…},"node_name":"sensor-1","avg":21.35}`: the average rounded to two
 * decimals and named `avg`.
 */
export function startReport(spark: SparkSession): StreamingQuery {
  return temperatureWindows(spark)
    .select(F.to_json(F.struct("*")).alias("value"))
    .writeStream.outputMode("update")
    .format("kafka")
    .option("kafka.bootstrap.servers", "localhost:9092")
    .option("topic", "report")
    .option("checkpointLocation", "/tmp/checkpoints/temperature-report")
    .start();
}

/**
 * Runs the job: every batch prints the windows that changed.
 * TODO: once startReport sends what the dashboard wants, start it here too, next to the console.
 */
export function main(): void {
  const spark = SparkSession.builder.appName("temperature-windows").getOrCreate();
  temperatureWindows(spark)
    .writeStream.outputMode("update")
    .format("console")
    .option("truncate", false)
    .start();
}
