"""Runs structured conformance scenarios (FORMAT.md) on real Apache Spark and prints what Spark gives.

usage: python run_scenarios.py SCENARIO.json [...]

For each scenario, one JSON line: {"id": ..., "observed": [...]} with one entry per step (null for
steps that assert nothing): the rows an `expect` step asks for (in its mode, projected to
`outputColumns`, timestamps as Spark's strings), the numbers of `expectStateRows`,
`expectDroppedByWatermark`, `expectWatermark` and `expectBatchCount`, and the message of the error an
`expectError` step is about. Memory sources are JVM MemoryStreams of JSON text read back with
from_json into the scenario's schema; the sink is foreachBatch, which keeps every batch's rows.
Session time zone UTC; one session for all scenarios, each with its confs and checkpoint.
"""
import calendar
import datetime
import json
import shutil
import sys
import tempfile

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F


def spark_string(v):
    """A value as FORMAT.md compares it: timestamps as Spark's strings, structs as lists."""
    if v is None:
        return None
    if isinstance(v, datetime.datetime):
        s = v.strftime("%Y-%m-%d %H:%M:%S")
        if v.microsecond:
            s += ("." + f"{v.microsecond:06d}").rstrip("0")
        return s
    if isinstance(v, datetime.date):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, (list, tuple)):
        return [spark_string(x) for x in v]
    if isinstance(v, (bytes, bytearray)):
        return bytes(v).decode("utf-8")
    return v


def project(rows, schema, columns):
    names = schema.names
    if columns is None or len(columns) == len(names):
        return [[spark_string(r[i]) for i in range(len(names))] for r in rows]
    getters = []
    for c in columns:
        if c in names:
            i = names.index(c)
            getters.append(lambda r, i=i: spark_string(r[i]))
            continue
        for si, f in enumerate(schema.fields):
            sub = getattr(f.dataType, "names", None)
            if sub and c in sub:
                fi = sub.index(c)
                getters.append(lambda r, si=si, fi=fi: None if r[si] is None else spark_string(r[si][fi]))
                break
        else:
            raise ValueError(f"output column {c} not found in {names}")
    return [[g(r) for g in getters] for r in rows]


def ddl(fields):
    return ", ".join(f"`{f['name']}` {f['type']}" for f in fields)


def to_json_row(row, fields):
    values = row if isinstance(row, list) else [row]
    return json.dumps({f["name"]: v for f, v in zip(fields, values)})


class Run:
    def __init__(self, spark, scenario, work):
        self.spark = spark
        self.s = scenario
        self.q = scenario["query"]
        self.work = work
        self.streams = {}
        self.batches = {}
        self.schema = None
        self.query = None
        self.seen_batch = -1
        self.checkpoint = f"{work}/checkpoint-{scenario['id']}"

    # --- building -------------------------------------------------------------------------
    def source(self, s, name):
        if s["kind"] == "memory":
            jvm = self.spark._jvm
            ms = jvm.org.apache.spark.sql.execution.streaming.MemoryStream.apply(
                jvm.org.apache.spark.sql.Encoders.STRING(), self.spark._jsparkSession.sqlContext())
            self.streams[name] = (ms, s["schema"])
            df = DataFrame(ms.toDF(), self.spark)
            return df.select(F.from_json("value", ddl(s["schema"])).alias("r")).select("r.*")
        if s["kind"] == "static":
            return self.spark.createDataFrame([tuple(r if isinstance(r, list) else [r]) for r in s["rows"]], ddl(s["schema"]))
        raise ValueError(f"source kind {s['kind']} is not run on Spark here")

    @staticmethod
    def stages(df, q):
        for d in q.get("derived", []):
            df = df.withColumn(d["name"], F.expr(d["expr"]))
        if q.get("watermark"):
            df = df.withWatermark(q["watermark"]["column"], q["watermark"]["delay"])
        if q.get("afterWatermark"):
            df = df.selectExpr(*q["afterWatermark"])
        return df

    def row_stages(self, df, q):
        if q.get("where"):
            df = df.where(q["where"])
        dd = q.get("dropDuplicates")
        if dd:
            cols = dd.get("columns")
            df = df.dropDuplicatesWithinWatermark(cols) if dd.get("withinWatermark") else df.dropDuplicates(cols)
        j = q.get("join")
        if j:
            st = j["static"]
            right = self.spark.createDataFrame([tuple(r if isinstance(r, list) else [r]) for r in st["rows"]], ddl(st["schema"]))
            df = df.join(right, j["on"], j.get("how", "inner"))
        return df

    @staticmethod
    def name_or_expr(c):
        import re
        return c if c == "*" or re.match(r"^[A-Za-z_][\w.]*$", c) else F.expr(c)

    def group_col(self, g):
        if isinstance(g, str):
            return self.name_or_expr(g)
        if "window" in g:
            w = g["window"]
            return F.window(w["column"], w["duration"], w.get("slide"), w.get("start")).alias(g.get("as", "window"))
        if "sessionWindow" in g:
            return F.session_window(g["sessionWindow"]["column"], g["sessionWindow"]["gap"]).alias(g.get("as", "session_window"))
        raise ValueError(g)

    def agg_col(self, a):
        c = a.get("column", "*")
        fn = a["fn"]
        col = F.count(c) if fn == "count" else F.expr(f"{'avg' if fn == 'mean' else fn}({c})")
        return col.alias(a["as"]) if a.get("as") else col

    def build(self):
        q = self.q
        if q.get("sources"):
            per = {}
            for s in q["sources"]:
                df = self.stages(self.source(s, s["name"]), q.get("perSource", {}).get(s["name"], {}))
                sel = q.get("perSource", {}).get(s["name"], {}).get("select")
                per[s["name"]] = df.selectExpr(*sel) if sel else df
            names = q.get("union", list(per.keys()))
            df = per[names[0]]
            for n in names[1:]:
                df = df.union(per[n])
            df = self.stages(df, q)
        else:
            df = self.stages(self.source(q["source"], "default"), q)
        df = self.row_stages(df, q)
        if q.get("groupBy"):
            df = df.groupBy(*[self.group_col(g) for g in q["groupBy"]]).agg(*[self.agg_col(a) for a in q.get("aggregations", [])])
        elif q.get("aggregations"):
            df = df.agg(*[self.agg_col(a) for a in q["aggregations"]])
        if q.get("select"):
            df = df.selectExpr(*q["select"])
        if q.get("orderBy"):
            df = df.orderBy(*[F.col(o["column"]).desc() if o.get("desc") else F.col(o["column"]).asc() for o in q["orderBy"]])
        if q.get("having"):
            df = df.where(q["having"])
        return df

    # --- running --------------------------------------------------------------------------
    def start(self):
        q = self.q

        def collect(batch, batch_id):
            self.schema = batch.schema
            self.batches[batch_id] = batch.collect()

        w = self.df.writeStream.outputMode(q.get("outputMode", "append")).option("checkpointLocation", self.checkpoint).foreachBatch(collect)
        self.query = w.start()

    def add(self, data):
        jvm = self.spark._jvm
        items = {"default": data} if isinstance(data, list) else data
        if isinstance(data, list) and "default" not in self.streams:
            items = {next(iter(self.streams)): data}
        for name, rows in items.items():
            ms, fields = self.streams[name]
            texts = [to_json_row(r, fields) for r in rows]
            ms.addData(jvm.org.apache.spark.api.python.PythonUtils.toSeq(texts))

    def last_progress(self):
        return self.query.lastProgress if self.query else None

    def rows_for(self, mode):
        ids = sorted(self.batches)
        complete = self.q.get("outputMode") == "complete"
        if mode == "allRowsSoFar":
            if complete:
                return list(self.batches[ids[-1]]) if ids else []
            return [r for i in ids for r in self.batches[i]]
        if mode == "newRowsOfThisBatch":
            p = self.last_progress()
            last = p["batchId"] if p else (ids[-1] if ids else -1)
            return list(self.batches.get(last, []))
        new = [i for i in ids if i > self.seen_batch]
        if complete:
            new = new[-1:]
        return [r for i in new for r in self.batches[i]]

    def run(self):
        observed = []
        error = None
        try:
            self.df = self.build()
        except Exception as e:  # a definition-time error
            error = e
        for step in self.s["steps"]:
            out = None
            try:
                if error is None:
                    if "startQuery" in step:
                        if self.query and self.query.isActive:
                            self.query.stop()
                        self.start()
                    if "addData" in step:
                        self.add(step["addData"])
                        if self.query is None:
                            self.start()
                    if step.get("processAllAvailable") or step.get("processBatch"):
                        if self.query is None:
                            self.start()
                        self.query.processAllAvailable()
                    if step.get("restart"):
                        if self.query:
                            self.query.stop()
                        if step.get("clearSink"):
                            self.batches.clear()
                            self.seen_batch = -1
                        self.start()
                    if step.get("collect"):
                        self.schema = self.df.schema
                        self.batches = {0: self.df.collect()}
            except Exception as e:
                error = e
            if "expectError" in step:
                out = {"error": str(error).split("\n")[0] if error else None}
                error = None
            elif "expect" in step:
                if error:
                    out = {"unexpectedError": str(error).split("\n")[0]}
                else:
                    rows = self.rows_for(step.get("mode", "allRowsSoFar"))
                    out = project(rows, self.schema, self.q.get("outputColumns")) if self.schema else []
                    if self.batches:
                        self.seen_batch = max(self.seen_batch, max(self.batches))
            elif "expectStateRows" in step:
                p = self.last_progress()
                out = p["stateOperators"][0]["numRowsTotal"] if p and p["stateOperators"] else 0
            elif "expectDroppedByWatermark" in step:
                ps = [p for p in (self.query.recentProgress if self.query else []) if p["numInputRows"] > 0]
                out = ps[-1]["stateOperators"][0]["numRowsDroppedByWatermark"] if ps and ps[-1]["stateOperators"] else 0
            elif "expectWatermark" in step:
                p = self.last_progress()
                out = (p or {}).get("eventTime", {}).get("watermark", "1970-01-01T00:00:00.000Z")
            elif "expectBatchCount" in step:
                out = len([p for p in (self.query.recentProgress if self.query else [])])
            observed.append(out)
        if self.query:
            self.query.stop()
        return observed


def main():
    spark = (SparkSession.builder.master("local[2]").appName("streamlab-conformance")
             .config("spark.sql.session.timeZone", "UTC").config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
             .config("spark.sql.shuffle.partitions", "2").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    work = tempfile.mkdtemp(prefix="streamlab-conformance-")
    try:
        for path in sys.argv[1:]:
            with open(path) as f:
                scenario = json.load(f)
            confs = scenario.get("confs") or {}
            for k, v in confs.items():
                spark.conf.set(k, v)
            try:
                observed = Run(spark, scenario, work).run()
                print(json.dumps({"id": scenario["id"], "observed": observed}), flush=True)
            except Exception as e:
                print(json.dumps({"id": scenario["id"], "failure": str(e).split("\n")[0]}), flush=True)
            for k in confs:
                spark.conf.unset(k)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        spark.stop()


if __name__ == "__main__":
    main()
