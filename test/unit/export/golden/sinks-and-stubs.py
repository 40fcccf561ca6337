"""
devices job: exported from Streamlab to PySpark.

Runs on Apache Spark 3.5.7 (Scala 2.12) with the Kafka connector and the PostgreSQL JDBC driver:

    spark-submit --packages org.apache.spark:spark-sql-kafka-0-10_2.12:3.5.7,org.postgresql:postgresql:42.7.4 job.py
"""
# STUBS: 2 TypeScript functions have no generated PySpark equivalent and
# raise NotImplementedError until written (search for "STUB"):
#   shout  (UDF in labelled())
#   auditBatch  (foreachBatch of query 3)
from pyspark.sql import SparkSession
from pyspark.sql import functions as F


def labelled(spark):
    return (
        spark.readStream
        .format("kafka")
        .option("kafka.bootstrap.servers", "broker:9092")
        .option("subscribe", "devices")
        .option("maxOffsetsPerTrigger", "100")
        .load()
        .select(F.col("value").cast("string").alias("json"), "timestamp")
        .select(F.from_json("json", "device STRING, reading DOUBLE, at TIMESTAMP, tags ARRAY<STRING>").alias("d"), "timestamp")
        .select("d.*", "timestamp")
        .filter((F.col("reading").isNotNull() & F.col("device").isin("a", "b", "c")))
        .withColumn("label", shout(F.col("device")))
        .withColumn("hot", F.when((F.col("reading") > 30), True).otherwise(False))
        .withColumnRenamed("at", "event_time")
        .drop("tags")
    )


def write_query2_to_postgres(batch_df, batch_id):
    """Appends each micro-batch to PostgreSQL table device_peaks with Spark's JDBC writer."""
    # Streamlab upserts on (device) once per batch id; Spark's JDBC writer only appends.
    (
        batch_df.write
        .format("jdbc")
        .option("url", "jdbc:postgresql://db:5432/streamlab?user=learner&password=secret")
        .option("driver", "org.postgresql.Driver")
        .option("dbtable", "device_peaks")
        .mode("append")
        .save()
    )


# STUB (UDF in labelled()): no PySpark equivalent was generated for this TypeScript function.
# Write its Python body; the original is:
#     function shout(device) {
#         return device.toUpperCase() + "!";
#       }
@F.udf(returnType="string")
def shout(arg0):
    raise NotImplementedError("shout: translate the TypeScript body shown above")


# STUB (foreachBatch of query 3): no PySpark equivalent was generated for this TypeScript function.
# Write its Python body; the original is:
#     function auditBatch(batch, id) {
#         console.log(id, batch.count());
#       }
def auditBatch(batch_df, batch_id):
    raise NotImplementedError("auditBatch: translate the TypeScript body shown above")


spark = SparkSession.builder.appName("devices").getOrCreate()

report = (
    labelled(spark)
    .withWatermark("event_time", "10 minutes")
    .groupBy(F.window("event_time", "5 minutes", "1 minute"), "device")
    .agg(F.max("reading").alias("peak"), F.countDistinct("label").alias("labels"), F.round(F.avg("reading"), 1).alias("mean"))
    .select(F.col("device").alias("key"), F.to_json(F.struct("window", "peak", "labels")).alias("value"))
    .writeStream
    .outputMode("update")
    .format("kafka")
    .option("kafka.bootstrap.servers", "broker:9092")
    .option("topic", "report")
    .option("checkpointLocation", "/tmp/checkpoints/report")
    .queryName("report")
    .trigger(processingTime="30 seconds")
    .start()
)

query2 = (
    labelled(spark)
    .withWatermark("event_time", "10 minutes")
    .groupBy(F.window("event_time", "5 minutes", "1 minute"), "device")
    .agg(F.max("reading").alias("peak"), F.countDistinct("label").alias("labels"), F.round(F.avg("reading"), 1).alias("mean"))
    .writeStream
    .outputMode("append")
    .foreachBatch(write_query2_to_postgres)
    .option("checkpointLocation", "/tmp/checkpoints/peaks")
    .start()
)

query3 = (
    labelled(spark)
    .writeStream
    .outputMode("append")
    .foreachBatch(auditBatch)
    .trigger(availableNow=True)
    .start()
)

spark.streams.awaitAnyTermination()
