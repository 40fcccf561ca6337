import { SparkSession, DataFrame, StreamingQuery, functions as F, ml } from "streamlab";

/** The producer's CSV columns after the id, in order: what the model was trained on. */
const FEATURES = ["temperature", "vibration", "pressure", "rpm"];

/** `kaspar-inputs` as typed columns: `id` and the four readings (null where a field is empty or not a number). */
export function readings(spark: SparkSession): DataFrame {
  const fields = F.split(F.col("value").cast("string"), ",");
  return spark.readStream
    .format("kafka")
    .option("kafka.bootstrap.servers", "localhost:9092")
    .option("subscribe", "kaspar-inputs")
    .option("startingOffsets", "earliest")
    .load()
    .select(fields.getItem(0).cast("int").alias("id"), ...FEATURES.map((f, i) => fields.getItem(i + 1).cast("double").alias(f)));
}

/**
 * Applies the lesson's model to every reading.
 *
 * TODO 1: key each output by the input's id (a `key` column), and write the probabilities as a plain
 *         JSON array (`ml.functions.vector_to_array`), not as Spark's stored vector.
 * TODO 2: one bad row stops the whole query (the model's VectorAssembler refuses nulls). Answer rows
 *         whose readings did not parse with {"id": …, "error": "unreadable features"} instead.
 */
export function inferences(spark: SparkSession): DataFrame {
  const model = ml.PipelineModel.load("model");
  return model.transform(readings(spark))
    .select(F.to_json(F.struct("id", "prediction", "probability")).alias("value"));
}

/**
 * TODO 3 (step 2): the same answers from a UDF that applies the model's weights itself (read them from
 * `model.stages`), without `model.transform`.
 */
export function inferencesWithUdf(spark: SparkSession): DataFrame {
  return inferences(spark);
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
