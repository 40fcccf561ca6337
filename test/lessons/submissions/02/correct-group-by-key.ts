import { KafkaProducer, KafkaUtils, SparkSession, StreamingContext } from "streamlab";

interface Reading { node_name: string; temperature: number; ts: string }

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function temperatures(ssc: StreamingContext) {
  return KafkaUtils.createDirectStream(ssc, ["sensors.temperature"], { "metadata.broker.list": "localhost:9092", "auto.offset.reset": "earliest" })
    .map(([, value]) => JSON.parse(value) as Reading)
    .map((r): [string, number] => [r.node_name, r.temperature]);
}

// groupByKey and an average of the list, instead of sums and counts.
export function temperatureJob(ssc: StreamingContext): void {
  const producer = new KafkaProducer({ bootstrap_servers: "localhost:9092" });
  temperatures(ssc)
    .groupByKey()
    .mapValues((ts) => mean([...ts]))
    .foreachRDD((rdd) => {
      for (const [node, avg] of rdd.collect()) {
        void producer.send("report", { key: node, value: "Node Name: " + node + ", Average Temp: " + Math.round(avg * 100) / 100 + " for window of 10 seconds" });
      }
    });
}

// The minute's readings with window(), then grouped per sensor.
export function minuteReport(ssc: StreamingContext): void {
  const producer = new KafkaProducer({ bootstrap_servers: "localhost:9092" });
  temperatures(ssc)
    .window(60, 60)
    .groupByKey()
    .mapValues((ts) => mean([...ts]))
    .foreachRDD((rdd) => {
      for (const [node, avg] of rdd.collect()) {
        void producer.send("report", { key: node, value: "Node Name: " + node + ", Average Temp: " + Math.round(avg * 100) / 100 + " for window of 60 seconds" });
      }
    });
}

// The inverse function, then a filter after the window instead of the filter argument.
export function slidingAverages(ssc: StreamingContext): void {
  ssc.checkpoint("cp");
  const t = temperatures(ssc);
  t.mapValues((x): [number, number] => [x, 1])
    .reduceByKeyAndWindow((a, b) => [a[0] + b[0], a[1] + b[1]], (a, b) => [a[0] - b[0], a[1] - b[1]], 60, 10)
    .filter(([, [, n]]) => n > 0)
    .mapValues(([s, n]) => Math.round((s / n) * 100) / 100)
    .pprint();
  t.countByWindow(60, 10).pprint();
}

export function main(): void {
  const spark = SparkSession.builder.appName("temperature").getOrCreate();
  const ssc = new StreamingContext(spark.sparkContext, 10, { clock: spark.clock });
  temperatureJob(ssc);
  minuteReport(ssc);
  slidingAverages(ssc);
  ssc.start();
}
