import { KafkaProducer, KafkaUtils, SparkSession, StreamingContext } from "streamlab";

/** One reading as the sensors publish it. */
interface Reading {
  node_name: string;
  temperature: number;
  ts: string;
}

/**
 * The tutorial's job: every batch, the average temperature per sensor of the readings that arrived in
 * that batch, sent to `report` as one message per sensor.
 */
export function temperatureJob(ssc: StreamingContext): void {
  const producer = new KafkaProducer({ bootstrap_servers: "localhost:9092" });
  const batchSeconds = ssc.batchDurationMs / 1000;

  const readings = KafkaUtils.createDirectStream(ssc, ["sensors.temperature"], {
    "metadata.broker.list": "localhost:9092",
    "auto.offset.reset": "earliest",
  }).map(([, value]) => JSON.parse(value) as Reading);

  const averages = readings
    .map((r): [string, [number, number]] => [r.node_name, [r.temperature, 1]])
    .reduceByKey(([sum1, n1], [sum2, n2]) => [sum1 + sum2, n1 + n2])
    .mapValues(([sum, n]) => sum / n);

  averages.foreachRDD((rdd) => {
    for (const [node, avg] of rdd.collect()) {
      const rounded = Math.round(avg * 100) / 100;
      void producer.send("report", {
        key: node,
        value: `Node Name: ${node}, Average Temp: ${rounded} for window of ${batchSeconds} seconds`,
      });
    }
  });
}

/** Runs the job: 10-second batches on the run's clock. */
export function main(): void {
  const spark = SparkSession.builder.appName("temperature-dstream").getOrCreate();
  const ssc = new StreamingContext(spark.sparkContext, 10, { clock: spark.clock });
  temperatureJob(ssc);
  ssc.start();
}
