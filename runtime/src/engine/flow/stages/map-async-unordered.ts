/**
 * `mapAsyncUnordered(parallelism, f)`: like `mapAsync`, but results go out in the order they complete.
 * Up to `parallelism` calls in flight plus completed results waiting for demand; it pulls while their
 * sum is below `parallelism`.
 */
import type { Attributes } from '../attributes.js';
import { flowShape, GraphStageLogic } from '../stage-logic.js';
import { BoundedBuffer } from './bounded-buffer.js';
import { isNoElement, isThenable, type AsyncResult } from './async-result.js';
import { requirePositive, simpleStage } from './blueprint.js';

type Outcome<O> = { ok: true; value: O | null | undefined } | { ok: false; error: unknown };

class MapAsyncUnorderedLogic<I, O> extends GraphStageLogic {
  private inFlight = 0;
  private readonly buffer: BoundedBuffer<O>;
  private readonly ports;

  constructor(attributes: Attributes, private readonly parallelism: number, f: (x: I) => AsyncResult<O>) {
    const ports = flowShape<I, O>('MapAsyncUnordered');
    super(ports, attributes);
    this.ports = ports;
    this.buffer = new BoundedBuffer(parallelism);
    const { in: inlet, out } = ports;
    const callback = this.getAsyncCallback<Outcome<O>>((o) => this.futureCompleted(o));
    this.setHandlers(inlet, out, {
      onPush: () => {
        try {
          const result = f(this.grab(inlet));
          this.inFlight++;
          if (isThenable<O>(result)) {
            Promise.resolve(result).then(
              (value) => callback.invoke({ ok: true, value }),
              (error: unknown) => callback.invoke({ ok: false, error }),
            );
          } else {
            this.futureCompleted({ ok: true, value: result });
          }
        } catch (e) {
          if (this.attributes.decider(e) === 'stop') this.failStage(e);
        }
        if (this.todo < this.parallelism && !this.hasBeenPulled(inlet)) this.tryPull(inlet);
      },
      onPull: () => {
        if (this.buffer.nonEmpty) this.push(out, this.buffer.dequeue());
        const left = this.todo;
        if (this.isClosed(inlet) && left === 0) this.completeStage();
        else if (left < this.parallelism && !this.hasBeenPulled(inlet)) this.tryPull(inlet);
      },
      onUpstreamFinish: () => {
        if (this.todo === 0) this.completeStage();
      },
    });
  }

  private get todo(): number {
    return this.inFlight + this.buffer.used;
  }

  private futureCompleted(outcome: Outcome<O>): void {
    const { in: inlet, out } = this.ports;
    const isCompleted = () => this.isClosed(inlet) && this.todo === 0;
    this.inFlight--;
    if (outcome.ok && !isNoElement(outcome.value)) {
      if (this.isAvailable(out)) {
        if (!this.hasBeenPulled(inlet)) this.tryPull(inlet);
        this.push(out, outcome.value);
        if (isCompleted()) this.completeStage();
      } else {
        this.buffer.enqueue(outcome.value);
      }
      return;
    }
    if (!outcome.ok && this.attributes.decider(outcome.error) === 'stop') {
      this.failStage(outcome.error);
      return;
    }
    if (isCompleted()) this.completeStage();
    else if (!this.hasBeenPulled(inlet)) this.tryPull(inlet);
  }
}

/** The `mapAsyncUnordered` operator. */
export function mapAsyncUnorderedStage<I, O>(parallelism: number, f: (x: I) => AsyncResult<O>) {
  requirePositive(parallelism, 'parallelism must be at least 1');
  if (typeof f !== 'function') throw new TypeError('mapAsyncUnordered: expected a function returning a Promise');
  return simpleStage('mapAsyncUnordered', 'flow', (attrs) => new MapAsyncUnorderedLogic<I, O>(attrs, parallelism, f));
}
