import { KafkaConsumer, KafkaProducer, msgpack } from "streamlab";

interface SensorReading {
  node_name: string;
  temperature: number;
  ts: string;
}

// Serializers on the producer, so send() takes the reading itself.
export async function produceReadings(readings: SensorReading[]): Promise<void> {
  const producer = new KafkaProducer({
    bootstrap_servers: ["localhost:9092"],
    key_serializer: (k) => String(k),
    value_serializer: (v) => JSON.stringify(v),
  });
  await Promise.all(readings.map((r) => producer.send("sensors.temperature", { key: r.node_name, value: r })));
  await producer.flush();
}

// poll() until nothing comes, committing by hand.
export async function printReport(groupId: string): Promise<void> {
  const consumer = new KafkaConsumer("report", {
    bootstrap_servers: "localhost:9092",
    group_id: groupId,
    auto_offset_reset: "earliest",
    enable_auto_commit: false,
  });
  for (;;) {
    const batch = await consumer.poll({ timeout_ms: 500 });
    const records = Object.values(batch).flat();
    if (records.length === 0) break;
    for (const m of records) {
      console.log(m.topic + ":" + m.partition + ":" + m.offset + ": key=" + m.key + " value=" + m.value);
    }
    await consumer.commit();
  }
  await consumer.close();
}

// A serializer for the key too, and the record built field by field.
export async function produceReadingsMsgpack(readings: SensorReading[]): Promise<Array<{ json: number; msgpack: number }>> {
  const producer = new KafkaProducer({
    bootstrap_servers: "localhost:9092",
    key_serializer: (k: unknown) => String(k),
    value_serializer: (v: unknown) => msgpack.packb(v),
  });
  const out: Array<{ json: number; msgpack: number }> = [];
  for (const { node_name, temperature, ts } of readings) {
    const reading = { node_name, temperature, ts };
    await producer.send("sensors.temperature", { key: node_name, value: reading });
    out.push({ json: new TextEncoder().encode(JSON.stringify(reading)).length, msgpack: msgpack.packb(reading).length });
  }
  await producer.flush();
  return out;
}
