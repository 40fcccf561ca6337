/**
 * Pekko's `Source[Out, Mat]`: a blueprint with one output that materializes a value of type `Mat`.
 *
 *   const system = ActorSystem.create("demo");
 *   const doubled = await Source.from([1, 2, 3]).map((n) => n * 2).runWith(Sink.seq(), system);  // [2, 4, 6]
 *
 * Every operator returns a new blueprint; nothing runs until `run`/`runWith`. Each run materializes
 * fresh operators, so one blueprint may run many times.
 */
import type { MaterializerLike } from './actor-system.js';
import { Attributes } from './attributes.js';
import { durationMs, type FlowDuration } from './duration.js';
import { addAttributes, Done, linear, mapMat, NotUsed, stageModule, withAttributes, type Module, type StageBlueprint } from './graph.js';
import { Keep } from './keep.js';
import { groupedWeightedWithinFromArgs, groupedWithinFromArgs, throttleFromArgs } from './operator-args.js';
import type { OverflowStrategy } from './overflow-strategy.js';
import { Flow } from './flow.js';
import { RunnableGraph } from './runnable-graph.js';
import { Sink } from './sink.js';
import type { AsyncResult } from './stages/async-result.js';
import { bufferStage } from './stages/buffer.js';
import {
  dropStage, dropWhileStage, foldStage, logStage, mapConcatStage, mapErrorStage, recoverStage, reduceStage, scanStage,
  takeStage, takeWhileStage, wireTapStage, zipWithIndexStage,
} from './stages/element-ops.js';
import { filterStage } from './stages/filter.js';
import { groupedStage } from './stages/grouped.js';
import { mapAsyncUnorderedStage } from './stages/map-async-unordered.js';
import { mapAsyncStage } from './stages/map-async.js';
import { mapStage } from './stages/map.js';
import { queueSourceStage, type SourceQueueWithComplete } from './stages/queue-source.js';
import {
  emptySourceStage, failedSourceStage, futureSourceStage, iteratorSourceStage, singleSourceStage, tickSourceStage, type Cancellable,
} from './stages/sources.js';
import type { ThrottleMode } from './throttle-mode.js';

/** A blueprint of a stream with one output. */
export class Source<Out, Mat = NotUsed> {
  /** @internal */
  readonly module: Module;

  /** @internal Use the factories (`Source.from`, `Source.single`, ...). */
  constructor(module: Module) {
    this.module = module;
  }

  // ---- factories -------------------------------------------------------------------------------

  /** @internal A source of one operator. */
  static fromStage<T, M>(stage: StageBlueprint<M>): Source<T, M> {
    return new Source<T, M>(stageModule(stage));
  }

  /** The elements of an iterable (an array, a Set, ...); a one-shot iterator runs once, `fromIterator` makes one per run. */
  static from<T>(iterable: Iterable<T>): Source<T, NotUsed> {
    if (iterable === null || iterable === undefined || typeof (iterable as Iterable<T>)[Symbol.iterator] !== 'function') {
      throw new TypeError('Source.from: expected an iterable (an array, a Set, ...)');
    }
    return Source.fromStage(iteratorSourceStage('from', () => iterable[Symbol.iterator]()));
  }

  /** Scala's `Source(iterable)`. */
  static apply<T>(iterable: Iterable<T>): Source<T, NotUsed> {
    return Source.from(iterable);
  }

  /** The elements of a fresh iterator per run. */
  static fromIterator<T>(create: () => Iterator<T>): Source<T, NotUsed> {
    if (typeof create !== 'function') throw new TypeError('Source.fromIterator: expected a function that creates an iterator');
    return Source.fromStage(iteratorSourceStage('fromIterator', create));
  }

  /** `start` to `end` inclusive, by `step` (Java's `Source.range`). */
  static range(start: number, end: number, step = 1): Source<number, NotUsed> {
    if (step === 0) throw new RangeError('Source.range: step must not be 0');
    return Source.fromIterator(function* () {
      for (let i = start; step > 0 ? i <= end : i >= end; i += step) yield i;
    });
  }

  /** One element. */
  static single<T>(elem: T): Source<T, NotUsed> {
    return Source.fromStage(singleSourceStage(elem));
  }

  /** No elements; completes at once. */
  static empty<T>(): Source<T, NotUsed> {
    return Source.fromStage(emptySourceStage<T>());
  }

  /** Fails at once with `error`. */
  static failed<T>(error: unknown): Source<T, NotUsed> {
    return Source.fromStage(failedSourceStage<T>(error));
  }

  /** The value of a promise. */
  static future<T>(promise: PromiseLike<T>): Source<T, NotUsed> {
    return Source.fromStage(futureSourceStage(promise));
  }

  /** `elem`, forever. */
  static repeat<T>(elem: T): Source<T, NotUsed> {
    return Source.fromIterator(function* () {
      for (;;) yield elem;
    });
  }

  /** Unfolds a state: `f(s)` returns `[next state, element]`, or undefined to end. */
  static unfold<S, T>(zero: S, f: (s: S) => readonly [S, T] | undefined | null): Source<T, NotUsed> {
    return Source.fromIterator(function* () {
      let s = zero;
      for (;;) {
        const r = f(s);
        if (r === undefined || r === null) return;
        s = r[0];
        yield r[1];
      }
    });
  }

  /** `tick` after `initialDelay`, then every `interval` while there is demand; materializes a Cancellable. */
  static tick<T>(initialDelay: FlowDuration, interval: FlowDuration, tick: T): Source<T, Cancellable> {
    return Source.fromStage(tickSourceStage(durationMs(initialDelay, 'tick initialDelay'), durationMs(interval, 'tick interval'), tick));
  }

  /** A queue to `offer` elements into; materializes a SourceQueueWithComplete. */
  static queue<T>(bufferSize: number, overflowStrategy: OverflowStrategy): Source<T, SourceQueueWithComplete<T>> {
    return Source.fromStage(queueSourceStage<T>(bufferSize, overflowStrategy));
  }

  /** A Source from a Source (identity, for symmetry with Pekko). */
  static fromGraph<T, M>(source: Source<T, M>): Source<T, M> {
    return source;
  }

  // ---- composition -----------------------------------------------------------------------------

  /** Continues with a flow, keeping this source's materialized value. */
  via<T, M2>(flow: Flow<Out, T, M2>): Source<T, Mat> {
    return this.viaMat(flow, Keep.left);
  }

  /** Continues with a flow, combining the materialized values. */
  viaMat<T, M2, M3>(flow: Flow<Out, T, M2>, combine: (left: Mat, right: M2) => M3): Source<T, M3> {
    if (!(flow instanceof Flow)) throw new TypeError('via: expected a Flow');
    return new Source<T, M3>(linear(this.module, flow.module, combine as (l: unknown, r: unknown) => unknown));
  }

  /** Ends in a sink, keeping this source's materialized value. */
  to<M2>(sink: Sink<Out, M2>): RunnableGraph<Mat> {
    return this.toMat(sink, Keep.left);
  }

  /** Ends in a sink, combining the materialized values. */
  toMat<M2, M3>(sink: Sink<Out, M2>, combine: (left: Mat, right: M2) => M3): RunnableGraph<M3> {
    if (!(sink instanceof Sink)) throw new TypeError('to: expected a Sink');
    return new RunnableGraph<M3>(linear(this.module, sink.module, combine as (l: unknown, r: unknown) => unknown));
  }

  /** Runs into `sink`; returns the sink's materialized value. */
  runWith<M2>(sink: Sink<Out, M2>, materializer?: MaterializerLike): M2 {
    return this.toMat(sink, Keep.right).run(materializer);
  }

  /** Runs, ignoring the elements; `Done` when the stream completes. */
  run(materializer?: MaterializerLike): Promise<Done> {
    return this.runWith(Sink.ignore<Out>(), materializer);
  }

  /** Runs, calling `f` for every element. */
  runForeach(f: (x: Out) => void, materializer?: MaterializerLike): Promise<Done> {
    return this.runWith(Sink.foreach(f), materializer);
  }

  /** Runs, folding every element. */
  runFold<U>(zero: U, f: (acc: U, x: Out) => U, materializer?: MaterializerLike): Promise<U> {
    return this.runWith(Sink.fold(zero, f), materializer);
  }

  /** Runs, reducing every element. */
  runReduce(f: (acc: Out, x: Out) => Out, materializer?: MaterializerLike): Promise<Out> {
    return this.runWith(Sink.reduce(f), materializer);
  }

  /** Maps the materialized value. */
  mapMaterializedValue<M2>(f: (m: Mat) => M2): Source<Out, M2> {
    return new Source<Out, M2>(mapMat(this.module, f as (m: unknown) => unknown));
  }

  /** Replaces this blueprint's attributes (operators inside keep their own, more specific ones). */
  withAttributes(attributes: Attributes): Source<Out, Mat> {
    return new Source<Out, Mat>(withAttributes(this.module, attributes));
  }

  /** Adds attributes. */
  addAttributes(attributes: Attributes): Source<Out, Mat> {
    return new Source<Out, Mat>(addAttributes(this.module, attributes));
  }

  /** Names this blueprint (in messages). */
  named(name: string): Source<Out, Mat> {
    return this.addAttributes(Attributes.name(name));
  }

  private op<T>(stage: StageBlueprint): Source<T, Mat> {
    return new Source<T, Mat>(linear(this.module, stageModule(stage), Keep.left));
  }

  // ---- operators (see Flow for the same list) ---------------------------------------------------

  /** Transforms each element. */
  map<T>(f: (x: Out) => T): Source<T, Mat> {
    return this.op(mapStage(f));
  }
  /** Keeps the elements `p` accepts. */
  filter(p: (x: Out) => boolean): Source<Out, Mat> {
    return this.op(filterStage(p));
  }
  /** Drops the elements `p` accepts. */
  filterNot(p: (x: Out) => boolean): Source<Out, Mat> {
    return this.op(filterStage(p, true));
  }
  /** Each element to zero or more elements. */
  mapConcat<T>(f: (x: Out) => Iterable<T>): Source<T, Mat> {
    return this.op(mapConcatStage(f));
  }
  /** Up to `parallelism` promises at once; results in input order. */
  mapAsync<T>(parallelism: number, f: (x: Out) => AsyncResult<T>): Source<T, Mat> {
    return this.op(mapAsyncStage(parallelism, f));
  }
  /** Up to `parallelism` promises at once; results in completion order. */
  mapAsyncUnordered<T>(parallelism: number, f: (x: Out) => AsyncResult<T>): Source<T, Mat> {
    return this.op(mapAsyncUnorderedStage(parallelism, f));
  }
  /** Lists of `n` elements. */
  grouped(n: number): Source<Out[], Mat> {
    return this.op(groupedStage(n));
  }
  /** Lists of up to `n` elements, emitted at the latest every `d`. */
  groupedWithin(n: number, d: FlowDuration): Source<Out[], Mat> {
    return this.op(groupedWithinFromArgs(n, d));
  }
  /** Lists up to a total weight (and count), emitted at the latest every `d`. */
  groupedWeightedWithin(maxWeight: number, costFn: (x: Out) => number, d: FlowDuration): Source<Out[], Mat>;
  groupedWeightedWithin(maxWeight: number, maxNumber: number, costFn: (x: Out) => number, d: FlowDuration): Source<Out[], Mat>;
  groupedWeightedWithin(...args: unknown[]): Source<Out[], Mat> {
    return this.op(groupedWeightedWithinFromArgs(args));
  }
  /** Limits the rate: `elements` (or cost units) per `per`. */
  throttle(elements: number, per: FlowDuration): Source<Out, Mat>;
  throttle(elements: number, per: FlowDuration, maximumBurst: number, mode: ThrottleMode): Source<Out, Mat>;
  throttle(cost: number, per: FlowDuration, costCalculation: (x: Out) => number): Source<Out, Mat>;
  throttle(cost: number, per: FlowDuration, maximumBurst: number, costCalculation: (x: Out) => number, mode: ThrottleMode): Source<Out, Mat>;
  throttle(...args: unknown[]): Source<Out, Mat> {
    return this.op(throttleFromArgs(args));
  }
  /** Buffers up to `size` elements; `overflowStrategy` says what happens when full. */
  buffer(size: number, overflowStrategy: OverflowStrategy): Source<Out, Mat> {
    return this.op(bufferStage(size, overflowStrategy));
  }
  /** The first `n` elements. */
  take(n: number): Source<Out, Mat> {
    return this.op(takeStage(n));
  }
  /** All but the first `n` elements. */
  drop(n: number): Source<Out, Mat> {
    return this.op(dropStage(n));
  }
  /** Elements while `p` holds. */
  takeWhile(p: (x: Out) => boolean, inclusive = false): Source<Out, Mat> {
    return this.op(takeWhileStage(p, inclusive));
  }
  /** Elements after `p` first fails. */
  dropWhile(p: (x: Out) => boolean): Source<Out, Mat> {
    return this.op(dropWhileStage(p));
  }
  /** Running fold, starting with `zero`. */
  scan<T>(zero: T, f: (acc: T, x: Out) => T): Source<T, Mat> {
    return this.op(scanStage(zero, f));
  }
  /** The fold of all elements, when upstream completes. */
  fold<T>(zero: T, f: (acc: T, x: Out) => T): Source<T, Mat> {
    return this.op(foldStage(zero, f));
  }
  /** The reduction of all elements, when upstream completes. */
  reduce(f: (acc: Out, x: Out) => Out): Source<Out, Mat> {
    return this.op(reduceStage(f));
  }
  /** Pairs each element with its index. */
  zipWithIndex(): Source<[Out, number], Mat> {
    return this.op(zipWithIndexStage());
  }
  /** Turns an upstream failure into a last element. */
  recover(f: (error: unknown) => Out | undefined): Source<Out, Mat> {
    return this.op(recoverStage(f));
  }
  /** Replaces an upstream failure. */
  mapError(f: (error: unknown) => unknown): Source<Out, Mat> {
    return this.op(mapErrorStage(f));
  }
  /** Calls `f` with each element on the side. */
  wireTap(f: (x: Out) => void): Source<Out, Mat> {
    return this.op(wireTapStage(f));
  }
  /** Prints elements, completion and failure. */
  log(name: string, extract?: (x: Out) => unknown): Source<Out, Mat> {
    return this.op(logStage(name, extract));
  }
}
