// fails: keyed-by-sensor, prints-report-once, second-group
import { KafkaConsumer, KafkaProducer } from "streamlab";

type Reading = { node_name: string; temperature: number; ts: string };

// The value as CSV, not the JSON reading.
export async function produceReadings(readings: Reading[]): Promise<void> {
  const producer = new KafkaProducer({ bootstrap_servers: "localhost:9092" });
  for (const r of readings) await producer.send("sensors.temperature", { key: r.node_name, value: `${r.node_name},${r.temperature},${r.ts}` });
  await producer.flush();
}

// Prints without the topic.
export async function printReport(groupId: string): Promise<void> {
  const consumer = new KafkaConsumer(["report"], { group_id: groupId, auto_offset_reset: "earliest", consumer_timeout_ms: 500 });
  for await (const msg of consumer) console.log(`${msg.partition}:${msg.offset}: key=${msg.key} value=${msg.value}`);
  await consumer.close();
}
