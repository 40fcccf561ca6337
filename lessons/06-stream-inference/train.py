"""Trains the model lesson 06 ships, with real PySpark 3.5, on a data set this script generates.

Nothing is downloaded: the rows come from a seeded formula. A machine reports four readings,
and its state is 0 (ok), 1 (wearing) or 2 (failing), drawn from a softmax of a linear score with
noise, so the classes overlap and the model's probabilities are informative.

    python train.py                 # writes ./model (the lesson's PipelineModel)
    python train.py --fixtures DIR  # also writes a binary model with a threshold and Spark's own
                                    # predictions for chosen rows, for the engine's tests

Run it with the PySpark of the parity venv (`npm run services:fetch` installs it):
    ~/.cache/streamlab/pyspark-3.5.7/venv/bin/python lessons/06-stream-inference/train.py
"""
import argparse
import json
import math
import os
import random
import shutil

from pyspark.ml import Pipeline, PipelineModel
from pyspark.ml.classification import LogisticRegression
from pyspark.ml.feature import StandardScaler, VectorAssembler
from pyspark.sql import SparkSession

FEATURES = ["temperature", "vibration", "pressure", "rpm"]
SEED = 20261206


def machine_rows(n, seed):
    """(temperature, vibration, pressure, rpm, state) rows from a seeded formula."""
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        temperature = round(rng.gauss(70.0, 9.0), 1)
        vibration = round(abs(rng.gauss(3.0, 1.6)), 2)
        pressure = round(rng.gauss(100.0, 12.0), 1)
        rpm = float(round(rng.gauss(1500.0, 220.0)))
        wear = 0.16 * (temperature - 70.0) + 0.9 * (vibration - 3.0) + 0.002 * (rpm - 1500.0) - 0.8
        fail = 0.28 * (temperature - 70.0) + 1.6 * (vibration - 3.0) - 0.03 * (pressure - 100.0) - 3.5
        scores = [0.0, wear, fail]
        top = max(scores)
        weights = [math.exp(s - top) for s in scores]
        pick = rng.random() * sum(weights)
        state = 0
        while pick > weights[state]:
            pick -= weights[state]
            state += 1
        rows.append((temperature, vibration, pressure, rpm, float(state)))
    return rows


def pipeline(family, **lr_params):
    assembler = VectorAssembler(inputCols=FEATURES, outputCol="raw_features")
    scaler = StandardScaler(inputCol="raw_features", outputCol="features")
    lr = LogisticRegression(featuresCol="features", labelCol="state", family=family, maxIter=200, regParam=0.001, **lr_params)
    return Pipeline(stages=[assembler, scaler, lr])


def save(model, path):
    if os.path.exists(path):
        shutil.rmtree(path)
    model.write().save(path)


def expectations(model, df):
    """What Spark computes for each row, printed as Spark prints it (repr of the vectors' doubles)."""
    out = []
    for r in model.transform(df).collect():
        d = r.asDict()
        row = {"id": d["id"]}
        for name in ("raw_features", "features", "rawPrediction", "probability"):
            v = d.get(name)
            row[name] = None if v is None else str(v)
            row[name + "_values"] = None if v is None else [float(x) if not math.isnan(x) else "NaN" for x in v.toArray()]
        row["prediction"] = d.get("prediction")
        out.append(row)
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "model"))
    parser.add_argument("--fixtures", default=None)
    args = parser.parse_args()

    spark = (SparkSession.builder.master("local[1]").appName("lesson-06-train")
             .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false").config("spark.sql.shuffle.partitions", "1").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    schema = "temperature DOUBLE, vibration DOUBLE, pressure DOUBLE, rpm DOUBLE, state DOUBLE"
    train = spark.createDataFrame(machine_rows(4000, SEED), schema).coalesce(1)

    model = pipeline("multinomial").fit(train)
    save(model, args.out)
    lr = model.stages[-1]
    print("multinomial: intercepts", list(lr.interceptVector), "coefficients", lr.coefficientMatrix.toArray().tolist())

    if args.fixtures:
        os.makedirs(args.fixtures, exist_ok=True)
        binary_train = spark.createDataFrame([(t, v, p, r, 1.0 if s == 2.0 else 0.0) for (t, v, p, r, s) in machine_rows(3000, SEED + 1)], schema).coalesce(1)
        binary = pipeline("binomial", threshold=0.3).fit(binary_train)
        binary_path = os.path.join(args.fixtures, "binary-model")
        save(binary, binary_path)
        keep = PipelineModel.load(binary_path)
        keep.stages[0].setHandleInvalid("keep")
        # Rows the tests ask about: ordinary ones, one with zeros (the assembler then makes a sparse
        # vector), extreme margins, and one with a missing value (kept as NaN by handleInvalid "keep").
        probe = [(i, t, v, p, r) for i, (t, v, p, r, _) in enumerate(machine_rows(40, SEED + 2))]
        probe += [(40, 0.0, 0.0, 0.0, 1500.0), (41, 0.0, 0.0, 0.0, 0.0), (42, 140.0, 12.0, 60.0, 2600.0),
                  (43, -40.0, 0.0, 150.0, 200.0), (44, 71.5, None, 99.0, 1450.0)]
        probe_df = spark.createDataFrame(probe, "id INT, temperature DOUBLE, vibration DOUBLE, pressure DOUBLE, rpm DOUBLE")
        fixture = {
            "spark": spark.version,
            "multinomial": expectations(PipelineModel.load(args.out), probe_df.filter("id < 44")),
            "binary": expectations(binary, probe_df.filter("id < 44")),
            "binary_keep": expectations(keep, probe_df),
        }
        with open(os.path.join(args.fixtures, "spark-predictions.json"), "w") as f:
            json.dump(fixture, f, indent=1)
            f.write("\n")
    spark.stop()


if __name__ == "__main__":
    main()
