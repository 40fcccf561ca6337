"""Writes rows to a Kafka topic with Spark 3.5's own Kafka sink (spark-sql-kafka-0-10, whose Java
producer, kafka-clients 3.4.1, is idempotent by default).

usage: python spark_kafka_sink.py JARS BOOTSTRAP TOPIC COUNT [OPTIONS_JSON]

JARS is a comma-separated list for spark.jars; OPTIONS_JSON holds extra `kafka.*` options (SASL
settings, for instance). Prints "OK <count>" or "ERROR <Java exception class>: <message>" (exit 3).
"""
import json
import sys

from pyspark.sql import SparkSession


def main():
    jars, bootstrap, topic, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    options = json.loads(sys.argv[5]) if len(sys.argv) > 5 else {}
    spark = (
        SparkSession.builder.master("local[1]")
        .appName("streamlab-kafka-sink")
        .config("spark.jars", jars)
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.task.maxFailures", "1")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("OFF")
    try:
        df = spark.createDataFrame([(f"k{i}", f"v{i}") for i in range(count)], "key STRING, value STRING").coalesce(1)
        writer = df.write.format("kafka").option("kafka.bootstrap.servers", bootstrap).option("topic", topic)
        for k, v in options.items():
            writer = writer.option(k, v)
        writer.save()
        print(f"OK {count}")
    except Exception as e:  # Py4JJavaError: report the JVM's root cause as Spark users see it
        cause = getattr(e, "java_exception", None)
        while cause is not None and cause.getCause() is not None:
            cause = cause.getCause()
        if cause is not None:
            print(f"ERROR {cause.getClass().getName()}: {cause.getMessage()}")
        else:
            print(f"ERROR {type(e).__name__}: {e}")
        sys.exit(3)
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
