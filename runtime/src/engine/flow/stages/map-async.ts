/**
 * `mapAsync(parallelism, f)`: runs up to `parallelism` calls of `f` at once and emits their results in
 * the order the elements came in (a slow element holds back the ones behind it). Demand-driven: it
 * pulls while fewer than `parallelism` results are in flight or waiting, so nothing starts before
 * downstream asks.
 *
 *   onPush:   call f; a plain value (already completed) goes out at once when it is first in line and
 *             downstream waits, else it takes its slot; a promise takes a slot and reports back later
 *   result:   failure → decider: stop fails the stage now; resume/restart drop the element
 *   emit:     while the head slot is completed and downstream waits: push it (skipping null results)
 *   finish:   upstream done and no slots left → complete
 */
import type { Attributes, Directive } from '../attributes.js';
import { flowShape, GraphStageLogic } from '../stage-logic.js';
import { BoundedBuffer } from './bounded-buffer.js';
import { isNoElement, isThenable, type AsyncResult } from './async-result.js';
import { requirePositive, simpleStage } from './blueprint.js';

class Holder<O> {
  state: 'pending' | 'ok' | 'failed' = 'pending';
  value: O | null | undefined;
  error: unknown;
  private directive: Directive | undefined;

  /** The decider's answer for this failure, asked once. */
  directiveFor(decide: (e: unknown) => Directive): Directive {
    this.directive ??= decide(this.error);
    return this.directive;
  }
}

class MapAsyncLogic<I, O> extends GraphStageLogic {
  private readonly buffer: BoundedBuffer<Holder<O>>;
  private readonly ports;

  constructor(attributes: Attributes, private readonly parallelism: number, f: (x: I) => AsyncResult<O>) {
    const ports = flowShape<I, O>('MapAsync');
    super(ports, attributes);
    this.ports = ports;
    this.buffer = new BoundedBuffer(parallelism);
    const { in: inlet, out } = ports;
    const decide = (e: unknown) => this.attributes.decider(e);
    const completed = this.getAsyncCallback<Holder<O>>((holder) => {
      if (holder.state === 'failed' && holder.directiveFor(decide) === 'stop') this.failStage(holder.error);
      else this.pushNextIfPossible();
    });
    this.setHandlers(inlet, out, {
      onPush: () => {
        try {
          const result = f(this.grab(inlet));
          if (isThenable<O>(result)) {
            const holder = new Holder<O>();
            this.buffer.enqueue(holder);
            Promise.resolve(result).then(
              (v) => {
                holder.state = 'ok';
                holder.value = v;
                completed.invoke(holder);
              },
              (e: unknown) => {
                holder.state = 'failed';
                holder.error = e;
                completed.invoke(holder);
              },
            );
          } else if (!isNoElement(result) && this.buffer.isEmpty && this.isAvailable(out)) {
            this.push(out, result);
          } else {
            const holder = new Holder<O>();
            holder.state = 'ok';
            holder.value = result;
            this.buffer.enqueue(holder);
            this.pushNextIfPossible();
          }
        } catch (e) {
          // f itself threw (not a failed promise).
          if (decide(e) === 'stop') this.failStage(e);
        }
        this.pullIfNeeded();
      },
      onPull: () => this.pushNextIfPossible(),
      onUpstreamFinish: () => {
        if (this.buffer.isEmpty) this.completeStage();
      },
    });
  }

  private pushNextIfPossible(): void {
    const { out } = this.ports;
    const decide = (e: unknown) => this.attributes.decider(e);
    for (;;) {
      if (this.buffer.isEmpty || this.buffer.peek().state === 'pending') {
        this.pullIfNeeded(); // the head is not there yet: keep order
        return;
      }
      if (!this.isAvailable(out)) return;
      const holder = this.buffer.dequeue();
      if (holder.state === 'ok') {
        if (!isNoElement(holder.value)) {
          this.push(out, holder.value);
          this.pullIfNeeded();
          return;
        }
        this.pullIfNeeded();
        continue;
      }
      if (holder.directiveFor(decide) === 'stop') {
        this.failStage(holder.error);
        return;
      }
    }
  }

  private pullIfNeeded(): void {
    const { in: inlet } = this.ports;
    if (this.isClosed(inlet) && this.buffer.isEmpty) this.completeStage();
    else if (this.buffer.used < this.parallelism && !this.hasBeenPulled(inlet)) this.tryPull(inlet);
  }
}

/** The `mapAsync` operator. */
export function mapAsyncStage<I, O>(parallelism: number, f: (x: I) => AsyncResult<O>) {
  requirePositive(parallelism, 'parallelism must be at least 1');
  if (typeof f !== 'function') throw new TypeError('mapAsync: expected a function returning a Promise');
  return simpleStage('mapAsync', 'flow', (attrs) => new MapAsyncLogic<I, O>(attrs, parallelism, f));
}
