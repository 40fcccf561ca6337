import {
  SparkSession, DataFrame, StreamingQuery, functions as F,
  ActorSystem, Consumer, ConsumerSettings, Subscriptions, StringDeserializer, Committer, CommitterSettings,
  Slick, SlickSession, sqlu, LatencyMeter, type DrainingControl, type Done, type LatencySummary,
} from "streamlab";

const KAFKA = "localhost:9092";
const PG_URL = "jdbc:postgresql://localhost:5432/streamlab";
const PG_PROPERTIES = { user: "streamlab", password: "streamlab", driver: "org.postgresql.Driver" };

/** A fix as the producer sends it: every field is text. */
const FIX_SCHEMA = "driverId STRING, lat STRING, lng STRING, time STRING";

/** Step 1: the casts written as SQL. */
export function fixes(spark: SparkSession): DataFrame {
  return spark.readStream
    .format("kafka")
    .option("kafka.bootstrap.servers", KAFKA)
    .option("subscribe", "locations")
    .option("startingOffsets", "earliest")
    .load()
    .select(F.from_json(F.expr("CAST(value AS STRING)"), FIX_SCHEMA).alias("fix"))
    .selectExpr("CAST(fix.driverId AS INT) AS driverId", "CAST(fix.lat AS FLOAT) AS lat", "CAST(fix.lng AS FLOAT) AS lng", "CAST(fix.time AS TIMESTAMP) AS time");
}

/** Step 2: every micro-batch appended to `locations` with Spark's JDBC writer (at-least-once). */
export function startAppend(spark: SparkSession, trigger = "1000 milliseconds"): StreamingQuery {
  return fixes(spark)
    .writeStream.outputMode("append")
    .option("checkpointLocation", "/checkpoints/locations-append")
    .trigger({ processingTime: trigger })
    .foreachBatch(async (batch: DataFrame) => {
      await batch.write.jdbc(PG_URL, "locations", "append", PG_PROPERTIES);
    })
    .start();
}

/** Step 3: the same fixes into `locations_once`, each batch written once even when a batch runs twice. */
export function startExactlyOnce(spark: SparkSession, trigger = "1000 milliseconds"): StreamingQuery {
  return fixes(spark)
    .writeStream.outputMode("append")
    .format("postgres")
    .option("url", PG_URL)
    .option("table", "locations_once")
    .option("checkpointLocation", "/checkpoints/locations-once")
    .trigger({ processingTime: trigger })
    .start();
}

/** Step 4: the flow: each fix from Kafka into `locations_flow` as it comes, its offset committed after the write. */
export async function startFlow(system: ActorSystem): Promise<DrainingControl<Done>> {
  const session = SlickSession.forConfig("slick-postgres");
  // The same columns and types as the table Spark's JDBC writer creates for `locations`.
  await session.db.run(sqlu`CREATE TABLE IF NOT EXISTS locations_flow ("driverId" integer, lat real, lng real, time timestamp)`);
  const settings = ConsumerSettings.create(system, new StringDeserializer(), new StringDeserializer())
    .withBootstrapServers(KAFKA)
    .withGroupId("locations-flow")
    .withProperty("auto.offset.reset", "earliest");
  return Consumer.committableSource(settings, Subscriptions.topics("locations"))
    .map((msg) => ({ fix: JSON.parse(msg.record.value ?? "{}"), offset: msg.committableOffset }))
    .via(Slick.flowWithPassThrough(session, 4, ({ fix, offset }) =>
      sqlu`INSERT INTO locations_flow VALUES (${Number(fix.driverId)}, ${Number(fix.lat)}, ${Number(fix.lng)}, ${fix.time})`
        .map(() => offset)))
    .toMat(Committer.sink(CommitterSettings.create(system)), Consumer.DrainingControl.apply)
    .run(system);
}

/** One row of the tutorial's comparison table. */
export interface ComparisonRow {
  row: string;
  spark: string;
  flow: string;
}

function fmt(x: number | null | undefined): string {
  return typeof x === "number" && !Number.isNaN(x) ? Math.round(x) + " ms" : "not measured";
}

/** Step 5: the table, the pipelines looked up by kind in a loop. */
export function comparisonTable(measured: LatencySummary): ComparisonRow[] {
  let spark: (typeof measured)[string] | undefined;
  let flow: (typeof measured)[string] | undefined;
  for (const name of Object.keys(measured)) {
    if (measured[name]!.kind === "micro-batch") spark = measured[name];
    else if (measured[name]!.kind === "flow") flow = measured[name];
  }
  const rows: ComparisonRow[] = [];
  rows.push({ row: "Latency", spark: spark ? `p50 ${fmt(spark.p50)}, p99 ${fmt(spark.p99)}` : "not measured", flow: flow ? `p50 ${fmt(flow.p50)}, p99 ${fmt(flow.p99)}` : "not measured" });
  rows.push({ row: "Architecture", spark: "micro-batch", flow: "flow" });
  rows.push({ row: "Stage type", spark: "query", flow: "graph" });
  rows.push({ row: "Container size", spark: "big", flow: "small" });
  rows.push({ row: "Startup time", spark: fmt(spark?.startupMs), flow: fmt(flow?.startupMs) });
  rows.push({ row: "Use case", spark: "aggregations", flow: "projections" });
  return rows;
}

/** Run: the append job and the flow side by side; the table with this run's numbers every 10 seconds. */
export function main(): void {
  const spark = SparkSession.builder.appName("locations").getOrCreate();
  const meter = LatencyMeter.start(spark);
  startAppend(spark, "1 second");
  void startFlow(ActorSystem.create("locations"));
  setInterval(() => {
    const rows = comparisonTable(meter.summary());
    console.log(rows.map((r) => `${r.row.padEnd(15)}| ${r.spark.padEnd(24)}| ${r.flow}`).join("\n"));
  }, 10_000);
}
