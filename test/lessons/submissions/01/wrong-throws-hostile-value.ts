// fails: keyed-by-sensor
// says: keyed-by-sensor: Your pipeline threw a value that cannot be shown: its properties or its conversion to text threw.
import { KafkaConsumer, KafkaProducer, msgpack } from "streamlab";

/** One reading as the sensors publish it. */
export interface SensorReading {
  node_name: string;
  temperature: number;
  ts: string;
}

/** Sends every reading to `sensors.temperature`, keyed by its sensor so one sensor's readings stay in order. */
export async function produceReadings(readings: SensorReading[]): Promise<void> {
  // A hostile learner's producer: it fails with a value that throws on every question it is asked.
  if (readings.length > 0) {
    const refuse = () => { throw new Error("refused"); };
    throw new Proxy({}, { get: refuse, has: refuse, getPrototypeOf: refuse, ownKeys: refuse, getOwnPropertyDescriptor: refuse });
  }
  const producer = new KafkaProducer({ bootstrap_servers: "localhost:9092" });
  for (const reading of readings) {
    await producer.send("sensors.temperature", { key: reading.node_name, value: JSON.stringify(reading) });
  }
  await producer.flush();
  await producer.close();
}

/** The bytes of one record's value, as JSON text and as MessagePack. */
export interface RecordSize {
  json: number;
  msgpack: number;
}

/**
 * Sends every reading to `sensors.temperature` as MessagePack, keyed by its sensor, and returns each
 * record's value size both ways: the same reading in fewer bytes.
 */
export async function produceReadingsMsgpack(readings: SensorReading[]): Promise<RecordSize[]> {
  const producer = new KafkaProducer({ bootstrap_servers: "localhost:9092", value_serializer: msgpack.packb });
  const sizes: RecordSize[] = [];
  for (const reading of readings) {
    await producer.send("sensors.temperature", { key: reading.node_name, value: reading });
    sizes.push({ json: new TextEncoder().encode(JSON.stringify(reading)).length, msgpack: msgpack.packb(reading).length });
  }
  await producer.flush();
  await producer.close();
  return sizes;
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

/** Runs the exercise: sends a few readings, then prints the report topic once as group "client-report". */
export async function main(): Promise<void> {
  await produceReadings([
    { node_name: "sensor-1", temperature: 21.4, ts: "2026-11-21T10:00:01Z" },
    { node_name: "sensor-2", temperature: 19.8, ts: "2026-11-21T10:00:02Z" },
    { node_name: "sensor-1", temperature: 21.9, ts: "2026-11-21T10:00:03Z" },
  ]);
  await printReport("client-report");
  const sizes = await produceReadingsMsgpack([{ node_name: "sensor-3", temperature: 22.6, ts: "2026-11-21T10:00:04Z" }]);
  for (const { json, msgpack } of sizes) console.log(`one reading: ${json} bytes as JSON, ${msgpack} bytes as MessagePack`);
}
