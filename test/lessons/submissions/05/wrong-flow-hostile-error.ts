// fails: flow-rows, comparison-table
// says: flow-rows: Your flow did not write every fix: it failed after writing 0 of the
// says: flow-rows: : Error: the first line of a hostile error
// says: comparison-table: : an error that cannot be shown
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

/** Step 1: the fixes from `locations`, cast as the tutorial's job casts them. */
export function fixes(spark: SparkSession): DataFrame {
  return spark.readStream
    .format("kafka")
    .option("kafka.bootstrap.servers", KAFKA)
    .option("subscribe", "locations")
    .option("startingOffsets", "earliest")
    .load()
    .selectExpr("CAST(value AS STRING) AS value")
    .select(F.from_json(F.col("value"), FIX_SCHEMA).alias("a"))
    .select("a.*")
    .withColumn("driverId", F.col("driverId").cast("int"))
    .withColumn("lat", F.col("lat").cast("float"))
    .withColumn("lng", F.col("lng").cast("float"))
    .withColumn("time", F.col("time").cast("timestamp"));
}

/** Step 2: every micro-batch appended to `locations` with Spark's JDBC writer (at-least-once). */
export function startAppend(spark: SparkSession, trigger = "1 second"): StreamingQuery {
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
export function startExactlyOnce(spark: SparkSession, trigger = "1 second"): StreamingQuery {
  return fixes(spark)
    .writeStream.outputMode("append")
    .format("postgres")
    .option("url", PG_URL)
    .option("table", "locations_once")
    .option("checkpointLocation", "/checkpoints/locations-once")
    .trigger({ processingTime: trigger })
    .start();
}

/** Text far past any message's length, on many lines. */
const HUGE = "a forged line\n".repeat(200_000);

/** An error whose message is a huge text of many lines, read through a getter. */
function hugeError(): unknown {
  const e = new Error("short");
  Object.defineProperty(e, "message", { get: () => `the first line of a hostile error\n${HUGE}` });
  return e;
}

/** A Proxy that throws on every question it is asked, whatever the trap: getters, toString, Symbol.toPrimitive, its prototype, its keys. */
function hostileProxy(): unknown {
  const refuse = () => { throw new Error("refused"); };
  return new Proxy({}, { get: refuse, getPrototypeOf: refuse, has: refuse, ownKeys: refuse, getOwnPropertyDescriptor: refuse, apply: refuse });
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
    .map((msg) => {
      // A hostile learner's flow: it fails with an error built to trouble whoever reads it.
      if (system.name.length > 0) throw system.name === "check-flow" ? hugeError() : hostileProxy();
      return { fix: JSON.parse(msg.record.value ?? "{}"), offset: msg.committableOffset };
    })
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

const ms = (x: number | null) => (x === null || Number.isNaN(x) ? "not measured" : `${Math.round(x)} ms`);

/** Step 5: the tutorial's table, with the latency and start-up rows from what was measured. */
export function comparisonTable(measured: LatencySummary): ComparisonRow[] {
  const all = Object.values(measured);
  const spark = all.find((p) => p.kind === "micro-batch");
  const flow = all.find((p) => p.kind === "flow");
  const latency = (p: typeof spark) => (p ? `p50 ${ms(p.p50)}, p99 ${ms(p.p99)}` : "not measured");
  return [
    { row: "Latency", spark: latency(spark), flow: latency(flow) },
    { row: "Architecture", spark: "micro-batch", flow: "flow" },
    { row: "Stage type", spark: "query", flow: "graph" },
    { row: "Container size", spark: "big", flow: "small" },
    { row: "Startup time", spark: ms(spark?.startupMs ?? null), flow: ms(flow?.startupMs ?? null) },
    { row: "Use case", spark: "aggregations", flow: "projections" },
  ];
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
