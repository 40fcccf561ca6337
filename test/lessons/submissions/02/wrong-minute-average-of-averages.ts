// fails: minute-window
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

/** Adds two `[sum, count]` pairs. */
const add = ([sum1, n1]: [number, number], [sum2, n2]: [number, number]): [number, number] => [sum1 + sum2, n1 + n2];

/** Takes the `[sum, count]` of the batches that left the window out again. */
const subtract = ([sum1, n1]: [number, number], [sum2, n2]: [number, number]): [number, number] => [sum1 - sum2, n1 - n2];

/** One `report` message per sensor: `Node Name: sensor-1, Average Temp: 21.17 for window of 10 seconds`. */
function sendAverages(producer: KafkaProducer, averages: [string, number][], windowSeconds: number): void {
  for (const [node, avg] of averages) {
    const rounded = Math.round(avg * 100) / 100;
    void producer.send("report", {
      key: node,
      value: `Node Name: ${node}, Average Temp: ${rounded} for window of ${windowSeconds} seconds`,
    });
  }
}

/**
 * The tutorial's job: every batch, the average temperature per sensor of the readings that arrived in
 * that batch, sent to `report` as one message per sensor.
 */
export function temperatureJob(ssc: StreamingContext): void {
  const producer = new KafkaProducer({ bootstrap_servers: "localhost:9092" });
  const batchSeconds = ssc.batchDurationMs / 1000;

  const averages = readingsOf(ssc)
    .map((r): [string, [number, number]] => [r.node_name, [r.temperature, 1]])
    .reduceByKey(([sum1, n1], [sum2, n2]) => [sum1 + sum2, n1 + n2])
    .mapValues(([sum, n]) => sum / n);

  averages.foreachRDD((rdd) => sendAverages(producer, rdd.collect(), batchSeconds));
}

/**
 * The tutorial's fixed one-minute window over 10-second batches: once a minute, each sensor's average
 * over the six batches of that minute, sent to `report`.
 */
export function minuteReport(ssc: StreamingContext): void {
  const producer = new KafkaProducer({ bootstrap_servers: "localhost:9092" });

  // Each batch's average per sensor, then the average of those averages over the minute.
  const averages = readingsOf(ssc)
    .map((r): [string, [number, number]] => [r.node_name, [r.temperature, 1]])
    .reduceByKey(add)
    .mapValues(([sum, n]): [number, number] => [sum / n, 1])
    .reduceByKeyAndWindow(add, null, 60, 60)
    .mapValues(([sum, n]) => sum / n);

  averages.foreachRDD((rdd) => sendAverages(producer, rdd.collect(), 60));
}

/**
 * Every 10 seconds, each sensor's average over the last minute, kept up to date with an inverse
 * function (add the batch that entered, subtract the one that left), and how many readings the last
 * minute held. Both print with `pprint`.
 */
export function slidingAverages(ssc: StreamingContext): void {
  // Windowed state with an inverse function is checkpointed.
  ssc.checkpoint("checkpoints/temperature");
  const readings = readingsOf(ssc);

  readings
    .map((r): [string, [number, number]] => [r.node_name, [r.temperature, 1]])
    // A sensor whose readings all left the window keeps [0, 0] unless it is filtered out.
    .reduceByKeyAndWindow(add, subtract, 60, 10, undefined, ([, [, n]]) => n > 0)
    .mapValues(([sum, n]) => Math.round((sum / n) * 100) / 100)
    .pprint();

  readings.countByWindow(60, 10).pprint();
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
