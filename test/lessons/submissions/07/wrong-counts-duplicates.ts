// fails: speed-event-time, speed-watermark, speed-exactly-once, serving-merge, serving-recomputed
import { SparkSession, DataFrame, StreamingQuery, functions as F, SlickSession, sqlu } from "streamlab";

const KAFKA = "localhost:9092";
const PG_URL = "jdbc:postgresql://localhost:5432/streamlab";
const PG_PROPERTIES = { user: "streamlab", password: "streamlab", driver: "org.postgresql.Driver" };

/** One country's counts for one date, as the import job writes them (lake) and announces them (Kafka). */
const REPORT_SCHEMA = "reported DATE, date DATE, country STRING, cases INT, deaths INT";
/** One DAX close per trading day. */
const DAX_SCHEMA = "date DATE, close DOUBLE";

/** Calendar weeks from Monday: 7-day windows start on the epoch's Thursday, so shift them by 4 days. */
const weekOf = (ts: ReturnType<typeof F.col>) => F.window(ts, "7 days", "7 days", "4 days");

/** A report's date as the event time the windows and the watermark work on. */
const eventTime = () => F.col("date").cast("timestamp");

/** The weekly view both layers produce: one row per week (its Monday) and country. */
function weekly(reports: DataFrame): DataFrame {
  return reports
    .groupBy(weekOf(F.col("ts")).alias("window"), "country")
    .agg(F.sum("cases").alias("cases"), F.sum("deaths").alias("deaths"))
    .select(F.to_date(F.col("window.start")).alias("week"), "country", "cases", "deaths");
}

/** Step 1 (batch layer): every report in the lake up to and including `until`, summed per week and country. */
export function batchView(spark: SparkSession, until: string): DataFrame {
  const reports = spark.read
    .csv("covid", { schema: REPORT_SCHEMA, header: true })
    .filter(F.col("date").leq(F.lit(until).cast("date")))
    .withColumn("ts", eventTime());
  return weekly(reports);
}

/** Step 1 (batch layer): per country, how the DAX close moved with the day's cases, on trading days up to `until`. */
export function daxCorrelation(spark: SparkSession, until: string): DataFrame {
  const reports = spark.read.csv("covid", { schema: REPORT_SCHEMA, header: true });
  const dax = spark.read.csv("dax", { schema: DAX_SCHEMA, header: true });
  return reports
    .join(dax, "date", "inner")
    .filter(F.col("date").leq(F.lit(until).cast("date")))
    .groupBy("country")
    .agg(F.corr("close", "cases").alias("corr"), F.count("*").alias("days"));
}

/** Step 2: the batch view into PostgreSQL, replacing the last one but keeping the table (the serving view reads it). */
export async function writeBatchView(spark: SparkSession, until: string): Promise<void> {
  await batchView(spark, until).write.option("truncate", "true").jdbc(PG_URL, "batch_view", "overwrite", PG_PROPERTIES);
}

/**
 * Step 3 (speed layer): the announced reports, once each, summed per week of their date; a report
 * arriving after the watermark (3 days behind the latest date seen) passed the end of its week is dropped.
 */
export function speedView(spark: SparkSession): DataFrame {
  const reports = spark.readStream
    .format("kafka")
    .option("kafka.bootstrap.servers", KAFKA)
    .option("subscribe", "covid.reports")
    .option("startingOffsets", "earliest")
    .load()
    .select(F.from_json(F.col("value").cast("string"), REPORT_SCHEMA).alias("r"))
    .select("r.*")
    .withColumn("ts", eventTime())
    .withWatermark("ts", "3 days");
  return weekly(reports);
}

/** Step 4: the speed view upserted into PostgreSQL by week and country, exactly once per batch. */
export function startSpeedLayer(spark: SparkSession): StreamingQuery {
  return speedView(spark)
    .writeStream.outputMode("update")
    .format("postgres")
    .option("url", PG_URL)
    .option("table", "speed_view")
    .option("primaryKey", "week,country")
    .option("checkpointLocation", "/checkpoints/speed-view")
    .start();
}

/**
 * Step 5 (serving layer): one answer from both views. The batch view is the truth for the weeks it
 * covers; the speed view fills in the weeks after them, and retires week by week as the batch catches up.
 */
export async function createServingView(): Promise<void> {
  const db = SlickSession.forConfig("slick-postgres");
  // The speed layer makes its table at its first batch; the view needs it now.
  await db.db.run(sqlu`CREATE TABLE IF NOT EXISTS speed_view (week date, country text, cases bigint, deaths bigint, PRIMARY KEY (week, country))`);
  await db.db.run(sqlu`CREATE OR REPLACE VIEW serving AS
    SELECT week, country, cases, deaths, 'batch' AS layer FROM batch_view
    UNION ALL
    SELECT week, country, cases, deaths, 'speed' AS layer FROM speed_view
    WHERE week > (SELECT COALESCE(MAX(week), DATE '1970-01-01') FROM batch_view)`);
}

/** The last day of the lake's history: the days after it are announced on covid.reports. */
const HISTORY_UNTIL = "2020-03-29";

/** Run: the batch view over the history, the serving view, and the speed layer on the announced days. */
export async function main(): Promise<void> {
  const spark = SparkSession.builder.appName("lambda").getOrCreate();
  batchView(spark, HISTORY_UNTIL).orderBy("week", "country").show(20);
  daxCorrelation(spark, HISTORY_UNTIL).show();
  await writeBatchView(spark, HISTORY_UNTIL);
  await createServingView();
  startSpeedLayer(spark);
}
