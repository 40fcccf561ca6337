"""
lesson 02-dstream-temperature: exported from Streamlab to PySpark.

Runs on Apache Spark 2.4.8 (Scala 2.11, Python 3.7 or older) with the Kafka 0.8 integration:

    spark-submit --packages org.apache.spark:spark-streaming-kafka-0-8_2.11:2.4.8 job.py

This DStream job reads Kafka with KafkaUtils, the spark-streaming-kafka-0-8 integration. PySpark's
KafkaUtils was removed in Spark 3.0 (the 0-10 integration that replaced it has no Python API), so
no Spark 3 runs it as written: it needs Spark 2.4.8, the last release with it. On Spark 3, rewrite
it with Structured Streaming (spark.readStream.format("kafka")), as the later lessons do.
"""
# STUBS: 16 TypeScript functions have no generated PySpark equivalent and
# raise NotImplementedError until written (search for "STUB"):
#   map_f  (map (DStream call 2))
#   map_f_2  (map (DStream call 3))
#   reduceByKey_func  (reduceByKey (DStream call 4))
#   mapValues_f  (mapValues (DStream call 5))
#   foreachRDD_func  (foreachRDD (DStream call 6))
#   map_f_3  (map (DStream call 8))
#   map_f_4  (map (DStream call 9))
#   reduceByKeyAndWindow_func  (reduceByKeyAndWindow (DStream call 10))
#   mapValues_f_2  (mapValues (DStream call 11))
#   foreachRDD_func_2  (foreachRDD (DStream call 12))
#   map_f_5  (map (DStream call 14))
#   map_f_6  (map (DStream call 15))
#   reduceByKeyAndWindow_func_2  (reduceByKeyAndWindow (DStream call 16))
#   reduceByKeyAndWindow_invFunc  (reduceByKeyAndWindow (DStream call 16))
#   reduceByKeyAndWindow_filterFunc  (reduceByKeyAndWindow (DStream call 16))
#   mapValues_f_3  (mapValues (DStream call 17))
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
#     (rdd) => sendAverages(producer, rdd.collect(), batchSeconds)
def foreachRDD_func(rdd):
    raise NotImplementedError("foreachRDD_func: translate the TypeScript body shown above")


# STUB (map (DStream call 8)): no PySpark equivalent was generated for this TypeScript function.
# Write its Python body; the original is:
#     ([, value]) => JSON.parse(value)
def map_f_3(x):
    raise NotImplementedError("map_f_3: translate the TypeScript body shown above")


# STUB (map (DStream call 9)): no PySpark equivalent was generated for this TypeScript function.
# Write its Python body; the original is:
#     (r) => [r.node_name, [r.temperature, 1]]
def map_f_4(x):
    raise NotImplementedError("map_f_4: translate the TypeScript body shown above")


# STUB (reduceByKeyAndWindow (DStream call 10)): no PySpark equivalent was generated for this TypeScript function.
# Write its Python body; the original is:
#     ([sum1, n1], [sum2, n2]) => [sum1 + sum2, n1 + n2]
def reduceByKeyAndWindow_func(a, b):
    raise NotImplementedError("reduceByKeyAndWindow_func: translate the TypeScript body shown above")


# STUB (mapValues (DStream call 11)): no PySpark equivalent was generated for this TypeScript function.
# Write its Python body; the original is:
#     ([sum, n]) => sum / n
def mapValues_f_2(v):
    raise NotImplementedError("mapValues_f_2: translate the TypeScript body shown above")


# STUB (foreachRDD (DStream call 12)): no PySpark equivalent was generated for this TypeScript function.
# Write its Python body; the original is:
#     (rdd) => sendAverages(producer, rdd.collect(), 60)
def foreachRDD_func_2(rdd):
    raise NotImplementedError("foreachRDD_func_2: translate the TypeScript body shown above")


# STUB (map (DStream call 14)): no PySpark equivalent was generated for this TypeScript function.
# Write its Python body; the original is:
#     ([, value]) => JSON.parse(value)
def map_f_5(x):
    raise NotImplementedError("map_f_5: translate the TypeScript body shown above")


# STUB (map (DStream call 15)): no PySpark equivalent was generated for this TypeScript function.
# Write its Python body; the original is:
#     (r) => [r.node_name, [r.temperature, 1]]
def map_f_6(x):
    raise NotImplementedError("map_f_6: translate the TypeScript body shown above")


# STUB (reduceByKeyAndWindow (DStream call 16)): no PySpark equivalent was generated for this TypeScript function.
# Write its Python body; the original is:
#     ([sum1, n1], [sum2, n2]) => [sum1 + sum2, n1 + n2]
def reduceByKeyAndWindow_func_2(a, b):
    raise NotImplementedError("reduceByKeyAndWindow_func_2: translate the TypeScript body shown above")


# STUB (reduceByKeyAndWindow (DStream call 16)): no PySpark equivalent was generated for this TypeScript function.
# Write its Python body; the original is:
#     ([sum1, n1], [sum2, n2]) => [sum1 - sum2, n1 - n2]
def reduceByKeyAndWindow_invFunc(a, b):
    raise NotImplementedError("reduceByKeyAndWindow_invFunc: translate the TypeScript body shown above")


# STUB (reduceByKeyAndWindow (DStream call 16)): no PySpark equivalent was generated for this TypeScript function.
# Write its Python body; the original is:
#     ([, [, n]]) => n > 0
def reduceByKeyAndWindow_filterFunc(kv):
    raise NotImplementedError("reduceByKeyAndWindow_filterFunc: translate the TypeScript body shown above")


# STUB (mapValues (DStream call 17)): no PySpark equivalent was generated for this TypeScript function.
# Write its Python body; the original is:
#     ([sum, n]) => Math.round(sum / n * 100) / 100
def mapValues_f_3(v):
    raise NotImplementedError("mapValues_f_3: translate the TypeScript body shown above")


spark = SparkSession.builder.appName("temperature-dstream").getOrCreate()

ssc = StreamingContext(spark.sparkContext, 10)
ssc.checkpoint("checkpoints/temperature")
stream0 = KafkaUtils.createDirectStream(ssc, ["sensors.temperature"], {"metadata.broker.list": "localhost:9092", "auto.offset.reset": "smallest"})
stream1 = stream0.map(map_f)
stream2 = stream1.map(map_f_2)
stream3 = stream2.reduceByKey(reduceByKey_func)
stream4 = stream3.mapValues(mapValues_f)
stream4.foreachRDD(foreachRDD_func)
stream6 = KafkaUtils.createDirectStream(ssc, ["sensors.temperature"], {"metadata.broker.list": "localhost:9092", "auto.offset.reset": "smallest"})
stream7 = stream6.map(map_f_3)
stream8 = stream7.map(map_f_4)
stream9 = stream8.reduceByKeyAndWindow(reduceByKeyAndWindow_func, None, 60, 60)
stream10 = stream9.mapValues(mapValues_f_2)
stream10.foreachRDD(foreachRDD_func_2)
stream12 = KafkaUtils.createDirectStream(ssc, ["sensors.temperature"], {"metadata.broker.list": "localhost:9092", "auto.offset.reset": "smallest"})
stream13 = stream12.map(map_f_5)
stream14 = stream13.map(map_f_6)
stream15 = stream14.reduceByKeyAndWindow(reduceByKeyAndWindow_func_2, reduceByKeyAndWindow_invFunc, 60, 10, filterFunc=reduceByKeyAndWindow_filterFunc)
stream16 = stream15.mapValues(mapValues_f_3)
stream16.pprint(10)
stream18 = stream13.countByWindow(60, 10)
stream18.pprint(10)
ssc.start()
ssc.awaitTermination()
