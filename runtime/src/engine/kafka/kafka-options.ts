/**
 * Kafka source option rules with Spark's messages (KafkaSourceProvider): required options, forbidden
 * consumer parameters, starting and ending offsets, rate limits. Option names are case-insensitive.
 *
 *   parseKafkaSourceOptions   readStream (validateStreamOptions: no ending offsets)
 *   parseKafkaBatchOptions    spark.read (validateBatchOptions: earliest..latest by default,
 *                             start never latest, end never earliest, rate limits ignored)
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
  /** Spark's warnings about the options (e.g. a custom `kafka.group.id`), logged when the query starts. */
  readonly warnings: readonly string[];
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

/** Where a static read ends: latest, or per partition (-1 latest). */
export type EndingOffsets = 'latest' | { readonly [topic: string]: { readonly [partition: string]: number } };

/** Parsed options of a static (batch) Kafka read. */
export interface KafkaBatchOptions {
  readonly bootstrapServers: string;
  readonly subscription: KafkaSubscription;
  readonly startingOffsets: StartingOffsets;
  readonly endingOffsets: EndingOffsets;
  readonly failOnDataLoss: boolean;
  readonly includeHeaders: boolean;
  /** `kafka.*` options with the prefix removed, for the client. */
  readonly kafkaParams: Readonly<Record<string, string>>;
  /** Spark's warnings for options a batch query ignores (`maxOffsetsPerTrigger`, ...). */
  readonly warnings: readonly string[];
}

/** Spark's warning for `kafka.group.id` (KafkaSourceProvider.CUSTOM_GROUP_ID_ERROR_MESSAGE). */
export const CUSTOM_GROUP_ID_WARNING = "Kafka option 'kafka.group.id' has been set on this query, it is not recommended to set this option. This option is unsafe to use since multiple concurrent queries or sources using the same group id will interfere with each other as they are part of the same consumer group. Restarted queries may also suffer interference from the previous run having the same group id. The user should have only one query per group id, and/or set the option 'kafka.session.timeout.ms' to be very small so that the Kafka consumers from the previous query are marked dead by the Kafka group coordinator before the restarted query starts running.";

/** Subscription, bootstrap servers and the `kafka.*` rules shared by streaming and batch reads. */
function parseGeneral(options: Readonly<Record<string, string>>, o: Record<string, string>): { servers: string; subscription: KafkaSubscription; kafkaParams: Record<string, string>; warnings: string[] } {
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
  const kafkaParams: Record<string, string> = {};
  for (const [k, v] of Object.entries(options)) if (k.toLowerCase().startsWith('kafka.')) kafkaParams[k.slice(6)] = v;
  // Spark allows a custom group id with a warning; this source joins no consumer group at all.
  const warnings: string[] = [];
  if (o['kafka.group.id'] !== undefined) {
    warnings.push(CUSTOM_GROUP_ID_WARNING);
    if (o.groupidprefix !== undefined) warnings.push('Option groupIdPrefix will be ignored as option kafka.group.id has been set.');
  }
  return { servers, subscription, kafkaParams, warnings };
}

/** Spark's getKafkaOffsetRangeLimit: earliest, latest, or per-partition JSON (JsonUtils.partitionOffsets). */
function offsetLimit(value: string | undefined, fallback: 'earliest' | 'latest'): StartingOffsets {
  const v = value?.trim();
  if (v === undefined) return fallback;
  if (v.toLowerCase() === 'earliest' || v.toLowerCase() === 'latest') return v.toLowerCase() as 'earliest' | 'latest';
  const invalid = () => bad(`Expected e.g. {"topicA":{"0":23,"1":-1},"topicB":{"0":-2}}, got ${v}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(v);
  } catch {
    throw invalid();
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalid();
  for (const parts of Object.values(parsed as Record<string, unknown>)) {
    if (parts === null || typeof parts !== 'object' || Array.isArray(parts)) throw invalid();
    for (const [p, off] of Object.entries(parts as Record<string, unknown>)) {
      if (!/^-?\d+$/.test(p) || typeof off !== 'number' || !Number.isInteger(off)) throw invalid();
    }
  }
  return parsed as StartingOffsets;
}

/** Validates and parses source options (streaming). */
export function parseKafkaSourceOptions(options: Readonly<Record<string, string>>): KafkaSourceOptions {
  const o = lower(options);
  // validateStreamOptions: the stream-only checks come before the general ones.
  if (o.endingoffsets !== undefined) throw bad('ending offset not valid in streaming queries');
  if (o.endingoffsetsbytimestamp !== undefined) throw bad('ending timestamp not valid in streaming queries');
  const { servers, subscription, kafkaParams, warnings } = parseGeneral(options, o);
  const startingOffsets = offsetLimit(o.startingoffsets, 'latest');
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
    warnings,
  };
}

/**
 * Validates and parses the options of `spark.read.format("kafka")` (validateBatchOptions):
 * `startingOffsets` defaults to earliest and may not be latest (nor -1 for a partition);
 * `endingOffsets` defaults to latest and may not be earliest (nor -2 for a partition).
 */
export function parseKafkaBatchOptions(options: Readonly<Record<string, string>>): KafkaBatchOptions {
  const o = lower(options);
  const startingOffsets = offsetLimit(o.startingoffsets, 'earliest');
  if (startingOffsets === 'latest') throw bad("starting offset can't be latest for batch queries on Kafka");
  if (typeof startingOffsets === 'object') {
    for (const [t, parts] of Object.entries(startingOffsets)) {
      for (const [p, off] of Object.entries(parts)) if (off === -1) throw bad(`startingOffsets for ${t}-${p} can't be latest for batch queries on Kafka`);
    }
  }
  const endingOffsets = offsetLimit(o.endingoffsets, 'latest');
  if (endingOffsets === 'earliest') throw bad("ending offset can't be earliest for batch queries on Kafka");
  if (typeof endingOffsets === 'object') {
    for (const [t, parts] of Object.entries(endingOffsets)) {
      for (const [p, off] of Object.entries(parts)) if (off === -2) throw bad(`ending offset for ${t}-${p} can't be earliest for batch queries on Kafka`);
    }
  }
  const { servers, subscription, kafkaParams, warnings } = parseGeneral(options, o);
  // Spark logs these and reads the whole range anyway.
  if (o.maxoffsetspertrigger !== undefined) warnings.push('maxOffsetsPerTrigger option ignored in batch queries');
  if (o.minoffsetspertrigger !== undefined) warnings.push('minOffsetsPerTrigger option ignored in batch queries');
  if (o.maxtriggerdelay !== undefined) warnings.push('maxTriggerDelay option ignored in batch queries');
  return {
    bootstrapServers: servers,
    subscription,
    startingOffsets,
    endingOffsets: endingOffsets as EndingOffsets,
    failOnDataLoss: (o.failondataloss ?? 'true').toLowerCase() !== 'false',
    includeHeaders: (o.includeheaders ?? 'false').toLowerCase() === 'true',
    kafkaParams,
    warnings,
  };
}
