/**
 * The small element-wise operators, each as Pekko writes it: `take`, `drop`, `takeWhile`, `dropWhile`,
 * `scan`, `fold`, `reduce`, `mapConcat`, `zipWithIndex`, `recover`, `mapError`, `wireTap`, `log`.
 * User functions that throw go through the supervision decider where Pekko does so.
 */
import type { Attributes } from '../attributes.js';
import { NoSuchElementException } from '../errors.js';
import { flowShape, GraphStageLogic } from '../stage-logic.js';
import { simpleStage } from './blueprint.js';

type Ports<I, O> = ReturnType<typeof flowShape<I, O>>;

/** A one-in, one-out logic built from handler functions. */
class LinearLogic<I, O> extends GraphStageLogic {
  readonly in;
  readonly out;
  constructor(name: string, attributes: Attributes, build: (logic: LinearLogic<I, O>, ports: Ports<I, O>) => void) {
    const ports = flowShape<I, O>(name);
    super(ports, attributes);
    this.in = ports.in;
    this.out = ports.out;
    build(this, ports);
  }
  // Re-exported protected actions for the builders below.
  doPull(): void {
    this.pull(this.in);
  }
  doPush(x: O): void {
    this.push(this.out, x);
  }
  doGrab(): I {
    return this.grab(this.in);
  }
  pulled(): boolean {
    return this.hasBeenPulled(this.in);
  }
  inClosed(): boolean {
    return this.isClosed(this.in);
  }
  outAvailable(): boolean {
    return this.isAvailable(this.out);
  }
  doEmit(x: O, andThen?: () => void): void {
    this.emit(this.out, x, andThen);
  }
  handlers(h: { onPush(): void; onPull(): void; onUpstreamFinish?(): void; onUpstreamFailure?(e: unknown): void }): void {
    this.setHandlers(this.in, this.out, h);
  }
  decide(e: unknown) {
    return this.attributes.decider(e);
  }
}

function fn(name: string, f: unknown): void {
  if (typeof f !== 'function') throw new TypeError(`${name}: expected a function`);
}

/** `take(n)`: the first `n` elements, then complete (and cancel upstream). */
export function takeStage<T>(n: number) {
  return simpleStage('take', 'flow', (attrs) => new LinearLogic<T, T>('Take', attrs, (l) => {
    let left = n;
    l.handlers({
      onPush: () => {
        if (left > 0) {
          l.doPush(l.doGrab());
          left--;
        }
        if (left <= 0) l.completeStage();
      },
      onPull: () => {
        if (left > 0) l.doPull();
        else l.completeStage();
      },
    });
  }));
}

/** `drop(n)`: all but the first `n` elements. */
export function dropStage<T>(n: number) {
  return simpleStage('drop', 'flow', (attrs) => new LinearLogic<T, T>('Drop', attrs, (l) => {
    let left = n;
    l.handlers({
      onPush: () => {
        if (left > 0) {
          left--;
          l.doPull();
        } else l.doPush(l.doGrab());
      },
      onPull: () => l.doPull(),
    });
  }));
}

/** `takeWhile(p, inclusive)`: elements while `p` holds (and the first failing one when inclusive). */
export function takeWhileStage<T>(p: (x: T) => boolean, inclusive: boolean) {
  fn('takeWhile', p);
  return simpleStage('takeWhile', 'flow', (attrs) => new LinearLogic<T, T>('TakeWhile', attrs, (l) => {
    l.handlers({
      onPush: () => {
        try {
          const elem = l.doGrab();
          if (p(elem)) l.doPush(elem);
          else {
            if (inclusive) l.doPush(elem);
            l.completeStage();
          }
        } catch (e) {
          if (l.decide(e) === 'stop') l.failStage(e);
          else l.doPull();
        }
      },
      onPull: () => l.doPull(),
    });
  }));
}

/** `dropWhile(p)`: drops elements while `p` holds, then passes everything. */
export function dropWhileStage<T>(p: (x: T) => boolean) {
  fn('dropWhile', p);
  return simpleStage('dropWhile', 'flow', (attrs) => new LinearLogic<T, T>('DropWhile', attrs, (l) => {
    let dropping = true;
    l.handlers({
      onPush: () => {
        if (!dropping) {
          l.doPush(l.doGrab());
          return;
        }
        try {
          const elem = l.doGrab();
          if (p(elem)) l.doPull();
          else {
            dropping = false;
            l.doPush(elem);
          }
        } catch (e) {
          if (l.decide(e) === 'stop') l.failStage(e);
          else l.doPull();
        }
      },
      onPull: () => l.doPull(),
    });
  }));
}

/** `scan(zero, f)`: emits `zero`, then every intermediate result of folding. */
export function scanStage<I, O>(zero: O, f: (acc: O, x: I) => O) {
  fn('scan', f);
  return simpleStage('scan', 'flow', (attrs) => new LinearLogic<I, O>('Scan', attrs, (l) => {
    let acc = zero;
    let zeroSent = false;
    let finished = false;
    l.handlers({
      onPush: () => {
        try {
          acc = f(acc, l.doGrab());
          l.doPush(acc);
        } catch (e) {
          const d = l.decide(e);
          if (d === 'stop') l.failStage(e);
          else if (d === 'resume') {
            if (!l.pulled()) l.doPull();
          } else {
            acc = zero;
            l.doPush(acc);
          }
        }
      },
      onPull: () => {
        if (!zeroSent) {
          zeroSent = true;
          l.doPush(acc);
          if (finished) l.completeStage();
          return;
        }
        l.doPull();
      },
      onUpstreamFinish: () => {
        if (zeroSent) l.completeStage();
        else finished = true; // the zero still goes out on the next pull
      },
    });
  }));
}

/** `fold(zero, f)`: one element, the fold of everything, when upstream completes. */
export function foldStage<I, O>(zero: O, f: (acc: O, x: I) => O) {
  fn('fold', f);
  return simpleStage('fold', 'flow', (attrs) => new LinearLogic<I, O>('Fold', attrs, (l) => {
    let acc = zero;
    l.handlers({
      onPush: () => {
        const elem = l.doGrab();
        try {
          acc = f(acc, elem);
        } catch (e) {
          const d = l.decide(e);
          if (d === 'stop') {
            l.failStage(e);
            return;
          }
          if (d === 'restart') acc = zero;
        }
        if (!l.inClosed()) l.doPull();
      },
      onPull: () => {
        if (l.inClosed()) {
          l.doPush(acc);
          l.completeStage();
        } else l.doPull();
      },
      onUpstreamFinish: () => {
        if (l.outAvailable()) {
          l.doPush(acc);
          l.completeStage();
        }
      },
    });
  }));
}

/** `reduce(f)`: like fold, starting from the first element; an empty stream fails. */
export function reduceStage<T>(f: (acc: T, x: T) => T) {
  fn('reduce', f);
  return simpleStage('reduce', 'flow', (attrs) => new LinearLogic<T, T>('Reduce', attrs, (l) => {
    let acc: { v: T } | null = null;
    l.handlers({
      onPush: () => {
        const elem = l.doGrab();
        try {
          acc = acc === null ? { v: elem } : { v: f(acc.v, elem) };
        } catch (e) {
          const d = l.decide(e);
          if (d === 'stop') {
            l.failStage(e);
            return;
          }
          if (d === 'restart') acc = null;
        }
        l.doPull();
      },
      onPull: () => l.doPull(),
      onUpstreamFinish: () => {
        if (acc === null) l.failStage(new NoSuchElementException('reduce over empty stream'));
        else l.doEmit(acc.v, () => l.completeStage());
      },
    });
  }));
}

/** `mapConcat(f)`: each element becomes zero or more elements (an iterable). */
export function mapConcatStage<I, O>(f: (x: I) => Iterable<O>) {
  fn('mapConcat', f);
  return simpleStage('mapConcat', 'flow', (attrs) => new LinearLogic<I, O>('MapConcat', attrs, (l) => {
    let current: Iterator<O> | null = null;
    let next: IteratorResult<O> | null = null;
    const advance = () => {
      next = current!.next();
      if (next.done) {
        current = null;
        next = null;
      }
    };
    const pushOne = () => {
      const v = next!.value;
      advance();
      l.doPush(v);
    };
    l.handlers({
      onPush: () => {
        try {
          current = f(l.doGrab())[Symbol.iterator]();
          advance();
        } catch (e) {
          current = null;
          next = null;
          if (l.decide(e) === 'stop') {
            l.failStage(e);
            return;
          }
        }
        if (next === null) {
          if (l.inClosed()) l.completeStage();
          else l.doPull();
        } else pushOne();
      },
      onPull: () => {
        if (next !== null) {
          pushOne();
          if (next === null && l.inClosed()) l.completeStage();
        } else if (l.inClosed()) l.completeStage();
        else l.doPull();
      },
      onUpstreamFinish: () => {
        if (next === null) l.completeStage();
      },
    });
  }));
}

/** `zipWithIndex`: pairs `[element, index]` from 0. */
export function zipWithIndexStage<T>() {
  return simpleStage('zipWithIndex', 'flow', (attrs) => new LinearLogic<T, [T, number]>('ZipWithIndex', attrs, (l) => {
    let index = 0;
    l.handlers({ onPush: () => l.doPush([l.doGrab(), index++]), onPull: () => l.doPull() });
  }));
}

/** `recover(f)`: when upstream fails, emits `f(error)` (unless it returns undefined: then the failure goes on) and completes. */
export function recoverStage<T>(f: (e: unknown) => T | undefined) {
  fn('recover', f);
  return simpleStage('recover', 'flow', (attrs) => new LinearLogic<T, T>('Recover', attrs, (l) => {
    let recovered: { v: T } | null = null;
    l.handlers({
      onPush: () => l.doPush(l.doGrab()),
      onPull: () => {
        if (recovered) {
          l.doPush(recovered.v);
          l.completeStage();
        } else l.doPull();
      },
      onUpstreamFailure: (error) => {
        try {
          const v = f(error);
          if (v === undefined || v === null) {
            l.failStage(error);
          } else if (l.outAvailable()) {
            l.doPush(v);
            l.completeStage();
          } else recovered = { v };
        } catch (e) {
          l.failStage(e);
        }
      },
    });
  }));
}

/** `mapError(f)`: replaces an upstream failure by `f(error)`. */
export function mapErrorStage<T>(f: (e: unknown) => unknown) {
  fn('mapError', f);
  return simpleStage('mapError', 'flow', (attrs) => new LinearLogic<T, T>('MapError', attrs, (l) => {
    l.handlers({
      onPush: () => l.doPush(l.doGrab()),
      onPull: () => l.doPull(),
      onUpstreamFailure: (error) => l.failStage(f(error) ?? error),
    });
  }));
}

/** `wireTap(f)`: calls `f` with each element (errors in `f` are ignored) and passes it on. */
export function wireTapStage<T>(f: (x: T) => void) {
  fn('wireTap', f);
  return simpleStage('wireTap', 'flow', (attrs) => new LinearLogic<T, T>('WireTap', attrs, (l) => {
    l.handlers({
      onPush: () => {
        const elem = l.doGrab();
        try {
          f(elem);
        } catch {
          // A tap never disturbs the stream.
        }
        l.doPush(elem);
      },
      onPull: () => l.doPull(),
    });
  }));
}

/** `log(name, extract?)`: prints each element, the completion and a failure, and passes them on. */
export function logStage<T>(name: string, extract: (x: T) => unknown = (x) => x) {
  return simpleStage('log', 'flow', (attrs, ctx) => new LinearLogic<T, T>('Log', attrs, (l) => {
    const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v) ?? String(v));
    l.handlers({
      onPush: () => {
        const elem = l.doGrab();
        ctx.output(`[${name}] Element: ${show(extract(elem))}`);
        l.doPush(elem);
      },
      onPull: () => l.doPull(),
      onUpstreamFinish: () => {
        ctx.output(`[${name}] Upstream finished.`);
        l.completeStage();
      },
      onUpstreamFailure: (e) => {
        ctx.output(`[${name}] Upstream failed: ${e instanceof Error ? e.message : String(e)}`);
        l.failStage(e);
      },
    });
  }));
}
