"""Runs DStream pipelines on real PySpark, all in one StreamingContext.

usage: python dstream-runner.py MANIFEST.json

The manifest gives the batch interval in seconds, the number of batches to run, a checkpoint
folder, the JSON file to write and, per pipeline, Python source defining `build(ssc, collect)`: the
pipeline's exported DStream statements, reading queueStream (one RDD per batch) and ending in
`foreachRDD(collect(k))` for its k-th output operation. The pipelines are independent graphs of one
context, so every batch runs all of them; batches are numbered from the context's zero time.

The context runs on Spark's manual clock (as Spark's own streaming tests do): the runner moves it one
batch at a time, and again once that batch's jobs have all run. No batch falls due while the one
before is still running, however busy the machine, and a batch costs the time of its jobs rather than
at least its interval.

Output: {"pipelines": {id: {"outputs": [{"output": k, "batch": n, "rows": [...]}], "error"?: str}},
"error"?: str}, rows in the canonical form of canonical.ts (tuples as lists).
"""
import json
import os
import sys
import traceback

from pyspark import SparkConf, SparkContext
from pyspark.streaming import StreamingContext


def plain(v):
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, dict):
        return {str(k): plain(x) for k, x in v.items()}
    return v


def main():
    with open(sys.argv[1]) as f:
        manifest = json.load(f)
    # The JVM passes its PYTHONPATH on to the workers, which find parity_daemon beside this file.
    here = os.path.dirname(os.path.abspath(__file__))
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in [here, os.environ.get("PYTHONPATH")] if p)
    conf = (
        SparkConf()
        .setMaster("local[2]")
        .setAppName("streamlab-dstream-parity")
        .set("spark.ui.enabled", "false")
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1")
        .set("spark.streaming.clock", "org.apache.spark.util.ManualClock")
        # Workers that import from the venv, not from zips re-read before every task (parity_daemon.py).
        .set("spark.python.daemon.module", "parity_daemon")
    )
    sc = SparkContext(conf=conf)
    sc.setLogLevel("ERROR")
    batch_ms = int(round(manifest["batchSeconds"] * 1000))
    ssc = StreamingContext(sc, manifest["batchSeconds"])
    ssc.checkpoint(manifest["checkpoint"])
    results = {}

    def collector(pid):
        def collect(k):
            def record(t, rdd):
                results[pid]["outputs"].append({"output": k, "time": t.timestamp(), "rows": plain(rdd.collect())})
            return record
        return collect

    for p in manifest["pipelines"]:
        results[p["id"]] = {"outputs": []}
        try:
            namespace = {"json": json}
            exec(p["code"], namespace)
            namespace["build"](ssc, collector(p["id"]))
        except Exception as e:  # one pipeline's failure is its own result, not the run's
            results[p["id"]]["error"] = f"{type(e).__name__}: {e}\n{traceback.format_exc()[-2000:]}"

    # Registered last, so when it runs for a batch every pipeline's jobs for that batch have run.
    ticks = []
    ssc.queueStream([], default=sc.parallelize([0], 1)).foreachRDD(lambda t, rdd: ticks.append(t))
    error = None
    ssc.start()
    clock = ssc._jssc.ssc().scheduler().clock()
    try:
        for k in range(1, manifest["batches"] + 1):
            clock.advance(batch_ms)
            # Each wait returns early when the context stops and raises a failed job's error. (The tick
            # cannot signal an Event: the checkpoint pickles every output function with what it holds.)
            while len(ticks) < k:
                if ssc.awaitTerminationOrTimeout(0.05):
                    raise RuntimeError(f"the streaming context stopped after {len(ticks)} of {manifest['batches']} batches")
    except Exception as e:  # a failed job ends the wait; the outputs so far are still written
        error = f"{type(e).__name__}: {e}"[-4000:]
    zero_ms = ssc._jssc.ssc().graph().zeroTime().milliseconds()
    ssc.stop(stopSparkContext=True, stopGraceFully=False)

    for r in results.values():
        for o in r["outputs"]:
            o["batch"] = (int(round(o.pop("time") * 1000)) - zero_ms) // batch_ms
        r["outputs"] = [o for o in r["outputs"] if o["batch"] <= manifest["batches"]]
    out = {"pipelines": results}
    if error:
        out["error"] = error
    with open(manifest["out"], "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
