/**
 * Pekko Connectors' `Committer`: commits the offsets of processed messages in batches.
 *
 *   Committer.sink(CommitterSettings.create(system))   Sink<Committable, Promise<Done>>
 *   Committer.flow(settings)                            Flow<Committable, Done>: one Done per committed batch
 *
 * Offsets gather per consumer and partition (the highest wins); a batch is committed when it holds
 * `maxBatch` offsets or `maxInterval` after its first offset (on the system's clock), and when
 * upstream completes. At most `parallelism` commits are in flight; beyond that it stops pulling. The
 * sink completes once the last commit is acknowledged; a failed commit fails the stream.
 */
import type { Attributes } from '../attributes.js';
import { Done } from '../graph.js';
import { Flow } from '../flow.js';
import { Sink } from '../sink.js';
import { GraphStageLogic, flowShape } from '../stage-logic.js';
import { matStage, simpleStage } from '../stages/blueprint.js';
import { deferred } from '../stages/sinks.js';
import { ignoreSinkStage } from '../stages/sinks.js';
import type { CommittableMessage, CommittableOffset } from './consumer.js';
import type { ConsumerHandle } from './consumer-handle.js';
import { CommitterSettings } from './committer-settings.js';

/** What a committer accepts: an offset, or a message carrying one. */
export type Committable = CommittableOffset | CommittableMessage<unknown, unknown>;

const TIMER = 'CommitterTimer';

function offsetOf(c: Committable): CommittableOffset {
  const offset = (c as CommittableMessage<unknown, unknown>).committableOffset ?? (c as CommittableOffset);
  if (!offset || !offset.partitionOffset || !offset.handle) {
    throw new TypeError('Committer: expected a CommittableOffset (msg.committableOffset) from Consumer.committableSource');
  }
  return offset;
}

class CommitterLogic extends GraphStageLogic {
  private batch = new Map<ConsumerHandle, Map<string, number>>();
  private count = 0;
  private inFlight = 0;
  private finished = false;
  private readonly ports;

  constructor(attributes: Attributes, private readonly settings: CommitterSettings, private readonly done: ReturnType<typeof deferred<Done>> | null) {
    const ports = flowShape<Committable, Done>('Committer');
    super(ports, attributes);
    this.ports = ports;
    const committed = this.getAsyncCallback<{ error?: unknown }>((r) => {
      this.inFlight--;
      if (r.error !== undefined) {
        this.done?.reject(r.error);
        this.failStage(r.error);
        return;
      }
      if (!this.done && !this.isClosed(ports.out)) this.emit(ports.out, Done);
      this.afterProgress();
    });
    this.commitDone = committed;
    this.setHandler(ports.in, {
      onPush: () => {
        const element = this.grab(ports.in);
        // An offset reaching the committer marks its record as processed: the end of its way through the stream.
        this.interpreter.noteArrival(element);
        const o = offsetOf(element);
        const key = `${o.partitionOffset.key.topic}:${o.partitionOffset.key.partition}`;
        const perHandle = this.batch.get(o.handle) ?? new Map<string, number>();
        this.batch.set(o.handle, perHandle);
        perHandle.set(key, Math.max(perHandle.get(key) ?? -1, o.partitionOffset.offset + 1));
        this.count++;
        if (this.count === 1) this.scheduleOnce(TIMER, this.settings.maxIntervalMs);
        if (this.count >= this.settings.maxBatch) this.flush();
        this.pullIfRoom();
      },
      onUpstreamFinish: () => {
        this.finished = true;
        this.setKeepGoing(true);
        this.flush();
        this.afterProgress();
      },
      onUpstreamFailure: (e) => {
        this.done?.reject(e);
        this.failStage(e);
      },
    });
    this.setHandler(ports.out, { onPull: () => {}, onDownstreamFinish: () => {} });
  }

  private readonly commitDone: { invoke(v: { error?: unknown }): void };

  override preStart(): void {
    this.pull(this.ports.in);
  }

  private pullIfRoom(): void {
    const { in: inlet } = this.ports;
    if (!this.finished && this.inFlight < this.settings.parallelism && !this.hasBeenPulled(inlet) && !this.isClosed(inlet)) this.pull(inlet);
  }

  private flush(): void {
    this.cancelTimer(TIMER);
    if (this.count === 0) return;
    const batch = this.batch;
    this.batch = new Map();
    this.count = 0;
    for (const [handle, offsets] of batch) {
      this.inFlight++;
      handle.commit(Object.fromEntries(offsets)).then(() => this.commitDone.invoke({}), (error: unknown) => this.commitDone.invoke({ error }));
    }
  }

  private afterProgress(): void {
    if (this.finished && this.inFlight === 0 && this.count === 0) {
      this.done?.resolve(Done);
      this.completeStage();
      return;
    }
    this.pullIfRoom();
  }

  protected override onTimer(): void {
    this.flush();
  }

  override onAbruptStop(error: Error): void {
    this.done?.reject(error);
  }
}

/** Pekko Connectors' `Committer`. */
export const Committer = Object.freeze({
  /** Commits every offset it receives; `Done` once the last commit is acknowledged. */
  sink(settings: CommitterSettings = CommitterSettings.create()): Sink<Committable, Promise<Done>> {
    const committing = matStage('committerFlow', 'flow', (attrs) => {
      const done = deferred<Done>();
      return { logic: new CommitterLogic(attrs, settings, done), mat: done.promise };
    });
    return Flow.fromStage<Committable, Done, Promise<Done>>(committing).toMat(Sink.fromStage(ignoreSinkStage<Done>()), (left) => left);
  },

  /** Commits in batches and emits `Done` per committed batch. */
  flow(settings: CommitterSettings = CommitterSettings.create()): Flow<Committable, Done> {
    return Flow.fromStage<Committable, Done, never>(simpleStage('committerFlow', 'flow', (attrs) => new CommitterLogic(attrs, settings, null)) as never);
  },
});
