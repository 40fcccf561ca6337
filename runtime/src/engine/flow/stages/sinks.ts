/**
 * Sinks: `Sink.seq`, `head`, `headOption`, `last`, `lastOption`, `ignore`, `fold`, `cancelled`,
 * `onComplete`. Each pulls one element at a time from its start and materializes a promise of the
 * outcome; the promise fails with the stream's failure (or AbruptTerminationException when the system
 * stops the stream).
 */
import type { Attributes } from '../attributes.js';
import { AbruptTerminationException, NoSuchElementException } from '../errors.js';
import { Done } from '../graph.js';
import { GraphStageLogic, sinkShape } from '../stage-logic.js';
import { matStage, simpleStage } from './blueprint.js';

interface Deferred<T> {
  promise: Promise<T>;
  resolve(v: T): void;
  reject(e: unknown): void;
}

/** A promise with its resolvers; a failure nobody awaits is not reported as unhandled. */
export function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {});
  return { promise, resolve, reject };
}

/** A sink logic: pulls at start and after each element; `onElement` may stop early by returning false. */
class SinkLogic<T, R> extends GraphStageLogic {
  private settled = false;
  readonly in;

  constructor(
    name: string,
    attributes: Attributes,
    private readonly result: Deferred<R>,
    onElement: (x: T, logic: SinkLogic<T, R>) => void,
    onFinish: (logic: SinkLogic<T, R>) => void,
  ) {
    const ports = sinkShape<T>(name);
    super(ports, attributes);
    this.in = ports.in;
    this.setHandler(ports.in, {
      onPush: () => {
        onElement(this.grab(ports.in), this);
        if (!this.isClosed(ports.in) && !this.hasBeenPulled(ports.in)) this.pull(ports.in);
      },
      onUpstreamFinish: () => {
        onFinish(this);
        this.completeStage();
      },
      onUpstreamFailure: (e) => {
        this.reject(e);
        this.failStage(e);
      },
    });
  }

  override preStart(): void {
    this.pull(this.in);
  }

  resolve(v: R): void {
    if (this.settled) return;
    this.settled = true;
    this.result.resolve(v);
  }

  reject(e: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.result.reject(e);
  }

  /** Stops reading (cancels upstream) after settling. */
  stop(): void {
    this.completeStage();
  }

  override onAbruptStop(): void {
    this.reject(new AbruptTerminationException());
  }
}

/** `Sink.seq()`: every element, in order. */
export function seqSinkStage<T>() {
  return matStage('seq', 'sink', (attrs) => {
    const d = deferred<T[]>();
    const items: T[] = [];
    return { logic: new SinkLogic<T, T[]>('SeqSink', attrs, d, (x) => void items.push(x), (l) => l.resolve(items)), mat: d.promise };
  });
}

/** `Sink.head()` / `Sink.headOption()`: the first element, then cancel upstream. */
export function headSinkStage<T>(option: boolean) {
  return matStage(option ? 'headOption' : 'head', 'sink', (attrs) => {
    const d = deferred<T | undefined>();
    const logic = new SinkLogic<T, T | undefined>('HeadSink', attrs, d, (x, l) => {
      l.resolve(x);
      l.stop();
    }, (l) => {
      if (option) l.resolve(undefined);
      else l.reject(new NoSuchElementException('head of empty stream'));
    });
    return { logic, mat: d.promise };
  });
}

/** `Sink.last()` / `Sink.lastOption()`: the last element. */
export function lastSinkStage<T>(option: boolean) {
  return matStage(option ? 'lastOption' : 'last', 'sink', (attrs) => {
    const d = deferred<T | undefined>();
    let last: { v: T } | null = null;
    const logic = new SinkLogic<T, T | undefined>('LastSink', attrs, d, (x) => {
      last = { v: x };
    }, (l) => {
      if (last) l.resolve(last.v);
      else if (option) l.resolve(undefined);
      else l.reject(new NoSuchElementException('last of empty stream'));
    });
    return { logic, mat: d.promise };
  });
}

/** `Sink.ignore()`: reads everything; `Done` when upstream completes. */
export function ignoreSinkStage<T>() {
  return matStage('ignore', 'sink', (attrs) => {
    const d = deferred<Done>();
    return { logic: new SinkLogic<T, Done>('IgnoreSink', attrs, d, () => {}, (l) => l.resolve(Done)), mat: d.promise };
  });
}

/** `Sink.fold(zero, f)`: the fold of every element. */
export function foldSinkStage<T, U>(zero: U, f: (acc: U, x: T) => U) {
  if (typeof f !== 'function') throw new TypeError('Sink.fold: expected a function');
  return matStage('fold', 'sink', (attrs) => {
    const d = deferred<U>();
    let acc = zero;
    const logic = new SinkLogic<T, U>('FoldSink', attrs, d, (x, l) => {
      try {
        acc = f(acc, x);
      } catch (e) {
        const directive = attrs.decider(e);
        if (directive === 'stop') {
          l.reject(e);
          l.failStage(e);
        } else if (directive === 'restart') acc = zero;
      }
    }, (l) => l.resolve(acc));
    return { logic, mat: d.promise };
  });
}

/** `Sink.onComplete(callback)`: calls back with `{ ok: true }` or `{ ok: false, error }` when the stream ends. */
export function onCompleteSinkStage<T>(callback: (result: { ok: true } | { ok: false; error: unknown }) => void) {
  return simpleStage('onComplete', 'sink', (attrs) => {
    const d = deferred<Done>();
    d.promise.then(() => callback({ ok: true }), (error: unknown) => callback({ ok: false, error }));
    return new SinkLogic<T, Done>('OnCompleteSink', attrs, d, () => {}, (l) => l.resolve(Done));
  });
}

/** `Sink.cancelled()`: cancels upstream at once. */
export function cancelledSinkStage<T>() {
  return simpleStage('cancelled', 'sink', (attrs) => {
    const ports = sinkShape<T>('CancelledSink');
    return new (class extends GraphStageLogic {
      constructor() {
        super(ports, attrs);
        this.setHandler(ports.in, { onPush: () => {} });
      }
      override preStart(): void {
        this.cancel(ports.in);
      }
    })();
  });
}
