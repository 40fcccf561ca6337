/**
 * Pekko Connectors Kafka's `ConsumerSettings`, `Subscriptions` and deserializers.
 *
 *   const settings = ConsumerSettings.create(system, new StringDeserializer(), new StringDeserializer())
 *     .withBootstrapServers("localhost:9092")
 *     .withGroupId("locations-flow")
 *     .withProperty("auto.offset.reset", "earliest");
 *
 * Settings are immutable: every `with…` returns a copy. In the workbench the runtime's Kafka is used
 * whatever bootstrap servers the code names (as for Spark's Kafka source).
 */
import type { ActorSystem } from '../actor-system.js';
import { durationMs, type FlowDuration } from '../duration.js';

/** Turns a record's key or value bytes into a value (Kafka's `Deserializer`). */
export interface Deserializer<T> {
  deserialize(topic: string, data: Uint8Array): T;
}

const utf8 = new TextDecoder();

/** Kafka's `StringDeserializer` (UTF-8). */
export class StringDeserializer implements Deserializer<string> {
  deserialize(_topic: string, data: Uint8Array): string {
    return utf8.decode(data);
  }
}

/** Kafka's `ByteArrayDeserializer`. */
export class ByteArrayDeserializer implements Deserializer<Uint8Array> {
  deserialize(_topic: string, data: Uint8Array): Uint8Array {
    return data;
  }
}

type DeserializerLike<T> = Deserializer<T> | ((data: Uint8Array) => T);

function asDeserializer<T>(d: DeserializerLike<T>, what: string): Deserializer<T> {
  if (typeof d === 'function') return { deserialize: (_t, data) => d(data) };
  if (d && typeof (d as Deserializer<T>).deserialize === 'function') return d as Deserializer<T>;
  throw new TypeError(`ConsumerSettings: the ${what} deserializer must be a Deserializer (new StringDeserializer()) or a function of the bytes`);
}

interface SettingsFields<K, V> {
  keyDeserializer: Deserializer<K>;
  valueDeserializer: Deserializer<V>;
  properties: Readonly<Record<string, string>>;
  pollIntervalMs: number;
  pollTimeoutMs: number;
}

/** Pekko Connectors' `ConsumerSettings`. */
export class ConsumerSettings<K, V> {
  private constructor(private readonly fields: SettingsFields<K, V>) {}

  /** Settings for a system with key and value deserializers (Java's `ConsumerSettings.create`). */
  static create<K, V>(_system: ActorSystem | undefined, keyDeserializer: DeserializerLike<K>, valueDeserializer: DeserializerLike<V>): ConsumerSettings<K, V> {
    return new ConsumerSettings<K, V>({
      keyDeserializer: asDeserializer(keyDeserializer, 'key'),
      valueDeserializer: asDeserializer(valueDeserializer, 'value'),
      properties: { 'enable.auto.commit': 'false', 'auto.offset.reset': 'latest', 'max.poll.records': '500' },
      pollIntervalMs: 50,
      pollTimeoutMs: 50,
    });
  }

  /** Scala's `ConsumerSettings(system, keyDeserializer, valueDeserializer)`. */
  static apply<K, V>(system: ActorSystem | undefined, keyDeserializer: DeserializerLike<K>, valueDeserializer: DeserializerLike<V>): ConsumerSettings<K, V> {
    return ConsumerSettings.create(system, keyDeserializer, valueDeserializer);
  }

  private with(patch: Partial<SettingsFields<K, V>>): ConsumerSettings<K, V> {
    return new ConsumerSettings<K, V>({ ...this.fields, ...patch });
  }

  /** A Kafka consumer property (`auto.offset.reset`, `max.poll.records`, `group.id`, ...). */
  withProperty(key: string, value: string): ConsumerSettings<K, V> {
    return this.with({ properties: { ...this.fields.properties, [key]: String(value) } });
  }

  /** Several properties. */
  withProperties(properties: Readonly<Record<string, string>>): ConsumerSettings<K, V> {
    return this.with({ properties: { ...this.fields.properties, ...Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, String(v)])) } });
  }

  withBootstrapServers(servers: string): ConsumerSettings<K, V> {
    return this.withProperty('bootstrap.servers', servers);
  }

  withGroupId(groupId: string): ConsumerSettings<K, V> {
    return this.withProperty('group.id', groupId);
  }

  withClientId(clientId: string): ConsumerSettings<K, V> {
    return this.withProperty('client.id', clientId);
  }

  /** How often the source asks Kafka for records while it has demand (default 50 ms). */
  withPollInterval(d: FlowDuration): ConsumerSettings<K, V> {
    return this.with({ pollIntervalMs: durationMs(d, 'withPollInterval') });
  }

  /** How long one poll may wait for records (default 50 ms). */
  withPollTimeout(d: FlowDuration): ConsumerSettings<K, V> {
    return this.with({ pollTimeoutMs: durationMs(d, 'withPollTimeout') });
  }

  /** A property, if set. */
  getProperty(key: string): string | undefined {
    return this.fields.properties[key];
  }

  /** @internal */
  get keyDeserializer(): Deserializer<K> {
    return this.fields.keyDeserializer;
  }
  /** @internal */
  get valueDeserializer(): Deserializer<V> {
    return this.fields.valueDeserializer;
  }
  /** @internal */
  get pollIntervalMs(): number {
    return this.fields.pollIntervalMs;
  }
  /** @internal */
  get pollTimeoutMs(): number {
    return this.fields.pollTimeoutMs;
  }
  /** @internal */
  get properties(): Readonly<Record<string, string>> {
    return this.fields.properties;
  }
}

/** What a consumer source reads. */
export interface Subscription {
  readonly topics: readonly string[];
}

/** Pekko Connectors' `Subscriptions`. */
export const Subscriptions = Object.freeze({
  /** Subscribes to topics as a member of the settings' consumer group. */
  topics(...topics: Array<string | readonly string[]>): Subscription {
    const list = topics.flat();
    if (list.length === 0 || list.some((t) => typeof t !== 'string' || t === '')) throw new TypeError('Subscriptions.topics: expected one or more topic names');
    return Object.freeze({ topics: Object.freeze([...list]) });
  },
});
