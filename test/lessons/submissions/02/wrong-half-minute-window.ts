// fails: sliding-window, window-count
import { KafkaProducer, KafkaUtils, SparkSession, StreamingContext } from "streamlab";

interface Reading { node_name: string; temperature: number; ts: string }
type SC = [number, number];
const add = (a: SC, b: SC): SC => [a[0] + b[0], a[1] + b[1]];
const sub = (a: SC, b: SC): SC => [a[0] - b[0], a[1] - b[1]];

function pairs(ssc: StreamingContext) {
  return KafkaUtils.createDirectStream(ssc, ["sensors.temperature"], { "metadata.broker.list": "localhost:9092" })
    .map(([, v]) => JSON.parse(v) as Reading)
    .map((r): [string, SC] => [r.node_name, [r.temperature, 1]]);
}

function report(averages: ReturnType<typeof pairs>, seconds: number): void {
  const producer = new KafkaProducer({ bootstrap_servers: "localhost:9092" });
  averages.foreachRDD((rdd) => {
    for (const [node, [s, n]] of rdd.collect()) void producer.send("report", { key: node, value: `Node Name: ${node}, Average Temp: ${Math.round((s / n) * 100) / 100} for window of ${seconds} seconds` });
  });
}

export function temperatureJob(ssc: StreamingContext): void {
  report(pairs(ssc).reduceByKey(add), 10);
}

export function minuteReport(ssc: StreamingContext): void {
  report(pairs(ssc).reduceByKeyAndWindow(add, null, 60, 60), 60);
}

// Window lengths in the wrong unit: 30 seconds instead of a minute.
export function slidingAverages(ssc: StreamingContext): void {
  ssc.checkpoint("cp");
  pairs(ssc).reduceByKeyAndWindow(add, sub, 30, 10, undefined, ([, [, n]]) => n > 0).mapValues(([s, n]) => Math.round((s / n) * 100) / 100).pprint();
  pairs(ssc).countByWindow(30, 10).pprint();
}

export function main(): void {
  const spark = SparkSession.builder.appName("t").getOrCreate();
  const ssc = new StreamingContext(spark.sparkContext, 10, { clock: spark.clock });
  temperatureJob(ssc);
  ssc.start();
}
