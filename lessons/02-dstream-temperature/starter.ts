import { KafkaProducer, KafkaUtils, SparkSession, StreamingContext, type DStream } from "streamlab";

/** One reading as the sensors publish it. */
interface Reading {
  node_name: string;
  temperature: number;
  ts: string;
}

/** The readings of `sensors.temperature`, one RDD per batch of what arrived in it. */
function readingsOf(ssc: StreamingContext): DStream<Reading> {
  return KafkaUtils.createDirectStream(ssc, ["sensors.temperature"], {
    "metadata.broker.list": "localhost:9092",
    "auto.offset.reset": "earliest",
  }).map(([, value]) => JSON.parse(value) as Reading);
}

/**
 * The tutorial's job: every batch, the average temperature per sensor of the readings that arrived in
 * that batch, sent to `report` as one message per sensor.
 *
 * TODO: this forwards every single reading. Average them per sensor first (map to
 * `[node_name, [temperature, 1]]`, `reduceByKey`, divide), then send one message per sensor:
 * `Node Name: sensor-1, Average Temp: 21.17 for window of 10 seconds`.
 */
export function temperatureJob(ssc: StreamingContext): void {
  const producer = new KafkaProducer({ bootstrap_servers: "localhost:9092" });

  readingsOf(ssc).foreachRDD((rdd) => {
    for (const r of rdd.collect()) {
      void producer.send("report", { key: r.node_name, value: `Node Name: ${r.node_name}, Temp: ${r.temperature}` });
    }
  });
}

/**
 * The tutorial's fixed one-minute window: once a minute, each sensor's average over that minute.
 *
 * TODO: a window given only its length slides by one batch, so this reports the last minute every 10
 * seconds. Give `reduceByKeyAndWindow` a slide of 60 seconds too, so each minute is reported once.
 */
export function minuteReport(ssc: StreamingContext): void {
  const producer = new KafkaProducer({ bootstrap_servers: "localhost:9092" });

  const averages = readingsOf(ssc)
    .map((r): [string, [number, number]] => [r.node_name, [r.temperature, 1]])
    .reduceByKeyAndWindow(([sum1, n1], [sum2, n2]) => [sum1 + sum2, n1 + n2], null, 60)
    .mapValues(([sum, n]) => sum / n);

  averages.foreachRDD((rdd) => {
    for (const [node, avg] of rdd.collect()) {
      const rounded = Math.round(avg * 100) / 100;
      void producer.send("report", { key: node, value: `Node Name: ${node}, Average Temp: ${rounded} for window of 60 seconds` });
    }
  });
}

/**
 * Every 10 seconds, each sensor's average over the last minute, and how many readings that minute held.
 *
 * TODO: with an inverse function Spark updates the previous window instead of recomputing it, so a
 * sensor whose readings all left the window stays as `[0, 0]` (an average of `nan`): pass a filter
 * function that drops it. And `count()` counts one batch: count the whole window with
 * `countByWindow(60, 10)`.
 */
export function slidingAverages(ssc: StreamingContext): void {
  // Windowed state with an inverse function is checkpointed; without this line Spark refuses to start.
  ssc.checkpoint("checkpoints/temperature");
  const readings = readingsOf(ssc);

  readings
    .map((r): [string, [number, number]] => [r.node_name, [r.temperature, 1]])
    .reduceByKeyAndWindow(([sum1, n1], [sum2, n2]) => [sum1 + sum2, n1 + n2], ([sum1, n1], [sum2, n2]) => [sum1 - sum2, n1 - n2], 60, 10)
    .mapValues(([sum, n]) => Math.round((sum / n) * 100) / 100)
    .pprint();

  readings.count().pprint();
}

/** Runs the jobs: 10-second batches on the run's clock. */
export function main(): void {
  const spark = SparkSession.builder.appName("temperature-dstream").getOrCreate();
  const ssc = new StreamingContext(spark.sparkContext, 10, { clock: spark.clock });
  temperatureJob(ssc);
  minuteReport(ssc);
  slidingAverages(ssc);
  ssc.start();
}
