/**
 * Pekko Connectors Kafka's `Consumer`: sources of Kafka records for flows.
 *
 *   Consumer.plainSource(settings, Subscriptions.topics("locations"))        Source<ConsumerRecord, Control>
 *   Consumer.committableSource(settings, Subscriptions.topics("locations"))  Source<CommittableMessage, Control>
 *
 * The source polls its consumer only while downstream has demand and at most `max.poll.records`
 * records are held at a time, so a slow stream slows the reading (backpressure down to Kafka). The
 * materialized `Control` stops the source (`stop`: no more records, the consumer stays for commits),
 * shuts it down (`shutdown`: also closes the consumer), or drains it (`drainAndShutdown`).
 *
 *   onPull    a record is held → push it; else poll (one poll at a time)
 *   polled    records → hold them, push one if downstream waits; none → poll again while it waits
 *   stop      complete the source (held records are dropped: uncommitted, they are read again later)
 *   shutdown  stop, then close the consumer after commits in flight
 *   the source stops any other way (cancelled, failed) → the consumer closes
 */
import { Done } from '../graph.js';
import { kafkaClientFactory } from '../../kafka-client/client-factory.js';
import type { ConsumerRecord, RawRecord } from '../../kafka-client/client-types.js';
import { GraphStageLogic, sourceShape } from '../stage-logic.js';
import { matStage } from '../stages/blueprint.js';
import { deferred } from '../stages/sinks.js';
import { Source } from '../source.js';
import { tagKafkaTimestamp } from '../provenance.js';
import { ConsumerHandle } from './consumer-handle.js';
import type { ConsumerSettings, Subscription } from './consumer-settings.js';

/** Where a committable offset points: the next record to read is `offset + 1`. */
export interface PartitionOffset {
  readonly key: { readonly groupId: string; readonly topic: string; readonly partition: number };
  readonly offset: number;
}

/** Pekko Connectors' `CommittableOffset`. */
export interface CommittableOffset {
  readonly partitionOffset: PartitionOffset;
  /** @internal */
  readonly handle: ConsumerHandle;
}

/** Pekko Connectors' `CommittableMessage`: a record and the offset to commit once it is processed. */
export interface CommittableMessage<K, V> {
  readonly record: ConsumerRecord<K, V>;
  readonly committableOffset: CommittableOffset;
}

/** Pekko Connectors' `Consumer.Control`. */
export interface Control {
  /** Stops emitting records; the consumer stays open for commits until `shutdown`. */
  stop(): Promise<Done>;
  /** Stops emitting and closes the consumer. */
  shutdown(): Promise<Done>;
  /** Resolves when the consumer is closed. */
  readonly isShutdown: Promise<Done>;
  /** Stops, waits for `streamCompletion`, then shuts down; resolves with the stream's result. */
  drainAndShutdown<T>(streamCompletion: Promise<T>): Promise<T>;
}

/** Pekko Connectors' `DrainingControl`: a Control and the stream's completion together. */
export interface DrainingControl<T> {
  stop(): Promise<Done>;
  shutdown(): Promise<Done>;
  readonly isShutdown: Promise<Done>;
  readonly streamCompletion: Promise<T>;
  /** Stops, waits for the stream to complete, shuts down. */
  drainAndShutdown(): Promise<T>;
}

/** Every DrainingControl this module built, with its own drain: an object that only looks like one is not here. */
const built = new WeakMap<object, () => Promise<unknown>>();

/** How the stream of each DrainingControl this module built failed, once it has. */
const failures = new WeakMap<object, unknown>();

/** Whether `v` is a DrainingControl the engine built. */
export function isDrainingControl(v: unknown): v is DrainingControl<unknown> {
  return typeof v === 'object' && v !== null && built.has(v);
}

/**
 * Why the stream of a DrainingControl the engine built failed, or undefined while it runs or once it
 * completed: a check waiting for a flow's rows says why they never came.
 */
export function controlFailure(v: DrainingControl<unknown>): { error: unknown } | undefined {
  return failures.has(v) ? { error: failures.get(v) } : undefined;
}

/** Drains and shuts down a DrainingControl the engine built, whatever was done to the object since. */
export function drainControl(v: DrainingControl<unknown>): Promise<unknown> {
  const drain = built.get(v);
  if (!drain) return Promise.reject(new TypeError('Not a DrainingControl built by Consumer.DrainingControl.apply'));
  return drain();
}

function drainingControl<T>(control: Control, streamCompletion: Promise<T>): DrainingControl<T> {
  if (!control || typeof control.shutdown !== 'function') throw new TypeError('DrainingControl: expected a Consumer.Control and the stream completion (use it as toMat(sink, Consumer.DrainingControl.apply))');
  const drainAndShutdown = () => control.drainAndShutdown(streamCompletion);
  const result: DrainingControl<T> = {
    stop: () => control.stop(),
    shutdown: () => control.shutdown(),
    isShutdown: control.isShutdown,
    streamCompletion,
    drainAndShutdown,
  };
  built.set(result, drainAndShutdown);
  Promise.resolve(streamCompletion).then(() => undefined, (error: unknown) => {
    failures.set(result, error);
  });
  return result;
}

type Emit<K, V, O> = (record: ConsumerRecord<K, V>, handle: ConsumerHandle, groupId: string) => O;

class ConsumerSourceLogic<K, V, O> extends GraphStageLogic {
  private readonly out;
  private handle: ConsumerHandle | null = null;
  private held: RawRecord[] = [];
  private polling = false;
  private stoppedByControl = false;
  private readonly maxPollRecords: number;

  constructor(
    attrs: ConstructorParameters<typeof GraphStageLogic>[1],
    private readonly settings: ConsumerSettings<K, V>,
    private readonly subscription: Subscription,
    private readonly emitAs: Emit<K, V, O>,
    private readonly state: ControlState,
  ) {
    const ports = sourceShape<O>('KafkaConsumer');
    super(ports, attrs);
    this.out = ports.out;
    this.maxPollRecords = Math.max(1, Number(settings.getProperty('max.poll.records') ?? 500) || 500);
    state.stopCallback = this.getAsyncCallback<null>(() => this.stopEmitting());
    this.setHandler(ports.out, { onPull: () => this.deliverOrPoll() });
  }

  override preStart(): void {
    const p = this.settings.properties;
    const groupId = p['group.id'] ?? null;
    const reset = p['auto.offset.reset'];
    if (reset !== undefined && reset !== 'earliest' && reset !== 'latest') {
      throw new Error(`Invalid value ${reset} for configuration auto.offset.reset: String must be one of: latest, earliest, none`);
    }
    const backend = kafkaClientFactory().consumer({
      bootstrap_servers: p['bootstrap.servers'],
      client_id: p['client.id'],
      group_id: groupId,
      auto_offset_reset: (reset ?? 'latest') as 'earliest' | 'latest',
      enable_auto_commit: p['enable.auto.commit'] === 'true',
      max_poll_records: this.maxPollRecords,
    });
    this.handle = new ConsumerHandle(backend, groupId);
    this.state.handle = this.handle;
    backend.subscribe(this.subscription.topics);
    if (this.state.stopRequested) this.stopEmitting();
  }

  private deliverOrPoll(): void {
    if (this.held.length > 0) {
      this.push(this.out, this.toElement(this.held.shift()!));
      return;
    }
    this.poll();
  }

  private toElement(r: RawRecord): O {
    const s = this.settings;
    const record: ConsumerRecord<K, V> = {
      topic: r.topic,
      partition: r.partition,
      offset: r.offset,
      timestamp: r.timestamp,
      timestamp_type: 0,
      key: r.key === null ? null : s.keyDeserializer.deserialize(r.topic, r.key),
      value: r.value === null ? null : s.valueDeserializer.deserialize(r.topic, r.value),
      headers: r.headers,
    };
    return tagKafkaTimestamp(this.emitAs(tagKafkaTimestamp(record, r.timestamp), this.handle!, this.handle!.groupId ?? '') as O & object, r.timestamp);
  }

  private poll(): void {
    if (this.polling || this.stoppedByControl || !this.handle) return;
    this.polling = true;
    const polled = this.getAsyncCallback<{ records: RawRecord[] } | { error: unknown }>((r) => {
      this.polling = false;
      if ('error' in r) {
        this.failStage(r.error);
        return;
      }
      this.held.push(...r.records);
      if (this.isAvailable(this.out)) this.deliverOrPoll();
    });
    this.handle.backend.poll(this.settings.pollTimeoutMs, this.maxPollRecords).then((records) => polled.invoke({ records }), (error: unknown) => polled.invoke({ error }));
  }

  private stopEmitting(): void {
    this.stoppedByControl = true;
    this.held = [];
    this.completeStage();
  }

  override postStop(): void {
    this.state.sourceStopped();
    if (!this.stoppedByControl) void this.state.closeConsumer();
  }

  override onAbruptStop(): void {
    void this.state.closeConsumer();
  }
}

/** What the Control and the source share. */
class ControlState {
  handle: ConsumerHandle | null = null;
  stopCallback: { invoke(v: null): void } | null = null;
  stopRequested = false;
  private readonly stopped = deferred<Done>();
  private readonly closed = deferred<Done>();
  private sourceDone = false;

  sourceStopped(): void {
    this.sourceDone = true;
    this.stopped.resolve(Done);
  }

  async closeConsumer(): Promise<void> {
    try {
      await this.handle?.close();
      this.closed.resolve(Done);
    } catch (e) {
      this.closed.reject(e);
    }
  }

  control(): Control {
    const stop = (): Promise<Done> => {
      this.stopRequested = true;
      if (!this.sourceDone) this.stopCallback?.invoke(null);
      return this.stopped.promise;
    };
    const shutdown = async (): Promise<Done> => {
      await stop();
      await this.closeConsumer();
      return this.closed.promise;
    };
    return {
      stop,
      shutdown,
      isShutdown: this.closed.promise,
      drainAndShutdown: async <T>(streamCompletion: Promise<T>): Promise<T> => {
        await stop();
        try {
          return await streamCompletion;
        } finally {
          await shutdown();
        }
      },
    };
  }
}

function consumerSource<K, V, O>(name: string, settings: ConsumerSettings<K, V>, subscription: Subscription, emitAs: Emit<K, V, O>, needsGroup: boolean): Source<O, Control> {
  if (!settings || typeof settings.withGroupId !== 'function') throw new TypeError(`Consumer.${name}: expected ConsumerSettings first`);
  if (!subscription || !Array.isArray(subscription.topics)) throw new TypeError(`Consumer.${name}: expected a subscription (Subscriptions.topics("..."))`);
  if (needsGroup && !settings.getProperty('group.id')) {
    throw new Error(`Consumer.${name}: the consumer group is not set; committing offsets needs one (ConsumerSettings.withGroupId("..."))`);
  }
  return Source.fromStage(matStage(name, 'source', (attrs) => {
    const state = new ControlState();
    return { logic: new ConsumerSourceLogic<K, V, O>(attrs, settings, subscription, emitAs, state), mat: state.control() };
  }));
}

/** Pekko Connectors' `Consumer`. */
export const Consumer = Object.freeze({
  /** Records, without offsets to commit (commit with `enable.auto.commit`, or keep offsets elsewhere). */
  plainSource<K, V>(settings: ConsumerSettings<K, V>, subscription: Subscription): Source<ConsumerRecord<K, V>, Control> {
    return consumerSource<K, V, ConsumerRecord<K, V>>('plainSource', settings, subscription, (record) => record, false);
  },

  /** Records with the offset to commit once each is processed (`Committer.sink`). */
  committableSource<K, V>(settings: ConsumerSettings<K, V>, subscription: Subscription): Source<CommittableMessage<K, V>, Control> {
    return consumerSource<K, V, CommittableMessage<K, V>>('committableSource', settings, subscription, (record, handle, groupId) => ({
      record,
      committableOffset: tagKafkaTimestamp(
        { partitionOffset: { key: { groupId, topic: record.topic, partition: record.partition }, offset: record.offset }, handle },
        record.timestamp,
      ),
    }), true);
  },

  /** Combines a Control and the stream's completion: `toMat(sink, Consumer.DrainingControl.apply)`. */
  DrainingControl: Object.freeze({
    apply<T>(control: Control | readonly [Control, Promise<T>], streamCompletion?: Promise<T>): DrainingControl<T> {
      if (Array.isArray(control)) return drainingControl(control[0] as Control, control[1] as Promise<T>);
      return drainingControl(control as Control, streamCompletion as Promise<T>);
    },
  }),

  /** Java's `Consumer.createDrainingControl(pair)`. */
  createDrainingControl<T>(pair: readonly [Control, Promise<T>]): DrainingControl<T> {
    return drainingControl(pair[0], pair[1]);
  },
});
