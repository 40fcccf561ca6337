import { KafkaConsumer, KafkaProducer } from "streamlab";

/** One reading as the sensors publish it. */
export interface SensorReading {
  node_name: string;
  temperature: number;
  ts: string;
}

/**
 * Sends every reading to `sensors.temperature`.
 * TODO: without a key the producer spreads one sensor's readings over every partition, so nobody can
 * read them in order. Key each record by its sensor.
 */
export async function produceReadings(readings: SensorReading[]): Promise<void> {
  const producer = new KafkaProducer({ bootstrap_servers: "localhost:9092" });
  for (const reading of readings) {
    await producer.send("sensors.temperature", { value: JSON.stringify(reading) });
  }
  await producer.flush();
  await producer.close();
}

/**
 * Prints every message of `report` as `topic:partition:offset: key=… value=…`.
 * TODO: a new group starts at the *end* of the topic by default (`latest`), so this prints nothing that
 * was sent before it started. Make a new group start from the earliest offset.
 */
export async function printReport(groupId: string): Promise<void> {
  const consumer = new KafkaConsumer(["report"], {
    bootstrap_servers: "localhost:9092",
    group_id: groupId,
    consumer_timeout_ms: 500,
  });
  for await (const msg of consumer) {
    console.log(`${msg.topic}:${msg.partition}:${msg.offset}: key=${msg.key} value=${msg.value}`);
  }
  await consumer.close();
}
