import { KafkaConsumer, KafkaProducer, msgpack } from "streamlab";

type Reading = { node_name: string; temperature: number; ts: string };

export async function produceReadings(readings: Reading[]): Promise<void> {
  const producer = new KafkaProducer({ bootstrap_servers: "localhost:9092" });
  for (const { node_name, temperature, ts } of readings) {
    // Same object, keys in another order.
    void producer.send("sensors.temperature", { key: node_name, value: JSON.stringify({ node_name, ts, temperature }) });
  }
  await producer.flush();
  await producer.close();
}

export async function printReport(group_id: string) {
  const consumer = new KafkaConsumer(["report"], { group_id, auto_offset_reset: "earliest", consumer_timeout_ms: 1000 });
  for await (const { topic, partition, offset, key, value } of consumer) {
    // console.log joins its arguments with one space.
    console.log(`${topic}:${partition}:${offset}:`, `key=${key}`, `value=${value}`);
  }
  await consumer.close();
}

// The bytes made by hand, without a serializer; sizes as objects built in one pass.
export async function produceReadingsMsgpack(readings: Reading[]) {
  const producer = new KafkaProducer({ bootstrap_servers: "localhost:9092" });
  const sizes = [];
  for (const reading of readings) {
    const packed = msgpack.encode(reading);
    await producer.send("sensors.temperature", { key: reading.node_name, value: packed });
    sizes.push({ msgpack: packed.byteLength, json: new TextEncoder().encode(JSON.stringify(reading)).byteLength });
  }
  await producer.close();
  return sizes;
}
