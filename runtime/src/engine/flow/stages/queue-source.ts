/**
 * `Source.queue(bufferSize, overflowStrategy)`: elements offered from outside the stream. `offer`
 * answers with a QueueOfferResult once the element is taken (`Enqueued`), dropped (`Dropped`), refused
 * because the queue is done (`QueueClosed`), or failed. With `backpressure`, an offer to a full buffer
 * waits for room; only one such offer may wait at a time.
 */
import type { Attributes } from '../attributes.js';
import { BufferOverflowException } from '../errors.js';
import { Done } from '../graph.js';
import { overflowKind, type OverflowStrategyKind } from '../overflow-strategy.js';
import { GraphStageLogic, sourceShape } from '../stage-logic.js';
import { BoundedBuffer } from './bounded-buffer.js';
import { matStage } from './blueprint.js';
import { deferred } from './sinks.js';

/** Pekko's `QueueOfferResult`. */
export type QueueOfferResult =
  | { readonly kind: 'Enqueued' }
  | { readonly kind: 'Dropped' }
  | { readonly kind: 'QueueClosed' }
  | { readonly kind: 'Failure'; readonly cause: unknown };

/** The results (compare by `kind`, or with these constants). */
export const QueueOfferResult = Object.freeze({
  Enqueued: Object.freeze({ kind: 'Enqueued' }) as QueueOfferResult,
  Dropped: Object.freeze({ kind: 'Dropped' }) as QueueOfferResult,
  QueueClosed: Object.freeze({ kind: 'QueueClosed' }) as QueueOfferResult,
  Failure: (cause: unknown): QueueOfferResult => Object.freeze({ kind: 'Failure', cause }),
});

/** Pekko's `SourceQueueWithComplete`. */
export interface SourceQueueWithComplete<T> {
  offer(elem: T): Promise<QueueOfferResult>;
  /** No more elements: the stream completes once the buffer is drained. */
  complete(): void;
  /** Fails the stream. */
  fail(error: unknown): void;
  /** Resolves when the stream has completed (fails when it failed). */
  watchCompletion(): Promise<Done>;
}

type Command<T> =
  | { kind: 'offer'; elem: T; answer: (r: QueueOfferResult) => void }
  | { kind: 'complete' }
  | { kind: 'fail'; error: unknown };

class QueueSourceLogic<T> extends GraphStageLogic {
  private readonly buffer: BoundedBuffer<T> | null;
  private pending: { elem: T; answer: (r: QueueOfferResult) => void } | null = null;
  private completing = false;
  readonly out;
  readonly commands;

  constructor(attributes: Attributes, private readonly size: number, private readonly strategy: OverflowStrategyKind, private readonly done: ReturnType<typeof deferred<Done>>) {
    const ports = sourceShape<T>('QueueSource');
    super(ports, attributes);
    this.out = ports.out;
    this.buffer = size > 0 ? new BoundedBuffer<T>(size) : null;
    this.commands = this.getAsyncCallback<Command<T>>((c) => this.handle(c));
    this.setHandler(ports.out, {
      onPull: () => {
        if (this.buffer && this.buffer.nonEmpty) {
          this.push(this.out, this.buffer.dequeue());
          if (this.pending) {
            this.buffer.enqueue(this.pending.elem);
            this.pending.answer(QueueOfferResult.Enqueued);
            this.pending = null;
          }
        } else if (this.pending) {
          this.push(this.out, this.pending.elem);
          this.pending.answer(QueueOfferResult.Enqueued);
          this.pending = null;
        }
        if (this.completing && this.drained) this.completeStage();
      },
      onDownstreamFinish: () => {
        this.pending?.answer(QueueOfferResult.QueueClosed);
        this.pending = null;
        this.completeStage();
      },
    });
  }

  private get drained(): boolean {
    return (!this.buffer || this.buffer.isEmpty) && !this.pending;
  }

  private handle(c: Command<T>): void {
    if (c.kind === 'complete') {
      this.completing = true;
      if (this.drained) this.completeStage();
      return;
    }
    if (c.kind === 'fail') {
      this.pending?.answer(QueueOfferResult.Failure(c.error));
      this.pending = null;
      this.failStage(c.error);
      return;
    }
    if (this.completing) {
      c.answer(QueueOfferResult.QueueClosed);
      return;
    }
    const buffer = this.buffer;
    if (this.isAvailable(this.out) && (!buffer || buffer.isEmpty)) {
      this.push(this.out, c.elem);
      c.answer(QueueOfferResult.Enqueued);
      return;
    }
    if (buffer && !buffer.isFull) {
      buffer.enqueue(c.elem);
      c.answer(QueueOfferResult.Enqueued);
      return;
    }
    switch (this.strategy) {
      case 'dropHead':
        if (buffer) {
          buffer.dropHead();
          buffer.enqueue(c.elem);
          c.answer(QueueOfferResult.Enqueued);
        } else c.answer(QueueOfferResult.Dropped);
        return;
      case 'dropTail':
        if (buffer) {
          buffer.dropTail();
          buffer.enqueue(c.elem);
          c.answer(QueueOfferResult.Enqueued);
        } else c.answer(QueueOfferResult.Dropped);
        return;
      case 'dropBuffer':
        if (buffer) {
          buffer.clear();
          buffer.enqueue(c.elem);
          c.answer(QueueOfferResult.Enqueued);
        } else c.answer(QueueOfferResult.Dropped);
        return;
      case 'dropNew':
        c.answer(QueueOfferResult.Dropped);
        return;
      case 'fail': {
        const error = new BufferOverflowException(`Buffer overflow (max capacity was: ${this.size})!`);
        c.answer(QueueOfferResult.Failure(error));
        this.failStage(error);
        return;
      }
      default:
        if (this.pending) {
          c.answer(QueueOfferResult.Failure(new Error('You have to wait for the previous offer to be resolved to send another request')));
          return;
        }
        this.pending = { elem: c.elem, answer: c.answer };
    }
  }

  /** Answers of offers not handled yet: they get QueueClosed if the stream stops first. */
  readonly outstanding = new Set<(r: QueueOfferResult) => void>();

  override onAbruptStop(error: Error): void {
    this.done.reject(error);
  }

  override postStop(): void {
    this.done.resolve(Done);
    for (const answer of [...this.outstanding]) answer(QueueOfferResult.QueueClosed);
    this.pending = null;
  }

  override failStage(error: unknown): void {
    this.done.reject(error);
    super.failStage(error);
  }

  override completeStage(): void {
    this.done.resolve(Done);
    super.completeStage();
  }
}

/** The `Source.queue` operator. */
export function queueSourceStage<T>(bufferSize: number, strategy: unknown) {
  if (!Number.isInteger(bufferSize) || bufferSize < 0) throw new RangeError('requirement failed: bufferSize must be greater than or equal to 0');
  const kind = overflowKind(strategy, true, 'Source.queue');
  return matStage('queue', 'source', (attrs) => {
    const done = deferred<Done>();
    let stopped = false;
    done.promise.then(() => (stopped = true), () => (stopped = true));
    const logic = new QueueSourceLogic<T>(attrs, bufferSize, kind, done);
    const commands = logic.commands;
    const queue: SourceQueueWithComplete<T> = {
      offer(elem: T) {
        if (elem === null || elem === undefined) return Promise.reject(new TypeError('Element must not be null or undefined'));
        if (stopped) return Promise.resolve(QueueOfferResult.QueueClosed);
        return new Promise<QueueOfferResult>((resolve) => {
          const answer = (r: QueueOfferResult) => {
            if (logic.outstanding.delete(answer)) resolve(r);
          };
          logic.outstanding.add(answer);
          commands.invoke({ kind: 'offer', elem, answer });
        });
      },
      complete: () => commands.invoke({ kind: 'complete' }),
      fail: (error: unknown) => commands.invoke({ kind: 'fail', error }),
      watchCompletion: () => done.promise,
    };
    return { logic, mat: queue };
  });
}
