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
 *
 * TODO: this forwards every single reading. Average them per sensor first (map to
 * `[node_name, [temperature, 1]]`, `reduceByKey`, divide), then send one message per sensor:
 * `Node Name: sensor-1, Average Temp: 21.17 for window of 10 seconds`.
 */
export function temperatureJob(ssc: StreamingContext): void {
  const producer = new KafkaProducer({ bootstrap_servers: "localhost:9092" });

  const readings = KafkaUtils.createDirectStream(ssc, ["sensors.temperature"], {
    "metadata.broker.list": "localhost:9092",
    "auto.offset.reset": "earliest",
  }).map(([, value]) => JSON.parse(value) as Reading);

  readings.foreachRDD((rdd) => {
    for (const r of rdd.collect()) {
      void producer.send("report", { key: r.node_name, value: `Node Name: ${r.node_name}, Temp: ${r.temperature}` });
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
