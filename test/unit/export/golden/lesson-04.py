"""
lesson 04-report-topic-and-output-modes: exported from Streamlab to PySpark.

Runs on Apache Spark 3.5.7 (Scala 2.12) with the Kafka connector and the PostgreSQL JDBC driver:

    spark-submit --packages org.apache.spark:spark-sql-kafka-0-10_2.12:3.5.7,org.postgresql:postgresql:42.7.4 job.py
"""
from pyspark.sql import SparkSession
from pyspark.sql import functions as F


def countByOrigin(spark):
    return (
        events(spark)
        .groupBy("origin")
        .count()
    )


def events(spark):
    return (
        spark.readStream
        .format("kafka")
        .option("kafka.bootstrap.servers", "localhost:9092")
        .option("kafka.security.protocol", "SASL_PLAINTEXT")
        .option("kafka.sasl.mechanism", "SCRAM-SHA-512")
        .option("kafka.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"spark-streaming\" password=\"c7Vq2mXe9LbR\";")
        .option("subscribe", "spark-streaming-store")
        .option("startingOffsets", "earliest")
        .load()
        .select(F.from_json(F.col("value").cast("string"), "timestamp DOUBLE, _id STRING, origin STRING, content STRING").alias("event"))
        .select("event.*")
        .withColumn("timestamp", F.col("timestamp").cast("timestamp"))
    )


spark = SparkSession.builder.appName("origin-counts").getOrCreate()

query = (
    countByOrigin(spark)
    .writeStream
    .outputMode("complete")
    .format("console")
    .start()
)

query.awaitTermination()
