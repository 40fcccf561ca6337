import { KafkaProducer, KafkaUtils, SparkSession, StreamingContext } from "streamlab";

type Reading = { node_name: string; temperature: number; ts: string };
type SumCount = [number, number];

const plus = (a: SumCount, b: SumCount): SumCount => [a[0] + b[0], a[1] + b[1]];
const minus = (a: SumCount, b: SumCount): SumCount => [a[0] - b[0], a[1] - b[1]];

function pairs(ssc: StreamingContext) {
  return KafkaUtils.createDirectStream(ssc, ["sensors.temperature"], { "metadata.broker.list": "localhost:9092" })
    .map(([, v]) => JSON.parse(v) as Reading)
    .map((r): [string, SumCount] => [r.node_name, [r.temperature, 1]]);
}

function send(producer: KafkaProducer, node: string, [sum, n]: SumCount, seconds: number): void {
  void producer.send("report", { key: node, value: `Node Name: ${node}, Average Temp: ${(sum / n).toFixed(2)} for window of ${seconds} seconds` });
}

export function temperatureJob(ssc: StreamingContext): void {
  const producer = new KafkaProducer({ bootstrap_servers: "localhost:9092" });
  pairs(ssc).reduceByKey(plus).foreachRDD((rdd) => {
    rdd.collect().forEach(([node, sc]) => send(producer, node, sc, 10));
  });
}

// The minute window with an inverse function too, and a filter so sensors that left are not reported.
export function minuteReport(ssc: StreamingContext): void {
  ssc.checkpoint("checkpoint-minute");
  const producer = new KafkaProducer({ bootstrap_servers: "localhost:9092" });
  pairs(ssc)
    .reduceByKeyAndWindow(plus, minus, 60, 60, undefined, ([, [, n]]) => n > 0)
    .foreachRDD((rdd) => {
      for (const [node, sc] of rdd.collect()) send(producer, node, sc, 60);
    });
}

// A plain window, then reduceByKey; the count from the same window.
export function slidingAverages(ssc: StreamingContext): void {
  const lastMinute = KafkaUtils.createDirectStream(ssc, ["sensors.temperature"], { "metadata.broker.list": "localhost:9092" })
    .map(([, v]) => JSON.parse(v) as Reading)
    .window(60, 10);
  lastMinute
    .map((r): [string, SumCount] => [r.node_name, [r.temperature, 1]])
    .reduceByKey(plus)
    .map(([node, [sum, n]]): [string, number] => [node, Math.round((sum / n) * 100) / 100])
    .pprint();
  lastMinute.count().pprint();
}

export function main(): void {
  const spark = SparkSession.builder.appName("temperature").getOrCreate();
  const ssc = new StreamingContext(spark.sparkContext, 10, { clock: spark.clock });
  temperatureJob(ssc);
  ssc.start();
}
