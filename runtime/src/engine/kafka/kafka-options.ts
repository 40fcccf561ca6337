/**
 * Kafka source option rules with Spark's messages (KafkaSourceProvider): required options, forbidden
 * consumer parameters, starting offsets and rate limits. Option names are case-insensitive.
 */
import { IllegalArgumentException } from '../errors.js';
import { triggerIntervalMillis } from '../time.js';

/** Which partitions to read. */
export type KafkaSubscription =
  | { readonly kind: 'subscribe'; readonly topics: readonly string[] }
  | { readonly kind: 'subscribePattern'; readonly pattern: string }
  | { readonly kind: 'assign'; readonly partitions: Readonly<Record<string, readonly number[]>> };

/** Where a fresh query starts: earliest, latest, or per partition (-2 earliest, -1 latest). */
export type StartingOffsets = 'earliest' | 'latest' | { readonly [topic: string]: { readonly [partition: string]: number } };

/** Parsed Kafka source options. */
export interface KafkaSourceOptions {
  readonly bootstrapServers: string;
  readonly subscription: KafkaSubscription;
  readonly startingOffsets: StartingOffsets;
  readonly maxOffsetsPerTrigger?: number;
  readonly minOffsetsPerTrigger?: number;
  readonly maxTriggerDelayMs: number;
  readonly failOnDataLoss: boolean;
  readonly includeHeaders: boolean;
  /** `kafka.*` options with the prefix removed, for the client. */
  readonly kafkaParams: Readonly<Record<string, string>>;
}

function lower(options: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(options)) out[k.toLowerCase()] = v;
  return out;
}

function bad(message: string): IllegalArgumentException {
  return new IllegalArgumentException(message, { code: 'KAFKA_INVALID_OPTION' });
}

/** Kafka parameters Spark refuses, with its reasons (shared by source and sink). */
export function checkForbiddenKafkaParams(options: Readonly<Record<string, string>>, forSink: boolean): void {
  const o = lower(options);
  if (!forSink) {
    if (o['kafka.auto.offset.reset'] !== undefined) throw bad("Kafka option 'auto.offset.reset' is not supported. Instead set the source option 'startingoffsets' to 'earliest' or 'latest' to specify where to start. Structured Streaming manages which offsets are consumed internally, rather than relying on the kafkaConsumer. This will ensure that no data is missed when new topics/partitions are dynamically subscribed. Note that 'startingoffsets' only applies when a new Streaming query is started, and that resuming will always pick up from where the query left off. See the docs for more details.");
    if (o['kafka.key.deserializer'] !== undefined) throw bad("Kafka option 'key.deserializer' is not supported as keys are deserialized as byte arrays with ByteArrayDeserializer. Use DataFrame operations to explicitly deserialize the keys.");
    if (o['kafka.value.deserializer'] !== undefined) throw bad("Kafka option 'value.deserializer' is not supported as values are deserialized as byte arrays with ByteArrayDeserializer. Use DataFrame operations to explicitly deserialize the values.");
    if (o['kafka.enable.auto.commit'] !== undefined) throw bad("Kafka option 'enable.auto.commit' is not supported as offsets are managed internally by Structured Streaming.");
  } else {
    if (o['kafka.key.serializer'] !== undefined) throw bad("Kafka option 'key.serializer' is not supported as keys are serialized with ByteArraySerializer.");
    if (o['kafka.value.serializer'] !== undefined) throw bad("Kafka option 'value.serializer' is not supported as value are serialized with ByteArraySerializer.");
  }
  if (o['kafka.interceptor.classes'] !== undefined) throw bad("Kafka option 'interceptor.classes' is not supported as it may interfere with the Kafka client lifecycle.");
}

function positiveLong(o: Record<string, string>, key: string, name: string): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw bad(`Invalid value '${v}' for option '${name}', must be a positive integer`);
  return n;
}

/** Validates and parses source options (streaming). */
export function parseKafkaSourceOptions(options: Readonly<Record<string, string>>): KafkaSourceOptions {
  const o = lower(options);
  checkForbiddenKafkaParams(options, false);
  const strategies = ['subscribe', 'subscribepattern', 'assign'].filter((k) => o[k] !== undefined);
  if (strategies.length === 0) throw bad('One of the following options must be specified for Kafka source: subscribe, subscribepattern, assign. See the docs for more details.');
  if (strategies.length > 1) throw bad('Only one of the following options can be specified for Kafka source: subscribe, subscribepattern, assign. See the docs for more details.');
  const servers = o['kafka.bootstrap.servers'];
  if (servers === undefined) throw bad("Option 'kafka.bootstrap.servers' must be specified for configuring Kafka consumer");
  let subscription: KafkaSubscription;
  if (strategies[0] === 'subscribe') {
    const topics = o.subscribe.split(',').map((t) => t.trim()).filter((t) => t !== '');
    if (topics.length === 0) throw bad(`No topics to subscribe to as specified value for option 'subscribe' is '${o.subscribe}'`);
    subscription = { kind: 'subscribe', topics };
  } else if (strategies[0] === 'subscribepattern') {
    if (o.subscribepattern.trim() === '') throw bad("Pattern to subscribe is empty as specified value for option 'subscribePattern' is ''");
    subscription = { kind: 'subscribePattern', pattern: o.subscribepattern.trim() };
  } else {
    let parsed: unknown;
    try {
      parsed = JSON.parse(o.assign);
    } catch {
      throw bad(`Expected e.g. {"topicA":[0,1],"topicB":[0,1]}, got ${o.assign}`);
    }
    subscription = { kind: 'assign', partitions: parsed as Record<string, number[]> };
  }
  if (o.endingoffsets !== undefined) throw bad('ending offset not valid in streaming queries');
  let startingOffsets: StartingOffsets = 'latest';
  const so = o.startingoffsets?.trim();
  if (so !== undefined) {
    if (so.toLowerCase() === 'earliest' || so.toLowerCase() === 'latest') startingOffsets = so.toLowerCase() as 'earliest' | 'latest';
    else {
      try {
        startingOffsets = JSON.parse(so) as StartingOffsets;
      } catch {
        throw bad(`Expected e.g. {"topicA":{"0":23,"1":-1},"topicB":{"0":-2}}, got ${so}`);
      }
    }
  }
  const kafkaParams: Record<string, string> = {};
  for (const [k, v] of Object.entries(options)) if (k.toLowerCase().startsWith('kafka.')) kafkaParams[k.slice(6)] = v;
  return {
    bootstrapServers: servers,
    subscription,
    startingOffsets,
    maxOffsetsPerTrigger: positiveLong(o, 'maxoffsetspertrigger', 'maxOffsetsPerTrigger'),
    minOffsetsPerTrigger: positiveLong(o, 'minoffsetspertrigger', 'minOffsetsPerTrigger'),
    maxTriggerDelayMs: o.maxtriggerdelay === undefined ? 15 * 60_000 : triggerIntervalMillis(/^\d+$/.test(o.maxtriggerdelay) ? Number(o.maxtriggerdelay) : o.maxtriggerdelay.replace(/^(\d+)\s*(ms|s|m|h|d)$/, (_, n, u) => `${n} ${({ ms: 'milliseconds', s: 'seconds', m: 'minutes', h: 'hours', d: 'days' } as Record<string, string>)[u]}`)),
    failOnDataLoss: (o.failondataloss ?? 'true').toLowerCase() !== 'false',
    includeHeaders: (o.includeheaders ?? 'false').toLowerCase() === 'true',
    kafkaParams,
  };
}
