/**
 * Pekko's `Flow[In, Out, Mat]`: a blueprint with one input and one output. `Flow.create<T>()` (Scala's
 * `Flow[T]`) is the identity flow to chain operators on; `source.via(flow)` and `flow.to(sink)` compose.
 *
 *   const parse = Flow.create<string>().map((s) => JSON.parse(s)).filter((r) => r.ok);
 */
import { Attributes } from './attributes.js';
import type { FlowDuration } from './duration.js';
import { addAttributes, EMPTY_MODULE, linear, mapMat, NotUsed, stageModule, withAttributes, type Module, type StageBlueprint } from './graph.js';
import { Keep } from './keep.js';
import { groupedWeightedWithinFromArgs, groupedWithinFromArgs, throttleFromArgs } from './operator-args.js';
import type { OverflowStrategy } from './overflow-strategy.js';
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
import type { ThrottleMode } from './throttle-mode.js';

/** A blueprint of a processing step with one input and one output. */
export class Flow<In, Out, Mat = NotUsed> {
  /** @internal */
  readonly module: Module;

  /** @internal Use `Flow.create()` and the operators. */
  constructor(module: Module) {
    this.module = module;
  }

  /** The identity flow for elements of type `T` (Scala's `Flow[T]`). */
  static create<T>(): Flow<T, T, NotUsed> {
    return new Flow<T, T, NotUsed>(EMPTY_MODULE);
  }

  /** Scala's `Flow[T]`. */
  static apply<T>(): Flow<T, T, NotUsed> {
    return Flow.create<T>();
  }

  /** A flow that maps with `f`. */
  static fromFunction<I, O>(f: (x: I) => O): Flow<I, O, NotUsed> {
    return Flow.create<I>().map(f);
  }

  /** @internal A flow of one operator. */
  static fromStage<I, O, M>(stage: StageBlueprint<M>): Flow<I, O, M> {
    return new Flow<I, O, M>(stageModule(stage));
  }

  /** A Flow from a Flow (identity, for symmetry with Pekko). */
  static fromGraph<I, O, M>(flow: Flow<I, O, M>): Flow<I, O, M> {
    return flow;
  }

  /** Continues with another flow, keeping this flow's materialized value. */
  via<T, M2>(flow: Flow<Out, T, M2>): Flow<In, T, Mat> {
    return this.viaMat(flow, Keep.left);
  }

  /** Continues with another flow, combining the materialized values. */
  viaMat<T, M2, M3>(flow: Flow<Out, T, M2>, combine: (left: Mat, right: M2) => M3): Flow<In, T, M3> {
    if (!(flow instanceof Flow)) throw new TypeError('via: expected a Flow');
    return new Flow<In, T, M3>(linear(this.module, flow.module, combine as (l: unknown, r: unknown) => unknown));
  }

  /** Ends in a sink: a Sink of this flow's input, keeping this flow's materialized value. */
  to<M2>(sink: Sink<Out, M2>): Sink<In, Mat> {
    return this.toMat(sink, Keep.left);
  }

  /** Ends in a sink, combining the materialized values. */
  toMat<M2, M3>(sink: Sink<Out, M2>, combine: (left: Mat, right: M2) => M3): Sink<In, M3> {
    if (!(sink instanceof Sink)) throw new TypeError('to: expected a Sink');
    return new Sink<In, M3>(linear(this.module, sink.module, combine as (l: unknown, r: unknown) => unknown));
  }

  /** Maps the materialized value. */
  mapMaterializedValue<M2>(f: (m: Mat) => M2): Flow<In, Out, M2> {
    return new Flow<In, Out, M2>(mapMat(this.module, f as (m: unknown) => unknown));
  }

  /** Replaces this blueprint's attributes (operators inside keep their own, more specific ones). */
  withAttributes(attributes: Attributes): Flow<In, Out, Mat> {
    return new Flow<In, Out, Mat>(withAttributes(this.module, attributes));
  }

  /** Adds attributes. */
  addAttributes(attributes: Attributes): Flow<In, Out, Mat> {
    return new Flow<In, Out, Mat>(addAttributes(this.module, attributes));
  }

  /** Names this blueprint (in messages). */
  named(name: string): Flow<In, Out, Mat> {
    return this.addAttributes(Attributes.name(name));
  }

  private op<T>(stage: StageBlueprint): Flow<In, T, Mat> {
    return new Flow<In, T, Mat>(linear(this.module, stageModule(stage), Keep.left));
  }

  // ---- operators (the same list as Source) ------------------------------------------------------

  /** Transforms each element. */
  map<T>(f: (x: Out) => T): Flow<In, T, Mat> {
    return this.op(mapStage(f));
  }
  /** Keeps the elements `p` accepts. */
  filter(p: (x: Out) => boolean): Flow<In, Out, Mat> {
    return this.op(filterStage(p));
  }
  /** Drops the elements `p` accepts. */
  filterNot(p: (x: Out) => boolean): Flow<In, Out, Mat> {
    return this.op(filterStage(p, true));
  }
  /** Each element to zero or more elements. */
  mapConcat<T>(f: (x: Out) => Iterable<T>): Flow<In, T, Mat> {
    return this.op(mapConcatStage(f));
  }
  /** Up to `parallelism` promises at once; results in input order. */
  mapAsync<T>(parallelism: number, f: (x: Out) => AsyncResult<T>): Flow<In, T, Mat> {
    return this.op(mapAsyncStage(parallelism, f));
  }
  /** Up to `parallelism` promises at once; results in completion order. */
  mapAsyncUnordered<T>(parallelism: number, f: (x: Out) => AsyncResult<T>): Flow<In, T, Mat> {
    return this.op(mapAsyncUnorderedStage(parallelism, f));
  }
  /** Lists of `n` elements. */
  grouped(n: number): Flow<In, Out[], Mat> {
    return this.op(groupedStage(n));
  }
  /** Lists of up to `n` elements, emitted at the latest every `d`. */
  groupedWithin(n: number, d: FlowDuration): Flow<In, Out[], Mat> {
    return this.op(groupedWithinFromArgs(n, d));
  }
  /** Lists up to a total weight (and count), emitted at the latest every `d`. */
  groupedWeightedWithin(maxWeight: number, costFn: (x: Out) => number, d: FlowDuration): Flow<In, Out[], Mat>;
  groupedWeightedWithin(maxWeight: number, maxNumber: number, costFn: (x: Out) => number, d: FlowDuration): Flow<In, Out[], Mat>;
  groupedWeightedWithin(...args: unknown[]): Flow<In, Out[], Mat> {
    return this.op(groupedWeightedWithinFromArgs(args));
  }
  /** Limits the rate: `elements` (or cost units) per `per`. */
  throttle(elements: number, per: FlowDuration): Flow<In, Out, Mat>;
  throttle(elements: number, per: FlowDuration, maximumBurst: number, mode: ThrottleMode): Flow<In, Out, Mat>;
  throttle(cost: number, per: FlowDuration, costCalculation: (x: Out) => number): Flow<In, Out, Mat>;
  throttle(cost: number, per: FlowDuration, maximumBurst: number, costCalculation: (x: Out) => number, mode: ThrottleMode): Flow<In, Out, Mat>;
  throttle(...args: unknown[]): Flow<In, Out, Mat> {
    return this.op(throttleFromArgs(args));
  }
  /** Buffers up to `size` elements; `overflowStrategy` says what happens when full. */
  buffer(size: number, overflowStrategy: OverflowStrategy): Flow<In, Out, Mat> {
    return this.op(bufferStage(size, overflowStrategy));
  }
  /** The first `n` elements. */
  take(n: number): Flow<In, Out, Mat> {
    return this.op(takeStage(n));
  }
  /** All but the first `n` elements. */
  drop(n: number): Flow<In, Out, Mat> {
    return this.op(dropStage(n));
  }
  /** Elements while `p` holds. */
  takeWhile(p: (x: Out) => boolean, inclusive = false): Flow<In, Out, Mat> {
    return this.op(takeWhileStage(p, inclusive));
  }
  /** Elements after `p` first fails. */
  dropWhile(p: (x: Out) => boolean): Flow<In, Out, Mat> {
    return this.op(dropWhileStage(p));
  }
  /** Running fold, starting with `zero`. */
  scan<T>(zero: T, f: (acc: T, x: Out) => T): Flow<In, T, Mat> {
    return this.op(scanStage(zero, f));
  }
  /** The fold of all elements, when upstream completes. */
  fold<T>(zero: T, f: (acc: T, x: Out) => T): Flow<In, T, Mat> {
    return this.op(foldStage(zero, f));
  }
  /** The reduction of all elements, when upstream completes. */
  reduce(f: (acc: Out, x: Out) => Out): Flow<In, Out, Mat> {
    return this.op(reduceStage(f));
  }
  /** Pairs each element with its index. */
  zipWithIndex(): Flow<In, [Out, number], Mat> {
    return this.op(zipWithIndexStage());
  }
  /** Turns an upstream failure into a last element. */
  recover(f: (error: unknown) => Out | undefined): Flow<In, Out, Mat> {
    return this.op(recoverStage(f));
  }
  /** Replaces an upstream failure. */
  mapError(f: (error: unknown) => unknown): Flow<In, Out, Mat> {
    return this.op(mapErrorStage(f));
  }
  /** Calls `f` with each element on the side. */
  wireTap(f: (x: Out) => void): Flow<In, Out, Mat> {
    return this.op(wireTapStage(f));
  }
  /** Prints elements, completion and failure. */
  log(name: string, extract?: (x: Out) => unknown): Flow<In, Out, Mat> {
    return this.op(logStage(name, extract));
  }
}
