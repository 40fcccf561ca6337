import { SparkSession, DataFrame, StreamingQuery, functions as F, SlickSession, sqlu } from "streamlab";

const KAFKA = "localhost:9092";
const PG_URL = "jdbc:postgresql://localhost:5432/streamlab";
const PG_PROPERTIES = { user: "streamlab", password: "streamlab", driver: "org.postgresql.Driver" };

/** One country's counts for one date, as the import job writes them (lake) and announces them (Kafka). */
const REPORT_SCHEMA = "reported DATE, date DATE, country STRING, cases INT, deaths INT";

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

/**
 * Step 1 (batch layer): every report in the lake up to and including `until`, summed per week and country.
 *
 * TODO: this reads the whole lake. The batch view is cut at `until`: the days after it belong to the
 * speed layer, and counting them in both layers counts them twice.
 */
export function batchView(spark: SparkSession, _until: string): DataFrame {
  const reports = spark.read
    .csv("covid", { schema: REPORT_SCHEMA, header: true })
    .withColumn("ts", eventTime());
  return weekly(reports);
}

/**
 * Step 1 (batch layer): per country, how the DAX close moved with the day's cases, on trading days up to `until`.
 *
 * TODO: read the DAX closes (`dax`, schema "date DATE, close DOUBLE"), join them with the reports on
 * their date, keep the days up to `until`, and compute `F.corr("close", "cases")` per country, with
 * the number of trading days as `days`.
 */
export function daxCorrelation(spark: SparkSession, _until: string): DataFrame {
  const reports = spark.read.csv("covid", { schema: REPORT_SCHEMA, header: true });
  return reports
    .groupBy("country")
    .agg(F.lit(null).cast("double").alias("corr"), F.count("*").alias("days"));
}

/** Step 2: the batch view into PostgreSQL, replacing the last one but keeping the table (the serving view reads it). */
export async function writeBatchView(spark: SparkSession, until: string): Promise<void> {
  // TODO: overwrite drops the table and makes it again; the serving view depends on it. Keep the table.
  await batchView(spark, until).write.jdbc(PG_URL, "batch_view", "overwrite", PG_PROPERTIES);
}

/**
 * Step 3 (speed layer): the announced reports, summed per week.
 *
 * TODO: this sums by Kafka's `timestamp`, the time a report was *announced*. Sum by the week of its
 * `date` (event time), declare a 3-day watermark on it, and count a report announced twice once.
 */
export function speedView(spark: SparkSession): DataFrame {
  const reports = spark.readStream
    .format("kafka")
    .option("kafka.bootstrap.servers", KAFKA)
    .option("subscribe", "covid.reports")
    .option("startingOffsets", "earliest")
    .load()
    .select(F.col("timestamp").alias("ts"), F.from_json(F.col("value").cast("string"), REPORT_SCHEMA).alias("r"))
    .select("ts", "r.*");
  return weekly(reports);
}

/**
 * Step 4: the speed view upserted into PostgreSQL by week and country, exactly once per batch.
 *
 * TODO: once speedView has its watermark and dropDuplicates, its state has another shape: give the
 * query a new checkpoint location (`/checkpoints/speed-view-v2`).
 */
export function startSpeedLayer(spark: SparkSession): StreamingQuery {
  return speedView(spark)
    .writeStream.outputMode("update")
    .format("postgres")
    .option("url", PG_URL)
    .option("table", "speed_view")
    .option("primaryKey", "week,country")
    .option("checkpointLocation", "/checkpoints/speed-view-v1")
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
  // TODO: this serves only what the last batch run knew. Add the speed view's weeks after the batch view's last week.
  await db.db.run(sqlu`CREATE OR REPLACE VIEW serving AS
    SELECT week, country, cases, deaths, 'batch' AS layer FROM batch_view`);
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
