import { SparkSession, DataFrame, functions as F, StreamingQuery } from "streamlab";

// selectExpr for the cast, the sensor first in groupBy, mean() and a one-minute window written as 60 seconds.
export function temperatureWindows(spark: SparkSession): DataFrame {
  return spark.readStream
    .format("kafka")
    .option("kafka.bootstrap.servers", "localhost:9092")
    .option("subscribe", "sensors.temperature")
    .load()
    .selectExpr("CAST(value AS STRING) AS json")
    .select(F.from_json("json", "node_name STRING, temperature DOUBLE, ts TIMESTAMP").alias("r"))
    .select("r.node_name", "r.temperature", "r.ts")
    .withWatermark("ts", "30 seconds")
    .groupBy("node_name", F.window("ts", "60 seconds"))
    .agg(F.mean("temperature").alias("avg_temp"), F.count("temperature").alias("readings"));
}

export function main(): void {
  const spark = SparkSession.builder.getOrCreate();
  temperatureWindows(spark).writeStream.outputMode("update").format("console").start();
}

// The report in SQL: named_struct and round in selectExpr.
export function startReport(spark: SparkSession): StreamingQuery {
  return temperatureWindows(spark)
    .selectExpr("node_name AS key", "to_json(named_struct('window', window, 'node_name', node_name, 'avg', round(avg_temp, 2))) AS value")
    .writeStream.outputMode("append")
    .format("kafka")
    .option("kafka.bootstrap.servers", "localhost:9092")
    .option("topic", "report")
    .option("checkpointLocation", "checkpoints/report")
    .start();
}
