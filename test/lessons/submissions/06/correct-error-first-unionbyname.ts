import { SparkSession, DataFrame, StreamingQuery, functions as F, ml } from "streamlab";

/** The producer's CSV columns after the id, in order: what the model was trained on. */
const FEATURES = ["temperature", "vibration", "pressure", "rpm"];

/** `kaspar-inputs` as typed columns: `id` and the four readings (null where a field is empty or not a number). */
export function readings(spark: SparkSession): DataFrame {
  const fields = F.expr("split(CAST(value AS STRING), ',')");
  return spark.readStream
    .format("kafka")
    .option("kafka.bootstrap.servers", "localhost:9092")
    .option("subscribe", "kaspar-inputs")
    .option("startingOffsets", "earliest")
    .load()
    .select(fields.getItem(0).cast("int").alias("id"), ...FEATURES.map((f, i) => fields.getItem(i + 1).cast("double").alias(f)));
}

/** Rows whose four readings all parsed. */
function complete(): ReturnType<typeof F.col> {
  return FEATURES.map((f) => F.col(f).isNotNull()).reduce((a, b) => a.and(b));
}

/**
 * One output per input, keyed by its id: the model's prediction and class probabilities, or, for a
 * row the model cannot read, the reason — nothing is dropped silently and nothing crashes the query.
 */
export function inferences(spark: SparkSession): DataFrame {
  const model = ml.PipelineModel.load("model");
  const rows = readings(spark);
  const scored = model.transform(rows.filter(complete()))
    .select("id", F.to_json(F.struct("prediction", ml.functions.vector_to_array("probability").alias("probability"), "id")).alias("value"));
  const rejected = rows.filter(complete().not())
    .select("id", F.to_json(F.struct(F.lit("unreadable features").alias("error"), F.col("id"))).alias("value"));
  return scored.unionByName(rejected).selectExpr("CAST(id AS STRING) AS key", "value");
}

/**
 * The same predictions from a UDF that applies the model's weights itself: scale by the standard
 * deviations, one margin per class, softmax. Slower and yours to keep in step with the model.
 */
export function inferencesWithUdf(spark: SparkSession): DataFrame {
  const model = ml.PipelineModel.load("model");
  const std = (model.stages[1] as ml.feature.StandardScalerModel).std.toArray();
  const lr = model.stages[2] as ml.classification.LogisticRegressionModel;
  const weights = lr.coefficientMatrix.toArray();
  const intercepts = lr.interceptVector.toArray();
  const probabilities = F.udf((...x: number[]) => {
    const margins = weights.map((w, k) => w.reduce((s, wi, i) => s + wi * (x[i] / std[i]), intercepts[k]));
    const top = Math.max(...margins);
    const e = margins.map((m) => Math.exp(m - top));
    const sum = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / sum);
  }, "array<double>");
  const argmax = F.udf((p: number[]) => p.indexOf(Math.max(...p)), "double");
  const rows = readings(spark);
  const scored = rows.filter(complete())
    .withColumn("probability", probabilities(...FEATURES))
    .withColumn("prediction", argmax("probability"))
    .select("id", F.to_json(F.struct("id", "prediction", "probability")).alias("value"));
  const rejected = rows.filter(complete().not())
    .select("id", F.to_json(F.struct(F.lit("unreadable features").alias("error"), F.col("id"))).alias("value"));
  return scored.union(rejected).select(F.col("id").cast("string").alias("key"), "value");
}

/** Publishes the inferences to `kaspar-outputs` as they come (append mode). */
export function startInference(spark: SparkSession): StreamingQuery {
  return inferences(spark)
    .writeStream.outputMode("append")
    .format("kafka")
    .option("kafka.bootstrap.servers", "localhost:9092")
    .option("topic", "kaspar-outputs")
    .option("checkpointLocation", "/tmp/checkpoints/kaspar")
    .start();
}

/** Runs the inference job; the Output panel shows each batch's records. */
export function main(): void {
  const spark = SparkSession.builder.appName("kaspar-inference").getOrCreate();
  startInference(spark);
}
