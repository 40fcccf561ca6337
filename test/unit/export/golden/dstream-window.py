"""
word windows: exported from Streamlab to PySpark.

Runs on Apache Spark 3.5.7 (Scala 2.12), which still has the DStream API (deprecated since Spark 3.4):

    spark-submit job.py
"""
# STUBS: 4 TypeScript functions have no generated PySpark equivalent and
# raise NotImplementedError until written (search for "STUB"):
#   flatMap_f  (flatMap (DStream call 2))
#   map_f  (map (DStream call 3))
#   reduceByKeyAndWindow_func  (reduceByKeyAndWindow (DStream call 4))
#   reduceByKeyAndWindow_invFunc  (reduceByKeyAndWindow (DStream call 4))
from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.streaming import StreamingContext


# STUB (flatMap (DStream call 2)): no PySpark equivalent was generated for this TypeScript function.
# Write its Python body; the original is:
#     (line) => line.split(" ")
def flatMap_f(x):
    raise NotImplementedError("flatMap_f: translate the TypeScript body shown above")


# STUB (map (DStream call 3)): no PySpark equivalent was generated for this TypeScript function.
# Write its Python body; the original is:
#     (w) => [w, 1]
def map_f(x):
    raise NotImplementedError("map_f: translate the TypeScript body shown above")


# STUB (reduceByKeyAndWindow (DStream call 4)): no PySpark equivalent was generated for this TypeScript function.
# Write its Python body; the original is:
#     (a, b) => a + b
def reduceByKeyAndWindow_func(a, b):
    raise NotImplementedError("reduceByKeyAndWindow_func: translate the TypeScript body shown above")


# STUB (reduceByKeyAndWindow (DStream call 4)): no PySpark equivalent was generated for this TypeScript function.
# Write its Python body; the original is:
#     (a, b) => a - b
def reduceByKeyAndWindow_invFunc(a, b):
    raise NotImplementedError("reduceByKeyAndWindow_invFunc: translate the TypeScript body shown above")


spark = SparkSession.builder.appName("word-windows").getOrCreate()

ssc = StreamingContext(spark.sparkContext, 2)
ssc.checkpoint("/tmp/checkpoints/words")
stream0 = ssc.queueStream([ssc.sparkContext.parallelize(["a b", "b c"], 2)])
stream1 = stream0.flatMap(flatMap_f)
stream2 = stream1.map(map_f)
stream3 = stream2.reduceByKeyAndWindow(reduceByKeyAndWindow_func, reduceByKeyAndWindow_invFunc, 10, 2)
stream3.pprint(5)
ssc.start()
ssc.awaitTermination()
