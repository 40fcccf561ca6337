// fails: second-group
import { KafkaConsumer, KafkaProducer, msgpack } from "streamlab";

type Reading = { node_name: string; temperature: number; ts: string };

export async function produceReadings(readings: Reading[]): Promise<void> {
  const producer = new KafkaProducer({ bootstrap_servers: "localhost:9092" });
  for (const r of readings) await producer.send("sensors.temperature", { key: r.node_name, value: JSON.stringify(r) });
  await producer.flush();
}

// The group id is ignored: every call joins "client-report".
export async function printReport(_groupId: string): Promise<void> {
  const consumer = new KafkaConsumer(["report"], { group_id: "client-report", auto_offset_reset: "earliest", consumer_timeout_ms: 500 });
  for await (const msg of consumer) console.log(`${msg.topic}:${msg.partition}:${msg.offset}: key=${msg.key} value=${msg.value}`);
  await consumer.close();
}

/** The readings as MessagePack, keyed by sensor, with each value's size as JSON and as MessagePack. */
export async function produceReadingsMsgpack(readings: Reading[]): Promise<{ json: number; msgpack: number }[]> {
  const producer = new KafkaProducer({ bootstrap_servers: "localhost:9092", value_serializer: msgpack.packb });
  for (const r of readings) await producer.send("sensors.temperature", { key: r.node_name, value: r });
  await producer.flush();
  await producer.close();
  return readings.map((r) => ({ json: new TextEncoder().encode(JSON.stringify(r)).length, msgpack: msgpack.packb(r).length }));
}
