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

/** The bytes of one record's value, as JSON text and as MessagePack. */
export interface RecordSize {
  json: number;
  msgpack: number;
}

/**
 * Sends every reading to `sensors.temperature`, keyed by its sensor, and returns each record's value
 * size as JSON and as MessagePack.
 * TODO: the values still go out as JSON text. Send them as MessagePack: import `msgpack` from
 * "streamlab", give the producer `value_serializer: msgpack.packb`, send the reading itself, and
 * measure `msgpack.packb(reading)`.
 */
export async function produceReadingsMsgpack(readings: SensorReading[]): Promise<RecordSize[]> {
  const producer = new KafkaProducer({ bootstrap_servers: "localhost:9092" });
  const sizes: RecordSize[] = [];
  for (const reading of readings) {
    const value = JSON.stringify(reading);
    await producer.send("sensors.temperature", { key: reading.node_name, value });
    sizes.push({ json: new TextEncoder().encode(value).length, msgpack: new TextEncoder().encode(value).length });
  }
  await producer.flush();
  await producer.close();
  return sizes;
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

/** Runs the exercise: sends a few readings, then prints the report topic once as group "client-report". */
export async function main(): Promise<void> {
  await produceReadings([
    { node_name: "sensor-1", temperature: 21.4, ts: "2026-11-21T10:00:01Z" },
    { node_name: "sensor-2", temperature: 19.8, ts: "2026-11-21T10:00:02Z" },
    { node_name: "sensor-1", temperature: 21.9, ts: "2026-11-21T10:00:03Z" },
  ]);
  await printReport("client-report");
  // Once produceReadingsMsgpack sends MessagePack: call it here and print the sizes it returns.
}
