import { KafkaConsumer, KafkaProducer } from "streamlab";

/** One reading as the sensors publish it. */
export interface SensorReading {
  node_name: string;
  temperature: number;
  ts: string;
}

/** Sends every reading to `sensors.temperature`, keyed by its sensor so one sensor's readings stay in order. */
export async function produceReadings(readings: SensorReading[]): Promise<void> {
  const producer = new KafkaProducer({ bootstrap_servers: "localhost:9092" });
  for (const reading of readings) {
    await producer.send("sensors.temperature", { key: reading.node_name, value: JSON.stringify(reading) });
  }
  await producer.flush();
  await producer.close();
}

/** Prints every message of `report` like the tutorial's client-report, as a member of `groupId`. */
export async function printReport(groupId: string): Promise<void> {
  const consumer = new KafkaConsumer(["report"], {
    bootstrap_servers: "localhost:9092",
    group_id: groupId,
    auto_offset_reset: "earliest",
    enable_auto_commit: true,
    consumer_timeout_ms: 500,
  });
  for await (const msg of consumer) {
    console.log(`${msg.topic}:${msg.partition}:${msg.offset}: key=${msg.key} value=${msg.value}`);
  }
  await consumer.close();
}
