/**
 * Sources: `Source.from(iterable)`, `single`, `empty`, `failed`, `future`, `repeat`, `range`,
 * `fromIterator`, `unfold`, `tick`. Each emits only on demand; finite sources complete right after their
 * last element, without waiting for another pull.
 */
import type { Attributes } from '../attributes.js';
import { GraphStageLogic, sourceShape } from '../stage-logic.js';
import { matStage, simpleStage } from './blueprint.js';

/** A source logic built from an onPull function. */
class SourceLogic<T> extends GraphStageLogic {
  readonly out;
  constructor(name: string, attributes: Attributes, build: (logic: SourceLogic<T>) => { onPull(): void; onDownstreamFinish?(cause: unknown): void }, private readonly start?: (logic: SourceLogic<T>) => void) {
    const ports = sourceShape<T>(name);
    super(ports, attributes);
    this.out = ports.out;
    this.setHandler(ports.out, build(this));
  }
  override preStart(): void {
    this.start?.(this);
  }
  doPush(x: T): void {
    this.push(this.out, x);
  }
  ready(): boolean {
    return this.isAvailable(this.out);
  }
  doEmit(x: T, andThen?: () => void): void {
    this.emit(this.out, x, andThen);
  }
  callback<V>(f: (v: V) => void) {
    return this.getAsyncCallback(f);
  }
  timer(key: unknown, initialMs: number, intervalMs: number): void {
    this.scheduleWithFixedDelay(key, initialMs, intervalMs);
  }
  onTimerFired: (() => void) | null = null;
  protected override onTimer(): void {
    this.onTimerFired?.();
  }
}

/** Emits the elements of an iterator made per materialization, completing after the last one. */
export function iteratorSourceStage<T>(name: string, makeIterator: () => Iterator<T>) {
  return simpleStage(name, 'source', (attrs) => {
    let it: Iterator<T> | null = null;
    let ahead: IteratorResult<T> | null = null;
    return new SourceLogic<T>('IteratorSource', attrs, (l) => ({
      onPull: () => {
        if (!it) {
          it = makeIterator();
          ahead = it.next();
        }
        if (ahead!.done) {
          l.completeStage();
          return;
        }
        const value = ahead!.value;
        ahead = it.next();
        l.doPush(value);
        if (ahead.done) l.completeStage();
      },
    }));
  });
}

/** `Source.single(x)`. */
export function singleSourceStage<T>(elem: T) {
  return simpleStage('single', 'source', (attrs) => new SourceLogic<T>('SingleSource', attrs, (l) => ({
    onPull: () => {
      l.doPush(elem);
      l.completeStage();
    },
  })));
}

/** `Source.empty()`: completes at once. */
export function emptySourceStage<T>() {
  return simpleStage('empty', 'source', (attrs) => new SourceLogic<T>('EmptySource', attrs, () => ({ onPull: () => {} }), (l) => l.completeStage()));
}

/** `Source.failed(e)`: fails at once. */
export function failedSourceStage<T>(error: unknown) {
  return simpleStage('failed', 'source', (attrs) => new SourceLogic<T>('FailedSource', attrs, () => ({ onPull: () => {} }), (l) => l.failStage(error)));
}

/** `Source.future(promise)`: its value once resolved (nothing if it resolves to null/undefined), or its failure. */
export function futureSourceStage<T>(promise: PromiseLike<T>) {
  return simpleStage('future', 'source', (attrs) => {
    let result: { ok: true; v: T } | null = null;
    return new SourceLogic<T>('FutureSource', attrs, (l) => ({
      onPull: () => {
        if (result) {
          if (result.v === null || result.v === undefined) l.completeStage();
          else {
            l.doPush(result.v);
            l.completeStage();
          }
        }
      },
    }), (l) => {
      const cb = l.callback<{ ok: true; v: T } | { ok: false; e: unknown }>((r) => {
        if (!r.ok) {
          l.failStage(r.e);
          return;
        }
        if (r.v === null || r.v === undefined) {
          l.completeStage();
          return;
        }
        if (l.ready()) {
          l.doPush(r.v);
          l.completeStage();
        } else result = r;
      });
      Promise.resolve(promise).then((v) => cb.invoke({ ok: true, v }), (e: unknown) => cb.invoke({ ok: false, e }));
    });
  });
}

/** `Source.tick(initialDelay, interval, tick)`: `tick` on every interval with demand (ticks without demand are dropped); materializes a Cancellable. */
export function tickSourceStage<T>(initialDelayMs: number, intervalMs: number, tick: T) {
  return matStage('tick', 'source', (attrs) => {
    let cancelRequested = false;
    let cancelCb: { invoke(v: null): void } | null = null;
    const cancellable = {
      cancel(): boolean {
        if (cancelRequested) return false;
        cancelRequested = true;
        cancelCb?.invoke(null);
        return true;
      },
      get isCancelled(): boolean {
        return cancelRequested;
      },
    };
    const logic = new SourceLogic<T>('TickSource', attrs, () => ({ onPull: () => {} }), (l) => {
      cancelCb = l.callback<null>(() => l.completeStage());
      if (cancelRequested) {
        l.completeStage();
        return;
      }
      l.onTimerFired = () => {
        if (l.ready() && !cancelRequested) l.doPush(tick);
      };
      l.timer('TickTimer', initialDelayMs, intervalMs);
    });
    return { logic, mat: cancellable };
  });
}

/** Pekko's `Cancellable`, materialized by `Source.tick`. */
export interface Cancellable {
  cancel(): boolean;
  readonly isCancelled: boolean;
}
