"""
lesson 03-structured-windows: exported from Streamlab to PySpark.

Runs on Apache Spark 3.5.7 (Scala 2.12) with the Kafka connector and the PostgreSQL JDBC driver:

    spark-submit --packages org.apache.spark:spark-sql-kafka-0-10_2.12:3.5.7,org.postgresql:postgresql:42.7.4 job.py
"""
from pyspark.sql import SparkSession
from pyspark.sql import functions as F


def temperatureWindows(spark):
    return (
        spark.readStream
        .format("kafka")
        .option("kafka.bootstrap.servers", "localhost:9092")
        .option("subscribe", "sensors.temperature")
        .option("startingOffsets", "earliest")
        .load()
        .select(F.from_json(F.col("value").cast("string"), "node_name STRING, temperature DOUBLE, ts TIMESTAMP").alias("data"))
        .select("data.*")
        .withWatermark("ts", "30 seconds")
        .groupBy(F.window("ts", "1 minute"), "node_name")
        .agg(F.avg("temperature").alias("avg_temp"), F.count("*").alias("readings"))
    )


spark = SparkSession.builder.appName("temperature-windows").getOrCreate()

query = (
    temperatureWindows(spark)
    .writeStream
    .outputMode("update")
    .format("console")
    .option("truncate", "false")
    .start()
)

query2 = (
    temperatureWindows(spark)
    .select(F.col("node_name").alias("key"), F.to_json(F.struct("window", "node_name", F.round("avg_temp", 2).alias("avg"))).alias("value"))
    .writeStream
    .outputMode("append")
    .format("kafka")
    .option("kafka.bootstrap.servers", "localhost:9092")
    .option("topic", "report")
    .option("checkpointLocation", "/tmp/checkpoints/temperature-report")
    .start()
)

spark.streams.awaitAnyTermination()
