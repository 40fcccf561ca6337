"""Runs exported pipelines on real Apache Spark, one session for all of them.

usage: python parity-runner.py MANIFEST.json

The manifest names the connector jars and, per pipeline, the exported PySpark source of
`build(spark)` (a streaming DataFrame over a one-partition Kafka topic, read with
maxOffsetsPerTrigger), its output mode, a checkpoint folder and the JSON file to write. Each query
runs with Trigger.AvailableNow and a foreachBatch sink that keeps every batch's rows (empty batches
included) in the canonical form of canonical.ts: rows and structs as objects, timestamps as
microseconds since the epoch (UTC), dates as days since the epoch.
"""
import calendar
import datetime
import decimal
import json
import sys
import traceback

from pyspark.sql import Row, SparkSession
from pyspark.sql import functions as F

EPOCH_DATE = datetime.date(1970, 1, 1)


def plain(v):
    if isinstance(v, Row):
        return {k: plain(x) for k, x in v.asDict(recursive=False).items()}
    if isinstance(v, datetime.datetime):
        # The session and this process both run in UTC (TZ=UTC), so naive datetimes are UTC.
        return calendar.timegm(v.timetuple()) * 1_000_000 + v.microsecond
    if isinstance(v, datetime.date):
        return (v - EPOCH_DATE).days
    if isinstance(v, decimal.Decimal):
        return float(v)
    if isinstance(v, (bytes, bytearray)):
        import base64
        return base64.b64encode(bytes(v)).decode("ascii")
    if isinstance(v, dict):
        return {str(plain(k)): plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    return v


def run(spark, pipeline):
    batches = []

    def keep(batch_df, batch_id):
        batches.append({"id": batch_id, "rows": [plain(r) for r in batch_df.collect()]})

    namespace = {"F": F}
    exec(pipeline["code"], namespace)
    df = namespace["build"](spark)
    query = (
        df.writeStream
        .outputMode(pipeline["mode"])
        .option("checkpointLocation", pipeline["checkpoint"])
        .trigger(availableNow=True)
        .foreachBatch(keep)
        .start()
    )
    query.awaitTermination()
    return {"batches": sorted(batches, key=lambda b: b["id"])}


def main():
    with open(sys.argv[1]) as f:
        manifest = json.load(f)
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("streamlab-parity")
        .config("spark.jars", ",".join(manifest["jars"]))
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    try:
        for pipeline in manifest["pipelines"]:
            try:
                result = run(spark, pipeline)
            except Exception as e:  # one pipeline's failure is its own result, not the run's
                result = {"batches": [], "error": f"{type(e).__name__}: {e}\n{traceback.format_exc()[-2000:]}"}
            with open(pipeline["out"], "w") as f:
                json.dump(result, f)
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
