"""
lesson 02-dstream-temperature: exported from Streamlab to PySpark.

Runs on Apache Spark 2.4.8 (Scala 2.11, Python 3.7 or older) with the Kafka 0.8 integration:

    spark-submit --packages org.apache.spark:spark-streaming-kafka-0-8_2.11:2.4.8 job.py

This DStream job reads Kafka with KafkaUtils, the spark-streaming-kafka-0-8 integration. PySpark's
KafkaUtils was removed in Spark 3.0 (the 0-10 integration that replaced it has no Python API), so
no Spark 3 runs it as written: it needs Spark 2.4.8, the last release with it. On Spark 3, rewrite
it with Structured Streaming (spark.readStream.format("kafka")), as the later lessons do.
"""
# STUBS: 5 TypeScript functions have no generated PySpark equivalent and
# raise NotImplementedError until written (search for "STUB"):
#   map_f  (map (DStream call 2))
#   map_f_2  (map (DStream call 3))
#   reduceByKey_func  (reduceByKey (DStream call 4))
#   mapValues_f  (mapValues (DStream call 5))
#   foreachRDD_func  (foreachRDD (DStream call 6))
from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.streaming import StreamingContext
from pyspark.streaming.kafka import KafkaUtils


# STUB (map (DStream call 2)): no PySpark equivalent was generated for this TypeScript function.
# Write its Python body; the original is:
#     ([, value]) => JSON.parse(value)
def map_f(x):
    raise NotImplementedError("map_f: translate the TypeScript body shown above")


# STUB (map (DStream call 3)): no PySpark equivalent was generated for this TypeScript function.
# Write its Python body; the original is:
#     (r) => [r.node_name, [r.temperature, 1]]
def map_f_2(x):
    raise NotImplementedError("map_f_2: translate the TypeScript body shown above")


# STUB (reduceByKey (DStream call 4)): no PySpark equivalent was generated for this TypeScript function.
# Write its Python body; the original is:
#     ([sum1, n1], [sum2, n2]) => [sum1 + sum2, n1 + n2]
def reduceByKey_func(a, b):
    raise NotImplementedError("reduceByKey_func: translate the TypeScript body shown above")


# STUB (mapValues (DStream call 5)): no PySpark equivalent was generated for this TypeScript function.
# Write its Python body; the original is:
#     ([sum, n]) => sum / n
def mapValues_f(v):
    raise NotImplementedError("mapValues_f: translate the TypeScript body shown above")


# STUB (foreachRDD (DStream call 6)): no PySpark equivalent was generated for this TypeScript function.
# Write its Python body; the original is:
#     (rdd) => {
#         for (const [node, avg] of rdd.collect()) {
#           const rounded = Math.round(avg * 100) / 100;
#           void producer.send("report", {
#             key: node,
#             value: `Node Name: ${node}, Average Temp: ${rounded} for window of ${batchSeconds} seconds`
#           });
#         }
#       }
def foreachRDD_func(rdd):
    raise NotImplementedError("foreachRDD_func: translate the TypeScript body shown above")


spark = SparkSession.builder.appName("temperature-dstream").getOrCreate()

ssc = StreamingContext(spark.sparkContext, 10)
stream0 = KafkaUtils.createDirectStream(ssc, ["sensors.temperature"], {"metadata.broker.list": "localhost:9092", "auto.offset.reset": "smallest"})
stream1 = stream0.map(map_f)
stream2 = stream1.map(map_f_2)
stream3 = stream2.reduceByKey(reduceByKey_func)
stream4 = stream3.mapValues(mapValues_f)
stream4.foreachRDD(foreachRDD_func)
ssc.start()
ssc.awaitTermination()
