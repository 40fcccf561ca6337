import {
  SparkSession, DataFrame, StreamingQuery, functions as F,
  ActorSystem, Consumer, ConsumerSettings, Subscriptions, StringDeserializer, Sink, Keep, LatencyMeter,
  type Control, type LatencySummary,
} from "streamlab";

const KAFKA = "localhost:9092";
const PG_URL = "jdbc:postgresql://localhost:5432/streamlab";
const PG_PROPERTIES = { user: "streamlab", password: "streamlab", driver: "org.postgresql.Driver" };

/** A fix as the producer sends it: every field is text. */
const FIX_SCHEMA = "driverId STRING, lat STRING, lng STRING, time STRING";

/** Step 1: the fixes from `locations`. TODO: cast driverId to int, lat and lng to float, time to timestamp. */
export function fixes(spark: SparkSession): DataFrame {
  return spark.readStream
    .format("kafka")
    .option("kafka.bootstrap.servers", KAFKA)
    .option("subscribe", "locations")
    .option("startingOffsets", "earliest")
    .load()
    .selectExpr("CAST(value AS STRING) AS value")
    .select(F.from_json(F.col("value"), FIX_SCHEMA).alias("a"))
    .select("a.*");
}

/** Step 2: every micro-batch appended to `locations`. TODO: write the batch with batch.write.jdbc(...). */
export function startAppend(spark: SparkSession, trigger = "1 second"): StreamingQuery {
  return fixes(spark)
    .writeStream.outputMode("append")
    .option("checkpointLocation", "/checkpoints/locations-append")
    .trigger({ processingTime: trigger })
    .foreachBatch(async (batch: DataFrame, batchId: number) => {
      console.log(`batch ${batchId}: ${batch.count()} fixes`);
    })
    .start();
}

/** Step 3: the same fixes into `locations_once`, each batch written once. TODO: use the exactly-once sink. */
export function startExactlyOnce(spark: SparkSession, trigger = "1 second"): StreamingQuery {
  return fixes(spark)
    .writeStream.outputMode("append")
    .option("checkpointLocation", "/checkpoints/locations-once")
    .trigger({ processingTime: trigger })
    .foreachBatch(async (batch: DataFrame) => {
      await batch.write.jdbc(PG_URL, "locations_once", "append", PG_PROPERTIES);
    })
    .start();
}

/**
 * Step 4: the flow. TODO: read with Consumer.committableSource, insert each fix into `locations_flow`
 * with Slick, and commit its offset with Committer.sink.
 */
export function startFlow(system: ActorSystem): { drainAndShutdown(): Promise<unknown> } {
  const settings = ConsumerSettings.create(system, new StringDeserializer(), new StringDeserializer())
    .withBootstrapServers(KAFKA)
    .withGroupId("locations-flow")
    .withProperty("auto.offset.reset", "earliest");
  const [control, done] = Consumer.plainSource(settings, Subscriptions.topics("locations"))
    .map((record) => JSON.parse(record.value ?? "{}"))
    .toMat(Sink.foreach((fix) => console.log(fix)), Keep.both)
    .run(system);
  return { drainAndShutdown: () => (control as Control).drainAndShutdown(done) };
}

/** One row of the tutorial's comparison table. */
export interface ComparisonRow {
  row: string;
  spark: string;
  flow: string;
}

/** Step 5: the tutorial's table. TODO: the latency and start-up rows from what was measured. */
export function comparisonTable(_measured: LatencySummary): ComparisonRow[] {
  return [
    { row: "Latency", spark: "near real time", flow: "real time" },
    { row: "Architecture", spark: "micro batch", flow: "flow" },
    { row: "Stage type", spark: "query", flow: "graph" },
    { row: "Container size", spark: "big", flow: "small" },
    { row: "Startup time", spark: "long", flow: "short" },
    { row: "Use case", spark: "aggregations", flow: "projections" },
  ];
}

/** Run: the append job and the flow side by side; the table with this run's numbers every 10 seconds. */
export function main(): void {
  const spark = SparkSession.builder.appName("locations").getOrCreate();
  const meter = LatencyMeter.start(spark);
  startAppend(spark, "1 second");
  startFlow(ActorSystem.create("locations"));
  setInterval(() => {
    const rows = comparisonTable(meter.summary());
    console.log(rows.map((r) => `${r.row.padEnd(15)}| ${r.spark.padEnd(24)}| ${r.flow}`).join("\n"));
  }, 10_000);
}
