"""Writes rows to a Kafka topic with Spark 3.5's own Kafka sink (spark-sql-kafka-0-10, whose Java
producer, kafka-clients 3.4.1, is idempotent by default).

usage: python spark_kafka_sink.py JARS BOOTSTRAP TOPIC COUNT [OPTIONS_JSON ...]

JARS is a comma-separated list for spark.jars; each OPTIONS_JSON holds extra `kafka.*` options (SASL
settings, for instance) for one write, so one Spark session tries several configurations in turn.
Prints one line per write: "OK <count>" or "ERROR <Java exception class>: <message>"; exits 3 if any
write failed.
"""
import json
import sys

from pyspark.sql import SparkSession


def root_cause(e):
    """The JVM's innermost exception of a Py4JJavaError, as Spark users read it in the driver log."""
    cause = getattr(e, "java_exception", None)
    while cause is not None and cause.getCause() is not None:
        cause = cause.getCause()
    if cause is not None:
        return f"{cause.getClass().getName()}: {cause.getMessage()}"
    return f"{type(e).__name__}: {e}"


def main():
    jars, bootstrap, topic, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    attempts = [json.loads(a) for a in sys.argv[5:]] or [{}]
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
    failed = False
    try:
        df = spark.createDataFrame([(f"k{i}", f"v{i}") for i in range(count)], "key STRING, value STRING").coalesce(1)
        for options in attempts:
            try:
                writer = df.write.format("kafka").option("kafka.bootstrap.servers", bootstrap).option("topic", topic)
                for k, v in options.items():
                    writer = writer.option(k, v)
                writer.save()
                print(f"OK {count}", flush=True)
            except Exception as e:  # Py4JJavaError
                failed = True
                print(f"ERROR {root_cause(e)}", flush=True)
    finally:
        spark.stop()
    if failed:
        sys.exit(3)


if __name__ == "__main__":
    main()
