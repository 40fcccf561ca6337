// fails: prints-report-once
import { KafkaConsumer, KafkaProducer } from "streamlab";

type Reading = { node_name: string; temperature: number; ts: string };

export async function produceReadings(readings: Reading[]): Promise<void> {
  const producer = new KafkaProducer({ bootstrap_servers: "localhost:9092" });
  for (const r of readings) await producer.send("sensors.temperature", { key: r.node_name, value: JSON.stringify(r) });
  await producer.flush();
}

// Auto-commit off and no commit: the group reads everything again next time.
export async function printReport(groupId: string): Promise<void> {
  const consumer = new KafkaConsumer(["report"], { group_id: groupId, auto_offset_reset: "earliest", enable_auto_commit: false, consumer_timeout_ms: 500 });
  for await (const msg of consumer) console.log(`${msg.topic}:${msg.partition}:${msg.offset}: key=${msg.key} value=${msg.value}`);
  await consumer.close();
}
