/**
 * Pekko's `Sink[In, Mat]`: a blueprint with one input. Most sinks materialize a promise of the outcome:
 *
 *   const all = await Source.from([1, 2, 3]).runWith(Sink.seq(), system);          // [1, 2, 3]
 *   await source.runWith(Sink.foreach((x) => console.log(x)), system);              // Done
 */
import type { MaterializerLike } from './actor-system.js';
import { Attributes } from './attributes.js';
import { addAttributes, Done, linear, mapMat, NotUsed, stageModule, withAttributes, type Module, type StageBlueprint } from './graph.js';
import { Keep } from './keep.js';
import type { AsyncResult } from './stages/async-result.js';
import { mapAsyncUnorderedStage } from './stages/map-async-unordered.js';
import { mapStage } from './stages/map.js';
import { reduceStage } from './stages/element-ops.js';
import {
  cancelledSinkStage, foldSinkStage, headSinkStage, ignoreSinkStage, lastSinkStage, onCompleteSinkStage, seqSinkStage,
} from './stages/sinks.js';
import type { Source } from './source.js';

/** A blueprint of a stream's end. */
export class Sink<In, Mat = NotUsed> {
  /** @internal */
  readonly module: Module;

  /** @internal Use the factories (`Sink.seq`, `Sink.foreach`, ...). */
  constructor(module: Module) {
    this.module = module;
  }

  /** @internal A sink of one operator. */
  static fromStage<T, M>(stage: StageBlueprint<M>): Sink<T, M> {
    return new Sink<T, M>(stageModule(stage));
  }

  /** Every element, in order. */
  static seq<T>(): Sink<T, Promise<T[]>> {
    return Sink.fromStage(seqSinkStage<T>());
  }

  /** The first element (fails with NoSuchElementException on an empty stream); cancels upstream after it. */
  static head<T>(): Sink<T, Promise<T>> {
    return Sink.fromStage(headSinkStage<T>(false)) as Sink<T, Promise<T>>;
  }

  /** The first element, or undefined. */
  static headOption<T>(): Sink<T, Promise<T | undefined>> {
    return Sink.fromStage(headSinkStage<T>(true));
  }

  /** The last element (fails on an empty stream). */
  static last<T>(): Sink<T, Promise<T>> {
    return Sink.fromStage(lastSinkStage<T>(false)) as Sink<T, Promise<T>>;
  }

  /** The last element, or undefined. */
  static lastOption<T>(): Sink<T, Promise<T | undefined>> {
    return Sink.fromStage(lastSinkStage<T>(true));
  }

  /** Reads and discards everything; `Done` at completion. */
  static ignore<T>(): Sink<T, Promise<Done>> {
    return Sink.fromStage(ignoreSinkStage<T>());
  }

  /** Calls `f` for each element; `Done` at completion. */
  static foreach<T>(f: (x: T) => void): Sink<T, Promise<Done>> {
    return Sink.fromFlowAndSink(mapStage<T, T>((x) => {
      f(x);
      return x;
    }), ignoreSinkStage<T>());
  }

  /** Calls `f` for each element, up to `parallelism` promises at once; `Done` at completion. */
  static foreachAsync<T>(parallelism: number, f: (x: T) => PromiseLike<unknown> | void): Sink<T, Promise<Done>> {
    return Sink.fromFlowAndSink(mapAsyncUnorderedStage<T, T>(parallelism, (x) => {
      const r = f(x);
      return (r && typeof (r as PromiseLike<unknown>).then === 'function' ? Promise.resolve(r).then(() => x) : x) as AsyncResult<T>;
    }), ignoreSinkStage<T>());
  }

  /** Folds every element. */
  static fold<U, T>(zero: U, f: (acc: U, x: T) => U): Sink<T, Promise<U>> {
    return Sink.fromStage(foldSinkStage(zero, f));
  }

  /** Reduces every element (fails on an empty stream). */
  static reduce<T>(f: (acc: T, x: T) => T): Sink<T, Promise<T>> {
    return Sink.fromFlowAndSink(reduceStage(f), headSinkStage<T>(false)) as Sink<T, Promise<T>>;
  }

  /** Calls `callback` when the stream completes or fails. */
  static onComplete<T>(callback: (result: { ok: true } | { ok: false; error: unknown }) => void): Sink<T, NotUsed> {
    return Sink.fromStage(onCompleteSinkStage<T>(callback));
  }

  /** Cancels upstream at once. */
  static cancelled<T>(): Sink<T, NotUsed> {
    return Sink.fromStage(cancelledSinkStage<T>());
  }

  /** A Sink from a Sink (identity, for symmetry with Pekko). */
  static fromGraph<T, M>(sink: Sink<T, M>): Sink<T, M> {
    return sink;
  }

  private static fromFlowAndSink<T, M>(flow: StageBlueprint, sink: StageBlueprint<M>): Sink<T, M> {
    return new Sink<T, M>(linear(stageModule(flow), stageModule(sink), Keep.right));
  }

  /** Runs `source` into this sink; returns this sink's materialized value. */
  runWith<M2>(source: Source<In, M2>, materializer?: MaterializerLike): Mat {
    return source.runWith(this, materializer);
  }

  /** Maps the materialized value. */
  mapMaterializedValue<M2>(f: (m: Mat) => M2): Sink<In, M2> {
    return new Sink<In, M2>(mapMat(this.module, f as (m: unknown) => unknown));
  }

  /** Replaces this blueprint's attributes. */
  withAttributes(attributes: Attributes): Sink<In, Mat> {
    return new Sink<In, Mat>(withAttributes(this.module, attributes));
  }

  /** Adds attributes. */
  addAttributes(attributes: Attributes): Sink<In, Mat> {
    return new Sink<In, Mat>(addAttributes(this.module, attributes));
  }

  /** Names this blueprint. */
  named(name: string): Sink<In, Mat> {
    return this.addAttributes(Attributes.name(name));
  }
}
